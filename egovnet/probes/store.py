"""Findings and situation scores kept in SQLite under the state directory (``<state>/probes.sqlite``).

A finding is one row per fingerprint: a later run that sees the same event adds to its count and moves
``last_seen``, as an alert feed deduplicates. Lifecycle, from the research note §5.2:

* passive findings resolve after a quiet period (``quiet_windows`` x the detector window) in which
  no run saw them again; the clock is the wall time of the runs that observed them, not packet time,
  so replaying an old capture does not resolve what it just found;
* active-check findings resolve when the next run of the same check over the same target passes.

Scores are appended per run, so ``egovnet probe status`` can show a trend.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egovnet.probes.findings import Finding

DB_NAME = "probes.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    fingerprint TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    detector TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    site TEXT,
    zone TEXT,
    entity TEXT NOT NULL,
    scope TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    count INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    resolved_at REAL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_status ON findings(status);
CREATE TABLE IF NOT EXISTS scores (
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    score REAL NOT NULL,
    open INTEGER NOT NULL,
    PRIMARY KEY (at, kind, key)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored: its JSON document plus lifecycle fields."""

    fingerprint: str
    rule: str
    detector: str
    severity: str
    status: str
    site: str | None
    zone: str | None
    count: int
    updated_at: float
    doc: dict[str, Any]


class FindingStore:
    """The probe's SQLite database."""

    def __init__(self, state_dir: str | Path) -> None:
        self.path = Path(state_dir) / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def merge(self, findings: Iterable[Finding], now: float | None = None) -> list[StoredFinding]:
        """Insert new findings, add to existing ones (count, last seen); all become firing."""
        now = time.time() if now is None else now
        merged: list[StoredFinding] = []
        with self._db() as db:
            for finding in findings:
                doc = finding.as_dict()
                row = db.execute(
                    "SELECT first_seen, last_seen, count, doc FROM findings WHERE fingerprint = ?",
                    (finding.fingerprint,),
                ).fetchone()
                first, last, count = finding.first_seen, finding.last_seen, finding.count
                if row is not None:
                    first, last, count = min(first, row[0]), max(last, row[1]), count + row[2]
                    old = json.loads(row[3])
                    doc["first_seen"] = (
                        old["first_seen"] if row[0] <= finding.first_seen else doc["first_seen"]
                    )
                    doc["evidence"] = (old.get("evidence", []) + doc["evidence"])[:5]
                doc.update(count=count, status="firing")
                db.execute(
                    "INSERT OR REPLACE INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        finding.fingerprint,
                        finding.rule.id,
                        finding.rule.detector,
                        finding.level,
                        "firing",
                        finding.entity.site,
                        finding.entity.zone,
                        finding.entity.id,
                        finding.scope,
                        first,
                        last,
                        count,
                        now,
                        None,
                        json.dumps(doc, ensure_ascii=False),
                    ),
                )
                merged.append(self._stored(doc, now))
        return merged

    def resolve_quiet(self, detector_windows: dict[str, float], now: float | None = None) -> list[str]:
        """Resolve passive findings of these detectors not seen for their quiet period (seconds)."""
        now = time.time() if now is None else now
        resolved: list[str] = []
        with self._db() as db:
            for detector, quiet in detector_windows.items():
                rows = db.execute(
                    "SELECT fingerprint FROM findings"
                    " WHERE status = 'firing' AND detector = ? AND updated_at < ?",
                    (detector, now - quiet),
                ).fetchall()
                resolved += [r[0] for r in rows]
            self._set_resolved(db, resolved, now)
        return resolved

    def resolve_passed(
        self, detectors: Iterable[str], entities: Iterable[str], seen: Iterable[str], now: float | None = None
    ) -> list[str]:
        """Resolve firing findings of these active checks on these entities that this run did not see."""
        now = time.time() if now is None else now
        wanted, checked, still = list(detectors), set(entities), set(seen)
        with self._db() as db:
            marks = ",".join("?" * len(wanted))
            rows = db.execute(
                f"SELECT fingerprint, entity FROM findings WHERE status = 'firing' AND detector IN ({marks})",
                wanted,
            ).fetchall()
            every = "*" in checked  # a check that covers its whole segment (the DHCP sweep)
            resolved = [fp for fp, entity in rows if (every or entity in checked) and fp not in still]
            self._set_resolved(db, resolved, now)
        return resolved

    @staticmethod
    def _set_resolved(db: sqlite3.Connection, fingerprints: list[str], now: float) -> None:
        for fingerprint in fingerprints:
            row = db.execute("SELECT doc FROM findings WHERE fingerprint = ?", (fingerprint,)).fetchone()
            doc = json.loads(row[0])
            doc["status"] = "resolved"
            db.execute(
                "UPDATE findings SET status = 'resolved', resolved_at = ?, doc = ? WHERE fingerprint = ?",
                (now, json.dumps(doc, ensure_ascii=False), fingerprint),
            )

    def findings(self, status: str | None = "firing") -> list[StoredFinding]:
        """Stored findings (default: the firing ones), most severe and most recent first."""
        query = "SELECT doc, updated_at FROM findings"
        params: tuple[str, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (status,)
        with self._db() as db:
            rows = db.execute(query + " ORDER BY updated_at DESC", params).fetchall()
        return [self._stored(json.loads(doc), updated) for doc, updated in rows]

    @staticmethod
    def _stored(doc: dict[str, Any], updated: float) -> StoredFinding:
        entity = doc.get("entity", {})
        return StoredFinding(
            fingerprint=doc["fingerprint"],
            rule=doc["rule"],
            detector=doc["detector"],
            severity=doc["severity"],
            status=doc["status"],
            site=entity.get("site"),
            zone=entity.get("zone"),
            count=int(doc["count"]),
            updated_at=updated,
            doc=doc,
        )

    def record_scores(
        self, kind: str, scores: dict[str, tuple[float, int]], now: float | None = None
    ) -> None:
        """Append one snapshot of ``{key: (score, open findings)}`` for ``kind`` (site or zone)."""
        now = time.time() if now is None else now
        with self._db() as db:
            db.executemany(
                "INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?)",
                [(now, kind, key, score, count) for key, (score, count) in scores.items()],
            )

    def score_history(self, kind: str, key: str, limit: int = 10) -> list[tuple[float, float]]:
        """The last ``limit`` (time, score) snapshots of one site or zone, oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT at, score FROM scores WHERE kind = ? AND key = ? ORDER BY at DESC LIMIT ?",
                (kind, key, limit),
            ).fetchall()
        return [(float(at), float(score)) for at, score in reversed(rows)]

    def score_keys(self, kind: str) -> list[str]:
        """Every site or zone that ever had a score."""
        with self._db() as db:
            return [row[0] for row in db.execute("SELECT DISTINCT key FROM scores WHERE kind = ?", (kind,))]

    def record_run(self, kind: str, source: str, detail: dict[str, Any], now: float | None = None) -> None:
        """Remember one probe run (what was read or checked)."""
        with self._db() as db:
            db.execute(
                "INSERT INTO runs (at, kind, source, detail) VALUES (?,?,?,?)",
                (time.time() if now is None else now, kind, source, json.dumps(detail, default=str)),
            )

    def last_run(self) -> dict[str, Any] | None:
        """The most recent run (the status view shows it, a dead probe must not look clean)."""
        with self._db() as db:
            row = db.execute("SELECT at, kind, source, detail FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return {"at": row[0], "kind": row[1], "source": row[2], "detail": json.loads(row[3])}
