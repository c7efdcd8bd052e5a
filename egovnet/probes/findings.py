"""Findings: alert-shaped records with a stable fingerprint, so repeated events update one alert.

A detector calls :meth:`FindingBook.report` for every event it sees. Events with the same rule,
entity and scope (the segment or run that observed them) share a fingerprint; they update
``last_seen`` and ``count`` of one :class:`Finding` instead of creating new ones, as the NOC alert
feed expects (research note security.md §5.2: fingerprint on stable identity, never on time or
counters). Evidence keeps the raw bytes of the first few frames and their time; the frames are only
dissected (scapy) when the finding is serialised, so a flood of thousands of events costs one dict
update each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from egovnet.probes.packet import header_length
from egovnet.probes.rules import SEVERITIES, Rule, Severity, rule

Status = Literal["firing", "resolved"]
MAX_SAMPLES = 5


def iso(ts: float) -> str:
    """UTC timestamp as the alert feed writes it (``2025-05-01T08:00:00.123Z``)."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Entity:
    """What a finding is about.

    Attributes:
        type: ``host`` (a MAC/IP on a segment), ``device`` (an inventory device), ``l2-segment``.
        id: stable key (device name, MAC, IP or segment name); part of the fingerprint.
        ip / mac: addresses, when known.
        site / zone: where it stands (inventory site id; management / lan / transport / ...).
    """

    type: str
    id: str
    ip: str | None = None
    mac: str | None = None
    site: str | None = None
    zone: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Sample:
    """One piece of packet evidence: when, the frame's bytes, and a detector's safe description."""

    time: float
    frame: bytes = b""
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Dissect the frame now (scapy), keeping only headers in the hex dump."""
        result: dict[str, Any] = {"time": iso(self.time)}
        if self.detail:
            result["detail"] = self.detail
        if self.frame:
            from scapy.layers.l2 import Ether

            result["summary"] = Ether(self.frame).summary()
            result["headers_hex"] = self.frame[: header_length(self.frame)].hex()
        return result


def fingerprint(rule_id: str, entity_id: str, scope: str) -> str:
    """``sha256(rule|entity|scope)[:16]``, the alert feed's dedup key."""
    return hashlib.sha256(f"{rule_id}|{entity_id}|{scope}".encode()).hexdigest()[:16]


@dataclass
class Finding:
    """One alert-shaped finding.

    Attributes:
        rule: what was found (severity, ATT&CK, MLPS, remediation).
        entity: who or what it is about.
        scope: where it was observed (probe segment or active-check run scope).
        summary: one line for the NOC.
        first_seen / last_seen: event times (packet times for passive findings).
        count: events merged into this finding.
        severity: the rule's severity unless a detector raised or lowered it.
        facts: detector numbers (ports, rates, entropy, ...), JSON-serialisable.
        samples: the first few packets or probe answers.
        labels: routing labels (``origin=self-test`` for our own canaries).
        status: ``firing`` until resolved by a quiet period or a passing re-check.
    """

    rule: Rule
    entity: Entity
    scope: str
    summary: str
    first_seen: float
    last_seen: float
    count: int = 1
    severity: Severity | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    status: Status = "firing"

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule, entity and scope, never time or counters."""
        return fingerprint(self.rule.id, self.entity.id, self.scope)

    @property
    def level(self) -> Severity:
        """Effective severity."""
        return self.severity or self.rule.severity

    def as_dict(self) -> dict[str, Any]:
        """JSON form (the store and the CLI keep this; :mod:`egovnet.probes.alerts` maps it)."""
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule.id,
            "detector": self.rule.detector,
            "name": self.rule.name,
            "severity": self.level,
            "attack": list(self.rule.attack),
            "mlps": list(self.rule.mlps),
            "entity": self.entity.as_dict(),
            "scope": self.scope,
            "summary": self.summary,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "count": self.count,
            "status": self.status,
            "facts": self.facts,
            "evidence": [sample.as_dict() for sample in self.samples],
            "labels": self.labels,
            "remediation": self.rule.remediation,
        }


@dataclass
class FindingBook:
    """The findings of one probe run, merged by fingerprint.

    Attributes:
        scope: the default scope (probe id / segment) of every finding reported here.
    """

    scope: str = "probe"
    findings: dict[str, Finding] = field(default_factory=dict)
    _keys: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)

    def report(
        self,
        rule_id: str,
        entity: Entity,
        when: float,
        summary: str,
        *,
        frame: bytes = b"",
        detail: str = "",
        facts: dict[str, Any] | None = None,
        severity: Severity | None = None,
        labels: dict[str, str] | None = None,
        count: int = 1,
        scope: str | None = None,
    ) -> Finding:
        """Record one event; returns the (new or updated) finding.

        ``summary``, ``facts`` and ``severity`` of a repeated event replace the earlier ones (a scan's
        port count grows); a more severe level is never lowered by a later event.
        """
        where = scope or self.scope
        key = self._keys.get((rule_id, entity.id, where))
        if key is None:
            key = self._keys[(rule_id, entity.id, where)] = fingerprint(rule_id, entity.id, where)
        found = self.findings.get(key)
        if found is None:
            the_rule = rule(rule_id)
            found = self.findings[key] = Finding(
                the_rule, entity, where, summary, when, when, count, severity
            )
        else:
            found.count += count
            found.first_seen = min(found.first_seen, when)
            found.last_seen = max(found.last_seen, when)
            found.summary = summary
            if severity is not None and (
                found.severity is None or SEVERITIES.index(severity) < SEVERITIES.index(found.severity)
            ):
                found.severity = severity
        if facts:
            found.facts.update(facts)
        if labels:
            found.labels.update(labels)
        if (frame or detail) and len(found.samples) < MAX_SAMPLES:
            found.samples.append(Sample(when, frame, detail))
        return found

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings.values())

    def __len__(self) -> int:
        return len(self.findings)

    def by_rule(self, rule_id: str) -> list[Finding]:
        """Findings of one rule (tests and reports)."""
        return [f for f in self.findings.values() if f.rule.id == rule_id]
