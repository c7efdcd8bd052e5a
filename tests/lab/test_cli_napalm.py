"""NAPALM 5.2 drivers (ios, huawei_vrp, h3c_comware) against the twin (devsim.md §3).

Getter results are compared with the model, spelled the way each driver spells them: the
huawei_vrp driver reports ``is_enabled`` from the physical state and LLDP with abbreviated
names, the Comware driver reports speed in kbit/s, and so on. Those are the drivers' own
conventions, reproduced here on purpose.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
from cli_twin import PASSWORD, PORT, USERNAME, Lab
from napalm import get_network_driver

from egovnet.lab.cli import get_dialect
from egovnet.lab.cli.text import link_local
from egovnet.lab.model import InterfaceState

DRIVERS: dict[str, tuple[str, dict[str, Any]]] = {
    "ISR1": ("ios", {"secret": PASSWORD}),
    "HW5": ("huawei_vrp", {}),
    "H3C7": ("h3c_comware", {"global_cmd_verify": True}),
}


def _open(lab: Lab, name: str) -> Any:
    driver, options = DRIVERS[name]
    device = get_network_driver(driver)(
        lab.host(name), USERNAME, PASSWORD, timeout=20, optional_args={"port": PORT, **options}
    )
    device.open()
    return device


@pytest.fixture(scope="module")
def drivers(cli_lab: Lab) -> Iterator[dict[str, Any]]:
    opened = {name: _open(cli_lab, name) for name in DRIVERS}
    yield opened
    for device in opened.values():
        device.close()


def _states(lab: Lab, name: str) -> list[InterfaceState]:
    return lab.network.interface_states(lab.device(name))


def _mac(mac: str) -> str:
    return mac.upper()


@pytest.mark.parametrize("name", list(DRIVERS))
def test_get_facts(cli_lab: Lab, drivers: dict[str, Any], name: str) -> None:
    device = cli_lab.device(name)
    facts = drivers[name].get_facts()
    assert facts["hostname"] == device.hostname()
    assert facts["model"] == device.spec.model
    serial = facts["serial_number"]
    assert (serial[0] if isinstance(serial, list) else serial) == device.spec.serial
    assert device.spec.os_version.split()[-1] in facts["os_version"]
    assert facts["interface_list"] == [st.name for st in _states(cli_lab, name)]
    assert 0 <= facts["uptime"] <= device.uptime() + 60


@pytest.mark.parametrize("name", list(DRIVERS))
def test_get_interfaces(cli_lab: Lab, drivers: dict[str, Any], name: str) -> None:
    interfaces = drivers[name].get_interfaces()
    states = _states(cli_lab, name)
    assert set(interfaces) == {st.name for st in states}
    for st in states:
        got = interfaces[st.name]
        assert got["is_up"] == st.oper_up, st.name
        # both VRP and Comware drivers derive is_enabled from the physical state
        enabled = st.admin_up and st.oper_up if name in ("HW5", "H3C7") else st.admin_up
        assert got["is_enabled"] == enabled, st.name
        default = f"{st.name} Interface" if name == "H3C7" else ""
        assert got["description"] == (st.description or default), st.name
        logical = st.name.startswith(("LoopBack", "Loopback", "NULL"))
        if not logical:
            assert got["mac_address"] == _mac(st.mac), st.name
        if name == "ISR1" and not logical:
            assert got["speed"] == float(st.speed_mbps)
        if name == "H3C7" and not logical:
            assert got["speed"] == st.speed_mbps * 1000


@pytest.mark.parametrize("name", list(DRIVERS))
def test_get_interfaces_ip(cli_lab: Lab, drivers: dict[str, Any], name: str) -> None:
    got = drivers[name].get_interfaces_ip()
    expected: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for st in _states(cli_lab, name):
        if st.ipv4:
            expected.setdefault(st.name, {})["ipv4"] = {
                str(a.ip): {"prefix_length": a.network.prefixlen} for a in st.ipv4
            }
        if st.ipv6 and name != "H3C7":  # the Comware driver reads IPv4 only
            v6 = {_v6(name, a.ip): {"prefix_length": a.network.prefixlen} for a in st.ipv6}
            if name == "ISR1":
                v6[str(link_local(st.mac))] = {"prefix_length": 10}
            expected.setdefault(st.name, {})["ipv6"] = v6
    assert got == expected


def _v6(name: str, address: ipaddress.IPv6Address) -> str:
    return str(address) if name == "ISR1" else str(address).upper()


@pytest.mark.parametrize("name", list(DRIVERS))
def test_get_lldp_neighbors(cli_lab: Lab, drivers: dict[str, Any], name: str) -> None:
    got = drivers[name].get_lldp_neighbors()
    expected = {}
    for local, peer, port in cli_lab.network.lldp_neighbors(cli_lab.device(name)):
        advertised = get_dialect(peer.dialect or "").lldp_port_id(port)
        key = local
        if name == "HW5":  # VRP5 prints short names in the brief table
            key, advertised = get_dialect("vrp5").short(local), get_dialect("vrp5").short(advertised)
        expected[key] = [{"hostname": peer.hostname(), "port": advertised}]
    assert got == expected
    assert len(got) == 2


def test_ios_merge_compare_commit_rollback(cli_lab: Lab) -> None:
    device = cli_lab.device("ISR1")
    original = cli_lab.netmiko("ISR1")
    try:
        before = original.send_command("show running-config")
    finally:
        original.disconnect()
    napalm = _open(cli_lab, "ISR1")
    try:
        napalm.load_merge_candidate(
            config=(
                "interface GigabitEthernet0/2\n description merged-by-napalm\n no shutdown\n!\n"
                "snmp-server contact noc@egov.example\nend\n"
            )
        )
        assert "merge_config.txt" in device.files
        diff = napalm.compare_config()
        assert diff.splitlines() == [
            "+interface GigabitEthernet0/2",
            "+ description merged-by-napalm",
            "- no shutdown",
            "+snmp-server contact noc@egov.example",
        ]
        napalm.commit_config()
        section = device.running.child("interface GigabitEthernet0/2")
        assert section is not None
        assert [c.text for c in section.children] == ["description merged-by-napalm", "negotiation auto"]
        assert device.running.child("snmp-server contact noc@egov.example") is not None
        assert device.saved == device.running
        assert napalm.get_interfaces()["GigabitEthernet0/2"]["is_enabled"] is True
        napalm.rollback()
        assert device.running.child("snmp-server contact noc@egov.example") is None
    finally:
        napalm.close()
    check = cli_lab.netmiko("ISR1")
    try:
        after = check.send_command("show running-config")
    finally:
        check.disconnect()
    strip = [line for line in before.splitlines() if not line.startswith("! Last configuration change")]
    assert [
        line for line in after.splitlines() if not line.startswith("! Last configuration change")
    ] == strip


def test_huawei_vrp_merge_commit_rollback(cli_lab: Lab) -> None:
    device = cli_lab.device("HW5")
    before = device.running.copy()
    napalm = _open(cli_lab, "HW5")
    try:
        napalm.load_merge_candidate(config="interface GigabitEthernet0/0/4\n description merged-by-napalm\n")
        assert napalm.compare_config() == " description merged-by-napalm"  # line diff on the client
        napalm.commit_config()
        backups = [name for name in device.files if name.startswith("config_")]
        assert len(backups) == 1
        section = device.running.child("interface GigabitEthernet0/0/4")
        assert section is not None and section.child("description merged-by-napalm") is not None
        assert device.saved == device.running
        napalm.rollback()
    finally:
        napalm.close()
    assert device.running == before
    assert device.saved == before
