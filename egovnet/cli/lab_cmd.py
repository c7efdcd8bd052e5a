"""``egovnet lab ...``: the digital twin (up, status, down, fault, heal)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from egovnet.cli.common import console, default_inventory, err_console, open_inventory, print_json
from egovnet.lab import faults
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
) -> None:
    """Start the twin of the inventory (all devices, or those --limit selects)."""
    path = inventory or default_inventory()
    open_inventory(path)  # validate first: a broken inventory exits 2 with every error
    if detach:
        _detach(path, limit, ssh_port, snmp_port, run_dir, wait, devices, telnet_port)
        return
    options = LabOptions(Path(path), run_dir, limit, ssh_port, snmp_port, devices, telnet_port=telnet_port)

    def ready(runtime: LabRuntime) -> None:
        status = runtime.status()
        console.print(
            f"[green]twin up[/]: {status['devices']} devices, SSH port {ssh_port}, SNMP port "
            f"{snmp_port}; use [bold]-i {status['overlay']}[/] (Ctrl-C stops it)"
        )

    try:
        asyncio.run(serve(options, ready))
    except OSError as exc:
        _fail(f"cannot start the twin: {exc}")


def _detach(
    path: str,
    limit: str | None,
    ssh_port: int,
    snmp_port: int,
    run_dir: Path,
    wait: float,
    devices: int | None,
    telnet_port: int = 23,
) -> None:
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
        path,
        "--ssh-port",
        str(ssh_port),
        "--snmp-port",
        str(snmp_port),
        "--telnet-port",
        str(telnet_port),
        "--run-dir",
        str(run_dir),
    ]
    if limit:
        args += ["--limit", limit]
    if devices:
        args += ["--devices", str(devices)]
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
