"""The two shapes a check takes: per device, or over the whole audited scope.

A check kind is a pydantic model (its typed inputs, read from the policy YAML) with one method.
Device checks answer for one device; scope checks (topology, coverage, link state) answer for many
entities at once because they share work (one graph, one pass over the links).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from egovnet.audit.context import AuditContext, DeviceContext
from egovnet.audit.results import EntityKind, Evidence, Status
from egovnet.inventory.model import LinkRole

#: The link roles that carry a device's traffic upstream (the default of link-based checks).
UPLINK_ROLES: tuple[LinkRole, ...] = ("primary", "backup")

#: At most this many evidence lines are kept per finding (the rest are counted).
MAX_EVIDENCE = 24


@dataclass
class Outcome:
    """A check's answer: status, one line of why, and the evidence."""

    status: Status
    message: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    def capped(self) -> Outcome:
        """The outcome with at most :data:`MAX_EVIDENCE` evidence lines."""
        if len(self.evidence) <= MAX_EVIDENCE:
            return self
        extra = len(self.evidence) - MAX_EVIDENCE
        return Outcome(
            self.status, self.message, [*self.evidence[:MAX_EVIDENCE], Evidence(f"... {extra} more")]
        )


@dataclass
class EntityOutcome:
    """A scope check's answer for one entity.

    Attributes:
        device: the device the entity belongs to (itself, or a link's listing end); the rule's
            ``applies`` roles and platforms are matched against it. ``None`` for a site.
    """

    entity: str
    kind: EntityKind
    site: str | None
    outcome: Outcome
    device: str | None = None


class CheckModel(BaseModel):
    """Base of every check kind: strict, immutable inputs."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DeviceCheck(CheckModel):
    """A check answered for one device at a time."""

    #: whether the check reads the configuration (devices without one get no finding, or REVIEW).
    needs_config: ClassVar[bool] = True

    def dialects(self) -> frozenset[str] | None:
        """Dialects the check has an answer for; ``None``: any device, CLI or not."""
        return None

    def evaluate(self, device: DeviceContext) -> Outcome:
        raise NotImplementedError


class ScopeCheck(CheckModel):
    """A check answered over the audited scope (sites, links, device pairs)."""

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        raise NotImplementedError
