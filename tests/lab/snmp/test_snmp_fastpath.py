"""The agent's fast path serves what its pysnmp path serves, and the monitor's own SNMPv3 codec reads
the pysnmp path (so neither own codec is only ever checked against the other).

A second twin runs with ``fast_path=False`` (every request through pysnmp); net-snmp's snmpbulkwalk
reads both agents, and the monitor's native v3 client reads the pysnmp-only one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import pytest
from snmp_twin import ADDRESSES, CREDENTIALS, PORT, V3, AgentThread, build_twin, walk

from egovnet.monitor.snmp import Endpoint, SnmpAuth, SnmpClient, SnmpError, Value
from egovnet.monitor.walk import collect

IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
ENGINE_GROUP = (1, 3, 6, 1, 6, 3, 10, 2, 1)
STATIC_IF_COLUMNS = (1, 2, 3, 4, 5, 6, 7, 8)  # index .. ifOperStatus: no counters, no clock
MONITOR_V3 = SnmpAuth(3, "", CREDENTIALS.user, "sha", CREDENTIALS.auth_key, "aes128", CREDENTIALS.priv_key)


@pytest.fixture(scope="module")
def pysnmp_only() -> Iterator[AgentThread]:
    """The same twin served with every request through pysnmp (no fast path), on another port."""
    runner = AgentThread(build_twin(), port=PORT + 300, fast_path=False)
    yield runner
    runner.stop()


@pytest.mark.parametrize("auth", [None, V3], ids=["v2c", "v3-authPriv"])
@pytest.mark.parametrize("device", ["core-01", "wlc-01", "olt-01"])
def test_fast_path_serves_what_pysnmp_serves(
    agent: AgentThread, pysnmp_only: AgentThread, device: str, auth: list[str] | None
) -> None:
    fast = walk(device, "1.3.6.1", auth=auth)
    slow = walk(device, "1.3.6.1", auth=auth, port=pysnmp_only.port)
    assert [name for name, _ in fast] == [name for name, _ in slow] and len(fast) > 50
    for (name, ours), (_, theirs) in zip(fast, slow, strict=True):
        # Counters and clocks move between the two walks (and the twins booted apart): same type.
        # Each agent has its own engine, hence its own snmpEngineID.
        assert type(ours) is type(theirs), name
        if not isinstance(ours, int) and name[: len(ENGINE_GROUP)] != ENGINE_GROUP:
            assert ours == theirs, name


def _read(agent: AgentThread, auth: SnmpAuth, skew_s: int = 0) -> dict[tuple[int, ...], Value]:
    columns = [(*IF_ENTRY, number) for number in STATIC_IF_COLUMNS]

    async def go() -> dict[tuple[int, ...], Value]:
        client = SnmpClient()
        client.register([Endpoint("core-01", ADDRESSES["core-01"], agent.port, auth, 2.0, 1)])
        try:
            result = await collect(client, "core-01", [], columns, 40)
            if skew_s:  # the agent "rebooted" or our estimate drifted: the next request must resync
                clock = client.v3.clocks[(ADDRESSES["core-01"], agent.port)]
                synchronised = clock.now()
                clock.engine_time += skew_s
                result = await collect(client, "core-01", [], columns, 40)
                assert abs(clock.now() - synchronised) <= 5  # learned again from the agent's report
        finally:
            client.close()
        return {c + index: value for c, rows in result.columns.items() for index, value in rows.items()}

    return asyncio.run(go())


@pytest.mark.parametrize("skew_s", [0, 1000], ids=["in-time", "resync-after-time-skew"])
def test_monitor_v3_codec_reads_the_pysnmp_agent(pysnmp_only: AgentThread, skew_s: int) -> None:
    polled = _read(pysnmp_only, MONITOR_V3, skew_s)
    walked = dict(walk("core-01", "1.3.6.1.2.1.2.2.1", auth=V3, port=pysnmp_only.port))
    expected = {name: value for name, value in walked.items() if name[len(IF_ENTRY)] in STATIC_IF_COLUMNS}
    expected = {n: v.encode() if isinstance(v, str) else v for n, v in expected.items()}
    assert polled == expected and len(polled) > 8


def test_monitor_v3_codec_names_a_wrong_key(pysnmp_only: AgentThread, agent: AgentThread) -> None:
    for served in (pysnmp_only, agent):
        with pytest.raises(SnmpError) as caught:
            _read(served, replace(MONITOR_V3, auth_key="not-the-key-1"))
        assert caught.value.kind == "auth" and "wrong digest" in caught.value.reason
