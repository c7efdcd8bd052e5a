"""Checks on operational state read from the devices: link speed tiers, cabling seen by LLDP.

The plan (inventory speed, planned links) is judged in every run; the observed state only in a live
run. An offline run therefore still FAILs a link planned below its tier, and gives REVIEW where
only a reading of the device could tell.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from egovnet.audit.checks.base import UPLINK_ROLES, EntityOutcome, Outcome, ScopeCheck
from egovnet.audit.context import AuditContext
from egovnet.audit.graph import describe_link, port_key
from egovnet.audit.results import Evidence
from egovnet.audit.snapshot import InterfaceState
from egovnet.inventory import Link
from egovnet.inventory.model import LinkRole


def find_interface(states: dict[str, InterfaceState], name: str) -> InterfaceState | None:
    """An interface's state by exact name, else by numeric tail when that is unambiguous."""
    if name in states:
        return states[name]
    key = port_key(name)
    matches = [s for n, s in states.items() if port_key(n) == key and n[:1].lower() == name[:1].lower()]
    return matches[0] if len(matches) == 1 else None


class LinkSpeedCheck(ScopeCheck):
    """Uplinks of the audited devices run at ``min_mbps`` or more (planned and observed).

    The link's listing end (the downstream device) is the one whose interface is read; the rule's
    ``applies`` (roles, levels) select which devices' uplinks form the tier.
    """

    kind: Literal["link_speed"]
    min_mbps: int = Field(gt=0)
    link_roles: list[LinkRole] = Field(default_factory=lambda: list(UPLINK_ROLES))

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        results: list[EntityOutcome] = []
        for link in inventory.links:
            device = context.devices.get(link.a_device)
            if device is None or link.role not in self.link_roles:
                continue
            entity = f"{link.a_device}:{link.a_interface}"
            results.append(
                EntityOutcome(entity, "link", device.site, self._judge(context, link), link.a_device)
            )
        return results

    def _judge(self, context: AuditContext, link: Link) -> Outcome:
        plan = Evidence(f"planned: {describe_link(link)}")
        if link.speed_mbps < self.min_mbps:
            return Outcome("FAIL", f"planned at {link.speed_mbps} Mb/s, tier needs {self.min_mbps}", [plan])
        snapshot = context.snapshot(link.a_device)
        if snapshot is None or snapshot.interfaces is None:
            return Outcome(
                "REVIEW", "interface state not read (offline audit or device not collected)", [plan]
            )
        state = find_interface(snapshot.interfaces, link.a_interface)
        if state is None:
            return Outcome("REVIEW", f"{link.a_interface} not reported by the device", [plan])
        seen = Evidence(
            f"observed: {state.name} {'up' if state.oper_up else 'down'}"
            f"{'' if state.admin_up else ' (admin down)'}, "
            f"{state.speed_mbps if state.speed_mbps is not None else '?'} Mb/s"
        )
        if not state.oper_up:
            return Outcome("FAIL", f"{state.name} is down", [plan, seen])
        if state.speed_mbps is None:
            return Outcome("REVIEW", f"{state.name} reports no speed", [plan, seen])
        if state.speed_mbps < self.min_mbps:
            return Outcome(
                "FAIL", f"{state.name} runs at {state.speed_mbps} Mb/s < {self.min_mbps}", [plan, seen]
            )
        return Outcome("PASS", f"{state.name} at {state.speed_mbps} Mb/s", [plan, seen])


class LldpLinksCheck(ScopeCheck):
    """LLDP agrees with the cabling plan: every planned link between two read devices is seen, and
    no device shows an LLDP neighbour the plan does not have."""

    kind: Literal["lldp_links"]

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        topology = context.topology
        results: list[EntityOutcome] = []
        for name, device in sorted(context.devices.items()):
            if device.doc is None and device.snapshot is None:
                continue
            snapshot = device.snapshot
            if snapshot is None or snapshot.lldp is None:
                if device.dialect is None:
                    continue  # not a CLI device: nothing was ever going to be read
                outcome = Outcome("REVIEW", "LLDP not read (offline audit or device not collected)", [])
            else:
                unseen = [link for link in topology.unseen if name in (link.a_device, link.b_device)]
                unplanned = [u for u in topology.unplanned if u[0] == name]
                evidence = [Evidence(f"planned, not seen by LLDP: {describe_link(link)}") for link in unseen]
                evidence += [Evidence(f"LLDP neighbour not in the plan: {i} -> {n}") for _, i, n in unplanned]
                seen = [Evidence(f"LLDP: {n.local_interface} -> {n.name} {n.port}") for n in snapshot.lldp]
                outcome = (
                    Outcome(
                        "FAIL", f"{len(unseen)} planned link(s) unseen, {len(unplanned)} unplanned", evidence
                    )
                    if evidence
                    else Outcome("PASS", f"{len(snapshot.lldp)} LLDP neighbour(s) match the plan", seen)
                )
            results.append(EntityOutcome(name, "device", device.site, outcome, name))
        return results
