"""``egovnet probe ...``: security-situation probes (passive, active, status, gateways, marks)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.table import Table

from egovnet.cli.common import console, err_console, open_inventory, print_json
from egovnet.probes.findings import iso

if TYPE_CHECKING:
    from egovnet.probes.settings import ProbeSettings

app = typer.Typer(
    help="Security-situation probes (态势感知): passive detectors, active checks, situation score.",
    no_args_is_help=True,
)

InventoryPath = Annotated[
    str | None, typer.Option("-i", "--inventory", help="Inventory (the twin's overlay too).")
]
StateDir = Annotated[
    Path, typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Where probes.sqlite is kept.")
]
Settings = Annotated[Path | None, typer.Option("--settings", help="Probe settings (monitors/probes.yml).")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine output.")]
Deliver = Annotated[
    bool,
    typer.Option(
        "--deliver", help="Push the alert outbox to the sinks now (else the monitor's dispatcher does)."
    ),
]
Zone = Annotated[str | None, typer.Option("--zone", help="Security zone the probe stands in.")]
SEVERITY_STYLE = {
    "critical": "bold red",
    "major": "red",
    "minor": "yellow",
    "warning": "yellow",
    "info": "dim",
}


def _fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]{message}[/]", highlight=False)
    raise typer.Exit(code)


def _settings(path: Path | None) -> ProbeSettings:
    from egovnet.probes.settings import load_settings

    try:
        return load_settings(path)
    except (FileNotFoundError, ValueError) as exc:
        _fail(f"probe settings: {exc}", 2)


def _ready(message: str) -> None:
    """One line on stderr once a capture is set up: wrappers and tests start sending after it."""
    err_console.print(message, highlight=False)
    err_console.file.flush()


def _findings_table(docs: list[dict[str, Any]]) -> Table:
    table = Table("severity", "rule", "ATT&CK", "entity", "site", "count", "last seen", "summary", box=None)
    order = {"critical": 0, "major": 1, "minor": 2, "warning": 3, "info": 4}
    for doc in sorted(docs, key=lambda d: (order.get(d["severity"], 9), d["rule"])):
        style = SEVERITY_STYLE.get(doc["severity"], "")
        table.add_row(
            f"[{style}]{doc['severity']}[/]",
            doc["rule"],
            ",".join(doc["attack"]),
            str(doc["entity"].get("id")),
            str(doc["entity"].get("site") or ""),
            str(doc["count"]),
            doc["last_seen"],
            doc["summary"],
        )
    return table


@app.command("passive")
def passive(
    pcap: Annotated[Path | None, typer.Option("--pcap", help="Read a pcap/pcapng capture.")] = None,
    iface: Annotated[str | None, typer.Option("--iface", help="Capture live on this interface.")] = None,
    duration: Annotated[float, typer.Option("--duration", min=0.1, help="Live capture seconds.")] = 60.0,
    detector: Annotated[list[str] | None, typer.Option("--detector", help="Only these detectors.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Site whose LAN the probe watches.")] = None,
    zone: Zone = None,
    gateways: Annotated[Path | None, typer.Option("--gateways", help="Gateway table file.")] = None,
    inventory: InventoryPath = None,
    settings: Settings = None,
    state_dir: StateDir = Path("var"),
    deliver: Deliver = False,
    as_json: AsJson = False,
) -> None:
    """Run the passive detectors over a capture file or a live interface."""
    from egovnet.probes.context import ProbeContext
    from egovnet.probes.detectors import DETECTORS
    from egovnet.probes.gateways import load_gateways
    from egovnet.probes.passive import run_capture, run_interface
    from egovnet.probes.pcap import CaptureError
    from egovnet.probes.runner import record
    from egovnet.probes.store import FindingStore

    if (pcap is None) == (iface is None):
        _fail("give exactly one of --pcap FILE or --iface IFACE", 2)
    inv = open_inventory(inventory)
    config = _settings(settings)
    try:
        table = load_gateways(gateways)
        context = ProbeContext.from_inventory(inv, config, table, site=site, zone=zone)
    except (FileNotFoundError, KeyError) as exc:
        _fail(str(exc), 2)
    names = detector or list(DETECTORS)
    try:
        if pcap is not None:
            result = run_capture(pcap, context, names)
            source = str(pcap)
        else:
            assert iface is not None
            result = run_interface(iface, context, duration, names, lambda: _ready(f"capturing on {iface}"))
            source = f"iface:{iface}"
    except (CaptureError, FileNotFoundError, KeyError) as exc:
        _fail(str(exc), 2)
    except PermissionError:
        _fail("live capture needs CAP_NET_RAW (run as root)", 2)
    stats = result.stats
    detail = {
        "frames": stats.frames,
        "hits": stats.hits,
        "seconds": round(stats.seconds, 3),
        "drops": stats.drops,
    }
    outcome = record(
        FindingStore(state_dir),
        result.book,
        "passive",
        source,
        detail,
        quiet=config.quiet_periods(names),
        sites=[site] if site else None,
        deliver=deliver,
    )
    if as_json:
        print_json(
            {"source": source, "stats": detail, "findings": outcome.findings, "alerts": outcome.alerts}
        )
        return
    console.print(
        f"{stats.frames} frames read in {stats.seconds:.2f} s ({stats.rate:,.0f}/s), "
        f"{stats.hits} to detectors"
        + (f", [red]{stats.drops} dropped by the kernel[/]" if stats.drops else "")
    )
    if outcome.findings:
        console.print(_findings_table(outcome.findings))
    else:
        console.print("[green]no findings[/]")


@app.command("active")
def active(
    limit: Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")] = None,
    check: Annotated[list[str] | None, typer.Option("--check", help="Checks to run (repeatable).")] = None,
    zone: Zone = None,
    iface: Annotated[str | None, typer.Option("--iface", help="Sender leg (ra_guard, dhcp_sweep).")] = None,
    listen_iface: Annotated[
        str | None, typer.Option("--listen-iface", help="Listener leg (ra_guard).")
    ] = None,
    receiver: Annotated[
        str | None, typer.Option("--receiver", help="Receiver probe point (fw_policy).")
    ] = None,
    marks: Annotated[Path | None, typer.Option("--marks", help="Receiver's marks file (fw_policy).")] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", help="Exposure: only these services.")
    ] = None,
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="Only targets inside these networks (repeatable).")
    ] = None,
    rate: Annotated[
        float | None, typer.Option("--rate", min=0.1, max=100.0, help="Packets per second.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.1, max=10.0, help="Seconds per answer.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be sent; send nothing.")
    ] = False,
    inventory: InventoryPath = None,
    settings: Settings = None,
    state_dir: StateDir = Path("var"),
    deliver: Deliver = False,
    as_json: AsJson = False,
) -> None:
    """Run active checks (rate-limited) against inventory devices selected with --limit."""
    from egovnet.probes.active import ActiveRun, CheckError, run_checks
    from egovnet.probes.active.ratelimit import RateLimiter
    from egovnet.probes.active.targets import select_targets
    from egovnet.probes.context import ProbeContext
    from egovnet.probes.findings import FindingBook
    from egovnet.probes.runner import record
    from egovnet.probes.store import FindingStore

    inv = open_inventory(inventory)
    config = _settings(settings)
    if rate is not None:
        config.active.rate_pps = rate
    if timeout is not None:
        config.active.timeout_s = timeout
    context = ProbeContext.from_inventory(inv, config, zone=zone, scope=f"zone:{zone or 'management'}")
    try:
        targets = select_targets(inv, limit, scope)
    except ValueError as exc:
        _fail(str(exc), 2)
    run = ActiveRun(
        context=context,
        targets=targets,
        book=FindingBook(scope=context.scope),
        limiter=RateLimiter(config.active.rate_pps),
        interface=iface,
        listen_interface=listen_iface,
        receiver=receiver,
        marks=str(marks) if marks else None,
        services=service,
        dry_run=dry_run,
    )
    started = time.monotonic()
    try:
        covered = run_checks(run, check)
    except CheckError as exc:
        _fail(str(exc), 2)
    except PermissionError:
        _fail("this check needs CAP_NET_RAW (run as root)", 2)
    if dry_run:
        if as_json:
            print_json({"planned": run.planned})
        else:
            for line in run.planned:
                console.print(line, highlight=False)
            console.print(f"{len(run.planned)} probe(s) planned, nothing sent")
        return
    detail = {"checks": sorted(covered), "targets": len(targets), "packets": run.limiter.sent}
    outcome = record(
        FindingStore(state_dir), run.book, "active", limit or "all", detail, covered=covered, deliver=deliver
    )
    if as_json:
        print_json(
            {
                "stats": detail,
                "findings": outcome.findings,
                "resolved": outcome.resolved,
                "alerts": outcome.alerts,
            }
        )
        return
    console.print(
        f"{len(targets)} target(s), checks {', '.join(sorted(covered))}, {run.limiter.sent} probe packets in "
        f"{time.monotonic() - started:.1f} s; {len(outcome.resolved)} earlier finding(s) resolved"
    )
    console.print(_findings_table(outcome.findings) if outcome.findings else "[green]no findings[/]")


@app.command("status")
def status(
    state_dir: StateDir = Path("var"),
    every: Annotated[bool, typer.Option("--all", help="Include resolved findings.")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write an HTML report here.")] = None,
    as_json: AsJson = False,
) -> None:
    """Situation score per site and zone (with trend) and the open findings."""
    from egovnet.probes.report import html_page
    from egovnet.probes.score import current
    from egovnet.probes.store import FindingStore

    store = FindingStore(state_dir)
    scores = current(store)
    findings = store.findings(None if every else "firing")
    last = store.last_run()
    if html is not None:
        html.write_text(html_page(scores, findings), encoding="utf-8")
    if as_json:
        print_json(
            {
                "last_run": last,
                "scores": [
                    {"kind": s.kind, "key": s.key, "score": s.score, "level": s.level, "open": s.open,
                     "trend": s.trend, "history": list(s.history)}
                    for s in scores
                ],
                "findings": [f.doc for f in findings],
            }
        )  # fmt: skip
        return
    if last is None:
        console.print("[yellow]no probe run recorded yet[/] (a silent probe is not a clean network)")
    else:
        console.print(f"last run: {last['kind']} {last['source']} at {iso(last['at'])}", highlight=False)
    table = Table("scope", "name", "score", "level", "trend", "open", "history", box=None)
    for item in scores:
        history = " ".join(f"{value:.0f}" for value in item.history[-8:])
        trend = "" if item.trend is None else f"{item.trend:+.1f}"
        table.add_row(
            item.kind,
            item.key,
            f"{item.score:.1f}",
            item.level,
            f"{item.arrow} {trend}",
            str(item.open),
            history,
        )
    console.print(table)
    docs = [f.doc for f in findings]
    console.print(_findings_table(docs) if docs else "[green]no open findings[/]")


@app.command("gateways")
def gateways(
    inventory: InventoryPath = None,
    macs: Annotated[
        Path | None, typer.Option("--macs", help="Observed MACs: YAML {device: {iface: mac}}.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the table.")] = Path(
        "monitors/probe-gateways.yml"
    ),
    check: Annotated[bool, typer.Option("--check", help="Fail if the file is not up to date.")] = False,
) -> None:
    """Generate the gateway table (ARP seeds, RA allow-list) from the inventory and a MAC source."""
    from egovnet.probes.gateways import build_gateways, read_observed

    inv = open_inventory(inventory)
    table = build_gateways(inv, read_observed(macs) if macs else None)
    text = table.as_yaml()
    if check:
        current_text = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current_text != text:
            _fail(f"{output} is out of date: run egovnet probe gateways", 1)
        console.print(f"{output} is up to date ({len(table.sites)} site LANs)")
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}: {len(table.sites)} site LANs")


@app.command("marks")
def marks(
    iface: Annotated[str, typer.Option("--iface", help="Receiver leg.")],
    out: Annotated[Path, typer.Option("--out", help="Write arrivals (JSON) here when done.")],
    duration: Annotated[
        float, typer.Option("--duration", min=0.5, max=600.0, help="Seconds to listen.")
    ] = 30.0,
) -> None:
    """Receiver probe point of the firewall-policy check: record marked packets for --duration."""
    from egovnet.probes.active.fw_policy import listen_marks

    try:
        result = listen_marks(iface, duration, out, lambda: _ready(f"listening for marks on {iface}"))
    except PermissionError:
        _fail("listening needs CAP_NET_RAW (run as root)", 2)
    console.print(f"{len(result['udp'])} UDP and {len(result['tcp'])} TCP marks -> {out}")
