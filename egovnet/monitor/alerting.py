"""Alert rules over the monitor's metrics (``rules:`` of ``monitors/alerts.yml``).

Each cycle every rule looks at the series of its metric: a series *holds* when its value meets the
condition and no ``unless`` test on the same row cancels it. Series are grouped by the rule's entity
(both ends of a link, every CPU of a device), so one broken thing is one alert. An entity fires after
``for_cycles`` consecutive holding cycles (flaps do not page anyone) and resolves after
``clear_cycles`` cycles of being seen and not holding. An entity that is not seen at all (its device
stopped answering) keeps its state for ``stale_cycles``, so an unreachable device does not "resolve"
its own link alarm; the unreachable-device rule covers it meanwhile.

The counters are persisted with the alerts (``rule_state``), so a restarted monitor neither forgets a
pending alert nor raises a firing one again.
"""

from __future__ import annotations

import string
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from egovnet.alerts.model import AlertRecord, Entity, RuleRef, Severity, SourceRef, fingerprint
from egovnet.alerts.model import Status as AlertStatus
from egovnet.alerts.store import AlertStore
from egovnet.monitor.expr import Check, Condition, Selector
from egovnet.monitor.metrics import Snapshot, short_name

COMPONENT = "monitor"
INVENTORY_LABELS = ("device", "site", "level", "role", "platform")
EVIDENCE_SAMPLES = 5

Rows = Mapping[str, list[tuple[dict[str, str], Mapping[str, float]]]]


class Rule(BaseModel):
    """One alert rule (see the header of ``monitors/alerts.yml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    category: str = "monitor"
    severity: Severity
    severity_by_level: dict[str, Severity] = Field(default_factory=dict)
    metric: str
    condition: str
    unless: list[str] = Field(default_factory=list)
    for_cycles: int = Field(1, ge=1)
    clear_cycles: int = Field(1, ge=1)
    stale_cycles: int = Field(20, ge=1)
    entity_type: str = "device"
    entity: str
    summary: str
    description: str = ""
    remediation: str = ""
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("metric")
    @classmethod
    def _selector(cls, value: str) -> str:
        Selector.parse(value)
        return value

    @field_validator("condition")
    @classmethod
    def _condition(cls, value: str) -> str:
        Condition.parse(value)
        return value

    @field_validator("unless")
    @classmethod
    def _unless(cls, values: list[str]) -> list[str]:
        for value in values:
            if Check.parse(value).aggregate is not None:
                raise ValueError(f"unless tests a sibling metric of the row, without aggregate: {value!r}")
        return values


def load_rules(entries: Iterable[Mapping[str, Any]]) -> list[Rule]:
    """Validate rule entries; ids must be unique."""
    rules = [Rule.model_validate(dict(entry)) for entry in entries]
    ids = [rule.id for rule in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"alert rule ids defined twice: {duplicates}")
    return rules


class _Template(string.Formatter):
    """``str.format`` over labels where a missing label is empty instead of an error."""

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key), "")

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return str(super().format_field(value, format_spec))
        except (TypeError, ValueError):
            return str(value)


_TEMPLATE = _Template()


def render(template: str, labels: Mapping[str, str], value: float) -> str:
    """A summary or entity template filled from a series' labels and value."""
    return _TEMPLATE.vformat(template, (), {**labels, "value": value})


@dataclass
class _Seen:
    labels: dict[str, str]
    value: float
    holding: list[tuple[dict[str, str], float]] = field(default_factory=list)


@dataclass
class _Counters:
    held: int = 0
    cleared: int = 0
    absent: int = 0
    firing: bool = False
    record: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "held": self.held,
            "cleared": self.cleared,
            "absent": self.absent,
            "firing": self.firing,
            "record": self.record,
        }


