"""net-snmp's own tools (snmpget, snmpwalk, snmpbulkwalk) read the model's values from the agent.

The twin must be proved by other people's parsers: every expectation here is computed from the model
(``LabNetwork``), never from the agent's code, and the values travel through real UDP and net-snmp.
"""

from __future__ import annotations

import ipaddress
from itertools import pairwise

import pytest
from snmp_twin import ADDRESSES, END_OF_MIB, V3, AgentThread, get, netsnmp, parse, walk

from egovnet.lab.model import InterfaceState, LabNetwork
from egovnet.platforms import platform

IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
IP_ADDRESS_IFINDEX = (1, 3, 6, 1, 2, 1, 4, 34, 1, 3)
LLDP_REM_ENTRY = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1)

AUTHS = {"v2c": None, "v3-authPriv-SHA-AES": V3}


def states(agent: AgentThread, device: str) -> list[InterfaceState]:
    network = agent.network
    return agent.run(network.interface_states, network.devices[device])


def column(
    rows: list[tuple[tuple[int, ...], object]], entry: tuple[int, ...], number: int
) -> dict[int, object]:
    """{ifIndex: value} of one column of a walk."""
    prefix = (*entry, number)
    return {name[len(prefix)]: value for name, value in rows if name[: len(prefix)] == prefix}


@pytest.mark.parametrize("auth", AUTHS.values(), ids=AUTHS.keys())
@pytest.mark.parametrize("device", ["core-01", "agg-01", "cpe-01"])
def test_if_mib_equals_model(agent: AgentThread, device: str, auth: list[str] | None) -> None:
    before = states(agent, device)
    if_rows = walk(device, "1.3.6.1.2.1.2.2", auth=auth)
    ifx_rows = walk(device, "1.3.6.1.2.1.31.1.1", auth=auth)
    after = states(agent, device)

    assert column(if_rows, IF_ENTRY, 2) == {s.ifindex: s.name.encode() for s in before}
    assert column(if_rows, IF_ENTRY, 7) == {s.ifindex: 1 if s.admin_up else 2 for s in before}
    assert column(if_rows, IF_ENTRY, 8) == {s.ifindex: 1 if s.oper_up else 2 for s in before}
    assert column(if_rows, IF_ENTRY, 5) == {s.ifindex: min(s.speed_mbps * 10**6, 2**32 - 1) for s in before}
    assert column(if_rows, IF_ENTRY, 6) == {s.ifindex: bytes.fromhex(s.mac.replace(":", "")) for s in before}
    assert column(ifx_rows, IFX_ENTRY, 1) == {s.ifindex: s.name.encode() for s in before}
    assert column(ifx_rows, IFX_ENTRY, 15) == {s.ifindex: s.speed_mbps for s in before}
    assert column(ifx_rows, IFX_ENTRY, 18) == {s.ifindex: s.description.encode() for s in before}
    hc_in = column(ifx_rows, IFX_ENTRY, 6)
    assert set(hc_in) == {s.ifindex for s in before}
    for old, new in zip(before, after, strict=True):  # counters move on: bounded by reads before and after
        assert old.in_octets <= hc_in[old.ifindex] <= new.in_octets
    assert any(s.oper_up for s in before) and any(not s.oper_up for s in before)


@pytest.mark.parametrize("auth", AUTHS.values(), ids=AUTHS.keys())
@pytest.mark.parametrize("device", ["core-01", "agg-01", "rtr-01"])
def test_ip_address_table_equals_model(agent: AgentThread, device: str, auth: list[str] | None) -> None:
    rows = walk(device, "1.3.6.1.2.1.4.34", auth=auth)
    served = set()
    for name, value in rows:
        if name[: len(IP_ADDRESS_IFINDEX)] == IP_ADDRESS_IFINDEX:
            family, length, *octets = name[len(IP_ADDRESS_IFINDEX) :]
            assert length == len(octets) == (4 if family == 1 else 16)
            served.add((ipaddress.ip_address(bytes(octets)), value))
    expected = {(address.ip, s.ifindex) for s in states(agent, device) for address in (*s.ipv4, *s.ipv6)}
    assert served == expected
    assert {address.version for address, _ in served} == {4, 6}

    legacy = walk(device, "1.3.6.1.2.1.4.20.1.2", auth=auth)
    assert {(ipaddress.ip_address(bytes(name[-4:])), value) for name, value in legacy} == {
        (address, ifindex) for address, ifindex in expected if address.version == 4
    }


