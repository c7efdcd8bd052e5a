"""``egovnet inventory ...``: check the source of truth and summarise it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from egovnet.cli.common import console, open_inventory, print_json
from egovnet.inventory.summary import summarize

app = typer.Typer(
    help="Validate and summarise the inventory (the county's source of truth).", no_args_is_help=True
)


@app.command("check")
def check(
    path: Annotated[str | None, typer.Argument(help="Inventory directory (default: ansible.cfg's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Validate the inventory; print a summary, or every error with file, key and reason (exit 2)."""
    inventory = open_inventory(path, as_json)
    summary = summarize(inventory)
    if as_json:
        print_json({"valid": True, **summary})
        return
    console.print(
        f"[bold green]inventory OK[/] {summary['inventory']} — {summary['county']}: "
        f"{summary['sites']} sites, {summary['devices']} devices, {summary['links']} links, "
        f"{summary['websites']} websites, {summary['residents']:,} residents"
    )
    for title, key in (
        ("Sites by level", "sites_by_level"),
        ("Devices by level", "devices_by_level"),
        ("Devices by platform", "devices_by_platform"),
        ("Devices by role", "devices_by_role"),
        ("Links by medium", "links_by_medium"),
        ("Links by speed", "links_by_speed"),
        ("Links by role", "links_by_role"),
    ):
        table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
        for name, count in summary[key].items():
            table.add_row(str(name), str(count))
        console.print(table)
