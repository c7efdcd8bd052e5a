"""``egovnet plan | apply | backup | drift``: make running equal intended, safely."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.syntax import Syntax
from rich.table import Table

from egovnet.change.engine import ChangeEngine
from egovnet.change.records import ChangeRun
from egovnet.cli.common import console, open_inventory, print_json
from egovnet.inventory.select import select_hosts

Inventory_ = Annotated[
    str | None, typer.Option("-i", "--inventory", help="Inventory (the lab overlay for the twin).")
]
Limit = Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")]
StateDir = Annotated[
    Path,
    typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Backups (git), locks and change records."),
]
Workers = Annotated[int, typer.Option("--workers", help="Devices handled at once.")]
Json = Annotated[bool, typer.Option("--json", help="Print the change record as JSON.")]
IPv6 = Annotated[bool | None, typer.Option("--ipv6/--no-ipv6", help="Override egovnet_ipv6 for this run.")]


def _engine(inventory: str | None, state_dir: Path, workers: int, ipv6: bool | None = None) -> ChangeEngine:
    """The engine every command here starts from, over the inventory ``-i`` names (or the default)."""
    overrides = {"egovnet_ipv6": ipv6} if ipv6 is not None else None
    return ChangeEngine(open_inventory(inventory), state_dir=state_dir, workers=workers, overrides=overrides)


def _run(
    inventory: str | None,
    limit: str | None,
    state_dir: Path,
    workers: int,
    ipv6: bool | None,
    commit: bool,
    batch: int | None = None,
) -> ChangeRun:
    """Plan or apply on the hosts ``--limit`` selects: plan, apply and drift differ only in what they
    do with the record, so the options reach the engine one way for all three."""
    engine = _engine(inventory, state_dir, workers, ipv6)
    return engine.run(select_hosts(engine.inventory, limit), commit=commit, batch=batch, limit=limit)


def _report(run: ChangeRun, as_json: bool, show_commands: bool) -> NoReturn:
    """Print the record (JSON or the summary table) and exit 1 when the run or any host failed."""
    print_json(run.to_dict()) if as_json else _summary(run, show_commands)
    raise typer.Exit(1 if run.failed or any(h.status == "failed" for h in run.hosts) else 0)


def _summary(run: ChangeRun, show_commands: bool) -> None:
    table = Table(
        "host",
        "platform",
        "status",
        "commands",
        "seconds",
        "error",
        title=f"{run.kind} {run.id}",
        title_justify="left",
    )
    colour = {
        "applied": "green",
        "unchanged": "dim",
        "planned": "cyan",
        "rolled_back": "yellow",
        "failed": "red",
        "skipped": "magenta",
    }
    for host in run.hosts:
        table.add_row(
            host.host,
            host.platform,
            f"[{colour[host.status]}]{host.status}[/]",
            str(len(host.commands)),
            f"{host.seconds:.1f}",
            host.error or "",
        )
    if show_commands:
        for host in run.hosts:
            if host.commands:
                console.rule(f"{host.host}: {len(host.commands)} command(s)")
                console.print("\n".join(host.commands), highlight=False, markup=False)
                if host.diff:
                    console.print(Syntax(host.diff, "diff", theme="ansi_dark", word_wrap=True))
    console.print(table)
    console.print(
        f"{run.counts()}; record {run.kind}-{run.id}.json; backups commit {run.backup_commit or '-'}"
    )


def plan(
    inventory: Inventory_ = None,
    limit: Limit = None,
    state_dir: StateDir = Path("var"),
    workers: Workers = 20,
    ipv6: IPv6 = None,
    as_json: Json = False,
) -> None:
    """Show, per host, the exact commands that would make running equal intended, and the diff."""
    _report(_run(inventory, limit, state_dir, workers, ipv6, commit=False), as_json, show_commands=True)


def apply(
    inventory: Inventory_ = None,
    limit: Limit = None,
    state_dir: StateDir = Path("var"),
    workers: Workers = 20,
    ipv6: IPv6 = None,
    as_json: Json = False,
    commit: Annotated[
        bool, typer.Option("--commit", help="Really change the devices (default: dry run).")
    ] = False,
    batch: Annotated[
        int | None, typer.Option("--batch", help="Hosts per wave; stop after a failed wave.")
    ] = None,
) -> None:
    """Back up, send the remediation, save/commit, verify; restore on any failure. Dry run unless --commit."""
    run = _run(inventory, limit, state_dir, workers, ipv6, commit=commit, batch=batch)
    _report(run, as_json, show_commands=not commit)


def backup(
    inventory: Inventory_ = None,
    limit: Limit = None,
    state_dir: StateDir = Path("var"),
    workers: Workers = 20,
) -> None:
    """Store every device's running config in the backup repository (one git commit per run)."""
    engine = _engine(inventory, state_dir, workers)
    errors, commit = engine.backup(select_hosts(engine.inventory, limit))
    failed = {k: v for k, v in errors.items() if v}
    for host, error in sorted(failed.items()):
        console.print(f"[red]{host}[/]: {error}", highlight=False)
    console.print(
        f"backed up {len(errors) - len(failed)} of {len(errors)} devices to "
        f"{engine.backups.path} (commit {commit or 'unchanged'})"
    )
    raise typer.Exit(1 if failed else 0)


def drift(
    inventory: Inventory_ = None,
    limit: Limit = None,
    state_dir: StateDir = Path("var"),
    workers: Workers = 20,
    as_json: Json = False,
) -> None:
    """List hosts whose running config differs from intended (exit 1 when any does)."""
    run = _run(inventory, limit, state_dir, workers, None, commit=False)
    drifted = [h for h in run.hosts if h.status == "planned"]
    if as_json:
        print_json(
            {"drifted": [h.host for h in drifted], "errors": {h.host: h.error for h in run.hosts if h.error}}
        )
    else:
        for host in drifted:
            console.print(f"[yellow]drift[/] {host.host}: {len(host.commands)} command(s) to converge")
        for host in run.hosts:
            if host.error:
                console.print(f"[red]error[/] {host.host}: {host.error}", highlight=False)
        console.print(f"{len(drifted)} of {len(run.hosts)} hosts drifted")
    raise typer.Exit(1 if drifted or any(h.error for h in run.hosts) else 0)
