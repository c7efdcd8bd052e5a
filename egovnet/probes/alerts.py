"""Findings into the NOC alert feed (:mod:`egovnet.alerts`).

The feed owns the alert object (``noc-alert/1``), its lifecycle, the durable outbox and the sinks;
the probe hands in observations. Each finding becomes one :class:`egovnet.alerts.AlertRecord`-shaped
record with the finding's own fingerprint (``sha256(rule|entity|scope)[:16]``, the same formula as
the feed's), so a repeated event updates one alert; ATT&CK ids ride along in ``rule.attack``;
evidence carries the packet samples (headers only) and the detector's numbers, never a community.
A finding the probe resolved is handed in as ``resolved``.

The outbox is delivered by the long-running dispatcher (the monitor service) or, for a one-shot
``egovnet probe ... --deliver``, right away.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from egovnet.probes.rules import RULES


def to_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The alert-feed observation of one finding document (:meth:`Finding.as_dict` / the store)."""
    rule = RULES[doc["rule"]]
    return {
        "status": "resolved" if doc.get("status") == "resolved" else "firing",
        "severity": doc["severity"],
        "rule": {
            "id": rule.id,
            "name": rule.name,
            "category": rule.category,
            "mlps": list(rule.mlps),
            "attack": list(rule.attack),
        },
        "entity": doc["entity"],
        "summary": doc["summary"],
        "source": {"component": f"probe-{rule.detector}"},
        "fingerprint": doc["fingerprint"],
        "scope": doc.get("scope", ""),
        "description": rule.name,
        "remediation": rule.remediation,
        "evidence": {
            "samples": doc.get("evidence", []),
            "facts": doc.get("facts", {}),
            "events": doc.get("count", 1),
            "first_event": doc.get("first_seen"),
            "last_event": doc.get("last_seen"),
        },
        "labels": {"origin": "probe", **doc.get("labels", {})},
        "links": {"runbook": f"egovnet/probes/rules.py#{rule.id}"},
    }


def publish(
    docs: Iterable[dict[str, Any]], state_dir: str | Path, deliver: bool = False
) -> list[dict[str, Any]]:
    """Hand the findings to the alert feed kept under ``state_dir``; returns the lifecycle events."""
    from egovnet.alerts import publish as feed
    from egovnet.alerts import state_path

    records = [to_record(doc) for doc in docs]
    if not records:
        return []
    return feed(records, store=state_path(Path(state_dir)), deliver=deliver)
