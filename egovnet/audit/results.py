"""Audit results as records: one finding per (policy, rule, entity), one run holding them all.

Reports (terminal, JSON, JUnit, SARIF, HTML), ``egovnet audit diff`` and the alert feed only ever
read these records, and a saved run carries the catalogue of the rules it used, so an old run can
still be rendered and compared after the policy files have changed.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["PASS", "FAIL", "REVIEW"]
Severity = Literal["critical", "major", "minor", "warning", "info"]
EntityKind = Literal["device", "site", "link"]

#: Most severe first; ``--fail-on`` compares ranks in this order.
SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor", "warning", "info")
STATUSES: tuple[Status, ...] = ("FAIL", "REVIEW", "PASS")


def worst(statuses: list[Status]) -> Status:
    """FAIL beats REVIEW beats PASS (an empty list passes)."""
    for status in STATUSES:
        if status in statuses:
            return status
    return "PASS"


def fingerprint(policy: str, rule: str, entity: str) -> str:
    """``sha256(policy|rule|entity)[:16]``: the stable identity the alert feed deduplicates on."""
    return hashlib.sha256(f"{policy}|{rule}|{entity}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a (redacted) config line, a state reading or a topology fact.

    Attributes:
        text: what was seen, or what is missing (``missing: ...``).
        line: 1-based line of ``text`` in the device's configuration, when it is a config line.
        section: the enclosing section headers, outermost first (``user-interface vty 0 4``).
    """

    text: str
    line: int | None = None
    section: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.line is not None:
            data["line"] = self.line
        if self.section:
            data["section"] = list(self.section)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(str(data["text"]), data.get("line"), tuple(data.get("section", ())))


@dataclass
class Finding:
    """The result of one rule on one entity (a device, a site, or a link).

    Attributes:
        entity: the device name, the site id, or ``a-device:if~b-device:if`` for a link.
        site: the site the entity belongs to (drill-down key of the HTML report).
        message: one line saying why the status was given.
        artifact: the configuration file the evidence lines point into (SARIF location), if any.
    """

    policy: str
    rule: str
    status: Status
    severity: Severity
    entity: str
    entity_kind: EntityKind = "device"
    site: str | None = None
    platform: str | None = None
    message: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    artifact: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.policy, self.rule, self.entity)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = [e.to_dict() for e in self.evidence]
        data["fingerprint"] = self.fingerprint
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["evidence"] = [Evidence.from_dict(e) for e in data.get("evidence", [])]
        return cls(**values)


def _new_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


@dataclass
class AuditRun:
    """One audit: what was looked at, how, and every finding.

    Attributes:
        mode: ``live`` (devices or the twin, over SSH) or ``offline`` (a directory of backups).
        source: the inventory path, plus the backup directory of an offline run.
        policies: policy name -> title, of the policies this run applied.
        rules: rule id -> the rule's catalogue entry (titles, severity, standards, remediation).
        devices: device name -> platform, of every device whose configuration was audited.
        sites: site id -> name and level, of every site a finding points at (for the reports).
        errors: device name -> why it could not be collected (its rules are REVIEW).
        warnings: device name -> why its state (interfaces, LLDP) could not be read; its
            configuration was audited, its state rules are REVIEW.
        timings: CPU seconds spent parsing configurations (``parse_s``) and evaluating rules
            (``checks_s``).
    """

    mode: Literal["live", "offline"]
    source: dict[str, str] = field(default_factory=dict)
    limit: str | None = None
    id: str = field(default_factory=_new_id)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    sites: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings per status, always with all three keys."""
        result: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            result[finding.status] += 1
        return result

    def failing(self, threshold: Severity) -> list[Finding]:
        """FAIL findings at ``threshold`` or more severe (what ``--fail-on`` counts)."""
        limit = SEVERITIES.index(threshold)
        return [f for f in self.findings if f.status == "FAIL" and SEVERITIES.index(f.severity) <= limit]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["counts"] = self.counts()
        data["schema"] = "egovnet-audit/1"
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditRun:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["findings"] = [Finding.from_dict(f) for f in data.get("findings", [])]
        return cls(**values)
