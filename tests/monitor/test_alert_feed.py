"""The NOC feed end to end: ``egovnet monitor run`` on the twin while the Alertmanager webhook is down,
the monitor killed and restarted on the way; after recovery every alert event arrives exactly once,
in order, at the webhook and in the JSON-lines file."""

from __future__ import annotations

import itertools
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from alert_rig import Webhook
from monitor_rig import Twin

from egovnet.alerts import AlertStore
from egovnet.inventory import Inventory

DEVICES = "qishan-tn-01:qishan-v01-sw-01:qishan-v02-sw-01"
RUN = [sys.executable, "-c", "from egovnet.cli.monitor_cmd import app; app()", "run"]
WAIT_S = 90.0


class MonitorProcess:
    """``egovnet monitor run`` in a child process, stopped by PID (SIGTERM, or SIGKILL for a crash)."""

    def __init__(self, twin: Twin, state: Path, alerts_file: Path) -> None:
        self.log = (state / "monitor.log").open("a")
        self.process = subprocess.Popen(
            [
                *RUN,
                "-i",
                str(twin.overlay),
                "--limit",
                DEVICES,
                "--interval",
                "1",
                "--listen",
                "none",
                "--state-dir",
                str(state),
                "--alerts-config",
                str(alerts_file),
                "--timeout",
                "2",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        self.log.close()
        return code


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def outbox(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    store = AlertStore(path)
    try:
        return [event.payload for event in store.events()]
    finally:
        store.close()


def has(path: Path, rule: str, entity: str, status: str) -> Callable[[], bool]:
    def check() -> bool:
        return any(
            e["rule"]["id"] == rule and e["entity"]["id"] == entity and e["status"] == status
            for e in outbox(path)
        )

    return check


@pytest.fixture
def processes() -> Iterator[list[MonitorProcess]]:
    started: list[MonitorProcess] = []
    yield started
    for process in started:
        process.stop(signal.SIGKILL)


def test_webhook_outage_and_monitor_restarts_lose_and_repeat_nothing(
    healed: Twin, overlay: Inventory, tmp_path: Path, repo: Path, processes: list[MonitorProcess]
) -> None:
    with socket.socket() as probe:  # the NOC's Alertmanager address; nothing listens there yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rules = yaml.safe_load((repo / "monitors" / "alerts.yml").read_text(encoding="utf-8"))["rules"]
    sinks = [
        {
            "name": "noc-am",
            "type": "alertmanager",
            "url": f"http://127.0.0.1:{port}",
            "timeout_s": 2,
            "resend_interval_s": 3600,
        },
        {"name": "file", "type": "jsonl", "path": "feed.jsonl"},
    ]
    alerts_file = tmp_path / "alerts.yml"
    alerts_file.write_text(yaml.safe_dump({"rules": rules, "sinks": sinks}))
    database = tmp_path / "alerts" / "alerts.db"
    uplink = next(
        link
        for link in overlay.links_of("qishan-v01-sw-01")
        if link.role == "primary" and link.a_device == "qishan-v01-sw-01"
    )
    link_name = f"{uplink.a_device}:{uplink.a_interface}--{uplink.b_device}:{uplink.b_interface}"

    processes.append(MonitorProcess(healed, tmp_path, alerts_file))
    healed.lab.fault(uplink.a_device, "link-down", [uplink.a_interface])
    healed.lab.fault("qishan-v02-sw-01", "device-down")
    wait_for(has(database, "NET-LINK-DOWN", link_name, "firing"), "the link alert")
    wait_for(has(database, "MON-DEVICE-UNREACHABLE", "qishan-v02-sw-01", "firing"), "the device alert")
    assert processes[-1].stop(signal.SIGKILL) == -signal.SIGKILL  # a crash, with the webhook still down

    healed.lab.heal("qishan-v02-sw-01")
    processes.append(MonitorProcess(healed, tmp_path, alerts_file))
    wait_for(has(database, "MON-DEVICE-UNREACHABLE", "qishan-v02-sw-01", "resolved"), "the device to recover")
    assert processes[-1].stop() == 0  # a clean stop, webhook still down

    healed.lab.heal()
    with Webhook(port) as webhook:
        processes.append(MonitorProcess(healed, tmp_path, alerts_file))
        wait_for(has(database, "NET-LINK-DOWN", link_name, "resolved"), "the link to recover")

        def drained() -> bool:
            store = AlertStore(database)
            try:
                return store.backlog("noc-am") == 0 and store.backlog("file") == 0
            finally:
                store.close()

        wait_for(drained, "the outbox to drain")
        assert processes[-1].stop() == 0
        posted = [a for a in webhook.alerts() if "heartbeat" not in a["annotations"]]

    events = outbox(database)
    ids = [e["id"] for e in events]
    assert [a["annotations"]["event_id"] for a in posted] == ids  # each once, in outbox order
    feed = [json.loads(line) for line in (tmp_path / "alerts" / "feed.jsonl").read_text().splitlines()]
    assert [a["id"] for a in feed] == ids
    for fingerprint in {e["fingerprint"] for e in events}:
        statuses = [e["status"] for e in events if e["fingerprint"] == fingerprint]
        assert all(a != b for a, b in itertools.pairwise(statuses)), statuses  # no repeats
        assert statuses[0] == "firing"
    link = [
        (a["labels"]["entity"], "endsAt" in a) for a in posted if a["labels"]["alertname"] == "NET-LINK-DOWN"
    ]
    assert (link_name, False) in link and (link_name, True) in link
    assert link.index((link_name, False)) < link.index((link_name, True))
    log = (tmp_path / "monitor.log").read_text()
    assert log.count("monitor stopped after") == 2 and "cycle 1 " in log and "outbox" in log
