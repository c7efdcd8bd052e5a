"""The one alert object every egovnet engine emits, and the one severity table every encoder uses.

Publishers (the monitor's rules, audits, probes) hand in :class:`AlertRecord`: what they observed, now.
The store keeps one alert per fingerprint and turns records into lifecycle events; each event is the
canonical JSON object ``noc-alert/1`` (research note security.md section 5.2), which every sink
encodes for its channel. Fingerprints rest on stable identity (rule and entity), never on time or
counters, so a repeated observation updates ``last_seen`` and ``count`` instead of raising a new alert.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import time
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from egovnet import __version__

SCHEMA = "noc-alert/1"
PRODUCT = "egovnet"
Severity = Literal["critical", "major", "minor", "warning", "info"]
Status = Literal["firing", "resolved"]

#: One place for every channel's severity numbers (security.md 5.2): syslog, CEF 0-10, Nightingale, FlashDuty.
SEVERITY_NUM: dict[str, dict[str, int | str]] = {
    "critical": {"syslog": 2, "cef": 10, "n9e": 1, "flashduty": "Critical"},
    "major": {"syslog": 3, "cef": 8, "n9e": 1, "flashduty": "Critical"},
    "minor": {"syslog": 4, "cef": 5, "n9e": 2, "flashduty": "Warning"},
    "warning": {"syslog": 4, "cef": 4, "n9e": 2, "flashduty": "Warning"},
    "info": {"syslog": 6, "cef": 2, "n9e": 3, "flashduty": "Info"},
}
SYSLOG_NOTICE = 5  # resolved events: "normal but significant condition"

_FREE = ConfigDict(extra="allow", frozen=True)


def origin_host() -> str:
    """This machine's name as the alert's reporting host (``$EGOVNET_HOSTNAME`` overrides)."""
    return os.environ.get("EGOVNET_HOSTNAME") or socket.gethostname()


class RuleRef(BaseModel):
    """What detected it: rule id, name, category, and optional standard references."""

    model_config = _FREE
    id: str
    name: str = ""
    category: str = ""
    mlps: list[str] = Field(default_factory=list)


class Entity(BaseModel):
    """What is affected: ``type`` (device, interface, link, ap, host, site, indicator, ...) and ``id``."""

    model_config = _FREE
    type: str = "device"
    id: str
    site: str | None = None
    ip: str | None = None
    mac: str | None = None
    zone: str | None = None


class SourceRef(BaseModel):
    """Who reported it: the egovnet component (``monitor``, ``audit``, ``probe-ra``, ...) and host."""

    model_config = _FREE
    product: str = PRODUCT
    component: str
    host: str = Field(default_factory=origin_host)
    version: str = __version__


class AlertRecord(BaseModel):
    """An observation handed to :func:`egovnet.alerts.publish`.

    ``fingerprint`` may be omitted: it is then ``sha256(rule.id|entity.id|scope)[:16]``. ``source`` may be
    a component name (``"audit"``) or a :class:`SourceRef`; ``rule`` defaults to one named after it.
    ``observed_at`` defaults to now.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    status: Status
    severity: Severity = "warning"
    rule: RuleRef
    entity: Entity
    summary: str
    source: SourceRef
    fingerprint: str = ""
    scope: str = ""
    description: str = ""
    remediation: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    links: dict[str, str] = Field(default_factory=dict)
    observed_at: float = Field(default_factory=time.time)

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if isinstance(data.get("source"), str):
                data["source"] = {"component": data["source"]}
            if data.get("rule") is None and isinstance(data.get("source"), dict):
                data["rule"] = {"id": str(data["source"].get("component", ""))}
            if isinstance(data.get("rule"), str):
                data["rule"] = {"id": data["rule"]}
            if isinstance(data.get("entity"), str):
                data["entity"] = {"id": data["entity"]}
        return data

    @model_validator(mode="after")
    def _fingerprint(self) -> AlertRecord:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint(self.rule.id, self.entity.id, self.scope))
        return self


def fingerprint(rule_id: str, entity_id: str, scope: str = "") -> str:
    """The dedup key: stable identity only (rule, entity, scope)."""
    return hashlib.sha256(f"{rule_id}|{entity_id}|{scope}".encode()).hexdigest()[:16]


def uuid7() -> str:
    """An RFC 9562 UUIDv7 (time-ordered), as the event id (Python 3.11 has no uuid.uuid7)."""
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62
    value |= secrets.randbits(62)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def iso(timestamp: float | None) -> str | None:
    """UTC ISO 8601 with milliseconds and ``Z`` (what every sink and NOC tool expects)."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canonical(
    record: AlertRecord,
    *,
    event_id: str,
    status: Status,
    first_seen: float,
    last_seen: float,
    count: int,
    ends_at: float | None,
) -> dict[str, Any]:
    """The ``noc-alert/1`` object of one lifecycle event."""
    return {
        "schema": SCHEMA,
        "id": event_id,
        "fingerprint": record.fingerprint,
        "dedup_key": record.fingerprint,
        "status": status,
        "severity": record.severity,
        "severity_num": SEVERITY_NUM[record.severity],
        "rule": record.rule.model_dump(exclude_none=True),
        "source": record.source.model_dump(exclude_none=True),
        "entity": record.entity.model_dump(exclude_none=True),
        "summary": record.summary,
        "description": record.description,
        "remediation": record.remediation,
        "first_seen": iso(first_seen),
        "last_seen": iso(last_seen),
        "count": count,
        "ends_at": iso(ends_at),
        "evidence": record.evidence,
        "labels": record.labels,
        "links": record.links,
    }
