"""The poll cycle: every target, concurrently within a limit, each through its profile's modules.

Per device and cycle: one multi-column GETBULK stream (:mod:`egovnet.monitor.walk`) for the fast
objects, plus the slow ones when they are due. Slow objects (names, speeds, addresses, subscriber
mixes) are polled every ``slow_every`` cycles, staggered by device so no cycle carries them all, and
again after an agent restart; between polls their last values are reused. Counter state, row counts
(for max-repetitions) and the slow cache live in :class:`DeviceState`, one per device, which the
caller may persist so a restarted monitor keeps computing rates.

A device that fails is reported with its health and reason and contributes no values; its slow cache
is kept. No single device can hold the cycle: each has a deadline.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from egovnet.monitor.metrics import DeviceMetrics, Health, Snapshot, Status, catalog
from egovnet.monitor.plan import PlanProfile, PollPlan
from egovnet.monitor.profiles import ModuleDef
from egovnet.monitor.rates import Clock, Discard, Interval, interval
from egovnet.monitor.rows import CounterBook, build_rows, scalar_values
from egovnet.monitor.snmp import END, OID, SnmpClient, SnmpError, Value, oid_of
from egovnet.monitor.targets import Target
from egovnet.monitor.walk import WalkResult, collect, get_instances

SYS_UPTIME = oid_of("1.3.6.1.2.1.1.3.0")
DEFAULT_CONCURRENCY = 50
DEVICE_DEADLINE_S = 60.0

_STATUS = {"timeout": Status.TIMEOUT, "auth": Status.AUTH_ERROR, "error": Status.ERROR}


@dataclass
class DeviceState:
    """What the poller remembers about one device between cycles.

    Attributes:
        clock: sysUpTime and wall time of the last successful poll.
        counters: raw counter values of the last poll (key: table:index:metric).
        slow_scalars / slow_columns: the last values of slow objects.
        rows: rows each column had when last walked (sizes max-repetitions).
        slow_due: force the slow objects next time (first poll, after a restart or a failed slow poll).
    """

    clock: Clock | None = None
    counters: dict[str, int] = field(default_factory=dict)
    slow_scalars: dict[OID, Value] = field(default_factory=dict)
    slow_columns: dict[OID, dict[OID, Value]] = field(default_factory=dict)
    rows: dict[OID, int] = field(default_factory=dict)
    slow_due: bool = True

    def to_json(self) -> dict[str, Any]:
        """The part worth persisting across monitor restarts: counters and their clock."""
        clock = None if self.clock is None else [self.clock.uptime_ticks, self.clock.wall]
        return {"clock": clock, "counters": self.counters}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeviceState:
        """Restore counters (the slow cache is re-polled: a restart may follow a re-numbering)."""
        clock = data.get("clock")
        return cls(
            clock=Clock(int(clock[0]), float(clock[1])) if clock else None,
            counters={str(k): int(v) for k, v in dict(data.get("counters", {})).items()},
        )


@dataclass(frozen=True)
class ActiveGroup:
    """Columns read only for rows in use: the status column, its in-use values, the scoped columns."""

    status: OID
    values: frozenset[int]
    columns: tuple[OID, ...]

    def instances(self, walked: Mapping[OID, Mapping[OID, Value]]) -> list[tuple[OID, OID]]:
        """(column, index) of every scoped column for every row whose status is in use now."""
        rows = [index for index, value in walked.get(self.status, {}).items() if value in self.values]
        return [(column, index) for index in rows for column in self.columns]


@dataclass(frozen=True)
class PollSpec:
    """A profile's objects split by cadence, as OIDs (computed once per profile)."""

    modules: tuple[ModuleDef, ...]
    fast_scalars: tuple[OID, ...]
    slow_scalars: tuple[OID, ...]
    fast_columns: tuple[OID, ...]
    slow_columns: tuple[OID, ...]
    active: tuple[ActiveGroup, ...] = ()

    @classmethod
    def of(cls, plan: PollPlan, profile: PlanProfile) -> PollSpec:
        """Collect the OIDs of every module of ``profile``; sysUpTime is always fast (the rate clock)."""
        modules = tuple(plan.modules_of(profile))
        scalars: dict[str, list[OID]] = {"fast": [SYS_UPTIME], "slow": []}
        columns: dict[str, list[OID]] = {"fast": [], "slow": []}
        active: list[ActiveGroup] = []
        for module in modules:
            for scalar in module.scalars:
                oid = oid_of(scalar.oid)
                if oid not in scalars["fast"]:
                    scalars[scalar.cadence].append(oid)
            for table in module.tables:
                for lookup in table.lookups:
                    columns[lookup.cadence].append(oid_of(lookup.oid))
                for column in table.columns:
                    if column.scope == "all":
                        columns[column.cadence].append(oid_of(column.oid))
                if table.active is not None:
                    status = next(c for c in table.columns if c.metric == table.active.column)
                    scoped = tuple(oid_of(c.oid) for c in table.columns if c.scope == "active")
                    active.append(ActiveGroup(oid_of(status.oid), frozenset(table.active.values), scoped))
        return cls(
            modules,
            tuple(scalars["fast"]),
            tuple(scalars["slow"]),
            tuple(columns["fast"]),
            tuple(columns["slow"]),
            tuple(active),
        )


