"""``egovnet alerts list|deliver``: the NOC's current alerts, and a one-shot push of the outbox."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egovnet.alerts import AlertStore, deliver_outbox, load_config, state_path
from egovnet.cli.common import console, print_json
from egovnet.monitor import paths

app = typer.Typer(
    help="Alerts from the monitor, audits and probes (one outbox, every NOC channel).", no_args_is_help=True
)

StateDir = Annotated[
    Path, typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Where alerts.db lives.")
]
_COLOUR = {"critical": "bold red", "major": "red", "minor": "yellow", "warning": "yellow", "info": "dim"}


@app.command("list")
def list_alerts(
    as_json: Annotated[bool, typer.Option("--json", help="Print noc-alert/1 objects.")] = False,
    include_resolved: Annotated[bool, typer.Option("--all", help="Include resolved alerts.")] = False,
    state_dir: StateDir = Path("var"),
) -> None:
    """Show the current alerts (firing; with --all also resolved), oldest first."""
    path = state_path(state_dir)
    if not path.exists():
        alerts: list[dict[str, object]] = []
    else:
        store = AlertStore(path)
        try:
            alerts = store.alerts(include_resolved)
        finally:
            store.close()
    if as_json:
        print_json(alerts)
        return
    table = Table("severity", "status", "rule", "entity", "site", "since", "count", "summary", title="alerts")
    for alert in alerts:
        severity = str(alert["severity"])
        entity = alert["entity"] if isinstance(alert["entity"], dict) else {}
        rule = alert["rule"] if isinstance(alert["rule"], dict) else {}
        table.add_row(
            f"[{_COLOUR[severity]}]{severity}[/]",
            str(alert["status"]),
            str(rule.get("id", "")),
            str(entity.get("id", "")),
            str(entity.get("site") or ""),
            str(alert["first_seen"]),
            str(alert["count"]),
            str(alert["summary"]),
        )
    console.print(table)
    firing = sum(1 for a in alerts if a["status"] == "firing")
    console.print(f"{firing} firing" + (f", {len(alerts) - firing} resolved" if include_resolved else ""))


@app.command()
def deliver(
    alerts_config: Annotated[
        Path | None, typer.Option("--alerts-config", help="Sinks (monitors/alerts.yml).")
    ] = None,
    state_dir: StateDir = Path("var"),
) -> None:
    """Push every pending alert event to the configured sinks once; exit 1 if a sink is failing."""
    store = AlertStore(state_path(state_dir))
    try:
        report = asyncio.run(deliver_outbox(store, load_config(alerts_config or paths.alerts_file())))
    finally:
        store.close()
    for sink, count in sorted(report.delivered.items()):
        console.print(f"{sink}: {count} delivered")
    for sink, error in sorted(report.failed.items()):
        console.print(f"[red]{sink}: {error}[/]")
    if report.failed:
        raise typer.Exit(1)
