"""``egovnet verify failover``: prove a site survives the loss of its primary uplink."""

from __future__ import annotations

from typing import Annotated

import typer

from egovnet.cli.common import console, open_inventory, print_json
from egovnet.verify.failover import FailoverError, device_actions, plan_drill, run_drill, twin_actions

app = typer.Typer(help="Verification drills (redundant links).", no_args_is_help=True)


@app.command("failover")
def failover(
    site: Annotated[str, typer.Option("--site", help="Site id (e.g. qishan_v01).")],
    inventory: Annotated[str | None, typer.Option("-i", "--inventory")] = None,
    twin: Annotated[
        str | None, typer.Option("--twin", help="Run dir of a twin: cut the link by fault injection.")
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Real network: really shut the far-end port.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation (real network).")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Take the primary uplink down, check the site still reaches the core, restore it, report."""
    inv = open_inventory(inventory)
    try:
        drill = plan_drill(inv, site)
    except FailoverError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    console.print(
        f"site {site}: {drill.device}, primary {drill.primary.a_interface} -> {drill.primary.b_device} "
        f"{drill.primary.b_interface}; backups: {len(drill.backups)}; target {drill.target}"
    )
    if twin:
        cut, restore = twin_actions(twin)
    elif commit:
        if not yes and not typer.confirm(
            f"Shut {drill.primary.b_device} {drill.primary.b_interface} on the real network for the drill?"
        ):
            raise typer.Exit(1)
        cut, restore = device_actions(inv)
    else:
        console.print("dry run: nothing taken down (use --twin RUN_DIR, or --commit on a real network)")
        return
    result = run_drill(inv, drill, cut, restore)
    if as_json:
        print_json(result.to_dict())
    else:
        for step in result.steps:
            console.print(f"  {step}")
        console.print("[green]failover OK[/]" if result.ok else "[red]failover FAILED[/]")
    raise typer.Exit(0 if result.ok else 1)