@pytest.mark.parametrize("auth", AUTHS.values(), ids=AUTHS.keys())
@pytest.mark.parametrize("device", ["core-01", "agg-01", "wlc-01"])
def test_lldp_remote_table_equals_model(
    agent: AgentThread, twin: LabNetwork, device: str, auth: list[str] | None
) -> None:
    rows = walk(device, "1.0.8802.1.1.2.1.4.1.1", auth=auth)
    served: dict[int, dict[int, object]] = {}
    for name, value in rows:
        time_mark, local_port, rem_index = name[len(LLDP_REM_ENTRY) + 1 :]
        assert (time_mark, rem_index) == (0, 1)
        served.setdefault(local_port, {})[name[len(LLDP_REM_ENTRY)]] = value

    local = twin.devices[device]
    ifindex = {s.name: s.ifindex for s in states(agent, device)}
    expected = {}
    for local_if, neighbour, remote_if in agent.run(twin.lldp_neighbors, local):
        remote_conf = neighbour.interface_config().get(remote_if)
        expected[ifindex[local_if]] = {
            5: bytes.fromhex(neighbour.spec.ports[0].mac.replace(":", "")),  # lldpRemChassisId
            7: remote_if.encode(),  # lldpRemPortId
            8: ((remote_conf.description if remote_conf else "") or remote_if).encode(),  # lldpRemPortDesc
            9: neighbour.hostname().encode(),  # lldpRemSysName
        }
    assert expected, "the twin must give this device neighbours"
    compared = {port: {k: v for k, v in cols.items() if k in (5, 7, 8, 9)} for port, cols in served.items()}
    assert compared == expected
    assert all(cols[4] == 4 and cols[6] == 5 for cols in served.values())  # MAC / interfaceName subtypes


@pytest.mark.parametrize("device", ["core-01", "agg-01", "rtr-01", "olt-01"])
def test_system_group(agent: AgentThread, twin: LabNetwork, device: str) -> None:
    values = get(device, *(f"1.3.6.1.2.1.1.{n}.0" for n in range(1, 8)))
    lab_device = twin.devices[device]
    spec = lab_device.spec
    base = (1, 3, 6, 1, 2, 1, 1)
    descr = values[(*base, 1, 0)].decode()
    assert spec.model in descr and spec.os_version in descr
    assert values[(*base, 2, 0)] == tuple(int(x) for x in platform(spec.platform).sys_object_id.split("."))
    assert 0 <= values[(*base, 3, 0)] <= lab_device.uptime() * 100 + 1
    assert values[(*base, 5, 0)] == lab_device.hostname().encode()
    configured = {
        "core-01": "Qimen county data centre",
        "agg-01": "祁山镇 township hall",
        "rtr-01": "Township office",
        "olt-01": spec.location,
    }
    assert values[(*base, 6, 0)] == configured[device].encode()
    contact = {"core-01": b"noc@county.example"}.get(device, b"")
    assert values[(*base, 4, 0)] == contact
    assert values[(*base, 7, 0)] == 6


def test_sysuptime_counts_from_the_devices_boot(agent: AgentThread, twin: LabNetwork) -> None:
    device = twin.devices["agg-01"]
    first = get("agg-01", "1.3.6.1.2.1.1.3.0")[(1, 3, 6, 1, 2, 1, 1, 3, 0)]
    agent.run(setattr, device, "boot_time", device.boot_time - 3600)  # as if booted an hour earlier
    try:
        second = get("agg-01", "1.3.6.1.2.1.1.3.0")[(1, 3, 6, 1, 2, 1, 1, 3, 0)]
    finally:
        agent.run(setattr, device, "boot_time", device.boot_time + 3600)
    assert 360_000 <= second - first <= 360_000 + 500


def test_missing_objects_and_instances(agent: AgentThread) -> None:
    values = get(
        "core-01",
        "1.3.6.1.2.1.1.5.1",
        "1.3.6.1.2.1.1.99.0",
        "1.3.6.1.2.1.2.2.1.2.999",
        "1.3.6.1.4.1.99999.2.1.1.1.0",
    )
    assert list(values.values()) == ["noSuchInstance", "noSuchObject", "noSuchInstance", "noSuchObject"]


@pytest.mark.parametrize("device", sorted(ADDRESSES))
def test_full_walk_is_strictly_increasing_and_ends(agent: AgentThread, device: str) -> None:
    done = netsnmp("snmpbulkwalk", device, ".")
    assert done.returncode == 0 and not done.stderr, done.stderr
    records = parse(done.stdout)
    assert records[-1][1] == END_OF_MIB  # the walk ran off the end of the MIB and was told so
    names = [name for name, _ in records[:-1]]
    assert records[-1][0] == names[-1]
    assert all(a < b for a, b in pairwise(names)), "OIDs must strictly increase"
    assert len(names) > 60
    assert names[0][:2] == (1, 0)  # LLDP-MIB (1.0.8802) sorts before mib-2 (1.3.6.1)
    # GETNEXT one by one visits exactly the same instances as GETBULK
    assert [name for name, _ in walk(device, ".", bulk=False)] == names
    # and v3 sees the same tree
    assert [name for name, _ in walk(device, ".", auth=V3)] == names
