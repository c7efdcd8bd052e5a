"""After a probe run: store the findings, resolve what went quiet or passed, score, publish alerts.

The CLI and any scheduler call :func:`record` with a run's finding book; the same steps follow every
passive and active run, so the store, the situation score and the alert feed never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from egovnet.probes import alerts, score
from egovnet.probes.findings import FindingBook
from egovnet.probes.store import FindingStore


@dataclass
class Outcome:
    """What one run changed.

    Attributes:
        findings: finding documents of this run, as stored (counts include earlier runs).
        resolved: fingerprints this run resolved.
        alerts: the alert feed's lifecycle events this run caused (``noc-alert/1``: new firing
            alerts and resolutions; a repeated finding only updates its alert).
    """

    findings: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)


def record(
    store: FindingStore,
    book: FindingBook,
    kind: str,
    source: str,
    detail: dict[str, Any],
    *,
    quiet: dict[str, float] | None = None,
    covered: dict[str, list[str]] | None = None,
    sites: list[str] | None = None,
    deliver: bool = False,
) -> Outcome:
    """Store ``book``; resolve passive findings quiet for ``quiet`` seconds per detector, or active
    findings of ``covered`` checks/entities not seen again; snapshot scores; publish alerts."""
    stored = store.merge(book)
    seen = {item.fingerprint for item in stored}
    resolved: list[str] = []
    if quiet:
        resolved += [fp for fp in store.resolve_quiet(quiet) if fp not in seen]
    for check, entities in (covered or {}).items():
        resolved += store.resolve_passed([check], entities, seen)
    score.snapshot(store, extra=sites or ())
    store.record_run(kind, source, {**detail, "findings": len(stored), "resolved": len(resolved)})
    gone = [item.doc for item in store.findings("resolved") if item.fingerprint in set(resolved)]
    published = alerts.publish([item.doc for item in stored] + gone, store.path.parent, deliver)
    return Outcome([item.doc for item in stored], resolved, published)
