"""The plan's indicators, evaluated over one poll snapshot and the inventory (``monitors/indicators.yml``).

Each indicator is data: a target, a direction and a formula of one of a few kinds (see the file's
header). The formulas only combine three things, so every figure can be recomputed by hand: the
inventory's sites and links, the metrics of the snapshot, and (for availability) the history of
device polls. Besides the value, every result names the sites that pull it below its target, which
is what the NOC acts on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from egovnet.inventory import Inventory, Link, Site
from egovnet.monitor.expr import AGGREGATES, OPERATORS, Check, Condition, ExpressionError, Selector
from egovnet.monitor.metrics import DeviceMetrics, Snapshot

_MODEL = ConfigDict(extra="forbid", frozen=True)
UP = 1.0
UPLINK_ROLES = ("primary", "backup")


class SiteFilter(BaseModel):
    """Which sites an indicator counts (every given field must match; ``kinds``: any of)."""

    model_config = _MODEL
    levels: list[str] = Field(default_factory=list)
    areas: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)

    def accepts(self, site: Site) -> bool:
        """Whether ``site`` is selected."""
        return (
            (not self.levels or site.level in self.levels)
            and (not self.areas or site.area in self.areas)
            and (not self.kinds or bool(set(site.kinds) & set(self.kinds)))
            and (not self.units or (site.unit or "") in self.units)
        )


def _tests(values: list[str]) -> list[str]:
    for value in values:
        Check.parse(value)
    return values


class DeviceCondition(BaseModel):
    """A device of the site (by role/platform) that answered its poll and passes every test."""

    model_config = _MODEL
    roles: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    tests: list[str] = Field(default_factory=list)

    _check = field_validator("tests")(_tests)


class SeriesCondition(BaseModel):
    """A series anywhere whose ``site_label`` names the site and whose value meets ``test``."""

    model_config = _MODEL
    metric: str
    site_label: str
    test: str

    @field_validator("test")
    @classmethod
    def _condition(cls, value: str) -> str:
        Condition.parse(value)
        return value


class UplinksCondition(BaseModel):
    """Inventory links leaving the site, judged by the polled state of their interfaces."""

    model_config = _MODEL
    min_up: int = Field(1, ge=1)
    min_speed_mbps: int = Field(0, ge=0)
    roles: list[str] = Field(default_factory=lambda: list(UPLINK_ROLES))
    distinct_peers: int = Field(0, ge=0)


class Requirement(BaseModel):
    """Exactly one of ``device``, ``series`` or ``uplinks``."""

    model_config = _MODEL
    device: DeviceCondition | None = None
    series: SeriesCondition | None = None
    uplinks: UplinksCondition | None = None

    @model_validator(mode="after")
    def _one(self) -> Requirement:
        if sum(x is not None for x in (self.device, self.series, self.uplinks)) != 1:
            raise ValueError("a requirement is exactly one of device, series, uplinks")
        return self


class SiteShare(BaseModel):
    """Share of the selected sites meeting every requirement."""

    model_config = _MODEL
    kind: Literal["site_share"]
    sites: SiteFilter = Field(default_factory=SiteFilter)
    require: list[Requirement]


class DeviceShare(BaseModel):
    """Share of the selected devices (that answered) passing every test; the others are unmeasured."""

    model_config = _MODEL
    kind: Literal["device_share"]
    levels: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    tests: list[str]

    _check = field_validator("tests")(_tests)


def _aggregate(value: str) -> str:
    text = value.strip()
    if not (text.endswith(")") and text.split("(", 1)[0] in AGGREGATES):
        raise ExpressionError(f"not an aggregate like sum(metric{{...}}): {value!r}")
    Selector.parse(text.split("(", 1)[1][:-1])
    return text


class Ratio(BaseModel):
    """``numerator / denominator * 100`` over every device's series (e.g. FTTH subscribers / all)."""

    model_config = _MODEL
    kind: Literal["ratio"]
    numerator: str
    denominator: str

    _check = field_validator("numerator", "denominator")(_aggregate)


