"""The other records the dashboard reads: the IPv6 status record, the alert store and the probe store.

Each reader opens its store only when the store's file exists: the stores create their files when
opened, and a report must never leave state behind where no engine ran (an empty probe database
would read as "probed, nothing found", which is not the same as "never probed").
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from egovnet.alerts import SEVERITY_NUM, AlertStore, state_path
from egovnet.inventory import Inventory
from egovnet.ipv6.status import ORDER, load_status, status_file
from egovnet.probes.score import current
from egovnet.probes.store import DB_NAME, FindingStore
from egovnet.report.model import (
    AlertRow,
    AlertsSection,
    Headline,
    Ipv6Section,
    Ipv6Site,
    ProbeFindingRow,
    ProbesSection,
    ScoreRow,
)

NOT_MEASURED = "not measured"
IPV6_STATES = (*ORDER, NOT_MEASURED)
SEVERITY_ORDER = tuple(SEVERITY_NUM)
NO_IPV6 = "尚无IPv6迁移记录 / no IPv6 status yet: run `egovnet ipv6 status`"
NO_ALERTS = "尚无告警库 / no alert store yet: the monitor, audits and probes create it"
NO_PROBES = "尚无探针记录 / no probe run yet: run `egovnet probe passive` or `egovnet probe active`"


def _by_severity(severities: list[str]) -> dict[str, int]:
    counted = Counter(severities)
    return {s: counted[s] for s in SEVERITY_ORDER if counted[s]}


def ipv6_section(state_dir: Path, inventory: Inventory) -> Ipv6Section:
    """Every inventory site with the state the latest status run found (``not measured`` otherwise)."""
    record = load_status(state_dir)
    found: dict[str, str] = record["sites"] if record is not None else {}
    sites = [
        Ipv6Site(site=s.id, name_zh=s.name_zh, level=s.level, state=found.get(s.id, NOT_MEASURED))
        for s in sorted(inventory.sites.values(), key=lambda s: (s.number, s.id))
    ]
    counted = Counter(s["state"] for s in sites)
    return Ipv6Section(
        available=record is not None,
        source=str(status_file(state_dir)),
        at=None if record is None else float(record["at"]),
        note=NO_IPV6 if record is None else "" if not record.get("limit") else f"--limit {record['limit']}",
        limit=None if record is None else record.get("limit"),
        devices=0 if record is None else len(record["devices"]),
        counts={state: counted[state] for state in IPV6_STATES if counted[state]},
        sites=sites,
    )


def alerts_section(state_dir: Path) -> AlertsSection:
    """Firing alerts of every engine, most severe first, then oldest first."""
    path = state_path(state_dir)
    alerts = []
    if path.is_file():
        store = AlertStore(path)
        try:
            alerts = store.alerts()
        finally:
            store.close()
    rows = [
        AlertRow(
            fingerprint=a["fingerprint"],
            severity=a["severity"],
            rule=a["rule"].get("id", ""),
            entity=a["entity"].get("id", ""),
            site=a["entity"].get("site"),
            component=a["source"].get("component", ""),
            first_seen=a["first_seen"],
            last_seen=a["last_seen"],
            repeats=int(a["count"]),
            summary=a["summary"],
        )
        for a in alerts
    ]
    rows.sort(key=lambda r: SEVERITY_ORDER.index(r["severity"]))
    return AlertsSection(
        available=path.is_file(),
        source=str(path),
        at=None,
        note="" if path.is_file() else NO_ALERTS,
        firing=len(rows),
        by_severity=_by_severity([r["severity"] for r in rows]),
        by_component=dict(sorted(Counter(r["component"] for r in rows).items())),
        rows=rows,
    )


def probes_section(state_dir: Path) -> ProbesSection:
    """Situation scores (the lowest site score first) and the open probe findings."""
    path = state_dir / DB_NAME
    store = FindingStore(state_dir) if path.is_file() else None
    last = store.last_run() if store is not None else None
    if store is None or last is None:
        return ProbesSection(
            available=False,
            source=str(path),
            at=None,
            note=NO_PROBES,
            run_kind=None,
            headline=None,
            scores=[],
            findings=[],
            by_severity={},
        )
    scores = [
        ScoreRow(
            kind=s.kind,
            key=s.key,
            score=s.score,
            level=s.level,
            open=s.open,
            trend=s.trend,
            history=list(s.history),
        )
        for s in current(store)
    ]
    findings = [
        ProbeFindingRow(
            fingerprint=f.fingerprint,
            rule=f.rule,
            severity=f.severity,
            entity=str(f.doc.get("entity", {}).get("id", "")),
            site=f.site,
            zone=f.zone,
            repeats=f.count,
            last_seen=str(f.doc.get("last_seen", "")),
            summary=str(f.doc.get("summary", "")),
            attack=list(f.doc.get("attack", [])),
        )
        for f in store.findings("firing")
    ]
    sites = [s for s in scores if s["kind"] == "site"] or scores
    lowest = min(sites, key=lambda s: (s["score"], s["key"]), default=None)
    headline = None
    if lowest is not None:
        headline = Headline(key=lowest["key"], score=lowest["score"], level=lowest["level"])
    return ProbesSection(
        available=True,
        source=str(path),
        at=float(last["at"]),
        note="",
        run_kind=str(last["kind"]),
        headline=headline,
        scores=scores,
        findings=findings,
        by_severity=_by_severity([f["severity"] for f in findings]),
    )
