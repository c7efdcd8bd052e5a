"""The pysnmp 7 asyncio manager (what egovnet's monitor uses) reads the same values as net-snmp."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pysnmp.hlapi.v3arch.asyncio import (
    USM_AUTH_HMAC96_SHA,
    USM_PRIV_CFB128_AES,
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    bulk_walk_cmd,
    get_cmd,
)
from snmp_twin import ADDRESSES, CREDENTIALS, PORT, AgentThread, walk

from egovnet.lab.model import LabNetwork

AUTHS = {
    "v2c": CommunityData(CREDENTIALS.community),
    "v3": UsmUserData(
        CREDENTIALS.user,
        CREDENTIALS.auth_key,
        CREDENTIALS.priv_key,
        authProtocol=USM_AUTH_HMAC96_SHA,
        privProtocol=USM_PRIV_CFB128_AES,
    ),
}
STATIC_COLUMNS = (
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.2.2.1.8",
    "1.3.6.1.2.1.31.1.1.1.15",
    "1.3.6.1.2.1.4.34.1.3",
    "1.0.8802.1.1.2.1.4.1.1.9",
)


async def _get(device: str, auth: Any, *oids: str) -> dict[tuple[int, ...], Any]:
    engine = SnmpEngine()
    try:
        target = await UdpTransportTarget.create((ADDRESSES[device], PORT), timeout=2, retries=1)
        error, status, _, var_binds = await get_cmd(
            engine,
            auth,
            target,
            ContextData(),
            *(ObjectType(ObjectIdentity(o)) for o in oids),
            lookupMib=False,
        )
        assert error is None and not status, (error, status)
        return {tuple(name): value for name, value in var_binds}
    finally:
        engine.close_dispatcher()


async def _bulk_walk(device: str, auth: Any, root: str) -> list[tuple[tuple[int, ...], Any]]:
    engine = SnmpEngine()
    rows: list[tuple[tuple[int, ...], Any]] = []
    try:
        target = await UdpTransportTarget.create((ADDRESSES[device], PORT), timeout=2, retries=1)
        async for error, status, _, var_binds in bulk_walk_cmd(
            engine,
            auth,
            target,
            ContextData(),
            0,
            25,
            ObjectType(ObjectIdentity(root)),
            lexicographicMode=False,
            lookupMib=False,
        ):
            assert error is None and not status, (error, status)
            rows.extend((tuple(name), value) for name, value in var_binds)
            assert len(rows) < 10_000
    finally:
        engine.close_dispatcher()
    return rows


def plain(value: Any) -> Any:
    """A pysnmp value as net-snmp's parsed output has it (bytes, int or OID tuple)."""
    if hasattr(value, "asOctets"):
        return value.asOctets()
    if hasattr(value, "asTuple"):
        return value.asTuple()
    return int(value)


@pytest.mark.parametrize("auth", AUTHS.values(), ids=AUTHS.keys())
@pytest.mark.parametrize("device", ["core-01", "agg-01"])
def test_bulk_walk_matches_net_snmp(agent: AgentThread, device: str, auth: Any) -> None:
    for root in STATIC_COLUMNS:
        ours = asyncio.run(_bulk_walk(device, auth, root))
        theirs = walk(device, root)
        assert ours, root
        assert [(name, plain(value)) for name, value in ours] == theirs


@pytest.mark.parametrize("auth", AUTHS.values(), ids=AUTHS.keys())
def test_get_system_group_matches_model(agent: AgentThread, twin: LabNetwork, auth: Any) -> None:
    values = asyncio.run(
        _get(
            "wlc-01",
            auth,
            "1.3.6.1.2.1.1.5.0",
            "1.3.6.1.2.1.1.2.0",
            "1.3.6.1.2.1.1.3.0",
            "1.3.6.1.4.1.99999.2.1.1.1.0",
        )
    )
    name, object_id, uptime, ap_total = values.values()
    assert name.asOctets() == twin.devices["wlc-01"].hostname().encode()
    assert str(object_id) == "1.3.6.1.4.1.2011.2.23.594"
    assert 0 <= int(uptime) <= twin.devices["wlc-01"].uptime() * 100 + 1
    assert int(ap_total) == 3


def test_counter64_type_survives(agent: AgentThread, twin: LabNetwork) -> None:
    index = twin.devices["core-01"].ifindex["GE1/0/1"]
    values = asyncio.run(
        _get("core-01", AUTHS["v2c"], f"1.3.6.1.2.1.31.1.1.1.6.{index}", f"1.3.6.1.2.1.2.2.1.10.{index}")
    )
    hc, low = values.values()
    assert type(hc).__name__ == "Counter64" and type(low).__name__ == "Counter32"
    assert int(low) == int(hc) % 2**32


async def _bulk(device: str, non_repeaters: int, max_repetitions: int, *oids: str) -> list[tuple[Any, Any]]:
    engine = SnmpEngine()
    try:
        target = await UdpTransportTarget.create((ADDRESSES[device], PORT), timeout=2, retries=1)
        error, status, _, var_binds = await bulk_cmd(
            engine,
            AUTHS["v2c"],
            target,
            ContextData(),
            non_repeaters,
            max_repetitions,
            *(ObjectType(ObjectIdentity(o)) for o in oids),
            lookupMib=False,
        )
        assert error is None and not status, (error, status)
        return [(tuple(name), value) for name, value in var_binds]
    finally:
        engine.close_dispatcher()


def test_multi_column_getbulk_like_the_poller(agent: AgentThread, twin: LabNetwork) -> None:
    """sysUpTime as non-repeater plus six IF-MIB columns, maxrep 50: one PDU, rows in order."""
    columns = (
        "1.3.6.1.2.1.2.2.1.2",
        "1.3.6.1.2.1.2.2.1.8",
        "1.3.6.1.2.1.31.1.1.1.6",
        "1.3.6.1.2.1.31.1.1.1.10",
        "1.3.6.1.2.1.31.1.1.1.15",
        "1.3.6.1.2.1.31.1.1.1.18",
    )
    var_binds = asyncio.run(_bulk("core-01", 1, 50, "1.3.6.1.2.1.1.3", *columns))  # GETNEXT semantics
    assert var_binds[0][0] == (1, 3, 6, 1, 2, 1, 1, 3, 0)
    # 256 varbinds at most per response: 1 + 6 x 42 repetitions
    assert len(var_binds) == 1 + 6 * (256 // 6)
    interfaces = [s.ifindex for s in agent.run(twin.interface_states, twin.devices["core-01"])]
    for repetition, index in enumerate(interfaces):
        row = var_binds[1 + 6 * repetition : 1 + 6 * (repetition + 1)]
        assert [name for name, _ in row] == [(*map(int, c.split(".")), index) for c in columns]


def test_getbulk_stops_at_the_end_of_the_mib(agent: AgentThread) -> None:
    var_binds = asyncio.run(_bulk("core-01", 0, 50, "1.3.6.1.6.3.10.2.1.3.0"))
    assert [name for name, _ in var_binds[:1]] == [(1, 3, 6, 1, 6, 3, 10, 2, 1, 4, 0)]
    assert len(var_binds) == 2 and type(var_binds[1][1]).__name__ == "EndOfMibView"
