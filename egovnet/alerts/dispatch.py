"""Deliver the outbox to every sink: in order, with retries and backoff, exactly once per event.

For each sink the dispatcher takes the events after its cursor, hands them over as one batch, and
commits the cursor past what the sink accepted (all of the batch, or the prefix a failing sink
reports). A transient failure schedules the next attempt with exponential backoff (1 s doubling to
5 min, with jitter), and that sink's later events wait behind the failed one, so a receiver never
sees a resolve before its fire. A permanent refusal dead-letters the batch for that sink only.

A sink step (send + commit) is shielded from cancellation: a graceful shutdown lets the batch in
flight finish and commit, so stopping the monitor never re-sends a delivered event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from egovnet.alerts.sinks.base import Sink, SinkError
from egovnet.alerts.store import AlertStore

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 300.0
BATCH = 100
SHUTDOWN_GRACE_S = 30.0


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before retry number ``attempts`` (1-based): doubling from 1 s, capped, +-20 % jitter."""
    base = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2.0 ** max(0, attempts - 1))
    jitter: float = (rng or random).random()
    return base * (0.8 + 0.4 * jitter)


@dataclass
class Report:
    """What one pass delivered, per sink."""

    delivered: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    dead: dict[str, int] = field(default_factory=dict)


class Dispatcher:
    """Moves events from an :class:`AlertStore` to sinks.

    Example::

        dispatcher = Dispatcher(store, sinks)
        await dispatcher.flush()            # one-shot (audits, probes)
        task = asyncio.create_task(dispatcher.run(stop))   # service (the monitor)
    """

    def __init__(self, store: AlertStore, sinks: Sequence[Sink], batch: int = BATCH) -> None:
        self.store = store
        self.sinks = list(sinks)
        self.batch = batch
        self._wake = asyncio.Event()
        started = time.time()  # the first heartbeat comes one interval after start, not at once
        self._resent: dict[str, float] = {sink.name: started for sink in self.sinks}
        for sink in self.sinks:
            store.register_sink(sink.name)

    def kick(self) -> None:
        """New events are in the outbox: deliver now rather than at the next scheduled attempt."""
        self._wake.set()

    async def _step(self, sink: Sink, report: Report) -> bool:
        """Deliver one batch to one sink; return whether more may be pending."""
        state = self.store.sink_state(sink.name)
        if state.next_attempt > time.time():
            return False
        pending = self.store.pending(sink.name, self.batch)
        if not pending:
            return False
        try:
            await sink.send([p.payload for p in pending])
        except SinkError as exc:
            done = pending[: exc.delivered]
            self.store.delivered(sink.name, [p.seq for p in done])
            report.delivered[sink.name] = report.delivered.get(sink.name, 0) + len(done)
            if exc.transient:
                attempts = self.store.sink_state(sink.name).attempts + 1
                self.store.failed(sink.name, str(exc), time.time() + backoff(attempts))
                report.failed[sink.name] = str(exc)
                log.warning("sink %s: %s (attempt %d)", sink.name, exc, attempts)
                return False
            rest = pending[exc.delivered : exc.delivered + 1]  # the refused event; later ones retry
            self.store.dead(sink.name, [p.seq for p in rest], str(exc))
            report.dead[sink.name] = report.dead.get(sink.name, 0) + len(rest)
            log.error("sink %s refused event %s for good: %s", sink.name, rest[0].payload["id"], exc)
            return True
        self.store.delivered(sink.name, [p.seq for p in pending])
        report.delivered[sink.name] = report.delivered.get(sink.name, 0) + len(pending)
        return len(pending) == self.batch

    async def _resend(self, sink: Sink) -> None:
        interval = sink.resend_interval_s
        if interval <= 0 or self.store.backlog(sink.name):
            return
        now = time.time()
        if now - self._resent.get(sink.name, 0.0) < interval:
            return
        self._resent[sink.name] = now
        firing = self.store.alerts()
        if firing:
            with contextlib.suppress(SinkError):
                await sink.resend(firing)

    async def _pass(self, report: Report) -> None:
        for sink in self.sinks:
            while await self._step(sink, report):
                pass
            await self._resend(sink)

    async def flush(self) -> Report:
        """One delivery pass over every sink (shielded: it completes even if the caller is cancelled)."""
        report = Report()
        await asyncio.shield(self._pass(report))
        return report

    def next_due(self) -> float:
        """Seconds until a sink with a backlog may be tried again (for the service loop's sleep)."""
        now, due = time.time(), 60.0
        for sink in self.sinks:
            if self.store.backlog(sink.name):
                due = min(due, max(0.0, self.store.sink_state(sink.name).next_attempt - now))
            if sink.resend_interval_s > 0:
                due = min(due, max(0.0, self._resent.get(sink.name, 0.0) + sink.resend_interval_s - now))
        return max(0.05, due)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, waking on :meth:`kick` or when a retry is due."""
        while not stop.is_set():
            self._wake.clear()
            step = asyncio.ensure_future(self._pass(Report()))
            try:
                await asyncio.shield(step)
            except asyncio.CancelledError:
                await asyncio.wait_for(step, SHUTDOWN_GRACE_S)
                raise
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=self.next_due(), return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def close(self) -> None:
        """Close every sink."""
        for sink in self.sinks:
            with contextlib.suppress(Exception):
                await sink.close()
