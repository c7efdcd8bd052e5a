"""The monitor's memory in SQLite: cycles, availability, indicator trends, and counter state.

* ``cycles``: one row per poll cycle (duration, devices answering, varbinds): the poller's own trend.
* ``availability``: answered / made polls per device and hour. Hourly buckets keep a year of a
  1,000-device county in a few million rows while availability over any window of whole hours stays
  exact (the research note's definition, section 5.1: answered polls / polls).
* ``indicators``: every indicator's value per cycle, for ``egovnet indicators --history``.
* ``device_state``: counters and their sysUpTime clock per device, so a restarted monitor computes
  rates from its first cycle instead of losing one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from egovnet.monitor.indicators import AvailabilityFigures, Result
from egovnet.monitor.metrics import Snapshot
from egovnet.monitor.poller import DeviceState

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS cycles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    seconds REAL NOT NULL,
    devices INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    varbinds INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS availability (
    device TEXT NOT NULL,
    hour INTEGER NOT NULL,
    site TEXT NOT NULL,
    level TEXT NOT NULL,
    answered INTEGER NOT NULL,
    polls INTEGER NOT NULL,
    PRIMARY KEY (device, hour)
);
CREATE INDEX IF NOT EXISTS availability_level ON availability (level, hour);
CREATE TABLE IF NOT EXISTS indicators (
    cycle INTEGER NOT NULL,
    at REAL NOT NULL,
    indicator TEXT NOT NULL,
    value REAL,
    target REAL NOT NULL,
    met INTEGER,
    PRIMARY KEY (cycle, indicator)
);
CREATE TABLE IF NOT EXISTS device_state (
    device TEXT PRIMARY KEY,
    state TEXT NOT NULL
);
"""
RETENTION_DAYS = 400


class History:
    """The history database (one writer: the monitor)."""

    def __init__(self, path: Path | str, retention_days: int = RETENTION_DAYS) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.retention_days = retention_days
        self._db = sqlite3.connect(self.path, timeout=30.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA_SQL)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def record_cycle(self, snapshot: Snapshot) -> int:
        """Store a cycle and its availability samples; return the cycle's id."""
        hour = int(snapshot.started // 3600)
        devices = list(snapshot.devices.values())
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO cycles (started, seconds, devices, answered, varbinds) VALUES (?, ?, ?, ?, ?)",
                (
                    snapshot.started,
                    snapshot.seconds,
                    len(devices),
                    sum(d.up for d in devices),
                    snapshot.varbinds,
                ),
            )
            self._db.executemany(
                "INSERT INTO availability (device, hour, site, level, answered, polls)"
                " VALUES (?, ?, ?, ?, ?, 1)"
                " ON CONFLICT (device, hour) DO UPDATE SET answered = answered + excluded.answered,"
                " polls = polls + 1",
                [(d.device, hour, d.labels["site"], d.labels["level"], int(d.up)) for d in devices],
            )
            horizon = time.time() - self.retention_days * 86400
            self._db.execute("DELETE FROM availability WHERE hour < ?", (int(horizon // 3600),))
            self._db.execute("DELETE FROM indicators WHERE at < ?", (horizon,))
            self._db.execute("DELETE FROM cycles WHERE started < ?", (horizon,))
        return int(cursor.lastrowid or 0)

    def record_indicators(self, cycle: int, at: float, results: Iterable[Result]) -> None:
        """Store every indicator's value of one cycle."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO indicators (cycle, at, indicator, value, target, met)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        cycle,
                        at,
                        r.indicator.id,
                        r.value,
                        r.indicator.target,
                        None if r.met is None else int(r.met),
                    )
                    for r in results
                ],
            )

    def availability(self, levels: list[str], window_hours: float) -> AvailabilityFigures:
        """Answered and made polls of devices at ``levels`` over the last ``window_hours`` (whole hours)."""
        since = int(time.time() // 3600) - int(window_hours) + 1
        marks = ",".join("?" * len(levels))
        rows = self._db.execute(
            f"SELECT site, SUM(answered), SUM(polls) FROM availability WHERE level IN ({marks}) AND hour >= ?"
            " GROUP BY site",
            (*levels, since),
        ).fetchall()
        by_site = {site: (int(answered), int(polls)) for site, answered, polls in rows}
        return AvailabilityFigures(
            sum(a for a, _ in by_site.values()), sum(p for _, p in by_site.values()), by_site
        )

    def trend(self, indicator: str, limit: int = 20) -> list[tuple[float, float | None, bool | None]]:
        """The latest values of one indicator, oldest first: (time, value, met)."""
        rows = self._db.execute(
            "SELECT at, value, met FROM indicators WHERE indicator = ? ORDER BY cycle DESC LIMIT ?",
            (indicator, limit),
        ).fetchall()
        return [(at, value, None if met is None else bool(met)) for at, value, met in reversed(rows)]

    def cycles(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest cycles, newest first."""
        rows = self._db.execute(
            "SELECT id, started, seconds, devices, answered, varbinds FROM cycles ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        keys = ("id", "started", "seconds", "devices", "answered", "varbinds")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def load_states(self) -> dict[str, DeviceState]:
        """Counter state per device from the previous run."""
        rows = self._db.execute("SELECT device, state FROM device_state").fetchall()
        return {device: DeviceState.from_json(json.loads(state)) for device, state in rows}

    def save_states(self, states: Mapping[str, DeviceState]) -> None:
        """Persist counter state per device."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO device_state (device, state) VALUES (?, ?)",
                [(name, json.dumps(state.to_json())) for name, state in states.items()],
            )
