"""``egovnet indicators``: the plan's indicator table, from the latest poll (or a fresh one)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egovnet.cli.common import console, default_inventory, err_console, open_inventory, print_json
from egovnet.monitor import paths
from egovnet.monitor.export import snapshot_from_json
from egovnet.monitor.history import History
from egovnet.monitor.indicators import Result, evaluate_all, load_indicators
from egovnet.monitor.metrics import catalog
from egovnet.monitor.plan import load_plan
from egovnet.monitor.service import Monitor, Options

app = typer.Typer(help="The plan's indicators: value, target, met, and the sites that pull them down.")

SHOWN_SITES = 8
_UNIT = {"percent": "%", "mbps": "Mb/s"}


def _value(result: Result) -> str:
    if result.value is None:
        return "—"
    return f"{result.value:.1f} {_UNIT[result.indicator.unit]}"


def _table(results: list[Result], history: History | None) -> None:
    table = Table(title="indicators", title_justify="left")
    for heading in ("indicator", "名称", "value", "target", "met"):
        table.add_column(heading, no_wrap=True)
    table.add_column("pulled down by", overflow="fold", ratio=1)  # the long column folds, never the names
    for result in results:
        ind = result.indicator
        met = {True: "[green]yes[/]", False: "[red]no[/]", None: "[dim]no data[/]"}[result.met]
        sites = result.pulling_down
        shown = ", ".join(sites[:SHOWN_SITES]) + (
            f" (+{len(sites) - SHOWN_SITES})" if len(sites) > SHOWN_SITES else ""
        )
        trend = ""
        if history is not None:
            values = [v for _, v, _ in history.trend(ind.id, 8) if v is not None]
            if len(values) > 1:
                trend = f"  trend {values[0]:.1f} → {values[-1]:.1f}"
        target = f"{ind.direction} {ind.target:g} {_UNIT[ind.unit]}"
        table.add_row(ind.id, ind.name_zh, _value(result) + trend, target, met, shown)
    console.print(table)


@app.callback(invoke_without_command=True)
def indicators(
    inventory: Annotated[str | None, typer.Option("-i", "--inventory", help="Inventory.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    poll: Annotated[
        bool, typer.Option("--poll", help="Poll the devices now instead of reading the last cycle.")
    ] = False,
    limit: Annotated[str | None, typer.Option("--limit", "-l", help="With --poll: host pattern.")] = None,
    state_dir: Annotated[Path, typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR")] = Path("var"),
) -> None:
    """Print every indicator: value, target, met or not, and the sites that pull it down."""
    inv = open_inventory(inventory or default_inventory(), as_json)
    if poll:
        options = Options(Path(inventory or default_inventory()), limit, state_dir, deliver=False)

        async def fresh() -> list[Result]:
            monitor = Monitor(options, inv)
            try:
                return (await monitor.cycle()).indicators
            finally:
                await monitor.close()

        results = asyncio.run(fresh())
    else:
        snapshot_file = state_dir / "monitor" / "snapshot.json"
        if not snapshot_file.exists():
            err_console.print(f"no poll yet ({snapshot_file}): run `egovnet monitor once` or use --poll")
            raise typer.Exit(2)
        data = json.loads(snapshot_file.read_text(encoding="utf-8"))
        snapshot = snapshot_from_json(data, catalog(load_plan(paths.plan_file())))
        history_file = state_dir / "monitor" / "history.db"
        history = History(history_file) if history_file.exists() else None
        try:
            availability = history.availability if history is not None else None
            results = evaluate_all(load_indicators(paths.indicators_file()), inv, snapshot, availability)
        finally:
            if history is not None:
                history.close()
    if as_json:
        print_json([r.to_json() for r in results])
        return
    history_file = state_dir / "monitor" / "history.db"
    history = History(history_file) if history_file.exists() else None
    try:
        _table(results, history)
    finally:
        if history is not None:
            history.close()
    met = sum(1 for r in results if r.met)
    measured = sum(1 for r in results if r.met is not None)
    console.print(
        f"{met} of {measured} measured indicators meet their target; {len(results) - measured} without data"
    )
