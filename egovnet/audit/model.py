"""Rules and policies as typed data: what ``policies/*.yml`` may say, validated on load.

A rule carries everything a 测评 report and a NOC engineer need: bilingual title, severity, the
standard clauses it is evidence for (GB/T 22239 clause, GB/T 28448 test unit where known, CIS and
DISA STIG ids), where it applies (platform, role, site level), how it is checked (one typed check
kind) and how to fix it per dialect.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from egovnet.audit.checks import CheckSpec, DeviceCheck
from egovnet.audit.checks.config import ConfigCheck
from egovnet.audit.results import Severity
from egovnet.inventory.model import Role, SiteLevel
from egovnet.platforms import CLI_DIALECTS, PLATFORMS

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Text(BaseModel):
    """A title in both languages of the county's reports."""

    model_config = _STRICT
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Standards(BaseModel):
    """The clauses a rule is evidence for.

    Attributes:
        mlps: GB/T 22239-2019 level-3 clause ids (``8.1.4.1c``).
        mlps_unit: GB/T 28448-2019 test-unit ids where confirmed (``L3-CES1-02``).
        cis: CIS benchmark item numbers (Cisco IOS benchmark numbering).
        stig: DISA STIG vulnerability ids (``V-215845``).
        other: other requirements the rule checks (the county's plan, national IPv6 targets).
    """

    model_config = _STRICT
    mlps: list[str] = Field(default_factory=list)
    mlps_unit: list[str] = Field(default_factory=list)
    cis: list[str] = Field(default_factory=list)
    stig: list[str] = Field(default_factory=list)
    other: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _anchored(self) -> Standards:
        if not (self.mlps or self.cis or self.stig or self.other):
            raise ValueError("a rule needs at least one MLPS clause, CIS item, STIG id or other reference")
        return self

    def ids(self) -> list[str]:
        """Every id, prefixed by its standard, for reports and SARIF tags."""
        return (
            [f"MLPS {c}" for c in self.mlps]
            + [f"GB/T 28448 {u}" for u in self.mlps_unit]
            + [f"CIS {c}" for c in self.cis]
            + [f"STIG {s}" for s in self.stig]
            + list(self.other)
        )


class Applies(BaseModel):
    """Where a rule applies; an empty list means "any"."""

    model_config = _STRICT
    platforms: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    levels: list[SiteLevel] = Field(default_factory=list)

    @field_validator("platforms")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platform(s) {unknown}")
        return value

    def matches(self, platform: str | None, role: str | None, level: str | None) -> bool:
        """Whether a device (or a site, with role ``None``) is in scope; unknown facts match only
        rules that do not ask for them."""
        return (
            (not self.platforms or platform in self.platforms)
            and (not self.roles or role in self.roles)
            and (not self.levels or level in self.levels)
        )


class Rule(BaseModel):
    """One requirement and how it is checked."""

    model_config = _STRICT
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: Text
    severity: Severity
    standards: Standards
    applies: Applies = Field(default_factory=Applies)
    check: CheckSpec
    remediation: dict[str, str] = Field(min_length=1)
    rationale: str = ""

    @field_validator("remediation")
    @classmethod
    def _remediation_keys(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in value if k not in (*CLI_DIALECTS, "default")]
        if unknown:
            raise ValueError(f"remediation keys must be dialects or 'default', not {unknown}")
        return value

    @model_validator(mode="after")
    def _remediation_covers_dialects(self) -> Rule:
        if isinstance(self.check, ConfigCheck) and "default" not in self.remediation:
            missing = sorted(self.check.dialects() - set(self.remediation))
            if missing:
                raise ValueError(f"{self.id}: no remediation for dialect(s) {missing}")
        return self

    @property
    def per_device(self) -> bool:
        return isinstance(self.check, DeviceCheck)

    def fix(self, dialect: str | None) -> str:
        """The remediation for a dialect (or the general one)."""
        return self.remediation.get(dialect or "", self.remediation.get("default", ""))

    def catalogue(self, policy: str) -> dict[str, Any]:
        """What a saved run keeps about the rule (reports of old runs need no policy files)."""
        return {
            "policy": policy,
            "title": self.title.model_dump(),
            "severity": self.severity,
            "standards": self.standards.model_dump(),
            "ids": self.standards.ids(),
            "kind": self.check.kind,
            "remediation": dict(self.remediation),
            "rationale": self.rationale,
        }


class Policy(BaseModel):
    """One policy set (one ``policies/<name>.yml``)."""

    model_config = _STRICT
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    description: str = ""
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Policy:
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id(s) {duplicates}")
        return self
