"""The county's security and redundancy intent on the twin: firewall hot standby, the IDS tap, LLDP.

A freshly converged county used to fail three rules that are no inventory truth: FW-HA-01 (no HRP on
the firewall pair), IDS-TAP-02 (the cores mirrored nothing to the sensors cabled to them) and
RED-LLDP-01 (the sensors on the cores' mirror ports counted as unplanned LLDP neighbours). Offline,
the remediation order is what a device needs (observe port before the ports mirroring to it, heartbeat
before ``hrp enable``, and the reverse on the way back) and the twin refuses the wrong order; over SSH,
``egovnet apply --commit`` on the county slice converges, a second plan has nothing to do, and the live
audit passes those rules (and keeps the other firewall and sensor rules from failing).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from child_processes import EGOVNET, detached_twin, worker_offset
from render_secrets import HASHES, SECRETS

from egovnet.audit import graph
from egovnet.audit.snapshot import Neighbor, Snapshot
from egovnet.change import hier
from egovnet.inventory import Inventory, load_inventory
from egovnet.lab.cli import CliSession, get_dialect
from egovnet.lab.runtime import build_network
from egovnet.render import Renderer

SLICE = "level_county"
FIREWALLS = ("qm-fw-01", "qm-fw-02")
CORES = ("qm-core-01", "qm-core-02")
#: Rule -> the devices it must PASS on after convergence.
MUST_PASS = {
    "FW-HA-01": FIREWALLS,
    "IDS-TAP-01": CORES,
    "IDS-TAP-02": CORES,
    "RED-LLDP-01": (*FIREWALLS, *CORES),
    "FW-MGT-01": FIREWALLS,
}
#: Rules that may give REVIEW (the configuration alone cannot prove them) but must never FAIL.
NEVER_FAIL = ("FW-POL-01", "FW-POL-02", "FW-POL-03", "FW-POL-04", "FW-HA-02")


# ------------------------------------------------------------------------------ offline (in-process)
@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


@pytest.fixture(scope="module")
def intended(county: Inventory) -> Callable[[str], str]:
    """A host's intended configuration (IPv4), rendered with the test secrets."""
    renderer = Renderer(county)

    def render(host: str) -> str:
        platform = county.devices[host].platform
        return renderer.render(host, {**SECRETS, "egovnet_admin_password_hash": HASHES[platform]})

    return render


def _marked(lines: list[str]) -> list[str]:
    """The HRP and mirroring lines of a remediation, in the order they are sent."""
    keywords = ("hrp", "observe-port", "port-mirroring")
    return [line for line in lines if line.removeprefix("undo ").split()[0] in keywords]


def test_heartbeat_is_addressed_but_never_routed(intended: Callable[[str], str]) -> None:
    text = intended("qm-fw-01")
    assert "hrp interface GigabitEthernet1/0/11 remote 10.99.255.10\nhrp enable\nhrp auto-sync\n" in text
    heartbeat = text.split("interface GigabitEthernet1/0/11\n", 1)[1].split("#", 1)[0]
    assert " ip address 10.99.255.9 255.255.255.252" in heartbeat
    assert "network 10.99.255.8 " not in text and "silent-interface GigabitEthernet1/0/11" not in text


def test_cores_mirror_the_boundary_links_to_every_sensor(intended: Callable[[str], str]) -> None:
    text = intended("qm-core-01")
    assert "observe-port 1 interface 10GE1/0/44\nobserve-port 2 interface 10GE1/0/45\n" in text
    mirrored = [
        block.split("\n", 1)[0]
        for block in text.split("#\n")
        if "port-mirroring to observe-port 1 both\n port-mirroring to observe-port 2 both" in block
    ]
    assert mirrored == ["interface 10GE1/0/47"]  # towards qm-fw-01, the core's boundary


