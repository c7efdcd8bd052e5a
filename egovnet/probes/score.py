"""The situation score (态势评分) per site and per zone, from the open findings, with a trend.

Each firing finding takes points off 100 by severity, growing with the logarithm of its event count
so a flood does not drown everything else but a repeated event still weighs more than a single one:

    score = max(0, 100 - sum(weight[severity] * (1 + log10(count))))

with weights critical 25, major 10, minor 4, warning 2, info 0. Levels: >= 90 安全 (secure),
>= 75 关注 (attention), >= 60 预警 (warning), else 危险 (danger). Scores are recorded after every run
(:meth:`egovnet.probes.store.FindingStore.record_scores`); the trend is the change since the previous
snapshot of the same site or zone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from egovnet.probes.store import FindingStore, StoredFinding

WEIGHTS = {"critical": 25.0, "major": 10.0, "minor": 4.0, "warning": 2.0, "info": 0.0}
LEVELS = ((90.0, "安全 secure"), (75.0, "关注 attention"), (60.0, "预警 warning"), (0.0, "危险 danger"))
UNKNOWN = "unknown"
KINDS = ("site", "zone")


@dataclass(frozen=True)
class Score:
    """One site's or zone's score."""

    kind: str
    key: str
    score: float
    open: int
    trend: float | None
    history: tuple[float, ...]

    @property
    def level(self) -> str:
        """The level name for the score."""
        return next(name for floor, name in LEVELS if self.score >= floor)

    @property
    def arrow(self) -> str:
        """Trend as an arrow (``↑`` better, ``↓`` worse, ``→`` unchanged, ``·`` first snapshot)."""
        if self.trend is None:
            return "·"
        return "↑" if self.trend > 0 else "↓" if self.trend < 0 else "→"


def penalty(finding: StoredFinding) -> float:
    """Points one open finding takes off."""
    return WEIGHTS.get(finding.severity, 0.0) * (1.0 + math.log10(max(1, finding.count)))


def compute(findings: Iterable[StoredFinding], kind: str) -> dict[str, tuple[float, int]]:
    """``{site or zone: (score, open findings)}`` from firing findings."""
    taken: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        if finding.status != "firing":
            continue
        key = (finding.site if kind == "site" else finding.zone) or UNKNOWN
        taken[key] += penalty(finding)
        counts[key] += 1
    return {key: (round(max(0.0, 100.0 - taken[key]), 1), counts[key]) for key in sorted(taken)}


def snapshot(store: FindingStore, now: float | None = None, extra: Iterable[str] = ()) -> None:
    """Record the current scores of every site and zone with findings (and of ``extra`` sites at 100)."""
    firing = store.findings("firing")
    for kind in KINDS:
        scores = compute(firing, kind)
        if kind == "site":
            for key in extra:
                scores.setdefault(key, (100.0, 0))
        for key in store.score_keys(kind):
            scores.setdefault(key, (100.0, 0))  # a site whose findings resolved is back to 100
        store.record_scores(kind, scores, now)


def current(store: FindingStore) -> list[Score]:
    """Scores now, with the trend against the last recorded snapshot (sites first, then zones)."""
    firing = store.findings("firing")
    result: list[Score] = []
    for kind in KINDS:
        scores = compute(firing, kind)
        for key in store.score_keys(kind):
            scores.setdefault(key, (100.0, 0))
        for key, (value, count) in sorted(scores.items(), key=lambda item: (item[1][0], item[0])):
            history = store.score_history(kind, key)
            previous = [past for _, past in history]
            trend = None
            if len(previous) >= 2:
                trend = round(previous[-1] - previous[-2], 1)
            result.append(Score(kind, key, value, count, trend, tuple(previous)))
    return result
