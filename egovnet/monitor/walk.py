"""Multi-column GETBULK: scalars and the columns of several tables in as few PDUs as possible.

One request carries the scalars as non-repeaters and every column still being walked as repeaters
(research note snmp.md section 6.1: multi-column GETBULK, maxrep sized to the response budget). Two
things keep the varbind count, which is what costs CPU on both ends, close to the data:

* max-repetitions is the profile's varbind budget divided by the columns still open, and no more
  than the rows the smallest open table had last cycle plus one (the extra row proves its end). A
  GETBULK repeats every column the same number of times, so asking a 1-row CPU table and a 30-row
  interface table for 31 rows each wastes 30 varbinds per CPU column; instead the small tables end
  in the first PDU and the next PDU carries the large one alone. Without last cycle's sizes (first
  poll), max-repetitions starts at 8 and doubles per PDU;
* a column is dropped from the next request as soon as it leaves its subtree.

The loop is bounded (PDUs and rows) and refuses an agent whose OIDs stop increasing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from egovnet.monitor.snmp import END, OID, SnmpClient, SnmpError, Value

MAX_PDUS = 2000
MAX_ROWS = 100_000
INITIAL_REPETITIONS = 8


@dataclass
class WalkResult:
    """What one device answered.

    Attributes:
        scalars: requested scalar instance -> value (:data:`END` when the agent has none).
        columns: column OID -> {index suffix -> value}.
        varbinds: varbinds received (the poller's cost measure).
        pdus: requests sent.
    """

    scalars: dict[OID, Value] = field(default_factory=dict)
    columns: dict[OID, dict[OID, Value]] = field(default_factory=dict)
    varbinds: int = 0
    pdus: int = 0


def _max_repetitions(
    budget: int,
    open_columns: Sequence[OID],
    hints: Mapping[OID, int],
    fetched: Mapping[OID, int],
    round_trip: int,
) -> int:
    by_budget = max(1, budget // len(open_columns))
    wanted = [hints[c] - fetched[c] + 1 for c in open_columns if c in hints]
    if len(wanted) == len(open_columns):
        return max(1, min(by_budget, *wanted))
    # Sizes unknown (first poll): start small and double, so a 1-row table costs a few spare varbinds.
    return min(by_budget, INITIAL_REPETITIONS << min(round_trip, 10))


async def _get_scalars(client: SnmpClient, target: str, scalars: Sequence[OID], budget: int) -> WalkResult:
    result = WalkResult()
    for start in range(0, len(scalars), budget):
        chunk = scalars[start : start + budget]
        answers = await client.get(target, chunk)
        result.pdus += 1
        result.varbinds += len(answers)
        for oid, (name, value) in zip(chunk, answers, strict=False):
            result.scalars[oid] = value if name == oid else END
    return result


async def collect(
    client: SnmpClient,
    target: str,
    scalars: Sequence[OID],
    columns: Sequence[OID],
    budget: int,
    hints: Mapping[OID, int] | None = None,
) -> WalkResult:
    """Read ``scalars`` (instances, e.g. ``sysUpTime.0``) and walk ``columns`` of ``target``.

    Arguments:
        budget: the most varbinds one response may carry (from the plan).
        hints: rows each column had last time (sizes max-repetitions; optional).

    Raises:
        SnmpError: the device did not answer, refused the credentials, or answered nonsense.
    """
    if not columns:
        return await _get_scalars(client, target, scalars, budget)
    hints = hints or {}
    if len(scalars) >= budget:  # too many scalars to ride along as non-repeaters
        result = await _get_scalars(client, target, scalars, budget)
        scalars = []
    else:
        result = WalkResult()
    result.columns = {column: {} for column in columns}
    cursors: dict[OID, OID] = {column: column for column in columns}
    fetched = dict.fromkeys(columns, 0)
    # A GETBULK non-repeater answers the *next* OID: ask for the object, expect its instance back.
    pending = list(scalars)
    rows = round_trip = 0
    while cursors:
        if result.pdus >= MAX_PDUS or rows >= MAX_ROWS:
            raise SnmpError("error", f"walk stopped after {result.pdus} requests / {rows} values")
        open_columns = list(cursors)
        repetitions = _max_repetitions(budget - len(pending), open_columns, hints, fetched, round_trip)
        round_trip += 1
        request = [oid[:-1] for oid in pending] + [cursors[c] for c in open_columns]
        answers = await client.bulk(target, len(pending), repetitions, request)
        result.pdus += 1
        result.varbinds += len(answers)
        for oid, (name, value) in zip(pending, answers, strict=False):
            result.scalars[oid] = value if name == oid else END
        repeated = answers[len(pending) :]
        pending = []
        if not repeated:
            raise SnmpError("error", "GETBULK answered no repetitions")
        finished: set[OID] = set()
        width = len(open_columns)
        for position, (name, value) in enumerate(repeated):
            column = open_columns[position % width]
            if column in finished:
                continue
            if value is END or name[: len(column)] != column:
                finished.add(column)
                continue
            if name <= cursors[column]:
                raise SnmpError("error", f"agent returned non-increasing OID {'.'.join(map(str, name))}")
            cursors[column] = name
            result.columns[column][name[len(column) :]] = value
            fetched[column] += 1
            rows += 1
        for column in finished:
            del cursors[column]
    return result


async def get_instances(
    client: SnmpClient,
    target: str,
    wanted: Sequence[tuple[OID, OID]],
    budget: int,
    into: WalkResult,
    clock: OID | None = None,
) -> None:
    """GET (column, index) instances in PDUs of at most ``budget`` varbinds, adding them to ``into``.

    ``clock`` (sysUpTime.0) rides in the first PDU and replaces the walk's reading, so counters and
    the time they are divided by come from the same instant of the agent.
    """
    room = max(1, budget - 1) if clock is not None else budget
    for start in range(0, len(wanted), room):
        chunk = wanted[start : start + room]
        extra = [clock] if clock is not None and start == 0 else []
        answers = await client.get(target, extra + [column + index for column, index in chunk])
        into.pdus += 1
        into.varbinds += len(answers)
        if extra and answers and answers[0][0] == clock:
            into.scalars[clock] = answers[0][1]
        for (column, index), (name, value) in zip(chunk, answers[len(extra) :], strict=False):
            if value is not END and name == column + index:
                into.columns.setdefault(column, {})[index] = value
