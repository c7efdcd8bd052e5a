"""The latest audit run for the dashboard: counts by policy and by site, each site's failing rules.

The grouping is the audit report's own (:func:`egovnet.audit.report.html.by_policy`, ``by_site``),
so the dashboard and ``egovnet audit show --html`` count alike. The dashboard keeps one line per
rule and site (its entities named), not every finding: the full run is rendered next to it as
``audit.html`` for the evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from egovnet.audit.report.html import Group, by_policy, by_site
from egovnet.audit.results import SEVERITIES, AuditRun, Finding, worst
from egovnet.audit.store import RunStore
from egovnet.report.model import AuditPoint, AuditSection, AuditSite, PolicyRow, SiteRule, StatusCounts

TREND_RUNS = 6
NO_RUN = "尚无审计记录 / no audit run yet: run `egovnet audit` (or `egovnet audit --offline DIR`)"


def _counts(counts: dict[str, int]) -> StatusCounts:
    return StatusCounts(
        FAIL=counts.get("FAIL", 0), REVIEW=counts.get("REVIEW", 0), PASS=counts.get("PASS", 0)
    )


def _group_counts(group: Group) -> StatusCounts:
    return StatusCounts(FAIL=group.count("FAIL"), REVIEW=group.count("REVIEW"), PASS=group.count("PASS"))


def _site_rules(run: AuditRun, findings: Iterable[Finding]) -> list[SiteRule]:
    """FAIL and REVIEW findings of one site folded per rule (worst status, most severe first)."""
    rules: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.status != "PASS":
            rules.setdefault(finding.rule, []).append(finding)
    rows = []
    for rule, found in rules.items():
        title = run.rules.get(rule, {}).get("title", {})
        rows.append(
            SiteRule(
                rule=rule,
                title_zh=title.get("zh", ""),
                title_en=title.get("en", ""),
                severity=found[0].severity,
                status=worst([f.status for f in found]),
                entities=sorted({f.entity for f in found}),
            )
        )
    return sorted(rows, key=lambda r: (r["status"] != "FAIL", SEVERITIES.index(r["severity"]), r["rule"]))


def _sites(run: AuditRun) -> list[AuditSite]:
    sites = []
    for group in by_site(run):
        info = run.sites.get(group.key, {})
        findings = [f for entity in group.children for f in entity.findings]
        sites.append(
            AuditSite(
                site=group.key,
                name_zh=info.get("name", ""),
                level=info.get("level", ""),
                worst=group.worst,
                counts=_group_counts(group),
                rules=_site_rules(run, findings),
            )
        )
    return sites


def audit_section(state_dir: Path, html: str | None = None) -> tuple[AuditSection, AuditRun | None]:
    """The latest saved run as a section, and the run itself (``html``: where its full report is)."""
    store = RunStore(state_dir)
    ids = store.ids()
    if not ids:
        empty = StatusCounts(FAIL=0, REVIEW=0, PASS=0)
        section = AuditSection(
            available=False,
            source=str(store.path),
            at=None,
            note=NO_RUN,
            run_id=None,
            mode=None,
            devices=0,
            counts=empty,
            policies=[],
            sites=[],
            trend=[],
            html=None,
        )
        return section, None
    run = store.load(ids[-1])
    earlier = [store.load(i) for i in ids[-TREND_RUNS:-1]]
    policies = [
        PolicyRow(policy=g.key, title_zh=zh, title_en=g.title, rules=n, counts=_group_counts(g))
        for g, zh, n in by_policy(run)
    ]
    section = AuditSection(
        available=True,
        source=str(store.path / f"{run.id}.json"),
        at=run.started,
        note="" if run.limit is None else f"部分审计 / partial run: --limit {run.limit}",
        run_id=run.id,
        mode=run.mode,
        devices=len(run.devices),
        counts=_counts(run.counts()),
        policies=policies,
        sites=_sites(run),
        trend=[AuditPoint(id=r.id, counts=_counts(r.counts())) for r in [*earlier, run]],
        html=html,
    )
    return section, run
