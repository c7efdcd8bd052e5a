"""``egovnet demo``: the whole mission on the twin (what ``make demo`` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from egovnet.cli.common import console, err_console
from egovnet.demo import DemoOptions, StepError, run_demo

_DEFAULTS = DemoOptions()


def demo(
    inventory: Annotated[
        Path, typer.Option("-i", "--inventory", help="County inventory.")
    ] = _DEFAULTS.inventory,
    out: Annotated[Path, typer.Option("--out", help="Where logs, state, capture and dashboard go.")] = (
        _DEFAULTS.out
    ),
    limit: Annotated[
        str | None, typer.Option("--limit", "-l", help="Twin only this slice (default: the whole county).")
    ] = None,
    township: Annotated[
        str, typer.Option("--township", help="Township migrated to IPv6 and watched by the probe.")
    ] = _DEFAULTS.township,
    ssh_port: Annotated[int, typer.Option(help="Twin SSH port.")] = _DEFAULTS.ssh_port,
    snmp_port: Annotated[int, typer.Option(help="Twin SNMP port.")] = _DEFAULTS.snmp_port,
    telnet_port: Annotated[int, typer.Option(help="Twin telnet port.")] = _DEFAULTS.telnet_port,
    forks: Annotated[int, typer.Option(help="Ansible forks.")] = _DEFAULTS.forks,
) -> None:
    """Twin up, site.yml, an IPv6 wave, audit, monitor, probes, dashboard, twin down."""
    options = DemoOptions(inventory, out, limit, township, ssh_port, snmp_port, telnet_port, forks)
    try:
        run_demo(options, console)
    except StepError as failure:
        err_console.print("[red]demo failed:[/]", end=" ")
        err_console.print(str(failure), highlight=False, markup=False)
        raise typer.Exit(1) from failure
    except ValueError as error:
        err_console.print(f"[red]demo: {error}[/]")
        raise typer.Exit(2) from error
