"""``kind: coverage``: every site of a level has an active device of a role (AP, 5G CPE).

"Active" is read where egovnet can read it: the port of the site's switch facing the device must be
up. Fit APs and CPEs have no CLI, so the switch side is the evidence; without a live reading the
device is only known to be planned, which is REVIEW.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from egovnet.audit.checks.base import EntityOutcome, Outcome, ScopeCheck
from egovnet.audit.checks.state import find_interface
from egovnet.audit.context import AuditContext
from egovnet.audit.results import Evidence
from egovnet.inventory import Inventory
from egovnet.inventory.model import Role


class CoverageCheck(ScopeCheck):
    """Each site in scope holds at least one active device of ``role``.

    The rule's ``applies.levels`` picks the sites (villages); ``site_units`` narrows them to kinds of
    village-level unit (``administrative_village`` / ``community``), empty meaning all.
    """

    kind: Literal["coverage"]
    role: Role
    site_units: list[str] = Field(default_factory=list)

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        return [
            EntityOutcome(site, "site", site, self._judge(context, inventory, site))
            for site in sorted(context.sites)
            if not self.site_units or inventory.sites[site].unit in self.site_units
        ]

    def _judge(self, context: AuditContext, inventory: Inventory, site: str) -> Outcome:
        members = [n for n in inventory.sites[site].devices if inventory.devices[n].role == self.role]
        if not members:
            return Outcome("FAIL", f"no {self.role} in the inventory of this site", [])
        evidence: list[Evidence] = []
        active: list[str] = []
        for name in members:
            for link in context.links_of(name):
                far, port = (
                    (link.b_device, link.b_interface)
                    if link.a_device == name
                    else (link.a_device, link.a_interface)
                )
                if far is None or port is None or far not in inventory.sites[site].devices:
                    continue
                snapshot = context.snapshot(far)
                if snapshot is None or snapshot.interfaces is None:
                    evidence.append(Evidence(f"{name} on {far} {port}: port state not read"))
                    continue
                state = find_interface(snapshot.interfaces, port)
                up = state is not None and state.oper_up
                evidence.append(Evidence(f"{name} on {far} {port}: {'up' if up else 'down or absent'}"))
                if up:
                    active.append(name)
        if active:
            return Outcome("PASS", f"active {self.role}: {', '.join(sorted(set(active)))}", evidence)
        if any("not read" in e.text for e in evidence) or not evidence:
            return Outcome(
                "REVIEW",
                f"{', '.join(members)} planned; activity not observable without a live reading",
                evidence or [Evidence(f"{', '.join(members)}: no switch port in the site faces it")],
            )
        return Outcome("FAIL", f"no active {self.role}: the facing switch ports are down", evidence)
