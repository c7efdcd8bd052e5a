"""ntc-templates 9.3 parse the twin's display/show output into the model's values.

Output is fetched over SSH with netmiko; parsing is ntc-templates' own (``use_textfsm=True`` where
netmiko maps the platform, ``parse_output`` for netmiko's ``huawei`` type, which has no mapping).
Commands without a template (``display esn``, VRP ``display ip interface``...) are covered by
the NAPALM tests instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cli_twin import Lab
from ntc_templates.parse import parse_output

from egovnet.lab.cli import get_dialect
from egovnet.lab.cli.text import mac_dashed, mac_dotted
from egovnet.lab.model import InterfaceState

Rows = list[dict[str, Any]]
PLATFORM = {"HW5": "huawei_vrp", "HW8": "huawei_vrp", "H3C7": "hp_comware", "ISR1": "cisco_ios"}
DIALECT = {"HW5": "vrp5", "HW8": "vrp8", "H3C7": "comware7", "ISR1": "ios"}


@pytest.fixture(scope="module")
def sessions(cli_lab: Lab) -> Iterator[dict[str, Any]]:
    for name in ("HW5", "HW8"):  # give `dir` something to list
        cli_lab.device(name).files["backup.cfg"] = b"#\nsysname backup\nreturn\n"
    conns = {name: cli_lab.netmiko(name) for name in PLATFORM}
    yield conns
    for conn in conns.values():
        conn.disconnect()


def _parse(conns: dict[str, Any], name: str, command: str) -> Rows:
    output = conns[name].send_command(command)
    rows: Rows = parse_output(platform=PLATFORM[name], command=command, data=output)
    assert rows, f"{command!r} on {name} parsed to nothing:\n{output}"
    return rows


def _states(lab: Lab, name: str) -> list[InterfaceState]:
    return lab.network.interface_states(lab.device(name))


def _short(name: str, interface: str) -> str:
    return get_dialect(DIALECT[name]).short(interface)


def _vrp_phy(st: InterfaceState) -> tuple[str, str]:
    phy = ("up" if st.oper_up else "down") if st.admin_up else "*down"
    protocol = ("up(s)" if st.name.startswith(("LoopBack", "NULL")) else "up") if st.oper_up else "down"
    return phy, protocol


def _neighbors(lab: Lab, name: str) -> dict[str, tuple[str, str]]:
    return {
        local: (peer.hostname(), port) for local, peer, port in lab.network.lldp_neighbors(lab.device(name))
    }


# ----------------------------------------------------------------------------------- checks
def check_vrp_version(lab: Lab, name: str, rows: Rows) -> None:
    spec = lab.device(name).spec
    assert rows[0]["model"].split()[0] == spec.model
    assert rows[0]["product_version"].split()[-1] == spec.os_version
    assert rows[0]["vrp_version"] == ("5.170" if name == "HW5" else "8.180")


def check_vrp_brief(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["interface"]: (r["phy"], r["protocol"]) for r in rows} == {
        st.name: _vrp_phy(st) for st in _states(lab, name)
    }


def check_vrp_interface(lab: Lab, name: str, rows: Rows) -> None:
    parsed = {r["interface"]: r for r in rows}
    assert set(parsed) == {st.name for st in _states(lab, name)}
    for st in _states(lab, name):
        row = parsed[st.name]
        assert row["interface_description"] == st.description
        assert row["ip_address"] == (st.ipv4[0].with_prefixlen if st.ipv4 else "")
        assert row["link_status"].split(" (")[0] == (
            "UP" if st.oper_up else "Administratively DOWN" if not st.admin_up else "DOWN"
        )
        if not st.name.startswith(("LoopBack", "NULL")):
            assert row["mac_address"] == mac_dashed(st.mac)


def check_vrp_lldp(lab: Lab, name: str, rows: Rows) -> None:
    found = {
        r["local_interface"]: (r["neighbor_name"], r["neighbor_port_id"]) for r in rows if r["neighbor_name"]
    }
    expected = {
        local: (host, port if not host.startswith("ISR") else _short("ISR1", port))
        for local, (host, port) in _neighbors(lab, name).items()
    }
    assert found == expected and found


def check_vrp_descriptions(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["interface"]: r["description"] for r in rows} == {
        _short(name, st.name): st.description for st in _states(lab, name)
    }


def check_vrp_dir(lab: Lab, name: str, rows: Rows) -> None:
    assert sorted(r["file_name"] for r in rows) == sorted(lab.device(name).files)
    assert {r["size"].replace(",", "") for r in rows} == {
        str(len(d)) for d in lab.device(name).files.values()
    }


def check_cmw_brief(lab: Lab, name: str, rows: Rows) -> None:
    parsed = {r["interface"]: r for r in rows}
    for st in _states(lab, name):
        row = parsed[_short(name, st.name)]
        assert row["link"] == ("ADM" if not st.admin_up else "UP" if st.oper_up else "DOWN")
        if st.ipv4:
            assert row["main_ip"] == str(st.ipv4[0].ip)
    assert len(parsed) == len(_states(lab, name))


def check_cmw_interface(lab: Lab, name: str, rows: Rows) -> None:
    parsed = {r["interface"]: r for r in rows}
    assert set(parsed) == {st.name for st in _states(lab, name)}
    for st in _states(lab, name):
        row = parsed[st.name]
        assert row["ip_address"] == [a.with_prefixlen for a in st.ipv4]
        assert row["description"] == (st.description or f"{st.name} Interface")
        assert row["protocol_status"] == ("UP" if st.oper_up else "DOWN")


def check_cmw_ip(lab: Lab, name: str, rows: Rows) -> None:
    expected = {st.name: [a.with_prefixlen for a in st.ipv4] for st in _states(lab, name) if st.ipv4}
    assert {r["interface"]: r["ip_address"] for r in rows if r["ip_address"]} == expected


def check_cmw_lldp(lab: Lab, name: str, rows: Rows) -> None:
    expected = {
        local: (host, port if not host.startswith("ISR") else _short("ISR1", port))
        for local, (host, port) in _neighbors(lab, name).items()
    }
    local = [(r["local_interface"], (r["neighbor_name"], r["neighbor_interface"])) for r in rows]
    assert {get_dialect("comware7").short(k): v for k, v in expected.items()} == {
        _short(name, k): v for k, v in local
    }


def check_cmw_manuinfo(lab: Lab, name: str, rows: Rows) -> None:
    slots = [r for r in rows if r["slot_type"] == "Slot"]
    assert slots[0]["device_serial_number"] == lab.device(name).spec.serial
    assert slots[0]["device_name"] == lab.device(name).spec.model


def check_ios_version(lab: Lab, name: str, rows: Rows) -> None:
    spec = lab.device(name).spec
    assert rows[0]["version"] == spec.os_version
    assert rows[0]["hostname"] == lab.device(name).hostname()
    assert rows[0]["hardware"] == [spec.model] and rows[0]["serial"] == [spec.serial]


def check_ios_interfaces(lab: Lab, name: str, rows: Rows) -> None:
    parsed = {r["interface"]: r for r in rows}
    for st in _states(lab, name):
        row = parsed[st.name]
        assert row["link_status"] == (
            "administratively down" if not st.admin_up else "up" if st.oper_up else "down"
        )
        assert row["description"] == st.description
        assert row["ip_address"] == (str(st.ipv4[0].ip) if st.ipv4 else "")
        if not st.name.startswith("Loopback"):
            assert row["mac_address"] == mac_dotted(st.mac)


def check_ios_ip_brief(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["interface"]: r["ip_address"] for r in rows} == {
        st.name: str(st.ipv4[0].ip) if st.ipv4 else "unassigned" for st in _states(lab, name)
    }


def check_ios_ip(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["interface"]: r["ip_address"] for r in rows} == {
        st.name: [str(a.ip) for a in st.ipv4] for st in _states(lab, name)
    }


def check_ios_ipv6_brief(lab: Lab, name: str, rows: Rows) -> None:
    parsed = {r["interface"]: r["ipv6_address"] for r in rows}
    for st in _states(lab, name):
        globals_ = [str(a.ip).upper() for a in st.ipv6]
        assert (
            parsed[st.name][-len(globals_) :] == globals_ if globals_ else parsed[st.name] == ["unassigned"]
        )


def check_ios_lldp_detail(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["local_interface"]: (r["neighbor_name"], r["neighbor_port_id"]) for r in rows} == {
        _short(name, local): value for local, value in _neighbors(lab, name).items()
    }


def check_ios_lldp(lab: Lab, name: str, rows: Rows) -> None:
    assert {r["local_interface"]: r["neighbor_name"] for r in rows} == {
        _short(name, local): host for local, (host, _port) in _neighbors(lab, name).items()
    }


def check_ios_archive(lab: Lab, name: str, rows: Rows) -> None:
    assert rows[0]["state"] == "not enabled"


CASES: list[tuple[str, str, Callable[[Lab, str, Rows], None]]] = [
    ("HW5", "display version", check_vrp_version),
    ("HW5", "display interface brief", check_vrp_brief),
    ("HW5", "display interface", check_vrp_interface),
    ("HW5", "display lldp neighbor", check_vrp_lldp),
    ("HW5", "display interface description", check_vrp_descriptions),
    ("HW5", "dir", check_vrp_dir),
    ("HW8", "display version", check_vrp_version),
    ("HW8", "display interface brief", check_vrp_brief),
    ("HW8", "display interface", check_vrp_interface),
    ("HW8", "display lldp neighbor", check_vrp_lldp),
    ("HW8", "dir", check_vrp_dir),
    ("H3C7", "display interface brief", check_cmw_brief),
    ("H3C7", "display interface", check_cmw_interface),
    ("H3C7", "display ip interface", check_cmw_ip),
    ("H3C7", "display lldp neighbor-information verbose", check_cmw_lldp),
    ("H3C7", "display lldp neighbor-information list", check_cmw_lldp),
    ("H3C7", "display device manuinfo", check_cmw_manuinfo),
    ("ISR1", "show version", check_ios_version),
    ("ISR1", "show interfaces", check_ios_interfaces),
    ("ISR1", "show ip interface brief", check_ios_ip_brief),
    ("ISR1", "show ip interface", check_ios_ip),
    ("ISR1", "show ipv6 interface brief", check_ios_ipv6_brief),
    ("ISR1", "show lldp neighbors detail", check_ios_lldp_detail),
    ("ISR1", "show lldp neighbors", check_ios_lldp),
    ("ISR1", "show archive", check_ios_archive),
]


@pytest.mark.parametrize(("name", "command", "check"), CASES, ids=[f"{n}:{c}" for n, c, _ in CASES])
def test_template_parses_to_model(
    cli_lab: Lab, sessions: dict[str, Any], name: str, command: str, check: Callable[[Lab, str, Rows], None]
) -> None:
    check(cli_lab, name, _parse(sessions, name, command))


def test_netmiko_textfsm_mapping(cli_lab: Lab, sessions: dict[str, Any]) -> None:
    """netmiko's own ``use_textfsm`` picks the same templates for the mapped platforms."""
    rows = sessions["HW8"].send_command("display interface brief", use_textfsm=True)
    assert {r["interface"] for r in rows} == {st.name for st in _states(cli_lab, "HW8")}
    rows = sessions["H3C7"].send_command("display interface brief", use_textfsm=True)
    assert {r["interface"] for r in rows} == {_short("H3C7", st.name) for st in _states(cli_lab, "H3C7")}
    rows = sessions["ISR1"].send_command("show ip interface brief", use_textfsm=True)
    assert {r["interface"] for r in rows} == {st.name for st in _states(cli_lab, "ISR1")}
