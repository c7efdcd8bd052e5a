"""``egovnet lab ...``: the digital twin (up, status, down, fault, heal)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from egovnet.cli.common import console, default_inventory, err_console, open_inventory, print_json
from egovnet.lab import faults
from egovnet.lab.backups import BackupLoadError, read_backups, served_dialects
from egovnet.lab.control import LabClient, LabNotRunningError
from egovnet.lab.runtime import LabOptions, LabRuntime, serve

app = typer.Typer(
    help="The digital twin: the inventory simulated over real SSH and SNMP on 127.0.0.0/8.",
    no_args_is_help=True,
)

RunDir = Annotated[
    Path,
    typer.Option(
        "--run-dir", envvar="EGOVNET_LAB_DIR", help="Where the twin keeps its overlay, key, state and socket."
    ),
]
DEFAULT_RUN_DIR = Path("lab-run")


def _client(run_dir: Path) -> LabClient:
    return LabClient(run_dir)


def _fail(message: str) -> None:
    err_console.print(f"[red]{message}[/]", highlight=False)
    raise typer.Exit(1)


@app.command("up")
def up(
    inventory: Annotated[str | None, typer.Option("-i", "--inventory", help="County inventory.")] = None,
    limit: Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")] = None,
    detach: Annotated[bool, typer.Option("--detach", help="Run in the background and return.")] = False,
    ssh_port: Annotated[int, typer.Option(help="SSH port on every device address.")] = 22,
    snmp_port: Annotated[int, typer.Option(help="SNMP (UDP) port on every device address.")] = 161,
    telnet_port: Annotated[
        int, typer.Option(help="Telnet port of devices whose configuration enables telnet.")
    ] = 23,
    devices: Annotated[
        int | None, typer.Option(help="Grow the twin to this many devices (scale tests).")
    ] = None,
    run_dir: RunDir = DEFAULT_RUN_DIR,
    wait: Annotated[float, typer.Option(help="Seconds to wait for a detached twin to come up.")] = 120.0,
    from_backups: Annotated[
        Path | None,
        typer.Option(
            "--from-backups",
            metavar="DIR",
            help="Boot each device that has DIR/<host>.cfg (an `egovnet backup` repository) with it.",
        ),
    ] = None,
    revision: Annotated[
        str | None,
        typer.Option(
            metavar="REV",
            help="With --from-backups: the git revision of DIR to read (default: the files as they are).",
        ),
    ] = None,
) -> None:
    """Start the twin of the inventory (all devices, or those --limit selects).

    With --from-backups DIR, every served device that has DIR/<host>.cfg (as `egovnet backup` wrote
    it) boots with that text as its running and saved configuration and prints it back byte for byte
    until it is changed; interfaces, addresses, LLDP, SNMP and telnet follow from it. Devices without
    a backup keep their generated configuration and are listed in a warning. A backup the device's
    dialect cannot read stops the start (exit 2, nothing started), naming the file and line. Rehearse
    a change on the real configurations this way before applying it to the devices.
    """
    path = inventory or default_inventory()
    county = open_inventory(path)  # validate first: a broken inventory exits 2 with every error
    if revision is not None and from_backups is None:
        raise typer.BadParameter("--revision needs --from-backups", param_hint="--revision")
    options = LabOptions(
        Path(path),
        run_dir,
        limit,
        ssh_port,
        snmp_port,
        devices,
        telnet_port=telnet_port,
        backups=from_backups,
        backup_revision=revision,
    )
    if detach:
        if from_backups is not None:  # checked here too, so a bad backup starts nothing
            _refuse_bad_backups(lambda: read_backups(from_backups, revision, served_dialects(county, limit)))
        _detach(options, wait)
        return

    def ready(runtime: LabRuntime) -> None:
        status = runtime.status()
        console.print(
            f"[green]twin up[/]: {status['devices']} devices, SSH port {ssh_port}, SNMP port "
            f"{snmp_port}; use [bold]-i {status['overlay']}[/] (Ctrl-C stops it)"
        )
        _print_backups(status.get("backups"))

    try:
        _refuse_bad_backups(lambda: asyncio.run(serve(options, ready)))
    except OSError as exc:
        _fail(f"cannot start the twin: {exc}")


def _refuse_bad_backups(action: Callable[[], object]) -> None:
    """Run ``action``; a backup the twin cannot boot from exits 2 with the file and line."""
    try:
        action()
    except BackupLoadError as exc:
        err_console.print(f"[red]cannot boot from the backups[/]: {exc}", highlight=False)
        raise typer.Exit(2) from None


def _print_backups(summary: dict[str, Any] | None) -> None:
    """Say how many devices booted from backups, and warn about those that had none."""
    if not summary:
        return
    console.print(f"{summary['loaded']} devices booted from the backups in {summary['source']}")
    missing = summary["missing"]
    if missing:
        err_console.print(
            f"[yellow]warning[/]: {len(missing)} devices have no backup in {summary['source']} and keep "
            f"their generated configuration: {', '.join(missing)}",
            highlight=False,
        )


def _detach(options: LabOptions, wait: float) -> None:
    run_dir = options.run_dir
    client = _client(run_dir)
    try:
        client.status()
        _fail(f"a twin is already running in {run_dir} (egovnet lab down first)")
    except LabNotRunningError:
        pass
    run_dir.mkdir(parents=True, exist_ok=True)
    args = [
        sys.executable,
        "-m",
        "egovnet.cli.main",
        "lab",
        "up",
        "-i",
        str(options.inventory),
        "--ssh-port",
        str(options.ssh_port),
        "--snmp-port",
        str(options.snmp_port),
        "--telnet-port",
        str(options.telnet_port),
        "--run-dir",
        str(run_dir),
    ]
    if options.limit:
        args += ["--limit", options.limit]
    if options.devices:
        args += ["--devices", str(options.devices)]
    if options.backups is not None:
        args += ["--from-backups", str(options.backups)]
    if options.backup_revision is not None:
        args += ["--revision", options.backup_revision]
    with (run_dir / "lab.log").open("ab") as log:
        process = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=os.environ.copy(),
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _fail(f"the twin exited with status {process.returncode}; see {run_dir / 'lab.log'}")
        try:
            status = client.status()
        except (LabNotRunningError, RuntimeError, OSError):
            time.sleep(0.2)
            continue
        console.print(
            f"[green]twin up[/] (pid {status['pid']}): {status['devices']} devices; use "
            f"[bold]-i {status['overlay']}[/]"
        )
        _print_backups(status.get("backups"))
        return
    process.terminate()
    _fail(f"the twin did not come up within {wait:.0f} s; see {run_dir / 'lab.log'}")


@app.command("status")
def status(
    run_dir: RunDir = DEFAULT_RUN_DIR,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the running twin: devices by platform, ports, overlay, faults."""
    try:
        info: dict[str, Any] = _client(run_dir).status()
    except LabNotRunningError as exc:
        _fail(str(exc))
        return
    if as_json:
        print_json(info)
        return
    console.print(
        f"twin pid {info['pid']}, up {info['uptime_s']} s, {info['devices']} devices, SSH port "
        f"{info['ssh_port']}, SNMP port {info['snmp_port']}, overlay {info['overlay']}"
    )
    table = Table("platform", "devices", box=None)
    for name, count in info["by_platform"].items():
        table.add_row(name, str(count))
    console.print(table)
    _print_backups(info.get("backups"))
    if info["faults"]:
        for device, items in info["faults"].items():
            console.print(f"[yellow]fault[/] {device}: {', '.join(items)}")
    else:
        console.print("no faults injected")