class WeightedMean(BaseModel):
    """Σ(value × weight of the series' ``weight_label``) / Σ value, over series matching ``match``."""

    model_config = _MODEL
    kind: Literal["weighted_mean"]
    metric: str
    match: dict[str, str] = Field(default_factory=dict)
    weight_label: str
    weights: dict[str, float]


class Availability(BaseModel):
    """Answered device polls / device polls, for devices at ``levels``, over the last ``window_hours``."""

    model_config = _MODEL
    kind: Literal["availability"]
    levels: list[str]
    window_hours: float = Field(720, gt=0)


class Declared(BaseModel):
    """A value reported by someone else (``None``: not declared yet), with its source and date."""

    model_config = _MODEL
    kind: Literal["declared"]
    value: float | None = None
    source: str
    as_of: str | None = None


Formula = Annotated[
    SiteShare | DeviceShare | Ratio | WeightedMean | Availability | Declared, Field(discriminator="kind")
]


class Indicator(BaseModel):
    """One row of the indicator table."""

    model_config = _MODEL
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: str = "extranet"
    name_zh: str
    name_en: str
    unit: Literal["percent", "mbps"]
    target: float
    direction: Literal[">=", ">", "<=", "<"]
    note: str = ""
    formula: Formula


class IndicatorFile(BaseModel):
    """``monitors/indicators.yml``."""

    model_config = _MODEL
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _unique(self) -> IndicatorFile:
        ids = [i.id for i in self.indicators]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"indicator ids defined twice: {duplicates}")
        return self


def load_indicators(path: Path) -> list[Indicator]:
    """Read and validate an indicators file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return IndicatorFile.model_validate(data).indicators
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


@dataclass
class Result:
    """An indicator's value against its target.

    Attributes:
        met: ``None`` when there is no value (no data, or not declared).
        numerator / denominator: the counts behind a share, for the reader to check.
        pulling_down: sites that keep the value from its target (failing sites, or the sites of
            devices whose own figure misses the target).
        unmeasured: devices or sites that could not be judged (not answering).
    """

    indicator: Indicator
    value: float | None
    met: bool | None
    numerator: float | None = None
    denominator: float | None = None
    pulling_down: list[str] = field(default_factory=list)
    unmeasured: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The row as JSON (``egovnet indicators --json``, the snapshot file)."""
        ind = self.indicator
        formula = ind.formula
        return {
            "id": ind.id,
            "group": ind.group,
            "name_zh": ind.name_zh,
            "name_en": ind.name_en,
            "unit": ind.unit,
            "value": None if self.value is None else round(self.value, 4),
            "target": ind.target,
            "direction": ind.direction,
            "met": self.met,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "pulling_down": self.pulling_down,
            "unmeasured": self.unmeasured,
            "source": formula.source if isinstance(formula, Declared) else "network",
            "as_of": formula.as_of if isinstance(formula, Declared) else None,
        }


@dataclass(frozen=True)
class AvailabilityFigures:
    """Answered and total device polls, overall and per site."""

    answered: int
    polls: int
    by_site: Mapping[str, tuple[int, int]]


AvailabilitySource = Callable[[list[str], float], AvailabilityFigures]


def _met(indicator: Indicator, value: float | None) -> bool | None:
    return None if value is None else OPERATORS[indicator.direction](value, indicator.target)


