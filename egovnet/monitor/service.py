"""One monitor cycle end to end, and the service loop around it (``egovnet monitor once|run``).

A cycle: poll every selected device, evaluate the indicators, record history, evaluate the alert
rules and write their events to the outbox, publish ``/metrics`` and the JSON snapshot. The service
repeats it every interval and keeps the outbox dispatcher running beside it. On SIGINT/SIGTERM the
cycle in progress is abandoned (its devices' state stays consistent: each device is updated at
once), the dispatcher finishes the batch it is sending, and the stores are closed: nothing is lost
and nothing already delivered is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovnet.alerts import AlertStore, Dispatcher, load_config, state_path
from egovnet.alerts.sinks import build_sinks
from egovnet.atomic import write_json
from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.overlay import served
from egovnet.monitor import paths
from egovnet.monitor.alerting import RuleEngine, load_rules
from egovnet.monitor.export import Exported, MetricsServer, snapshot_json
from egovnet.monitor.history import RETENTION_DAYS, History
from egovnet.monitor.indicators import Result, evaluate_all, load_indicators
from egovnet.monitor.metrics import Snapshot
from egovnet.monitor.plan import load_plan
from egovnet.monitor.poller import DEFAULT_CONCURRENCY, Poller
from egovnet.monitor.targets import build_targets

log = logging.getLogger(__name__)


@dataclass
class Options:
    """How to run the monitor (the CLI's options).

    Attributes:
        listen: ``address:port`` for ``/metrics`` (``None``: no exporter).
        snmp_version: force 2 (v2c) or 3 for every device instead of the inventory's choice.
        timeout_s: per-request timeout for every device instead of each profile's.
        deliver: run the outbox dispatcher (``False``: only queue alert events).
    """

    inventory: Path
    limit: str | None = None
    state_dir: Path = Path("var")
    interval_s: float = 60.0
    concurrency: int = DEFAULT_CONCURRENCY
    listen: str | None = None
    alerts_file: Path = field(default_factory=paths.alerts_file)
    indicators_file: Path = field(default_factory=paths.indicators_file)
    plan_file: Path = field(default_factory=paths.plan_file)
    snmp_version: int | None = None
    timeout_s: float | None = None
    deliver: bool = True


@dataclass
class CycleResult:
    """What one cycle produced."""

    snapshot: Snapshot
    indicators: list[Result]
    events: list[dict[str, Any]]

    def status_line(self, firing: int, backlog: int) -> str:
        """The one line per cycle the service prints."""
        snap = self.snapshot
        counts = snap.counts()
        up = counts.get("up", 0)
        problems = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s != "up")
        met = sum(1 for r in self.indicators if r.met)
        measured = sum(1 for r in self.indicators if r.met is not None)
        fired = sum(1 for e in self.events if e["status"] == "firing")
        rate = snap.varbinds / snap.seconds if snap.seconds else 0.0
        return (
            f"cycle {snap.cycle} {time.strftime('%H:%M:%S', time.localtime(snap.started))}: "
            f"{len(snap.devices)} devices, {up} up{', ' + problems if problems else ''}; "
            f"{snap.varbinds:,} varbinds in {snap.seconds:.1f} s ({rate / 1000:.1f}k/s); "
            f"indicators {met}/{measured} met; "
            f"alerts {firing} firing (+{fired} -{len(self.events) - fired}); "
            f"outbox {backlog}"
        )


class Monitor:
    """The monitor's parts, wired once; :meth:`cycle` runs one cycle, :meth:`run` the service."""

    def __init__(self, options: Options, inventory: Inventory | None = None) -> None:
        self.options = options
        self.inventory = inventory or load_inventory(options.inventory)
        self.plan = load_plan(options.plan_file)
        self.indicators = load_indicators(options.indicators_file)
        config = load_config(options.alerts_file)
        self.rules = load_rules(config.rules)
        alert_db = state_path(options.state_dir)
        self.sinks = build_sinks(config.sinks, alert_db.parent) if options.deliver else []
        names = served(self.inventory, select_hosts(self.inventory, options.limit))
        targets, unpolled = build_targets(
            self.inventory, self.plan, names, options.snmp_version, options.timeout_s
        )
        self.history = History(options.state_dir / "monitor" / "history.db")
        self.store = AlertStore(alert_db)
        self.poller = Poller(
            self.plan,
            targets,
            options.concurrency,
            states=self.history.load_states(),
            unpolled={u.name: u.reason for u in unpolled},
        )
        self.engine = RuleEngine(self.rules, self.store)
        self.dispatcher = Dispatcher(self.store, self.sinks)
        self.server: MetricsServer | None = None
        if options.listen:
            address, _, port = options.listen.rpartition(":")
            self.server = MetricsServer(address or "127.0.0.1", int(port))

    @property
    def snapshot_file(self) -> Path:
        """Where the latest cycle is written as JSON."""
        return self.options.state_dir / "monitor" / "snapshot.json"

    def backlog(self) -> int:
        """Alert events the slowest sink has not taken yet."""
        return max((self.store.backlog(sink.name) for sink in self.sinks), default=0)

    async def cycle(self) -> CycleResult:
        """Poll, evaluate, record, alert, export: one cycle."""
        snapshot = await self.poller.cycle()
        cycle_id = self.history.record_cycle(snapshot)
        self.history.save_states(self.poller.states)
        results = evaluate_all(self.indicators, self.inventory, snapshot, self.history.availability)
        self.history.record_indicators(cycle_id, snapshot.started, results)
        rows: dict[str, list[tuple[dict[str, str], Mapping[str, float]]]] = {
            "indicator_met": [
                (
                    {"indicator": r.indicator.id, "name_zh": r.indicator.name_zh, "unit": r.indicator.unit},
                    {"indicator_met": float(r.met), "indicator_value": r.value or 0.0},
                )
                for r in results
                if r.met is not None
            ]
        }
        events = self.engine.publish(snapshot, rows)
        self.store.prune(RETENTION_DAYS)
        self.dispatcher.kick()
        write_json(self.snapshot_file, snapshot_json(snapshot, results))
        if self.server is not None:
            self.server.publish(
                Exported(
                    snapshot,
                    results,
                    self.poller.rcvbuf_errors,
                    len(self.store.alerts()),
                    {sink.name: self.store.backlog(sink.name) for sink in self.sinks},
                )
            )
        return CycleResult(snapshot, results, events)

    async def run(
        self, stop: asyncio.Event, cycles: int | None = None, report: Callable[[str], None] | None = None
    ) -> int:
        """Cycle every interval until ``stop`` (or ``cycles`` cycles); return the cycles completed."""
        delivering = asyncio.ensure_future(self.dispatcher.run(stop)) if self.sinks else None
        done = 0
        try:
            while not stop.is_set() and (cycles is None or done < cycles):
                begun = time.monotonic()
                work = asyncio.ensure_future(self.cycle())
                halt = asyncio.ensure_future(stop.wait())
                await asyncio.wait([work, halt], return_when=asyncio.FIRST_COMPLETED)
                halt.cancel()
                if not work.done():
                    work.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await work
                    break
                result = work.result()
                done += 1
                if report is not None:
                    report(result.status_line(len(self.store.alerts()), self.backlog()))
                if cycles is not None and done >= cycles:
                    break
                pause = max(0.0, self.options.interval_s - (time.monotonic() - begun))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
        finally:
            stop.set()
            if delivering is not None:
                await delivering
        return done

    async def deliver(self) -> None:
        """Push the outbox once (``monitor once``)."""
        await self.dispatcher.flush()

    async def close(self) -> None:
        """Release sockets, servers and databases."""
        self.poller.close()
        await self.dispatcher.close()
        if self.server is not None:
            self.server.close()
        self.history.close()
        self.store.close()
