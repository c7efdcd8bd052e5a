"""The monitor's records for the dashboard: the latest snapshot's indicator table, and trends from history.

Indicator rows are the snapshot's own rows, copied as the monitor wrote them (``snapshot.json`` is
written once per cycle with the results of that cycle); the report never re-evaluates a formula, so
its table equals what ``/metrics`` and the alert rules saw. Trends are the history's values of the
same indicators, oldest first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from egovnet.monitor import paths
from egovnet.monitor.export import snapshot_from_json
from egovnet.monitor.history import History
from egovnet.monitor.metrics import Snapshot, catalog
from egovnet.monitor.plan import load_plan
from egovnet.report.model import CyclePoint, IndicatorRow, IndicatorsSection

TREND_POINTS = 20
NO_POLL = "尚无监控记录 / no poll yet: run `egovnet monitor once` (or the monitor service)"


def snapshot_path(state_dir: Path) -> Path:
    """Where ``egovnet monitor`` writes its latest cycle."""
    return state_dir / "monitor" / "snapshot.json"


def history_path(state_dir: Path) -> Path:
    """The monitor's SQLite history."""
    return state_dir / "monitor" / "history.db"


def load_snapshot(state_dir: Path) -> tuple[dict[str, Any], Snapshot] | None:
    """The latest cycle as written (JSON) and as the monitor's model, or ``None`` before the first poll."""
    path = snapshot_path(state_dir)
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data, snapshot_from_json(data, catalog(load_plan(paths.plan_file())))


def _rows(data: dict[str, Any], history: History | None) -> list[IndicatorRow]:
    rows = []
    for item in data.get("indicators", []):
        trend = history.trend(item["id"], TREND_POINTS) if history is not None else []
        rows.append(
            IndicatorRow(
                id=item["id"],
                group=item["group"],
                name_zh=item["name_zh"],
                name_en=item["name_en"],
                unit=item["unit"],
                value=item["value"],
                target=item["target"],
                direction=item["direction"],
                met=item["met"],
                numerator=item.get("numerator"),
                denominator=item.get("denominator"),
                pulling_down=list(item.get("pulling_down", [])),
                unmeasured=list(item.get("unmeasured", [])),
                source=item.get("source", "network"),
                as_of=item.get("as_of"),
                trend=[value for _, value, _ in trend],
                trend_at=[at for at, _, _ in trend],
            )
        )
    return rows


def indicators_section(state_dir: Path, data: dict[str, Any] | None) -> IndicatorsSection:
    """The indicator table of the latest cycle (``data``: the snapshot file's JSON) with trends."""
    source = str(snapshot_path(state_dir))
    if data is None:
        return IndicatorsSection(
            available=False,
            source=source,
            at=None,
            note=NO_POLL,
            cycle=None,
            devices=0,
            answered=0,
            met=0,
            measured=0,
            rows=[],
            cycles=[],
        )
    history = History(history_path(state_dir)) if history_path(state_dir).is_file() else None
    try:
        rows = _rows(data, history)
        cycles = [
            CyclePoint(id=c["id"], started=c["started"], devices=c["devices"], answered=c["answered"])
            for c in reversed(history.cycles(TREND_POINTS) if history is not None else [])
        ]
    finally:
        if history is not None:
            history.close()
    return IndicatorsSection(
        available=True,
        source=source,
        at=float(data["started"]),
        note="",
        cycle=int(data["cycle"]),
        devices=len(data["devices"]),
        answered=int(data["counts"].get("up", 0)),
        met=sum(r["met"] is True for r in rows),
        measured=sum(r["met"] is not None for r in rows),
        rows=rows,
        cycles=cycles,
    )