class Evaluator:
    """Evaluates indicators over one snapshot; builds its indexes once.

    Arguments:
        availability: history of device polls (``None``: the current snapshot alone is the sample).
    """

    def __init__(
        self, inventory: Inventory, snapshot: Snapshot, availability: AvailabilitySource | None = None
    ) -> None:
        self.inventory = inventory
        self.snapshot = snapshot
        self.availability = availability
        self.by_site: dict[str, list[DeviceMetrics]] = defaultdict(list)
        for metrics in snapshot.devices.values():
            self.by_site[metrics.labels["site"]].append(metrics)
        # A poll of part of the county (--limit) judges only the sites it covers.
        covered = [*snapshot.devices, *snapshot.unpolled]
        self.sites_in_scope = {inventory.devices[n].site for n in covered if n in inventory.devices}
        self._interfaces: dict[tuple[str, str], Mapping[str, float]] | None = None
        self._uplinks: dict[str, list[Link]] | None = None
        self._series_sites: dict[tuple[str, str, str], set[str]] = {}

    # -- indexes -------------------------------------------------------------------------------------
    def interface(self, device: str, ifname: str) -> Mapping[str, float] | None:
        """The polled values of one interface of an answering device."""
        if self._interfaces is None:
            self._interfaces = {}
            for metrics in self.snapshot.devices.values():
                if metrics.up:
                    for row in metrics.tables.get("interface", ()):
                        if "ifname" in row.labels:
                            self._interfaces[(metrics.device, row.labels["ifname"])] = row.values
        return self._interfaces.get((device, ifname))

    def uplinks(self, site: str) -> list[Link]:
        """Inventory links from a device of ``site`` to another site or outside the county."""
        if self._uplinks is None:
            self._uplinks = defaultdict(list)
            devices = self.inventory.devices
            for link in self.inventory.links:
                if link.a_device not in devices:
                    continue
                home = devices[link.a_device].site
                far = devices[link.b_device].site if link.b_device in devices else None
                if far != home:
                    self._uplinks[home].append(link)
        return self._uplinks.get(site, [])

    def link_state(self, link: Link) -> Mapping[str, float] | None:
        """The polled interface values of ``link``: its ``a`` end, else its ``b`` end (the dashboard's
        map judges links with this too, so map and indicators never disagree)."""
        values = self.interface(link.a_device, link.a_interface)
        if values is None and link.b_device and link.b_interface:
            values = self.interface(link.b_device, link.b_interface)
        return values

    def _sites_with_series(self, condition: SeriesCondition) -> set[str]:
        key = (condition.metric, condition.site_label, condition.test)
        if key not in self._series_sites:
            test = Condition.parse(condition.test)
            self._series_sites[key] = {
                labels[condition.site_label]
                for labels, value in self.snapshot.series(condition.metric)
                if condition.site_label in labels and test.holds(value)
            }
        return self._series_sites[key]

    # -- conditions -----------------------------------------------------------------------------------
    def device_passes(self, metrics: DeviceMetrics, tests: Iterable[Check]) -> bool:
        """Whether an answering device passes every test."""
        return metrics.up and all(
            test.evaluate(self.snapshot.device_series(metrics, test.selector.metric)) for test in tests
        )

    def _device_ok(self, site: Site, condition: DeviceCondition) -> bool:
        tests = [Check.parse(t) for t in condition.tests]
        return any(
            (not condition.roles or m.labels["role"] in condition.roles)
            and (not condition.platforms or m.labels["platform"] in condition.platforms)
            and self.device_passes(m, tests)
            for m in self.by_site.get(site.id, ())
        )

    def _uplinks_ok(self, site: Site, condition: UplinksCondition) -> bool:
        working: list[Link] = []
        for link in self.uplinks(site.id):
            if link.role not in condition.roles:
                continue
            state = self.link_state(link)
            if state is None or state.get("if_oper_status") != UP:
                continue
            if state.get("if_high_speed_mbps", 0.0) < condition.min_speed_mbps:
                continue
            working.append(link)
        peers = {link.b_device or link.external for link in working}
        return len(working) >= condition.min_up and len(peers) >= condition.distinct_peers

    def site_ok(self, site: Site, requirement: Requirement) -> bool:
        """Whether ``site`` meets one requirement."""
        if requirement.device is not None:
            return self._device_ok(site, requirement.device)
        if requirement.series is not None:
            return site.id in self._sites_with_series(requirement.series)
        assert requirement.uplinks is not None
        return self._uplinks_ok(site, requirement.uplinks)

    # -- formulas -------------------------------------------------------------------------------------
    def _share(self, indicator: Indicator, passed: int, total: int, failing: list[str]) -> Result:
        value = 100.0 * passed / total if total else None
        return Result(indicator, value, _met(indicator, value), passed, total, sorted(set(failing)))

    def _site_share(self, indicator: Indicator, formula: SiteShare) -> Result:
        sites = [
            s
            for s in self.inventory.sites.values()
            if formula.sites.accepts(s) and s.id in self.sites_in_scope
        ]
        failing = [s.id for s in sites if not all(self.site_ok(s, r) for r in formula.require)]
        return self._share(indicator, len(sites) - len(failing), len(sites), failing)

    def _device_share(self, indicator: Indicator, formula: DeviceShare) -> Result:
        tests = [Check.parse(t) for t in formula.tests]
        chosen = [
            m
            for m in self.snapshot.devices.values()
            if (not formula.levels or m.labels["level"] in formula.levels)
            and (not formula.roles or m.labels["role"] in formula.roles)
            and (not formula.platforms or m.labels["platform"] in formula.platforms)
        ]
        measured = [m for m in chosen if m.up]
        failing = [m for m in measured if not self.device_passes(m, tests)]
        result = self._share(
            indicator, len(measured) - len(failing), len(measured), [m.labels["site"] for m in failing]
        )
        result.unmeasured = sorted(m.device for m in chosen if not m.up)
        return result

    def _sums(self, aggregate: str) -> tuple[float, dict[str, float]]:
        selector = Selector.parse(aggregate.split("(", 1)[1][:-1])
        total, by_site = 0.0, defaultdict[str, float](float)
        for labels, value in self.snapshot.series(selector.metric):
            if selector.matches(labels):
                total += value
                by_site[labels["site"]] += value
        return total, by_site

    def _ratio(self, indicator: Indicator, formula: Ratio) -> Result:
        top, top_sites = self._sums(formula.numerator)
        bottom, bottom_sites = self._sums(formula.denominator)
        value = 100.0 * top / bottom if bottom else None
        low = [s for s, b in bottom_sites.items() if b and not _met(indicator, 100.0 * top_sites[s] / b)]
        return Result(indicator, value, _met(indicator, value), top, bottom, sorted(low))

    def _weighted_mean(self, indicator: Indicator, formula: WeightedMean) -> Result:
        selector = Selector.of(formula.metric, formula.match)
        weighted, count = 0.0, 0.0
        by_site: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for labels, value in self.snapshot.series(selector.metric):
            weight = formula.weights.get(labels.get(formula.weight_label, ""))
            if weight is None or not selector.matches(labels):
                continue
            weighted += value * weight
            count += value
            by_site[labels["site"]][0] += value * weight
            by_site[labels["site"]][1] += value
        value_ = weighted / count if count else None
        low = [s for s, (w, c) in by_site.items() if c and not _met(indicator, w / c)]
        return Result(indicator, value_, _met(indicator, value_), weighted, count, sorted(low))

    def _availability(self, indicator: Indicator, formula: Availability) -> Result:
        if self.availability is not None:
            figures = self.availability(formula.levels, formula.window_hours)
        else:
            by_site: dict[str, tuple[int, int]] = {}
            for m in self.snapshot.devices.values():
                if m.labels["level"] in formula.levels:
                    up, total = by_site.get(m.labels["site"], (0, 0))
                    by_site[m.labels["site"]] = (up + m.up, total + 1)
            answered = sum(u for u, _ in by_site.values())
            figures = AvailabilityFigures(answered, sum(t for _, t in by_site.values()), by_site)
        value = 100.0 * figures.answered / figures.polls if figures.polls else None
        low = [s for s, (u, t) in figures.by_site.items() if t and not _met(indicator, 100.0 * u / t)]
        return Result(indicator, value, _met(indicator, value), figures.answered, figures.polls, sorted(low))

    def evaluate(self, indicator: Indicator) -> Result:
        """One indicator's result."""
        formula = indicator.formula
        if isinstance(formula, SiteShare):
            return self._site_share(indicator, formula)
        if isinstance(formula, DeviceShare):
            return self._device_share(indicator, formula)
        if isinstance(formula, Ratio):
            return self._ratio(indicator, formula)
        if isinstance(formula, WeightedMean):
            return self._weighted_mean(indicator, formula)
        if isinstance(formula, Availability):
            return self._availability(indicator, formula)
        return Result(indicator, formula.value, _met(indicator, formula.value))


def evaluate_all(
    indicators: Iterable[Indicator],
    inventory: Inventory,
    snapshot: Snapshot,
    availability: AvailabilitySource | None = None,
) -> list[Result]:
    """Every indicator's result, in file order."""
    evaluator = Evaluator(inventory, snapshot, availability)
    return [evaluator.evaluate(indicator) for indicator in indicators]
