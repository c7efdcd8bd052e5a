"""The monitor's intent files: MIB modules and device-kind profiles (``monitors/profiles/*.yml``).

These models describe what a person writes. :mod:`egovnet.monitor.plan` expands them into the
generated poll plan, which is what the poller reads; nothing at runtime reads the intent files, so a
typo is caught once, by the generator and its test, not in the middle of a poll cycle.

The same models type the plan's module section (with every default written out), so intent and plan
cannot drift apart in meaning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OID_PATTERN = re.compile(r"^1(\.(0|[1-9][0-9]*))+$")
METRIC_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

Cadence = Literal["fast", "slow"]
Scope = Literal["all", "active"]
ValueType = Literal["gauge", "counter32", "counter64", "timeticks", "text"]
IndexType = Literal["integer", "enum", "inet"]

#: Labels every series carries from the inventory; a module may not define them again.
DEVICE_LABELS = ("device", "site", "level", "role", "platform")
#: Extra labels an ``inet`` index produces besides its own.
INET_LABELS = ("family", "scope")

_FROZEN = ConfigDict(extra="forbid", frozen=True)


def _check_oid(value: str) -> str:
    if not OID_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a numeric OID (1.3.6...)")
    return value


def _check_metric(value: str) -> str:
    if not METRIC_PATTERN.match(value):
        raise ValueError(f"{value!r}: metric and label names are lower_snake_case")
    return value


class Ceiling(BaseModel):
    """The highest plausible rate: another metric of the same row times ``scale`` (Mb/s -> bits/s)."""

    model_config = _FROZEN
    metric: str
    scale: float = 1.0


class Rate(BaseModel):
    """The per-second rate exported for a counter (scale 8 turns octets into bits).

    A rate above its ``ceiling`` (e.g. the interface speed) is discarded as a counter reset, not
    exported as a spike.
    """

    model_config = _FROZEN
    metric: str
    scale: float = 1.0
    ceiling: Ceiling | None = None

    _name = field_validator("metric")(_check_metric)


class ValueDef(BaseModel):
    """One polled object: a scalar or a table column, and the metric it becomes.

    Attributes:
        metric: metric name without the ``egovnet_`` prefix.
        object: MIB object name (for the reader and error messages).
        oid: numeric OID; for a scalar the instance (``.0``), for a column the column OID.
        type: how the value is read and exported.
        cadence: ``fast`` every cycle, ``slow`` every ``slow_every`` cycles.
        scale: factor applied to numeric values.
        map: raw value -> exported value (enums to 1/0); unmapped raw values export as they are.
        rate: for counters, the rate metric computed over the agent's uptime clock.
        scope: ``all`` rows (walked), or only the table's ``active`` rows (fetched by GET).
    """

    model_config = _FROZEN
    metric: str
    object: str
    oid: str
    type: ValueType
    cadence: Cadence = "fast"
    scope: Scope = "all"
    scale: float = 1.0
    map: dict[int, float] = Field(default_factory=dict)
    rate: Rate | None = None
    help: str = ""

    _oid = field_validator("oid")(_check_oid)
    _name = field_validator("metric")(_check_metric)

    @model_validator(mode="after")
    def _rate_only_on_counters(self) -> ValueDef:
        if self.rate is not None and self.type not in ("counter32", "counter64"):
            raise ValueError(f"{self.metric}: only counters have a rate")
        return self

    @property
    def counter_bits(self) -> int:
        """Width of the counter (wrap modulus), 0 for non-counters."""
        return {"counter32": 32, "counter64": 64}.get(self.type, 0)


class IndexPart(BaseModel):
    """One component of a table index and the label(s) it becomes.

    ``integer`` takes one sub-identifier; ``enum`` too, named through ``values``; ``inet`` takes an
    InetAddressType plus a length-prefixed InetAddress and yields ``family``, ``scope`` and the address.
    """

    model_config = _FROZEN
    label: str
    type: IndexType = "integer"
    values: dict[int, str] = Field(default_factory=dict)

    _name = field_validator("label")(_check_metric)

    @model_validator(mode="after")
    def _enum_has_values(self) -> IndexPart:
        if self.type == "enum" and not self.values:
            raise ValueError(f"index {self.label}: an enum index needs values")
        return self


class Lookup(BaseModel):
    """A string column of the same table whose value labels every metric of the row."""

    model_config = _FROZEN
    label: str
    object: str
    oid: str
    cadence: Cadence = "fast"

    _oid = field_validator("oid")(_check_oid)
    _name = field_validator("label")(_check_metric)


class Derived(BaseModel):
    """``numerator / denominator * scale`` of two metrics of the same row (rates included)."""

    model_config = _FROZEN
    metric: str
    numerator: str
    denominator: str
    scale: float = 1.0
    help: str = ""

    _name = field_validator("metric")(_check_metric)


class ActiveRows(BaseModel):
    """Which rows are in use: those whose ``column`` (a walked status column) has one of ``values``.

    Columns with ``scope: active`` are then read only for those rows, by GET with the exact
    instances: a county's access switches have dozens of idle ports each, and asking every counter
    of every idle port is most of a cycle's varbinds (LibreNMS polls only ports in use, too).
    """

    model_config = _FROZEN
    column: str
    values: list[int]


class TableDef(BaseModel):
    """A conceptual table (or several sharing one index, as ifTable and ifXTable do).

    Attributes:
        inventory_links: the label that holds an interface name; rows whose interface the inventory
            cables get the link's labels (``link``, ``link_role``, ``peer``, ``peer_interface``), so
            rules and indicators can tell a designated uplink from an unused port.
    """

    model_config = _FROZEN
    name: str
    object: str
    cadence: Cadence | None = None
    index: list[IndexPart]
    lookups: list[Lookup] = Field(default_factory=list)
    columns: list[ValueDef]
    derived: list[Derived] = Field(default_factory=list)
    inventory_links: str | None = None
    active: ActiveRows | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TableDef:
        if not self.columns:
            raise ValueError(f"table {self.name}: no columns")
        names = {c.metric for c in self.columns} | {c.rate.metric for c in self.columns if c.rate}
        for column in self.columns:
            if column.rate and column.rate.ceiling and column.rate.ceiling.metric not in names:
                raise ValueError(f"table {self.name}: {column.metric} ceiling uses unknown metric")
        for derived in self.derived:
            for operand in (derived.numerator, derived.denominator):
                if operand not in names:
                    raise ValueError(f"table {self.name}: {derived.metric} uses unknown {operand}")
        scoped = [c for c in self.columns if c.scope == "active"]
        if scoped and self.active is None:
            raise ValueError(f"table {self.name}: scope active needs the table's active rule")
        if self.active is not None:
            status = next((c for c in self.columns if c.metric == self.active.column), None)
            if status is None or status.scope != "all" or status.cadence != "fast":
                raise ValueError(f"table {self.name}: active.column must be a fast column of every row")
            if any(c.cadence != "fast" for c in scoped):
                raise ValueError(f"table {self.name}: only fast columns can be scoped to active rows")
        if self.inventory_links and self.inventory_links not in {x.label for x in self.lookups}:
            raise ValueError(f"table {self.name}: inventory_links names no lookup label")
        if any(c.type == "text" for c in self.columns):
            raise ValueError(f"table {self.name}: string columns are lookups, not columns")
        return self


class ModuleDef(BaseModel):
    """A reusable group of scalars and tables (one MIB, or a coherent part of one)."""

    model_config = _FROZEN
    description: str = ""
    scalars: list[ValueDef] = Field(default_factory=list)
    tables: list[TableDef] = Field(default_factory=list)


class Match(BaseModel):
    """Which inventory devices a profile covers: platform and (optionally) role."""

    model_config = _FROZEN
    platforms: list[str]
    roles: list[str] = Field(default_factory=list)

    def covers(self, platform: str, role: str) -> bool:
        """Whether a device of this platform and role falls under the profile."""
        return platform in self.platforms and (not self.roles or role in self.roles)

    @property
    def specificity(self) -> int:
        """A profile naming roles is more specific than one naming platforms only."""
        return 2 if self.roles else 1


class ProfileIntent(BaseModel):
    """One device kind: what to poll and the request limits its agents need.

    Attributes:
        max_response_bytes: the largest response the vendor's agent sends by default; the generator
            turns it into a varbind budget per GETBULK.
        slow_every: the slow cadence, in cycles.
        poll: ``false`` for kinds that are not polled on their own (``reason`` says why).
    """

    model_config = _FROZEN
    profile: str
    description: str = ""
    match: Match
    modules: list[str] = Field(default_factory=list)
    max_response_bytes: int = Field(8000, ge=484, le=65507)
    timeout_s: float = Field(2.0, gt=0, le=60)
    retries: int = Field(1, ge=0, le=5)
    slow_every: int = Field(10, ge=1, le=1000)
    poll: bool = True
    reason: str = ""

    @model_validator(mode="after")
    def _poll_needs_modules(self) -> ProfileIntent:
        if self.poll and not self.modules:
            raise ValueError(f"profile {self.profile}: a polled profile needs modules")
        if not self.poll and not self.reason:
            raise ValueError(f"profile {self.profile}: say why it is not polled (reason)")
        return self


class Intent(BaseModel):
    """Everything under ``monitors/profiles``: the modules and the profiles, in file order."""

    model_config = _FROZEN
    modules: dict[str, ModuleDef]
    profiles: list[ProfileIntent]


def load_intent(directory: Path) -> Intent:
    """Read ``modules.yml`` and every other ``*.yml`` (one profile each) of ``directory``."""
    modules_file = directory / "modules.yml"
    raw_modules = yaml.safe_load(modules_file.read_text(encoding="utf-8")) or {}
    profiles = []
    for path in sorted(directory.glob("*.yml")):
        if path.name == modules_file.name:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            profiles.append(ProfileIntent.model_validate(data))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc
    try:
        return Intent(modules=raw_modules.get("modules", {}), profiles=profiles)
    except ValueError as exc:
        raise ValueError(f"{modules_file}: {exc}") from exc
