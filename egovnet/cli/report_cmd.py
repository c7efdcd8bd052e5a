"""``egovnet report``: the operator's dashboard, one static page from the latest runs' records.

It reads records only (monitor snapshot and history, audit runs, alerts, probes, IPv6 status) and
contacts no device, so it can run from cron after the nightly audit or on a laptop with a copy of
``var/``. Sections whose engine has not run yet say so on the page instead of failing the command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from egovnet.cli.common import console, open_inventory, print_json
from egovnet.report.build import write_report


def command(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Directory for the page (default: STATE_DIR/report).")
    ] = None,
    state_dir: Annotated[
        Path,
        typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Where the engines keep their records."),
    ] = Path("var"),
    inventory: Annotated[
        str | None, typer.Option("-i", "--inventory", help="Inventory (the sites and links of the map).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report document (report.json).")] = False,
) -> None:
    """Write index.html (with report.json and audit.html beside it) and print where it is."""
    inv = open_inventory(inventory, as_json)
    written = write_report(inv, state_dir, out or state_dir / "report")
    if as_json:
        print_json(json.loads(written.document.read_text(encoding="utf-8")))
        return
    console.print(f"dashboard: {written.page.resolve().as_uri()}", highlight=False, soft_wrap=True)
    console.print(f"record:    {written.document}", highlight=False)
