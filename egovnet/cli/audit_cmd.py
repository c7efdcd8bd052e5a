"""``egovnet audit``: compliance audits, live (devices or the twin) or offline (config backups).

``egovnet audit`` collects and audits; ``audit diff`` compares two saved runs; ``audit show``
re-renders a saved run; ``audit list`` lists them; ``audit rules`` prints the rule catalogue.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from egovnet.audit import PolicyError, RunStore, audit, collect, diff, load_policies, read_directory
from egovnet.audit.alerts import publish, records_for
from egovnet.audit.catalogue import markdown
from egovnet.audit.report import print_diff, print_summary, to_html, to_junit, to_sarif
from egovnet.audit.results import SEVERITIES, AuditRun
from egovnet.change.backup import BackupStore
from egovnet.cli.common import console, err_console, open_inventory, print_json
from egovnet.cli.progress import progress_bar
from egovnet.inventory.select import select_hosts
from egovnet.lab.overlay import served

app = typer.Typer(
    help="Compliance audits: security baseline (MLPS 2.0 level 3), firewall, IDS, IPv6, redundancy, "
    "bandwidth and coverage, as rules in policies/*.yml.",
    invoke_without_command=True,
)

Inventory_ = Annotated[
    str | None, typer.Option("-i", "--inventory", help="Inventory (the lab overlay for the twin).")
]
StateDir = Annotated[
    Path,
    typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Where runs (audits/) and backups live."),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of the summary.")]
FailOn = Annotated[
    str,
    typer.Option(
        "--fail-on",
        help=f"Exit 1 when a FAIL of this severity or worse exists ({', '.join(SEVERITIES)}, none).",
    ),
]


def _write(path: Path | None, text: str) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _outputs(
    run: AuditRun, junit: Path | None, sarif: Path | None, html: Path | None, base: Path | None
) -> None:
    _write(junit, to_junit(run))
    if sarif is not None:
        _write(sarif, json.dumps(to_sarif(run, base), ensure_ascii=False, indent=1))
    _write(html, to_html(run))


def _exit_code(run: AuditRun, fail_on: str) -> int:
    if fail_on == "none":
        return 0
    if fail_on not in SEVERITIES:
        err_console.print(f"[red]--fail-on must be one of {', '.join(SEVERITIES)}, none[/]")
        raise typer.Exit(2)
    return 1 if run.failing(fail_on) else 0


def _progress_collect(inventory: Any, names: list[str], workers: int, state: bool) -> dict[str, Any]:
    with progress_bar("collecting", len(names)) as advance:
        return collect(inventory, names, workers=workers, state=state, progress=lambda _s: advance())


@app.callback()
def main(
    ctx: typer.Context,
    inventory: Inventory_ = None,
    limit: Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")] = None,
    policy: Annotated[
        list[str] | None, typer.Option("--policy", "-p", help="Policy set(s) to apply (default: all).")
    ] = None,
    offline: Annotated[
        Path | None,
        typer.Option("--offline", help="Audit this directory of config backups; no device is contacted."),
    ] = None,
    as_json: Json = False,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Write SARIF 2.1.0 here.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML report here.")] = None,
    fail_on: FailOn = "none",
    state_dir: StateDir = Path("var"),
    save: Annotated[bool, typer.Option("--save/--no-save", help="Keep the run for `audit diff`.")] = True,
    alerts: Annotated[
        bool,
        typer.Option("--alerts/--no-alerts", help="Publish FAILs (and resolved ones) to the alert outbox."),
    ] = True,
    deliver: Annotated[
        bool,
        typer.Option("--deliver", help="Also deliver the alert outbox to the NOC sinks now (nightly runs)."),
    ] = False,
    alerts_file: Annotated[
        Path | None, typer.Option("--alerts-file", help="Also write the alerts as JSON lines here.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Devices read at once.")] = 20,
    read_state: Annotated[
        bool, typer.Option("--state/--no-state", help="Also read interface state and LLDP (live runs).")
    ] = True,
) -> None:
    """Audit the extranet (all policies, or --policy); live over SSH, or --offline DIR from backups."""
    if ctx.invoked_subcommand is not None:
        return
    inv = open_inventory(inventory)
    try:
        policies = load_policies(policy)
    except PolicyError as exc:
        err_console.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    if offline is not None:
        try:
            snapshots = read_directory(offline, inv)
        except (OSError, ValueError) as exc:
            err_console.print(f"[red]{exc}[/]", highlight=False)
            raise typer.Exit(2) from None
        names = sorted(snapshots) if limit is None else sorted(set(snapshots) & set(select_hosts(inv, limit)))
        run = audit(
            policies,
            {n: snapshots[n] for n in names},
            inv,
            mode="offline",
            limit=limit,
            source={"inventory": str(inv.path), "directory": str(offline)},
        )
        base: Path | None = offline
    else:
        names = served(inv, select_hosts(inv, limit))
        snapshots = _progress_collect(inv, names, workers, read_state)
        backups = BackupStore(state_dir / "backups")
        commit = None
        if save:
            backups.ensure()
            for name, snapshot in snapshots.items():
                if snapshot.config is not None:
                    backups.write(name, snapshot.config)
            commit = backups.commit(f"audit: running configs of {len(snapshots)} devices")
        source = {"inventory": str(inv.path), "backups": str(backups.path), "backup_commit": commit or ""}
        run = audit(policies, snapshots, inv, mode="live", scope=names, limit=limit, source=source)
        base = backups.path
    _finish(run, state_dir, save, alerts, deliver, alerts_file)
    _outputs(run, junit, sarif, html, base)
    print_json(run.to_dict()) if as_json else print_summary(run, console)
    raise typer.Exit(_exit_code(run, fail_on))


def _finish(
    run: AuditRun, state_dir: Path, save: bool, alerts: bool, deliver: bool, alerts_file: Path | None
) -> None:
    """Save the run, then hand the FAILs (new, persisting, resolved) to the alert feed."""
    if not save:
        return
    store = RunStore(state_dir)
    store.save(run)
    if not alerts and alerts_file is None:
        return
    records = records_for(diff(store.previous(run), run), run)
    events = publish(records, state_dir, deliver) if alerts else None
    if alerts and events is None:
        err_console.print(f"{len(records)} alert record(s) not published: egovnet.alerts is not installed")
    if alerts_file is not None:
        lines = events if events is not None else records
        _write(alerts_file, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines))


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="Older run: id, id prefix, file, or 'previous'.")] = "previous",
    new: Annotated[str, typer.Argument(help="Newer run: id, id prefix, file, or 'latest'.")] = "latest",
    state_dir: StateDir = Path("var"),
    as_json: Json = False,
) -> None:
    """Show new and resolved FAIL findings between two saved runs (exit 1 when there are new ones)."""
    store = RunStore(state_dir)
    try:
        changes = diff(store.load(old), store.load(new))
    except LookupError as exc:
        err_console.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    print_json(changes.to_dict()) if as_json else print_diff(changes, console)
    raise typer.Exit(1 if changes.new else 0)


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="Run: id, id prefix, file, or 'latest'.")] = "latest",
    state_dir: StateDir = Path("var"),
    as_json: Json = False,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Write SARIF 2.1.0 here.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML report here.")] = None,
) -> None:
    """Render a saved run again (summary, JSON, JUnit, SARIF, HTML)."""
    try:
        run = RunStore(state_dir).load(ref)
    except LookupError as exc:
        err_console.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    base = run.source.get("directory") or run.source.get("backups")
    _outputs(run, junit, sarif, html, Path(base) if base else None)
    print_json(run.to_dict()) if as_json else print_summary(run, console)


@app.command("list")
def list_runs(state_dir: StateDir = Path("var"), as_json: Json = False) -> None:
    """List saved runs, oldest first, with their counts."""
    store = RunStore(state_dir)
    rows = []
    for run_id in store.ids():
        run = store.load(run_id)
        rows.append({"id": run.id, "mode": run.mode, "limit": run.limit, **run.counts()})
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(
            f"{row['id']}  {row['mode']:<7} FAIL {row['FAIL']:>5}  REVIEW {row['REVIEW']:>5}  "
            f"PASS {row['PASS']:>6}  {row['limit'] or ''}",
            highlight=False,
        )


@app.command("rules")
def rules(
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", help="Policy set(s).")] = None,
    as_json: Json = False,
    as_markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the Markdown catalogue embedded in docs/audit.md.")
    ] = False,
) -> None:
    """Print the rule catalogue: id, severity, title, standards."""
    try:
        policies = load_policies(policy)
    except PolicyError as exc:
        err_console.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    if as_markdown:
        typer.echo(markdown(policies), nl=False)
        return
    catalogue = [rule.catalogue(p.name) | {"id": rule.id} for p in policies for rule in p.rules]
    if as_json:
        print_json(catalogue)
        return
    for entry in catalogue:
        console.print(
            f"{entry['id']:<14} {entry['severity']:<8} {entry['title']['zh']} / {entry['title']['en']}  "
            f"[dim]{', '.join(entry['ids'])}[/]",
            highlight=False,
        )