@pytest.mark.parametrize("host", ["qm-fw-01", "qm-core-01"])
def test_remediation_order_is_what_the_device_needs(
    county: Inventory, intended: Callable[[str], str], host: str
) -> None:
    platform = county.devices[host].platform
    network = build_network(county, host)
    device = network.devices[host]
    session = CliSession(network, device, get_dialect(str(device.dialect)), flags={"secret": "s"})
    before = session.handle("display current-configuration").text
    forward = _marked(hier.remediation(platform, before, intended(host)))
    backward = _marked(hier.rollback(platform, before, intended(host)))
    if host == "qm-fw-01":
        assert forward == ["hrp interface GigabitEthernet1/0/11 remote 10.99.255.10", "hrp enable"]
        assert backward == ["undo hrp enable", "undo hrp interface GigabitEthernet1/0/11"]
    else:
        assert forward[:2] == ["observe-port 1 interface 10GE1/0/44", "observe-port 2 interface 10GE1/0/45"]
        assert backward[-2:] == ["undo observe-port 1", "undo observe-port 2"]
    # the twin refuses a mirror towards an observe port that does not exist yet
    session.handle("system-view")
    session.handle("interface 10GE1/0/47" if host == "qm-core-01" else "interface GigabitEthernet1/0/11")
    refused = session.handle("port-mirroring to observe-port 3 both").text
    assert "Error:" in refused


def test_lldp_on_a_mirror_port_is_planned_but_carries_no_traffic(county: Inventory) -> None:
    """A sensor seen by LLDP on a core's observe port is in the cabling plan, not in the traffic graph."""
    seen = [Neighbor("10GE1/0/45", "qm-ids-01", "eth1"), Neighbor("10GE1/0/44", "qm-probe-01", "eth1")]
    topology = graph.Topology(county, {"qm-core-01": Snapshot("qm-core-01", "vrp8", lldp=seen)})
    assert topology.unplanned == []
    assert not topology.graph.has_edge("qm-core-01", "qm-ids-01")


# ------------------------------------------------------------------------------ the twin, over SSH
@pytest.fixture(scope="module")
def county_twin(tmp_path_factory: pytest.TempPathFactory, repo: Path, secret_env: None) -> Iterator[Path]:
    """The county level served on 127.x: SSH 32022, SNMP 26161, telnet 32122 (+ the xdist worker)."""
    offset = worker_offset()
    ports = ("--ssh-port", str(32022 + offset), "--snmp-port", str(26161 + offset))
    ports += ("--telnet-port", str(32122 + offset))
    run_dir = tmp_path_factory.mktemp("county-security-twin")
    with detached_twin(repo, run_dir, "--limit", SLICE, *ports) as overlay:
        yield overlay


def _egovnet_json(repo: Path, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [EGOVNET, *args, "--json"], cwd=repo, capture_output=True, text=True, timeout=600, check=False
    )
    assert out.stdout.strip(), out.stderr[-3000:]
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.lab
@pytest.mark.slow
def test_converged_county_passes_ha_ids_tap_and_lldp(county_twin: Path, repo: Path, tmp_path: Path) -> None:
    scope = ("-i", str(county_twin), "--limit", SLICE, "--state-dir", str(tmp_path / "state"))
    applied = _egovnet_json(repo, "apply", *scope, "--commit")
    statuses = {host["host"]: host["status"] for host in applied["hosts"]}
    assert set(statuses.values()) == {"applied"}, [
        (h["host"], h["status"], h.get("error")) for h in applied["hosts"] if h["status"] != "applied"
    ]
    assert set(FIREWALLS + CORES) <= set(statuses)
    planned = _egovnet_json(repo, "plan", *scope)
    assert {h["host"]: h["status"] for h in planned["hosts"]} == dict.fromkeys(statuses, "unchanged"), [
        (h["host"], h["commands"]) for h in planned["hosts"] if h["status"] != "unchanged"
    ]

    run = _egovnet_json(repo, "audit", *scope, "--no-alerts")
    assert not run["errors"], run["errors"]
    found = {(f["rule"], f["entity"]): f for f in run["findings"]}
    for rule, devices in MUST_PASS.items():
        for device in devices:
            finding = found.get((rule, device))
            assert finding is not None and finding["status"] == "PASS", (rule, device, finding)
    failing = [
        (rule, entity) for (rule, entity), f in found.items() if rule in NEVER_FAIL and f["status"] == "FAIL"
    ]
    assert failing == []
