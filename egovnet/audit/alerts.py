"""Audit findings into the NOC alert feed: FAILs fire, FAILs that no longer fail resolve.

After each saved run the audit hands ``egovnet.alerts.publish`` one record per FAIL (``firing``: new
ones raise an alert, persisting ones refresh it) and one per FAIL that now passes or needs review
(``resolved``). Records name the alert by the audit's stable identity, ``sha256(policy|rule|entity)``,
so the same broken line on the same device is one alert from night to night. Entities a ``--limit``
run did not look at are left alone: nothing is resolved by not being audited.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from egovnet.audit.redact import redact
from egovnet.audit.results import AuditRun, Finding
from egovnet.audit.store import AuditDiff


def record(finding: Finding, run: AuditRun, status: str) -> dict[str, Any]:
    """The ``egovnet.alerts`` record (``AlertRecord`` fields) of one finding."""
    rule = run.rules.get(finding.rule, {})
    standards = rule.get("standards", {})
    title = rule.get("title", {})
    remediation = rule.get("remediation", {})
    return {
        "status": status,
        "severity": finding.severity,
        "fingerprint": finding.fingerprint,
        "scope": finding.policy,
        "rule": {
            "id": finding.rule,
            "name": title.get("en", finding.rule),
            "name_zh": title.get("zh", ""),
            "category": f"audit.{finding.policy}",
            "mlps": standards.get("mlps", []),
            "mlps_test_unit": standards.get("mlps_unit", []),
            "cis_stig": [f"CIS {c}" for c in standards.get("cis", [])]
            + [f"STIG {s}" for s in standards.get("stig", [])],
        },
        "entity": {"type": finding.entity_kind, "id": finding.entity, "site": finding.site},
        "source": {"component": "audit"},
        "summary": f"{finding.rule} {title.get('en', '')}: {finding.entity}: {finding.message}",
        "remediation": remediation.get("default") or next(iter(remediation.values()), ""),
        "evidence": {"config_lines": [redact(e.text) for e in finding.evidence]},
        "labels": {
            "policy": finding.policy,
            "platform": finding.platform or "",
            "mode": run.mode,
            "run": run.id,
        },
        "links": {"runbook": f"docs/audit.md#{finding.rule.lower()}"},
        "observed_at": run.finished or run.started,
    }


def records_for(changes: AuditDiff, run: AuditRun) -> list[dict[str, Any]]:
    """Firing records for every FAIL of ``run`` (new and persisting), resolved ones for resolved FAILs."""
    failing = [*changes.new, *changes.still_failing]
    return [record(f, run, "firing") for f in failing] + [
        record(f, run, "resolved") for f in changes.resolved
    ]


def publish(
    records: list[dict[str, Any]], state_dir: Path, deliver: bool = False
) -> list[dict[str, Any]] | None:
    """Hand ``records`` to ``egovnet.alerts`` (the outbox under ``state_dir``); return the events it made.

    ``deliver`` also pushes the outbox to the configured sinks now (a one-shot nightly run); without
    it a running dispatcher (the monitor) delivers. ``None`` when ``egovnet.alerts`` is not installed.
    """
    try:
        alerts = importlib.import_module("egovnet.alerts")
    except ImportError:
        return None
    events: list[dict[str, Any]] = alerts.publish(
        records, store=alerts.state_path(state_dir), deliver=deliver
    )
    return events
