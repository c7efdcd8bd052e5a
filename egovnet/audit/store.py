"""Saved runs and what changed between two of them (``egovnet audit diff``).

Every run is one JSON file ``<state>/audits/<run-id>.json``; ids start with a timestamp, so file
order is run order. Findings are compared by fingerprint (policy, rule, entity): a FAIL that was
not failing before is *new*, a FAIL that now passes or needs review is *resolved*, and a FAIL whose
entity the newer run did not look at is *not re-audited* (a ``--limit`` run proves nothing about
the rest of the county).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from egovnet.audit.results import AuditRun, Finding


class RunStore:
    """The directory of saved audit runs."""

    def __init__(self, state_dir: str | Path) -> None:
        self.path = Path(state_dir) / "audits"

    def save(self, run: AuditRun) -> Path:
        """Write ``run`` (once; runs are never rewritten)."""
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / f"{run.id}.json"
        target.write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def ids(self) -> list[str]:
        """Saved run ids, oldest first."""
        if not self.path.is_dir():
            return []
        return sorted(p.stem for p in self.path.glob("*.json"))

    def load(self, ref: str) -> AuditRun:
        """A run by id, unique id prefix, file path, or ``latest`` / ``previous``."""
        path = Path(ref)
        if path.suffix == ".json" and path.is_file():
            return AuditRun.from_dict(json.loads(path.read_text(encoding="utf-8")))
        ids = self.ids()
        if ref in ("latest", "previous"):
            want = 1 if ref == "latest" else 2
            if len(ids) < want:
                raise LookupError(f"no {ref} run in {self.path} ({len(ids)} saved)")
            ref = ids[-want]
        matches = [i for i in ids if i.startswith(ref)]
        if len(matches) != 1:
            raise LookupError(f"{'no' if not matches else 'ambiguous'} audit run {ref!r} in {self.path}")
        return AuditRun.from_dict(json.loads((self.path / f"{matches[0]}.json").read_text(encoding="utf-8")))

    def previous(self, run: AuditRun) -> AuditRun | None:
        """The run saved just before ``run`` (``None`` for the first one)."""
        earlier = [i for i in self.ids() if i < run.id]
        return self.load(earlier[-1]) if earlier else None


@dataclass
class AuditDiff:
    """Findings that changed between an older and a newer run."""

    old_id: str | None
    new_id: str
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    still_failing: list[Finding] = field(default_factory=list)
    not_reaudited: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old_id,
            "new": self.new_id,
            "new_fail": [f.to_dict() for f in self.new],
            "resolved": [f.to_dict() for f in self.resolved],
            "still_failing": [f.to_dict() for f in self.still_failing],
            "not_reaudited": [f.to_dict() for f in self.not_reaudited],
        }


def diff(old: AuditRun | None, new: AuditRun) -> AuditDiff:
    """New, resolved and persisting FAILs from ``old`` to ``new`` (everything is new without ``old``)."""
    result = AuditDiff(old.id if old else None, new.id)
    before = {f.fingerprint: f for f in old.findings} if old else {}
    after = {f.fingerprint: f for f in new.findings}
    for key, finding in after.items():
        if finding.status != "FAIL":
            continue
        previous = before.get(key)
        (result.still_failing if previous is not None and previous.status == "FAIL" else result.new).append(
            finding
        )
    for key, finding in before.items():
        if finding.status != "FAIL":
            continue
        current = after.get(key)
        if current is None:
            result.not_reaudited.append(finding)
        elif current.status != "FAIL":
            result.resolved.append(current)
    return result