@app.command("down")
def down(run_dir: RunDir = DEFAULT_RUN_DIR, wait: float = 30.0) -> None:
    """Stop the running twin."""
    client = _client(run_dir)
    try:
        pid = int(client.status()["pid"])
        client.stop()
    except LabNotRunningError as exc:
        _fail(str(exc))
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    console.print("twin stopped")


@app.command("fault")
def fault(
    device: Annotated[str, typer.Argument(help="Device name.")],
    kind: Annotated[str, typer.Argument(help="Fault kind: " + ", ".join(faults.KINDS) + ".")],
    args: Annotated[list[str] | None, typer.Argument(help="Arguments of the fault kind.")] = None,
    run_dir: RunDir = DEFAULT_RUN_DIR,
) -> None:
    """Inject a fault into a running twin."""
    try:
        _client(run_dir).fault(device, kind, args or [])
    except (LabNotRunningError, RuntimeError) as exc:
        _fail(str(exc))
    console.print(f"fault {kind} injected on {device}")


@app.command("heal")
def heal(
    device: Annotated[str | None, typer.Argument(help="Device name (default: every device).")] = None,
    run_dir: RunDir = DEFAULT_RUN_DIR,
) -> None:
    """Clear injected faults."""
    try:
        _client(run_dir).heal(device)
    except (LabNotRunningError, RuntimeError) as exc:
        _fail(str(exc))
    console.print(f"healed {device or 'every device'}")
