"""The ``egovnet`` command line (typer). Sub-commands live in one module each."""

from __future__ import annotations

from typing import Annotated

import typer

from egovnet import __version__
from egovnet.cli import (
    alerts_cmd,
    audit_cmd,
    change_cmd,
    demo_cmd,
    indicators_cmd,
    inventory_cmd,
    ipv6_cmd,
    lab_cmd,
    monitor_cmd,
    probe_cmd,
    render_cmd,
    report_cmd,
    verify_cmd,
)

app = typer.Typer(
    help="egovnet: provision and audit the county e-government extranet (Nornir + Ansible).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(inventory_cmd.app, name="inventory")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(lab_cmd.app, name="lab")
app.add_typer(ipv6_cmd.app, name="ipv6")
app.add_typer(monitor_cmd.app, name="monitor")
app.add_typer(indicators_cmd.app, name="indicators")
app.add_typer(alerts_cmd.app, name="alerts")
app.add_typer(probe_cmd.app, name="probe")
app.add_typer(verify_cmd.app, name="verify")
app.command("render")(render_cmd.command)
app.command("report")(report_cmd.command)
app.command("demo")(demo_cmd.demo)
for _name in ("plan", "apply", "backup", "drift"):
    app.command(_name)(getattr(change_cmd, _name))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"egovnet {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """egovnet command line."""


def run() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    run()
