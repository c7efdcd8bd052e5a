"""``kind: manual``: what no configuration or state reading can prove, always REVIEW.

Two-factor login, log retention of six months, signature freshness on a sensor egovnet cannot log
in to: the audit still lists them per device, with the supporting lines it could find and what a
reviewer has to look at, so a 测评 report has one row per requirement (research note §1.1).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from egovnet.audit.checks.base import DeviceCheck, Outcome
from egovnet.audit.context import DeviceContext
from egovnet.audit.results import Evidence


class ManualCheck(DeviceCheck):
    """REVIEW with ``needs`` as the message; ``evidence`` patterns collect supporting config lines.

    Attributes:
        needs: what the reviewer must obtain (a record, a command's output, a certificate).
        evidence: per dialect, patterns of configuration lines worth showing the reviewer. When
            given, the rule is about those dialects' devices only (the device baseline's reviews
            do not concern an access point); without it, about every device its ``applies`` selects.
    """

    kind: Literal["manual"]
    needs: str
    evidence: dict[str, list[re.Pattern[str]]] = Field(default_factory=dict)

    needs_config = False

    def dialects(self) -> frozenset[str] | None:
        return frozenset(self.evidence) if self.evidence else None

    def evaluate(self, device: DeviceContext) -> Outcome:
        lines: list[Evidence] = []
        patterns = self.evidence.get(device.dialect or "", [])
        if device.doc is not None and patterns:
            doc = device.doc
            lines = [doc.evidence(found) for pattern in patterns for found in doc.search(pattern)]
        if not lines:
            lines = [Evidence(f"{device.name}: nothing in the configuration proves this ({device.platform})")]
        return Outcome("REVIEW", self.needs.strip(), lines)