class RuleEngine:
    """Evaluates rules cycle after cycle and publishes the resulting observations to the store."""

    def __init__(self, rules: Iterable[Rule], store: AlertStore) -> None:
        self.rules = list(rules)
        self.store = store
        self.state = {fp: _Counters(**data) for fp, data in store.rule_state().items()}

    def _observe(self, rule: Rule, snapshot: Snapshot, extra: Rows) -> dict[str, _Seen]:
        selector = Selector.parse(rule.metric)
        condition = Condition.parse(rule.condition)
        unless = [Check.parse(text) for text in rule.unless]
        name = short_name(selector.metric)
        rows = extra[name] if name in extra else list(snapshot.rows(name))
        seen: dict[str, _Seen] = {}
        for labels, values in rows:
            if name not in values or not selector.matches(labels):
                continue
            value = values[name]
            entity = render(rule.entity, labels, value)
            item = seen.setdefault(entity, _Seen(labels, value))
            cancelled = any(
                t.selector.metric in values and t.condition.holds(values[t.selector.metric]) for t in unless
            )
            if condition.holds(value) and not cancelled:
                if not item.holding:
                    item.labels, item.value = labels, value
                item.holding.append((labels, value))
        return seen

    def _record(self, rule: Rule, entity: str, seen: _Seen, status: AlertStatus) -> AlertRecord:
        labels = seen.labels
        severity = rule.severity_by_level.get(labels.get("level", ""), rule.severity)
        evidence = {
            "metric": "egovnet_" + short_name(Selector.parse(rule.metric).metric),
            "condition": rule.condition,
            "value": seen.value,
            "series": [{"labels": lab, "value": val} for lab, val in seen.holding[:EVIDENCE_SAMPLES]],
        }
        return AlertRecord(
            status=status,
            severity=severity,
            rule=RuleRef(id=rule.id, name=rule.name, category=rule.category),
            entity=Entity(type=rule.entity_type, id=entity, site=labels.get("site")),
            summary=render(rule.summary, labels, seen.value),
            source=SourceRef(component=COMPONENT),
            description=rule.description,
            remediation=rule.remediation,
            evidence=evidence,
            labels={**{k: labels[k] for k in INVENTORY_LABELS if k in labels}, **rule.labels},
        )

    def evaluate(self, snapshot: Snapshot, extra: Rows | None = None) -> list[AlertRecord]:
        """This cycle's observations (firing updates and resolutions), also kept as rule state."""
        records: list[AlertRecord] = []
        touched: set[str] = set()
        for rule in self.rules:
            for entity, seen in self._observe(rule, snapshot, extra or {}).items():
                key = fingerprint(rule.id, entity)
                touched.add(key)
                counters = self.state.setdefault(key, _Counters())
                counters.absent = 0
                if seen.holding:
                    counters.held, counters.cleared = counters.held + 1, 0
                    if counters.held >= rule.for_cycles:
                        record = self._record(rule, entity, seen, "firing")
                        counters.firing, counters.record = True, record.model_dump_json()
                        records.append(record)
                else:
                    counters.held, counters.cleared = 0, counters.cleared + 1
                    if counters.firing and counters.cleared >= rule.clear_cycles:
                        records.append(self._record(rule, entity, seen, "resolved"))
                        counters.firing = False
        records += self._age_unseen(touched)
        self.state = {k: c for k, c in self.state.items() if c.firing or c.held}
        return records

    def _age_unseen(self, touched: set[str]) -> list[AlertRecord]:
        stale = {rule.id: rule.stale_cycles for rule in self.rules}
        records = []
        for key, counters in self.state.items():
            if key in touched:
                continue
            counters.absent += 1
            counters.held = 0
            if not (counters.firing and counters.record):
                continue
            old = AlertRecord.model_validate_json(counters.record)
            if counters.absent >= stale.get(old.rule.id, 1):  # a rule removed from the file: resolve now
                evidence = {**old.evidence, "resolved_because": f"no data for {counters.absent} cycles"}
                update = {"status": "resolved", "evidence": evidence, "observed_at": time.time()}
                records.append(old.model_copy(update=update))
                counters.firing = False
        return records

    def publish(self, snapshot: Snapshot, extra: Rows | None = None) -> list[dict[str, Any]]:
        """Evaluate, write observations and events to the store, persist the counters."""
        records = self.evaluate(snapshot, extra)
        events = self.store.apply(records)
        self.store.save_rule_state({k: c.to_json() for k, c in self.state.items()})
        return events
