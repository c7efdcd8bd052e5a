"""The terminal summary: counts per policy, then every FAIL with its first evidence line.

REVIEW and PASS stay counted only (the JSON, JUnit, SARIF and HTML outputs have every finding);
a nightly cron mail or a CI log should show what to fix first, most severe first.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from egovnet.audit.results import SEVERITIES, AuditRun
from egovnet.audit.store import AuditDiff

_COLOUR = {"FAIL": "red", "REVIEW": "yellow", "PASS": "green"}


def print_summary(run: AuditRun, console: Console, max_fail: int = 200) -> None:
    """Counts per policy and the FAIL list."""
    table = Table(
        "policy",
        "rules",
        "FAIL",
        "REVIEW",
        "PASS",
        title=f"audit {run.id} ({run.mode})",
        title_justify="left",
    )
    for name, info in run.policies.items():
        mine = [f for f in run.findings if f.policy == name]
        table.add_row(
            name,
            str(len(info.get("rules", []))),
            *(f"[{_COLOUR[s]}]{sum(f.status == s for f in mine)}[/]" for s in ("FAIL", "REVIEW", "PASS")),
        )
    console.print(table)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    fails = sorted(
        (f for f in run.findings if f.status == "FAIL"), key=lambda f: (rank[f.severity], f.rule, f.entity)
    )
    if fails:
        listing = Table(
            "severity", "rule", "entity", "finding", "evidence", title="FAIL", title_justify="left"
        )
        for finding in fails[:max_fail]:
            evidence = finding.evidence[0].text if finding.evidence else ""
            listing.add_row(finding.severity, finding.rule, finding.entity, finding.message, evidence)
        console.print(listing)
        if len(fails) > max_fail:
            console.print(f"... and {len(fails) - max_fail} more FAIL findings (--json, --html)")
    for device, error in sorted(run.errors.items()):
        console.print(f"[yellow]not collected[/] {device}: {error}", highlight=False)
    for device, warning in sorted(run.warnings.items()):
        console.print(f"[yellow]state not read[/] {device}: {warning}", highlight=False)
    counts = run.counts()
    console.print(
        f"{len(run.devices)} configuration(s), {len(run.findings)} findings: [red]{counts['FAIL']} FAIL[/], "
        f"[yellow]{counts['REVIEW']} REVIEW[/], [green]{counts['PASS']} PASS[/]"
    )


def print_diff(changes: AuditDiff, console: Console) -> None:
    """New and resolved FAILs between two runs."""
    console.print(f"audit diff {changes.old_id or '(none)'} -> {changes.new_id}")
    for label, colour, findings in (
        ("new FAIL", "red", changes.new),
        ("resolved", "green", changes.resolved),
        ("not re-audited", "dim", changes.not_reaudited),
    ):
        for finding in findings:
            console.print(
                f"[{colour}]{label}[/] {finding.rule} {finding.entity}: {finding.message}", highlight=False
            )
    console.print(
        f"{len(changes.new)} new, {len(changes.resolved)} resolved, "
        f"{len(changes.still_failing)} still failing, {len(changes.not_reaudited)} not re-audited"
    )
