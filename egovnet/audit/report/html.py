"""A self-contained HTML report with drill-down per site and per rule.

One file, no external assets (the NOC opens it from a share or an e-mail): a summary per policy,
then every site with its devices and their FAIL/REVIEW findings, then every rule with the entities
it failed on. PASS findings are counted and named, not expanded, so a county report stays a few
megabytes. A little script filters by status and text; the page works without it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from egovnet import __version__
from egovnet.audit.results import SEVERITIES, STATUSES, AuditRun, Finding
from egovnet.report.templates import page_template, when


@dataclass
class Group:
    """Findings under one heading (a site, a device, a rule), with their counts."""

    key: str
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)

    def count(self, status: str) -> int:
        own = sum(f.status == status for f in self.findings)
        return own + sum(c.count(status) for c in self.children)

    @property
    def worst(self) -> str:
        for status in STATUSES:
            if self.count(status):
                return status
        return "PASS"

    def notable(self) -> list[Finding]:
        """FAIL then REVIEW findings, most severe first."""
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        found = [f for f in self.findings if f.status != "PASS"]
        return sorted(found, key=lambda f: (f.status != "FAIL", rank[f.severity], f.rule, f.entity))

    def passed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "PASS"]


def _order(groups: list[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: (-g.count("FAIL"), -g.count("REVIEW"), g.key))


def by_site(run: AuditRun) -> list[Group]:
    """Sites, each with its entities (devices, links, the site itself) and their findings."""
    sites: dict[str, dict[str, Group]] = defaultdict(dict)
    for finding in run.findings:
        site = finding.site or "(no site)"
        entity = sites[site].setdefault(finding.entity, Group(finding.entity, finding.entity_kind))
        entity.findings.append(finding)
    result = []
    for site, entities in sites.items():
        info = run.sites.get(site, {})
        title = f"{info.get('name', '')} · {info.get('level', '')}".strip(" ·")
        result.append(Group(site, title, children=_order(list(entities.values()))))
    return _order(result)


def by_rule(run: AuditRun) -> list[Group]:
    """Rules, each with every entity it was evaluated on."""
    rules: dict[str, Group] = {r: Group(r, run.rules[r].get("title", {}).get("en", "")) for r in run.rules}
    for finding in run.findings:
        rules.setdefault(finding.rule, Group(finding.rule)).findings.append(finding)
    return [g for g in _order(list(rules.values())) if g.findings]


def by_policy(run: AuditRun) -> list[tuple[Group, str, int]]:
    """Policies in run order: (findings under the English title, Chinese title, number of rules)."""
    policies = []
    for name, info in run.policies.items():
        findings = [f for f in run.findings if f.policy == name]
        group = Group(name, info.get("title", {}).get("en", name), findings)
        policies.append((group, info.get("title", {}).get("zh", ""), len(info.get("rules", []))))
    return policies


def to_html(run: AuditRun) -> str:
    """The run as one HTML page."""
    return page_template(Path(__file__).parent, "report.html.j2").render(
        run=run,
        started=when(run.started),
        counts=run.counts(),
        policies=by_policy(run),
        sites=by_site(run),
        rules=by_rule(run),
        version=__version__,
    )
