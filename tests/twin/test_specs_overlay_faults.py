"""The twin's inputs (specs from the inventory), its overlay inventory, and fault injection on the model."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab import faults
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.overlay import OVERLAY_FILE, LabCredentials, write_overlay
from egovnet.lab.specs import NOT_SERVED, build_specs, lab_address


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def test_every_served_device_gets_a_stable_unique_loopback_address(county: Inventory) -> None:
    specs, links = build_specs(county)
    served = [d for d in county.devices.values() if d.platform not in NOT_SERVED]
    assert len(specs) == len(served) > 350
    addresses = [spec.address for spec in specs]
    assert len(set(addresses)) == len(addresses)
    assert all(ipaddress.IPv4Address(a) in ipaddress.IPv4Network("127.0.0.0/8") for a in addresses)
    core = next(s for s in specs if s.name == "qm-core-01")
    assert core.address == lab_address(county.devices["qm-core-01"].mgmt_ipv4) == "127.98.0.1"
    again, _ = build_specs(county)
    assert [s.address for s in again] == addresses
    assert all(link.a_device in county.devices for link in links)


def test_specs_carry_ports_links_and_indicator_inputs(county: Inventory) -> None:
    specs = {s.name: s for s in build_specs(county)[0]}
    tn = specs["qishan-tn-01"]
    assert len(tn.ports) == 24 + 6 + 1 and tn.ports[0].name == "XGigabitEthernet0/0/1"
    uplink = next(
        link
        for link in county.links_of("qishan-tn-01")
        if link.role == "primary" and link.a_device == "qishan-tn-01"
    )
    assert tn.interface_ipv4[uplink.a_interface] == str(uplink.a_ipv4)
    wlc = specs["qishan-ac-01"]
    managed = sorted(d.name for d in county.devices.values() if d.managed_by == "qishan-ac-01")
    assert [ap["name"] for ap in wlc.extra["aps"]] == managed and len(managed) == 18
    olt = specs["qishan-olt-01"]
    households = sum(s.households or 0 for s in county.sites.values() if s.township == "qishan")
    assert olt.extra["households"] == households > 0
    cpe = next(s for s in specs.values() if s.role == "cpe_5g")
    assert -115 <= cpe.extra["rsrp_dbm"] <= -72 and cpe.extra["radio_interface"] == "Cellular0"


def test_limit_patterns(county: Inventory) -> None:
    qishan = select_hosts(county, "tw_qishan")
    assert "qishan-tn-01" in qishan and "qishan-v01-sw-01" in qishan and "qm-core-01" not in qishan
    assert select_hosts(county, "qm-core-*") == ["qm-core-01", "qm-core-02"]
    union = select_hosts(county, "tw_qishan:qm-core-*:!role_ap")
    assert "qm-core-02" in union and not any(county.devices[n].role == "ap" for n in union)
    both = select_hosts(county, "tw_qishan:&platform_huawei_vrp5")
    assert both and all(county.devices[n].platform == "huawei_vrp5" for n in both)


def test_overlay_points_the_same_inventory_at_the_twin(
    tmp_path: Path, county: Inventory, qimen_path: Path, repo: Path
) -> None:
    specs, _ = build_specs(county, select_hosts(county, "tw_qishan"))
    overlay = write_overlay(qimen_path, tmp_path, specs, LabCredentials(), ssh_port=2222)
    assert (overlay / OVERLAY_FILE).is_file() and (overlay / "01-county.yml").is_symlink()
    lab = load_inventory(overlay)
    assert set(lab.devices) == set(county.devices)
    tn = lab.devices["qishan-tn-01"]
    assert str(tn.host) == "127.98.1.1" and tn.mgmt_ipv4 == county.devices["qishan-tn-01"].mgmt_ipv4
    assert tn.vars["ansible_port"] == 2222 and tn.vars["ansible_user"] == "egovnet"
    assert lab.devices["qm-core-01"].host == county.devices["qm-core-01"].host  # outside the limit
    env = {**os.environ, "ANSIBLE_CONFIG": str(repo / "ansible.cfg")}
    out = subprocess.run(
        [
            str(Path(sys.executable).with_name("ansible-inventory")),
            "-i",
            str(overlay),
            "--host",
            "qishan-tn-01",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    hostvars = json.loads(out.stdout)
    assert hostvars["ansible_host"] == "127.98.1.1" and hostvars["ansible_password"] == "egovnet-lab-1"


def _network(county: Inventory) -> LabNetwork:
    specs, links = build_specs(county, select_hosts(county, "tw_qishan:qm-core-*"))
    return LabNetwork((LabDevice(spec, ConfigNode()) for spec in specs), links)


def test_faults_change_derived_state_and_heal_restores_it(county: Inventory) -> None:
    net = _network(county)
    link = next(
        link
        for link in county.links_of("qishan-tn-01")
        if link.role == "primary" and link.b_device == "qm-core-01"
    )
    tn, core = net.devices["qishan-tn-01"], net.devices["qm-core-01"]
    assert net.oper_up(tn, link.a_interface) and net.oper_up(core, str(link.b_interface))
    faults.inject(net, "qishan-tn-01", "link-down", [link.a_interface])
    assert not net.oper_up(tn, link.a_interface) and not net.oper_up(core, str(link.b_interface))
    faults.inject(net, "qishan-tn-01", "snmp-loss", ["0.5"])
    faults.inject(net, "qishan-tn-01", "slow", ["200"])
    assert faults.active(net)["qishan-tn-01"] == [
        "slow 200",
        "snmp-loss 0.5",
        f"link-down {link.a_interface}",
    ]
    assert faults.heal(net, "qishan-tn-01") == 1
    assert faults.active(net) == {} and net.oper_up(core, str(link.b_interface))
    faults.inject(net, "qm-core-01", "device-down", [])
    assert not net.oper_up(tn, link.a_interface)
    faults.heal(net)
    assert net.oper_up(tn, link.a_interface)


@pytest.mark.parametrize(
    ("device", "kind", "args", "message"),
    [
        ("nowhere", "slow", ["1"], "nowhere: no such device in the twin"),
        ("qm-core-01", "melt", [], "unknown fault kind 'melt'"),
        ("qm-core-01", "slow", ["fast"], "slow needs milliseconds"),
        ("qm-core-01", "snmp-loss", ["2"], "snmp-loss takes a ratio between 0 and 1"),
        ("qm-core-01", "link-down", ["10GE1/0/48"], "no link is cabled to that interface"),
    ],
)
def test_bad_fault_requests_are_refused_with_a_reason(
    county: Inventory, device: str, kind: str, args: list[str], message: str
) -> None:
    net = _network(county)
    with pytest.raises(faults.FaultError, match=message.replace("(", r"\(")):
        faults.inject(net, device, kind, args)
