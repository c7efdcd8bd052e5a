"""The dashboard's document (``report.json``): one typed record gathered from the latest runs.

The page is rendered from this document and nothing else, so every number an operator reads on it
can be traced to one JSON value, and that value to the run record it was copied from (the monitor's
snapshot and history, the latest audit run, the alert store, the probe store, the IPv6 status
record). Shapes are TypedDicts, so the document is plain JSON and still checked by mypy.

Every section says whether its source exists (``available``), where it was read (``source``), when
that record was made (``at``, epoch seconds) and, when missing, what to run (``note``).
"""

from __future__ import annotations

from typing import TypedDict

FORMAT = "egovnet-report/1"


class Section(TypedDict):
    """What every section carries besides its figures."""

    available: bool
    source: str
    at: float | None
    note: str


# -- indicators (monitor snapshot + history) ---------------------------------------------------------
class IndicatorRow(TypedDict):
    """One indicator as the snapshot recorded it, plus its trend from the history (oldest first)."""

    id: str
    group: str
    name_zh: str
    name_en: str
    unit: str
    value: float | None
    target: float
    direction: str
    met: bool | None
    numerator: float | None
    denominator: float | None
    pulling_down: list[str]
    unmeasured: list[str]
    source: str
    as_of: str | None
    trend: list[float | None]
    trend_at: list[float]


class CyclePoint(TypedDict):
    """One poll cycle of the history: how many devices were polled and answered."""

    id: int
    started: float
    devices: int
    answered: int


class IndicatorsSection(Section):
    """The plan's indicator table and the poller's own figures."""

    cycle: int | None
    devices: int
    answered: int
    met: int
    measured: int
    rows: list[IndicatorRow]
    cycles: list[CyclePoint]


# -- topology (inventory graph + monitor link states) ------------------------------------------------
class SiteNode(TypedDict):
    """A site on the map (or an external network the county uplinks to, ``level: external``)."""

    id: str
    name_zh: str
    level: str
    township: str | None
    x: float
    y: float
    state: str
    devices_polled: int
    devices_up: int
    spof: bool
    spof_devices: list[str]
    failure_points: list[str]
    reachable: bool


class SiteEdge(TypedDict):
    """The links between two sites, drawn as one line."""

    a: str
    b: str
    links: int
    up: int
    down: int
    unknown: int
    state: str
    spof: bool


class LinkRow(TypedDict):
    """One inventory link with its polled state."""

    description: str
    a_site: str
    b_site: str
    role: str
    speed_mbps: int
    state: str
    spof: bool


class TopologyCounts(TypedDict):
    """Headline figures of the map."""

    sites: int
    links: int
    sites_down: int
    spof_devices: int
    spof_links: int
    down_links: int
    single_homed_sites: int


class TopologySection(Section):
    """The extranet as sites and links; states from the monitor snapshot when there is one."""

    link_states: bool
    nodes: list[SiteNode]
    edges: list[SiteEdge]
    links: list[LinkRow]
    spof_devices: list[str]
    counts: TopologyCounts


# -- IPv6 migration (ipv6/status.json) ---------------------------------------------------------------
class Ipv6Site(TypedDict):
    """One site's migration state (``not measured`` when the status run did not read it)."""

    site: str
    name_zh: str
    level: str
    state: str


class Ipv6Section(Section):
    """Where each site stands in the dual-stack migration."""

    limit: str | None
    devices: int
    counts: dict[str, int]
    sites: list[Ipv6Site]


# -- audit (latest saved run) ------------------------------------------------------------------------
class StatusCounts(TypedDict):
    """Findings per status."""

    FAIL: int
    REVIEW: int
    PASS: int


class PolicyRow(TypedDict):
    """One policy's findings."""

    policy: str
    title_zh: str
    title_en: str
    rules: int
    counts: StatusCounts


class SiteRule(TypedDict):
    """A rule that did not pass at a site, with the entities it failed or needs review on."""

    rule: str
    title_zh: str
    title_en: str
    severity: str
    status: str
    entities: list[str]


class AuditSite(TypedDict):
    """One site's findings (drill-down: its failing rules)."""

    site: str
    name_zh: str
    level: str
    worst: str
    counts: StatusCounts
    rules: list[SiteRule]


class AuditPoint(TypedDict):
    """A saved run's counts, for the trend."""

    id: str
    counts: StatusCounts


class AuditSection(Section):
    """The latest audit run by policy and by site."""

    run_id: str | None
    mode: str | None
    devices: int
    counts: StatusCounts
    policies: list[PolicyRow]
    sites: list[AuditSite]
    trend: list[AuditPoint]
    html: str | None


# -- alerts (alert store) ----------------------------------------------------------------------------
class AlertRow(TypedDict):
    """A firing alert, slimmed to what the NOC reads."""

    fingerprint: str
    severity: str
    rule: str
    entity: str
    site: str | None
    component: str
    first_seen: str | None
    last_seen: str | None
    repeats: int
    summary: str


class AlertsSection(Section):
    """Open (firing) alerts of every engine."""

    firing: int
    by_severity: dict[str, int]
    by_component: dict[str, int]
    rows: list[AlertRow]


# -- probes (finding store, situation score) ---------------------------------------------------------
class ScoreRow(TypedDict):
    """A site's or zone's situation score with its history (oldest first)."""

    kind: str
    key: str
    score: float
    level: str
    open: int
    trend: float | None
    history: list[float]


class ProbeFindingRow(TypedDict):
    """An open probe finding."""

    fingerprint: str
    rule: str
    severity: str
    entity: str
    site: str | None
    zone: str | None
    repeats: int
    last_seen: str
    summary: str
    attack: list[str]


class Headline(TypedDict):
    """The situation score shown first: the lowest site score (the weakest site sets the picture)."""

    key: str
    score: float
    level: str


class ProbesSection(Section):
    """Situation scores and open findings of the probes."""

    run_kind: str | None
    headline: Headline | None
    scores: list[ScoreRow]
    findings: list[ProbeFindingRow]
    by_severity: dict[str, int]


class ReportDoc(TypedDict):
    """``report.json``: the whole dashboard."""

    format: str
    generated: float
    inventory: str
    state_dir: str
    county: str
    indicators: IndicatorsSection
    topology: TopologySection
    ipv6: Ipv6Section
    audit: AuditSection
    alerts: AlertsSection
    probes: ProbesSection
