"""The active-check contract and what one run of checks shares.

A check reads the run (targets, settings, the probe's zone, interfaces, the shared rate limiter)
and reports findings into the run's book; it returns the entities it covered, so findings of an
earlier run on those entities that this run did not see again are resolved ("active-probe findings
resolve when the next run passes", research note §5.2). ``dry_run`` lists what would be sent and
sends nothing.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from egovnet.probes.active.ratelimit import RateLimiter
from egovnet.probes.active.targets import Target
from egovnet.probes.context import ProbeContext
from egovnet.probes.findings import FindingBook


class CheckError(RuntimeError):
    """A check cannot run as asked (missing interface, nothing to target)."""


@dataclass
class ActiveRun:
    """Everything the checks of one run share.

    Attributes:
        context: inventory lookups and settings (the probe's zone is ``context.zone``).
        targets: the inventory devices selected with ``--limit``.
        book: where findings go (scope: the probe's zone).
        limiter: the run's one token bucket.
        interface / listen_interface: the probe's legs for L2 checks (RA guard, DHCP sweep).
        receiver / marks: the far probe point of the firewall-policy check and its arrivals file.
        services: restrict the exposure check to these service names.
        dry_run: plan only: ``planned`` lists what would be sent.
    """

    context: ProbeContext
    targets: list[Target]
    book: FindingBook
    limiter: RateLimiter
    interface: str | None = None
    listen_interface: str | None = None
    receiver: str | None = None
    marks: str | None = None
    services: list[str] | None = None
    dry_run: bool = False
    planned: list[str] = field(default_factory=list)

    @property
    def privileged(self) -> bool:
        """Raw sockets available (root): SYN scan instead of connect scan, L2 canaries."""
        return os.geteuid() == 0

    @property
    def zone(self) -> str:
        """The zone the probe stands in (the access matrix row that applies)."""
        return self.context.zone or "management"


class ActiveCheck(ABC):
    """One active check."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def run(self, run: ActiveRun) -> list[str]:
        """Probe, report findings to ``run.book``; return the entity ids covered."""
