"""Delivery from the outbox: order, retries with backoff, partial batches, dead letters, and exactly
once across a receiver outage and process restarts."""

from __future__ import annotations

import asyncio
import random
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from alert_rig import Webhook, record

from egovnet.alerts import AlertStore, Dispatcher
from egovnet.alerts.dispatch import BACKOFF_MAX_S, backoff
from egovnet.alerts.sinks import SinkError
from egovnet.alerts.sinks.webhook import AlertmanagerSink


class Scripted:
    """A sink that fails as told: ``plan`` is a list of (exception or None) per call."""

    resend_interval_s = 0.0

    def __init__(self, name: str, plan: list[SinkError | None]) -> None:
        self.name = name
        self.plan = plan
        self.received: list[str] = []

    async def send(self, alerts: list[dict[str, Any]]) -> None:
        outcome = self.plan.pop(0) if self.plan else None
        kept = alerts if outcome is None else alerts[: outcome.delivered]
        self.received += [a["entity"]["id"] for a in kept]
        if outcome is not None:
            raise outcome

    async def resend(self, alerts: list[dict[str, Any]]) -> None:
        pass

    async def close(self) -> None:
        pass


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt, base in ((1, 1.0), (2, 2.0), (5, 16.0), (30, BACKOFF_MAX_S)):
        assert 0.8 * base <= backoff(attempt, rng) <= 1.2 * base


def test_partial_batches_commit_their_prefix_and_order_holds(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "alerts.db")
    sink = Scripted("s", [SinkError("reset by peer", delivered=2)])
    dispatcher = Dispatcher(store, [sink])
    store.apply([record(f"sw-{i}") for i in range(5)])
    report = asyncio.run(dispatcher.flush())
    assert report.delivered == {"s": 2} and "s" in report.failed
    assert store.backlog("s") == 3 and store.sink_state("s").next_attempt > time.time()
    assert asyncio.run(dispatcher.flush()).delivered == {}  # not due yet: nothing is tried
    store.failed("s", "", 0)  # make it due now
    asyncio.run(dispatcher.flush())
    assert sink.received == [f"sw-{i}" for i in range(5)] and store.backlog("s") == 0


def test_a_refused_event_is_dead_lettered_and_the_rest_flows(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "alerts.db")
    sink = Scripted("s", [SinkError("HTTP 400", transient=False, delivered=1)])
    healthy = Scripted("other", [])
    dispatcher = Dispatcher(store, [sink, healthy])
    store.apply([record(f"sw-{i}") for i in range(3)])
    report = asyncio.run(dispatcher.flush())
    assert report.dead == {"s": 1} and sink.received == ["sw-0", "sw-2"]  # sw-1 was refused
    assert [o for _, o in store.deliveries("s")] == ["delivered", "dead", "delivered"]
    assert healthy.received == ["sw-0", "sw-1", "sw-2"]  # one sink's trouble is not another's


def _wait_due(store: AlertStore, sink: str) -> None:
    pause = store.sink_state(sink).next_attempt - time.time()
    time.sleep(max(0.0, pause) + 0.05)


def test_receiver_outage_and_restarts_deliver_every_event_exactly_once(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "alerts.db"

    def process(events: list[tuple[str, str]]) -> None:
        """One run of a publisher process: publish, try to deliver, exit."""
        store = AlertStore(path)
        dispatcher = Dispatcher(store, [AlertmanagerSink("noc", f"http://127.0.0.1:{port}", timeout_s=2)])
        store.apply([record(entity, status) for entity, status in events])
        asyncio.run(dispatcher.flush())
        store.close()

    process([("sw-1", "firing"), ("sw-2", "firing")])  # the receiver is down
    store = AlertStore(path)
    assert store.backlog("noc") == 2 and store.sink_state("noc").attempts == 1
    _wait_due(store, "noc")
    store.close()
    process([("sw-1", "resolved"), ("sw-3", "firing")])  # restarted, still down
    with Webhook(port) as webhook:
        store = AlertStore(path)
        _wait_due(store, "noc")
        store.close()
        process([])  # restarted once more; the receiver is back
        process([])  # and again: nothing is sent twice
        received = [
            (a["labels"]["entity"], "endsAt" in a, a["annotations"]["event_id"]) for a in webhook.alerts()
        ]
    store = AlertStore(path)
    assert [event.payload["id"] for event in store.events()] == [r[2] for r in received]
    assert [(entity, ended) for entity, ended, _ in received] == [
        ("sw-1", False),
        ("sw-2", False),
        ("sw-1", True),
        ("sw-3", False),
    ]
    assert store.backlog("noc") == 0 and len(webhook.posts) == 1  # one batch after recovery


def test_service_loop_delivers_on_kick_and_stops_cleanly(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "alerts.db")
    sink = Scripted("s", [])
    dispatcher = Dispatcher(store, [sink])

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(dispatcher.run(stop))
        for index in range(3):
            store.apply([record(f"sw-{index}")])
            dispatcher.kick()
            for _ in range(100):
                if len(sink.received) == index + 1:
                    break
                await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert sink.received == ["sw-0", "sw-1", "sw-2"]


@pytest.mark.parametrize("interval", [0.2])
def test_firing_alerts_are_reposted_to_alertmanager(tmp_path: Path, interval: float) -> None:
    store = AlertStore(tmp_path / "alerts.db")
    with Webhook() as webhook:
        dispatcher = Dispatcher(store, [AlertmanagerSink("am", webhook.url, resend_interval_s=interval)])
        store.apply([record("sw-1"), record("sw-2")])
        asyncio.run(dispatcher.flush())  # the events; no heartbeat before one interval
        store.apply([record("sw-2", "resolved")])
        time.sleep(interval + 0.05)
        asyncio.run(dispatcher.flush())  # the resolve event; then a heartbeat of what still fires
        posts = [
            [(a["labels"]["entity"], "endsAt" in a, "heartbeat" in a["annotations"]) for a in post]
            for post in webhook.posts
        ]
    assert posts == [
        [("sw-1", False, False), ("sw-2", False, False)],  # the events
        [("sw-2", True, False)],  # the resolve event
        [("sw-1", False, True)],  # one interval later: a heartbeat of what still fires
    ]
