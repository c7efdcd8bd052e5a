"""Multi-column GETBULK against a scripted agent: values, end of table, request sizes, bad agents."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Sequence

import pytest

from egovnet.monitor.snmp import END, OID, SnmpError, Value, oid_of
from egovnet.monitor.walk import collect, get_instances

IF_OPER = oid_of("1.3.6.1.2.1.2.2.1.8")
IF_ADMIN = oid_of("1.3.6.1.2.1.2.2.1.7")
CPU = oid_of("1.3.6.1.2.1.25.3.3.1.2")
UPTIME = oid_of("1.3.6.1.2.1.1.3.0")
NAME = oid_of("1.3.6.1.2.1.1.5.0")


class ScriptedAgent:
    """An agent over a dict, answering GET and GETBULK as RFC 3416 says, recording every request.

    ``cap`` truncates responses like a size-limited agent; ``stuck`` makes GETNEXT return the same
    OID again (a broken agent).
    """

    def __init__(self, mib: dict[OID, Value], cap: int = 10_000, stuck: bool = False) -> None:
        self.mib = dict(sorted(mib.items()))
        self.keys = list(self.mib)
        self.cap = cap
        self.stuck = stuck
        self.requests: list[tuple[str, int, int, int]] = []

    def _next(self, oid: OID) -> tuple[OID, Value]:
        if self.stuck and oid in self.mib:
            return oid, self.mib[oid]
        position = bisect.bisect_right(self.keys, oid)
        if position == len(self.keys):
            return oid, END
        key = self.keys[position]
        return key, self.mib[key]

    async def get(self, target: str, oids: Sequence[OID]) -> list[tuple[OID, Value]]:
        self.requests.append(("get", 0, 0, len(oids)))
        return [(oid, self.mib.get(oid, END)) for oid in oids]

    async def bulk(
        self, target: str, non_repeaters: int, max_repetitions: int, oids: Sequence[OID]
    ) -> list[tuple[OID, Value]]:
        self.requests.append(("bulk", non_repeaters, max_repetitions, len(oids)))
        answer = [self._next(oid) for oid in oids[:non_repeaters]]
        cursors = list(oids[non_repeaters:])
        for _ in range(max_repetitions):
            row = [self._next(oid) for oid in cursors]
            answer += row
            cursors = [name for name, _ in row]
        return answer[: self.cap]


def _mib(ports: int, cpus: int = 1) -> dict[OID, Value]:
    mib: dict[OID, Value] = {UPTIME: 12345, NAME: b"sw-01"}
    for index in range(1, ports + 1):
        mib[(*IF_ADMIN, index)] = 1
        mib[(*IF_OPER, index)] = 1 if index % 3 else 2
    for cpu in range(1, cpus + 1):
        mib[(*CPU, cpu)] = 10 * cpu
    mib[oid_of("1.3.6.1.2.1.25.3.3.1.3.1")] = 99  # the next column: a walk must stop before it
    return mib


def test_scalars_and_columns_in_one_stream() -> None:
    agent = ScriptedAgent(_mib(30, cpus=2))
    result = asyncio.run(collect(agent, "sw", [UPTIME, NAME], [IF_ADMIN, IF_OPER, CPU], 60))  # type: ignore[arg-type]
    assert result.scalars == {UPTIME: 12345, NAME: b"sw-01"}
    assert result.columns[IF_OPER] == {(i,): (1 if i % 3 else 2) for i in range(1, 31)}
    assert result.columns[CPU] == {(1,): 10, (2,): 20}
    assert result.pdus == len(agent.requests) and result.varbinds > 30 * 2
    nr, reps, width = agent.requests[0][1:]
    assert nr == 2 and width == 5 and 2 + reps * 3 <= 60  # within the budget


def test_row_hints_end_small_tables_first_and_avoid_overshoot() -> None:
    agent = ScriptedAgent(_mib(30, cpus=1))
    hints = {IF_ADMIN: 30, IF_OPER: 30, CPU: 1}
    result = asyncio.run(collect(agent, "sw", [UPTIME], [IF_ADMIN, IF_OPER, CPU], 200, hints))  # type: ignore[arg-type]
    assert len(result.columns[IF_OPER]) == 30
    assert [r[2] for r in agent.requests] == [2, 29]  # 2 rows close the CPU table, then 28 + 1 rows
    assert result.varbinds <= 1 + 3 * 2 + 2 * 30


def test_first_poll_ramps_up_repetitions() -> None:
    agent = ScriptedAgent(_mib(100))
    asyncio.run(collect(agent, "sw", [], [IF_OPER], 200))  # type: ignore[arg-type]
    assert [r[2] for r in agent.requests] == [8, 16, 32, 64]


def test_truncated_responses_lose_nothing() -> None:
    agent = ScriptedAgent(_mib(40, cpus=3), cap=7)  # an agent answering 7 varbinds at most
    result = asyncio.run(collect(agent, "sw", [UPTIME], [IF_ADMIN, IF_OPER, CPU], 60))  # type: ignore[arg-type]
    assert len(result.columns[IF_ADMIN]) == len(result.columns[IF_OPER]) == 40
    assert result.columns[CPU] == {(1,): 10, (2,): 20, (3,): 30}


def test_non_increasing_oids_stop_the_walk() -> None:
    with pytest.raises(SnmpError, match="non-increasing"):
        asyncio.run(collect(ScriptedAgent(_mib(5), stuck=True), "sw", [], [IF_OPER], 10))  # type: ignore[arg-type]


def test_missing_scalar_and_empty_table() -> None:
    agent = ScriptedAgent({UPTIME: 1})
    result = asyncio.run(collect(agent, "x", [UPTIME, NAME], [IF_OPER], 20))  # type: ignore[arg-type]
    assert result.scalars == {UPTIME: 1, NAME: END} and result.columns[IF_OPER] == {}


def test_get_instances_in_chunks() -> None:
    agent = ScriptedAgent(_mib(30))
    result = asyncio.run(collect(agent, "sw", [], [], 5))  # type: ignore[arg-type]
    wanted = [(IF_ADMIN, (i,)) for i in range(1, 13)] + [(IF_ADMIN, (99,))]
    asyncio.run(get_instances(agent, "sw", wanted, 5, result))  # type: ignore[arg-type]
    assert result.columns[IF_ADMIN] == {(i,): 1 for i in range(1, 13)}  # (99,) does not exist
    assert [r[3] for r in agent.requests] == [5, 5, 3]
