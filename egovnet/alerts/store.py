"""The durable side of alerting: alert state, the event outbox and per-sink delivery, in one SQLite file.

Why one transaction per publish: an alert's state change and the event it causes are written
together, so no crash can leave a state change without its event (a lost alert) or an event without
its state change (a duplicate on replay). Sinks then consume the ``events`` table in sequence order,
each with its own cursor, and a delivery is committed only after the sink accepted it:

* a sink that is down keeps its cursor; its events wait, in order, for as long as it takes;
* a restarted process resumes every cursor where it stopped; nothing is re-sent that was committed
  as delivered, and nothing is skipped that was not;
* a new sink starts where the slowest existing one stands (it does not replay delivered history).

The one window left is a crash *between* a sink accepting a batch and the commit: those events are
sent again after restart. Every event carries its unique ``id`` so a receiver can drop the repeat, the
JSON-lines sink does so itself, and Alertmanager deduplicates on labels anyway.

Several processes may share the file (the monitor service and one-shot audits): WAL mode and
``BEGIN IMMEDIATE`` serialize writers; readers never block.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egovnet.alerts.model import AlertRecord, Status, canonical, uuid7

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS alerts (
    fingerprint TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    component TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    count INTEGER NOT NULL,
    ends_at REAL,
    last_event TEXT
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sinks (
    name TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    last_success REAL
);
CREATE TABLE IF NOT EXISTS deliveries (
    sink TEXT NOT NULL,
    seq INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    at REAL NOT NULL,
    error TEXT,
    PRIMARY KEY (sink, seq)
);
CREATE TABLE IF NOT EXISTS rule_state (
    fingerprint TEXT PRIMARY KEY,
    state TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SinkState:
    """Where a sink stands: its cursor (last event sequence handled) and its retry schedule."""

    name: str
    cursor: int
    attempts: int
    next_attempt: float
    last_error: str | None
    last_success: float | None


@dataclass(frozen=True)
class Pending:
    """An event waiting for a sink."""

    seq: int
    payload: dict[str, Any]


class AlertStore:
    """Alert state, outbox and delivery cursors (safe to use from several threads and processes)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA_SQL)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- lifecycle --------------------------------------------------------------------------------------
    def _event(
        self,
        db: sqlite3.Connection,
        record: AlertRecord,
        status: Status,
        first_seen: float,
        last_seen: float,
        count: int,
        ends_at: float | None,
    ) -> dict[str, Any]:
        event_id = uuid7()
        payload = canonical(
            record,
            event_id=event_id,
            status=status,
            first_seen=first_seen,
            last_seen=last_seen,
            count=count,
            ends_at=ends_at,
        )
        db.execute(
            "INSERT INTO events (id, fingerprint, status, created, payload) VALUES (?, ?, ?, ?, ?)",
            (event_id, record.fingerprint, status, last_seen, json.dumps(payload, ensure_ascii=False)),
        )
        return payload

    def _apply_one(self, db: sqlite3.Connection, record: AlertRecord) -> dict[str, Any] | None:
        row = db.execute(
            "SELECT status, first_seen, count FROM alerts WHERE fingerprint = ?", (record.fingerprint,)
        ).fetchone()
        now = record.observed_at
        data = record.model_dump_json()
        if record.status == "firing":
            if row is not None and row[0] == "firing":
                db.execute(
                    "UPDATE alerts SET record = ?, last_seen = ?, count = count + 1 WHERE fingerprint = ?",
                    (data, now, record.fingerprint),
                )
                return None
            payload = self._event(db, record, "firing", now, now, 1, None)
            db.execute(
                "INSERT OR REPLACE INTO alerts (fingerprint, status, record, component, first_seen,"
                " last_seen, count, ends_at, last_event) VALUES (?, 'firing', ?, ?, ?, ?, 1, NULL, ?)",
                (record.fingerprint, data, record.source.component, now, now, payload["id"]),
            )
            return payload
        if row is None or row[0] != "firing":
            return None
        payload = self._event(db, record, "resolved", row[1], now, row[2], now)
        db.execute(
            "UPDATE alerts SET status = 'resolved', record = ?, last_seen = ?, ends_at = ?, last_event = ?"
            " WHERE fingerprint = ?",
            (data, now, now, payload["id"], record.fingerprint),
        )
        return payload

    def apply(self, records: Iterable[AlertRecord], complete_for: str | None = None) -> list[dict[str, Any]]:
        """Record observations; return the lifecycle events they caused (already in the outbox).

        Arguments:
            complete_for: the records are everything component ``complete_for`` currently observes,
                so its firing alerts absent from ``records`` are resolved (an audit that passes again).
        """
        records = list(records)
        events: list[dict[str, Any]] = []
        with self._write() as db:
            for record in records:
                event = self._apply_one(db, record)
                if event is not None:
                    events.append(event)
            if complete_for is not None:
                seen = {r.fingerprint for r in records}
                stale = db.execute(
                    "SELECT record FROM alerts WHERE status = 'firing' AND component = ?", (complete_for,)
                ).fetchall()
                for (data,) in stale:
                    old = AlertRecord.model_validate_json(data)
                    if old.fingerprint not in seen:
                        resolved = old.model_copy(update={"status": "resolved", "observed_at": time.time()})
                        event = self._apply_one(db, resolved)
                        if event is not None:
                            events.append(event)
        return events

    def alerts(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Current alerts as ``noc-alert/1`` objects (the id is the alert's latest event id)."""
        query = "SELECT record, status, first_seen, last_seen, count, ends_at, last_event FROM alerts"
        if not include_resolved:
            query += " WHERE status = 'firing'"
        with self._lock:
            rows = self._db.execute(query + " ORDER BY first_seen").fetchall()
        result = []
        for data, status, first_seen, last_seen, count, ends_at, last_event in rows:
            record = AlertRecord.model_validate_json(data)
            result.append(
                canonical(
                    record,
                    event_id=last_event or "",
                    status=status,
                    first_seen=first_seen,
                    last_seen=last_seen,
                    count=count,
                    ends_at=ends_at,
                )
            )
        return result

    def events(self, after: int = 0) -> list[Pending]:
        """Every event after sequence ``after`` (tests and audits of the outbox)."""
        with self._lock:
            rows = self._db.execute("SELECT seq, payload FROM events WHERE seq > ? ORDER BY seq", (after,))
            return [Pending(seq, json.loads(payload)) for seq, payload in rows.fetchall()]

    # -- outbox -----------------------------------------------------------------------------------------
    def register_sink(self, name: str) -> SinkState:
        """Make ``name`` a consumer of the outbox.

        A new sink starts where the slowest existing sink stands: it receives what is still pending
        for the NOC, not the whole history. The first sinks of an outbox start at its beginning, so
        events published before any delivery was configured (an audit run before the monitor) are
        not lost.
        """
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO sinks (name, cursor)"
                " VALUES (?, (SELECT COALESCE(MIN(cursor), 0) FROM sinks))",
                (name,),
            )
        return self.sink_state(name)

    def sink_state(self, name: str) -> SinkState:
        """A sink's cursor and retry schedule."""
        with self._lock:
            row = self._db.execute(
                "SELECT cursor, attempts, next_attempt, last_error, last_success FROM sinks WHERE name = ?",
                (name,),
            ).fetchone()
        if row is None:
            raise KeyError(f"sink {name!r} is not registered")
        return SinkState(name, *row)

    def pending(self, name: str, limit: int = 100) -> list[Pending]:
        """The next events for ``name``, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, payload FROM events WHERE seq > (SELECT cursor FROM sinks WHERE name = ?)"
                " ORDER BY seq LIMIT ?",
                (name, limit),
            ).fetchall()
        return [Pending(seq, json.loads(payload)) for seq, payload in rows]

    def backlog(self, name: str) -> int:
        """How many events wait for ``name``."""
        with self._lock:
            (count,) = self._db.execute(
                "SELECT COUNT(*) FROM events WHERE seq > (SELECT cursor FROM sinks WHERE name = ?)", (name,)
            ).fetchone()
        return int(count)

    def _advance(self, name: str, seqs: list[int], outcome: str, error: str | None) -> None:
        if not seqs:
            return
        now = time.time()
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO deliveries (sink, seq, outcome, at, error) VALUES (?, ?, ?, ?, ?)",
                [(name, seq, outcome, now, error) for seq in seqs],
            )
            db.execute(
                "UPDATE sinks SET cursor = MAX(cursor, ?), attempts = 0, next_attempt = 0, last_error = ?,"
                " last_success = CASE WHEN ? = 'delivered' THEN ? ELSE last_success END WHERE name = ?",
                (max(seqs), error, outcome, now, name),
            )

    def delivered(self, name: str, seqs: list[int]) -> None:
        """The sink accepted these events: move its cursor past them."""
        self._advance(name, seqs, "delivered", None)

    def dead(self, name: str, seqs: list[int], error: str) -> None:
        """The sink refused these events for good (malformed for it): record why and move on."""
        self._advance(name, seqs, "dead", error)

    def failed(self, name: str, error: str, next_attempt: float) -> SinkState:
        """A transient failure: count it and schedule the next attempt."""
        with self._write() as db:
            db.execute(
                "UPDATE sinks SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE name = ?",
                (next_attempt, error, name),
            )
        return self.sink_state(name)

    def deliveries(self, name: str) -> list[tuple[int, str]]:
        """(event sequence, outcome) handled by ``name``, in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, outcome FROM deliveries WHERE sink = ? ORDER BY seq", (name,)
            ).fetchall()
        return [(int(seq), str(outcome)) for seq, outcome in rows]

    def prune(self, keep_days: float, now: float | None = None) -> int:
        """Forget what is older than ``keep_days``: events every sink has handled, delivery records
        and resolved alerts. Pending events are never pruned. Returns the events removed."""
        horizon = (now or time.time()) - keep_days * 86400
        with self._write() as db:
            removed = db.execute(
                "DELETE FROM events WHERE created < ?"
                " AND seq <= (SELECT COALESCE(MIN(cursor), 0) FROM sinks)",
                (horizon,),
            ).rowcount
            db.execute("DELETE FROM deliveries WHERE at < ?", (horizon,))
            db.execute("DELETE FROM alerts WHERE status = 'resolved' AND ends_at < ?", (horizon,))
        return int(removed)

    # -- rule state (consecutive cycles per fingerprint, so a restart keeps pending alerts pending) ----
    def rule_state(self) -> dict[str, dict[str, Any]]:
        """Every rule fingerprint's counters."""
        with self._lock:
            rows = self._db.execute("SELECT fingerprint, state FROM rule_state").fetchall()
        return {fp: json.loads(state) for fp, state in rows}

    def save_rule_state(self, states: dict[str, dict[str, Any]]) -> None:
        """Replace the rule counters."""
        with self._write() as db:
            db.execute("DELETE FROM rule_state")
            db.executemany(
                "INSERT INTO rule_state (fingerprint, state) VALUES (?, ?)",
                [(fp, json.dumps(state)) for fp, state in states.items()],
            )
