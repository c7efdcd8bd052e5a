"""``egovnet monitor once|run|generate``: poll the extranet over SNMP, as a one-off or as a service."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egovnet.cli.common import console, default_inventory, err_console, open_inventory, print_json
from egovnet.monitor import paths
from egovnet.monitor.export import snapshot_json
from egovnet.monitor.metrics import Snapshot
from egovnet.monitor.plan import PlanError
from egovnet.monitor.plan import generate as generate_plan
from egovnet.monitor.service import Monitor, Options

app = typer.Typer(help="SNMP monitor: poll cycles, indicators, alerts (see monitors/).", no_args_is_help=True)

Inventory_ = Annotated[
    str | None, typer.Option("-i", "--inventory", help="Inventory (the lab overlay for the twin).")
]
Limit = Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")]
StateDir = Annotated[
    Path, typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="History, snapshot and alert outbox.")
]
Concurrency = Annotated[int, typer.Option(help="Devices polled at once.")]
Version = Annotated[
    int | None, typer.Option("--snmp-version", help="Force SNMP 2 (v2c) or 3 for every device.")
]
Timeout = Annotated[float | None, typer.Option("--timeout", help="Per-request timeout for every device (s).")]
AlertsFile = Annotated[
    Path | None, typer.Option("--alerts-config", help="Alert rules and sinks (monitors/alerts.yml).")
]


def _options(
    inventory: str | None,
    limit: str | None,
    state_dir: Path,
    concurrency: int,
    version: int | None,
    alerts_config: Path | None,
    timeout: float | None,
) -> Options:
    """The monitor's options from the ones ``once`` and ``run`` share (``run`` adds its own after)."""
    if version not in (None, 2, 3):
        raise typer.BadParameter("--snmp-version is 2 or 3")
    options = Options(Path(inventory or default_inventory()), limit, state_dir, concurrency=concurrency)
    options.snmp_version = version
    options.timeout_s = timeout
    if alerts_config is not None:
        options.alerts_file = alerts_config
    return options


def _summary(snapshot: Snapshot) -> None:
    table = Table(
        "profile", "devices", "up", "varbinds", "PDUs", "slowest s", title=f"cycle {snapshot.cycle}"
    )
    profiles: dict[str, list[int | float]] = {}
    for device in snapshot.devices.values():
        row = profiles.setdefault(device.profile, [0, 0, 0, 0, 0.0])
        row[0] += 1
        row[1] += device.up
        row[2] += device.health.varbinds
        row[3] += device.health.pdus
        row[4] = max(row[4], device.health.seconds)
    for name, (devices, up, varbinds, pdus, slowest) in sorted(profiles.items()):
        style = "" if up == devices else "[yellow]"
        table.add_row(name, str(devices), f"{style}{up}", f"{varbinds:,}", f"{pdus:,}", f"{slowest:.2f}")
    console.print(table)
    failed = [d for d in snapshot.devices.values() if not d.up]
    if failed:
        problems = Table("device", "site", "status", "reason", title="not answering", title_justify="left")
        for device in sorted(failed, key=lambda d: d.device):
            problems.add_row(
                device.device, device.labels["site"], f"[red]{device.health.status}[/]", device.health.reason
            )
        console.print(problems)
    rate = snapshot.varbinds / snapshot.seconds if snapshot.seconds else 0.0
    console.print(
        f"{len(snapshot.devices)} devices polled, {len(failed)} not answering, "
        f"{len(snapshot.unpolled)} not polled "
        f"(fit APs, websites); {snapshot.varbinds:,} varbinds in {snapshot.seconds:.1f} s ({rate:,.0f}/s)"
    )


@app.command()
def once(
    inventory: Inventory_ = None,
    limit: Limit = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the snapshot (devices, metrics, indicators).")
    ] = False,
    state_dir: StateDir = Path("var"),
    concurrency: Concurrency = 50,
    snmp_version: Version = None,
    timeout: Timeout = None,
    alerts_config: AlertsFile = None,
) -> None:
    """Poll every selected device once; exit 1 when a device does not answer."""
    options = _options(inventory, limit, state_dir, concurrency, snmp_version, alerts_config, timeout)

    async def main() -> tuple[Snapshot, dict[str, object]]:
        monitor = Monitor(options, open_inventory(str(options.inventory), as_json))
        try:
            result = await monitor.cycle()
            await monitor.deliver()
            return result.snapshot, snapshot_json(result.snapshot, result.indicators)
        finally:
            await monitor.close()

    snapshot, data = asyncio.run(main())
    if as_json:
        print_json(data)
    else:
        _summary(snapshot)
    if any(not d.up for d in snapshot.devices.values()):
        raise typer.Exit(1)


@app.command()
def run(
    inventory: Inventory_ = None,
    limit: Limit = None,
    interval: Annotated[float, typer.Option(help="Seconds from one cycle's start to the next.")] = 60.0,
    cycles: Annotated[
        int | None, typer.Option(help="Stop after this many cycles (default: run until stopped).")
    ] = None,
    listen: Annotated[
        str, typer.Option(help="ADDRESS:PORT for /metrics; 'none' disables it.")
    ] = "127.0.0.1:9108",
    state_dir: StateDir = Path("var"),
    concurrency: Concurrency = 50,
    snmp_version: Version = None,
    timeout: Timeout = None,
    alerts_config: AlertsFile = None,
) -> None:
    """Run as a service: a cycle every interval, one status line per cycle; SIGINT/SIGTERM stop it cleanly."""
    options = _options(inventory, limit, state_dir, concurrency, snmp_version, alerts_config, timeout)
    options.interval_s = interval
    options.listen = None if listen.lower() == "none" else listen

    def report(line: str) -> None:
        console.print(line, highlight=False)
        sys.stdout.flush()

    async def main() -> int:
        monitor = Monitor(options, open_inventory(str(options.inventory)))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        if monitor.server is not None:
            host = listen.rpartition(":")[0] or "127.0.0.1"
            report(f"metrics on http://{host}:{monitor.server.port}/metrics")
        try:
            return await monitor.run(stop, cycles, report)
        finally:
            await monitor.close()

    done = asyncio.run(main())
    report(f"monitor stopped after {done} cycle(s)")


@app.command()
def generate(
    check: Annotated[
        bool, typer.Option("--check", help="Fail (exit 1) if the committed plan is stale.")
    ] = False,
) -> None:
    """Regenerate monitors/poll-plan.yml from monitors/profiles/ (the snmp_exporter generator pattern)."""
    try:
        text = generate_plan(paths.profiles_dir())
    except (PlanError, ValueError) as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    target = paths.plan_file()
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if check:
        if current != text:
            err_console.print(f"[red]{target} is stale: run `egovnet monitor generate` and commit it[/]")
            raise typer.Exit(1)
        console.print(f"{target} is up to date")
        return
    if current != text:
        target.write_text(text, encoding="utf-8")
        console.print(f"wrote {target}")
    else:
        console.print(f"{target} unchanged")