def columns_walked(spec: PollSpec, slow: bool) -> tuple[OID, ...]:
    """The columns walked this time (GET-read active columns have no row hint)."""
    return spec.fast_columns + (spec.slow_columns if slow else ())


def _slow_turn(name: str, cycle: int, every: int) -> bool:
    """Whether the slow objects of ``name`` are due in ``cycle`` (staggered by a stable hash)."""
    return (cycle + zlib.crc32(name.encode())) % every == 0


def _rcvbuf_errors() -> int | None:
    """UDP receive-buffer drops of this host (``/proc/net/snmp``), ``None`` where unavailable."""
    try:
        with open("/proc/net/snmp", encoding="ascii") as table:
            lines = [line.split() for line in table if line.startswith("Udp:")]
    except OSError:
        return None
    if len(lines) < 2 or "RcvbufErrors" not in lines[0]:
        return None
    return int(lines[1][lines[0].index("RcvbufErrors")])


class Poller:
    """Polls a set of targets, cycle after cycle, keeping per-device state between cycles.

    Example::

        poller = Poller(plan, targets)
        snapshot = await poller.cycle()
        ...
        poller.close()
    """

    def __init__(
        self,
        plan: PollPlan,
        targets: Iterable[Target],
        concurrency: int = DEFAULT_CONCURRENCY,
        states: Mapping[str, DeviceState] | None = None,
        unpolled: Mapping[str, str] | None = None,
    ) -> None:
        self.plan = plan
        self.targets = list(targets)
        self.concurrency = max(1, concurrency)
        self.states: dict[str, DeviceState] = dict(states or {})
        self.unpolled = dict(unpolled or {})
        self.catalog = catalog(plan)
        self.cycles = 0
        self.rcvbuf_errors = 0
        self._specs: dict[str, PollSpec] = {}
        self._client: SnmpClient | None = None

    def _spec(self, profile: PlanProfile) -> PollSpec:
        if profile.name not in self._specs:
            self._specs[profile.name] = PollSpec.of(self.plan, profile)
        return self._specs[profile.name]

    def _client_ready(self) -> SnmpClient:
        if self._client is None:
            self._client = SnmpClient()
            self._client.register(t.endpoint for t in self.targets if t.endpoint is not None)
        return self._client

    async def cycle(self) -> Snapshot:
        """Poll every target once and return the snapshot."""
        client = self._client_ready()
        self.cycles += 1
        cycle = self.cycles
        started, clock = time.time(), time.perf_counter()
        drops_before = _rcvbuf_errors()
        gate = asyncio.Semaphore(self.concurrency)

        async def one(target: Target) -> DeviceMetrics:
            async with gate:
                return await self.poll_device(client, target, cycle)

        results = await asyncio.gather(*(one(t) for t in self.targets))
        drops_after = _rcvbuf_errors()
        if drops_before is not None and drops_after is not None:
            self.rcvbuf_errors = drops_after - drops_before
        return Snapshot(
            cycle=cycle,
            started=started,
            seconds=time.perf_counter() - clock,
            devices={m.device: m for m in results},
            catalog=self.catalog,
            unpolled=self.unpolled,
        )

    async def poll_device(self, client: SnmpClient, target: Target, cycle: int) -> DeviceMetrics:
        """One device, one cycle: walk, then convert (never raises for a device's failure)."""
        metrics = DeviceMetrics(target.name, target.profile.name, target.labels, Health(Status.UP))
        if target.endpoint is None:
            metrics.health = Health(Status.CONFIG_ERROR, target.error or "no SNMP credentials")
            return metrics
        spec = self._spec(target.profile)
        state = self.states.setdefault(target.name, DeviceState())
        slow = state.slow_due or _slow_turn(target.name, cycle, target.profile.slow_every)
        scalars = spec.fast_scalars + (spec.slow_scalars if slow else ())
        columns = spec.fast_columns + (spec.slow_columns if slow else ())
        begun = time.perf_counter()
        try:
            walk = await asyncio.wait_for(
                self._read(client, target, spec, scalars, columns, state), DEVICE_DEADLINE_S
            )
        except SnmpError as exc:
            metrics.health = Health(_STATUS[exc.kind], exc.reason, time.perf_counter() - begun, slow=slow)
            state.slow_due = state.slow_due or slow
            return metrics
        except TimeoutError:
            reason = f"poll did not finish within {DEVICE_DEADLINE_S:.0f} s"
            metrics.health = Health(Status.TIMEOUT, reason, time.perf_counter() - begun, slow=slow)
            return metrics
        metrics.polled_at = time.time()
        self._convert(target, spec, state, walk, slow, metrics)
        metrics.health.seconds = time.perf_counter() - begun
        metrics.health.varbinds, metrics.health.pdus, metrics.health.slow = walk.varbinds, walk.pdus, slow
        return metrics

    @staticmethod
    async def _read(
        client: SnmpClient,
        target: Target,
        spec: PollSpec,
        scalars: tuple[OID, ...],
        columns: tuple[OID, ...],
        state: DeviceState,
    ) -> WalkResult:
        budget = target.profile.max_varbinds
        walk = await collect(client, target.name, scalars, columns, budget, state.rows)
        wanted = [item for group in spec.active for item in group.instances(walk.columns)]
        if wanted:
            await get_instances(client, target.name, wanted, budget, walk, clock=SYS_UPTIME)
        return walk

    def _convert(
        self,
        target: Target,
        spec: PollSpec,
        state: DeviceState,
        walk: WalkResult,
        slow: bool,
        metrics: DeviceMetrics,
    ) -> None:
        if slow:
            state.slow_scalars = {oid: walk.scalars.get(oid, END) for oid in spec.slow_scalars}
            state.slow_columns = {oid: walk.columns.get(oid, {}) for oid in spec.slow_columns}
            state.slow_due = False
        state.rows.update({oid: len(walk.columns.get(oid, {})) for oid in columns_walked(spec, slow)})
        raw_scalars = {**state.slow_scalars, **walk.scalars}
        raw_columns = {**state.slow_columns, **walk.columns}
        uptime = raw_scalars.get(SYS_UPTIME)
        elapsed = Interval(0.0, Discard.FIRST)
        if isinstance(uptime, int):
            now = Clock(uptime, metrics.polled_at)
            if state.clock is not None:
                elapsed = interval(state.clock, now)
            state.clock = now
        if elapsed.discard is Discard.RESTART:
            metrics.health.restarted = True
            state.slow_due = True  # ifIndexes may have been renumbered: refresh names next cycle
        book = CounterBook(state.counters)
        for module in spec.modules:
            scalar_values(module.scalars, raw_scalars, book, elapsed, metrics.scalars, metrics.info)
            for table in module.tables:
                metrics.tables[table.name] = build_rows(table, raw_columns, book, elapsed, target.links)
        state.counters = book.current
        metrics.health.discards = book.discards

    def close(self) -> None:
        """Release the SNMP engine and its socket."""
        if self._client is not None:
            self._client.close()
            self._client = None
