"""Redundancy from the topology graph: points of failure, single-homed nodes, HA pairs, IDS taps.

All of these read the inventory (the plan) through :class:`egovnet.audit.graph.Topology`, which a
live run corrects with LLDP, so a cable that is planned but dark counts as missing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from egovnet.audit.checks.base import UPLINK_ROLES, EntityOutcome, Outcome, ScopeCheck
from egovnet.audit.context import AuditContext
from egovnet.audit.graph import PointsOfFailure, describe_link
from egovnet.audit.results import Evidence
from egovnet.inventory.model import LinkRole, Role


def _site_devices(context: AuditContext, site: str) -> list[str]:
    assert context.inventory is not None
    return list(context.inventory.sites[site].devices)


class SiteToCoreCheck(ScopeCheck):
    """No device and no link whose loss cuts a site off the core (articulation points, bridges).

    The site's own devices are not counted: a village with one switch loses that village when the
    switch fails, and no cabling can change it.
    """

    kind: Literal["site_to_core"]

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        assert context.inventory is not None
        topology = context.topology
        core = set(topology.core)
        results: list[EntityOutcome] = []
        for site in sorted(context.sites):
            members = _site_devices(context, site)
            if not members or core & set(members):
                continue
            points = topology.site_failure_points(members)
            results.append(EntityOutcome(site, "site", site, self._judge(context, points)))
        return results

    @staticmethod
    def _judge(context: AuditContext, points: PointsOfFailure) -> Outcome:
        assert context.inventory is not None
        topology = context.topology
        unseen = [
            Evidence(f"planned link not seen by LLDP: {describe_link(link)}") for link in topology.unseen
        ]
        if not points.reachable:
            return Outcome(
                "FAIL", "no path to the core at all", unseen or [Evidence("no link towards the core")]
            )
        if not points.devices and not points.links:
            return Outcome("PASS", "at least two disjoint paths to the core", [])
        evidence = [
            Evidence(f"single point of failure: {name} ({context.inventory.devices[name].role})")
            for name in sorted(points.devices)
        ]
        for a, b in sorted(points.links):
            for link in topology.links_between(a, b):
                evidence.append(Evidence(f"single link to the core: {describe_link(link)}"))
        names = sorted(points.devices) + [f"{a}--{b}" for a, b in sorted(points.links)]
        return Outcome("FAIL", f"single point(s) of failure towards the core: {', '.join(names)}", evidence)


class DualHomedCheck(ScopeCheck):
    """Each device of the given roles has ``min_links`` uplinks to ``min_peers`` distinct upstreams.

    Uplinks are the links the device lists as its own with a role in ``link_roles``; a live run
    only counts those LLDP confirms.
    """

    kind: Literal["dual_homed"]
    roles: list[Role] = Field(min_length=1)
    link_roles: list[LinkRole] = Field(default_factory=lambda: list(UPLINK_ROLES))
    min_links: int = 2
    min_peers: int = 2

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        topology = context.topology
        results: list[EntityOutcome] = []
        for name, device in sorted(context.devices.items()):
            if device.role not in self.roles:
                continue
            uplinks = [
                link
                for link in inventory.links
                if link.a_device == name and link.role in self.link_roles and link not in topology.unseen
            ]
            peers = {link.b_device or link.external for link in uplinks}
            evidence = [Evidence(f"uplink: {describe_link(link)}") for link in uplinks]
            evidence += [
                Evidence(f"not seen by LLDP: {describe_link(link)}")
                for link in topology.unseen
                if link.a_device == name
            ]
            ok = len(uplinks) >= self.min_links and len(peers) >= self.min_peers
            message = (
                f"{len(uplinks)} uplinks to {len(peers)} upstream device(s)"
                if ok
                else f"single-homed: {len(uplinks)} uplink(s) to {len(peers)} upstream device(s), "
                f"need {self.min_links} to {self.min_peers}"
            )
            results.append(
                EntityOutcome(
                    name, "device", device.site, Outcome("PASS" if ok else "FAIL", message, evidence), name
                )
            )
        return results


class HaPairCheck(ScopeCheck):
    """HA pairs are complete: partner present, declared both ways, same site and model, linked.

    Devices with ``ha_peer`` are checked, and devices of ``roles`` (which must come in pairs even
    without an ``ha_peer`` variable, e.g. the core) are paired with the other device of that role
    at their site.
    """

    kind: Literal["ha_pair"]
    roles: list[Role] = Field(default_factory=list)

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        results: list[EntityOutcome] = []
        for name, ctx in sorted(context.devices.items()):
            device = inventory.devices.get(name)
            if device is None or (device.ha_peer is None and device.role not in self.roles):
                continue
            problems: list[str] = []
            partner = device.ha_peer
            if partner is None:
                same = [
                    n
                    for n in inventory.sites[device.site].devices
                    if n != name and inventory.devices[n].role == device.role
                ]
                partner = same[0] if same else None
            if partner is None or partner not in inventory.devices:
                problems.append(f"partner {partner or '(none)'} is not in the inventory")
            else:
                other = inventory.devices[partner]
                if device.ha_peer is not None and other.ha_peer != name:
                    problems.append(f"{partner} does not name {name} as its ha_peer (has {other.ha_peer})")
                if other.site != device.site:
                    problems.append(f"{partner} stands at {other.site}, not {device.site}")
                if other.model != device.model:
                    problems.append(f"models differ: {device.model} / {other.model}")
                if not context.topology.links_between(name, partner):
                    problems.append(f"no direct link (heartbeat / peer link) between {name} and {partner}")
            links = context.topology.links_between(name, partner) if partner else []
            evidence = [Evidence(f"peer link: {describe_link(link)}") for link in links]
            evidence += [Evidence(p) for p in problems]
            outcome = (
                Outcome("FAIL", "; ".join(problems), evidence)
                if problems
                else Outcome("PASS", f"paired with {partner}", evidence)
            )
            results.append(EntityOutcome(name, "device", ctx.site, outcome, name))
        return results


class SensorCoverageCheck(ScopeCheck):
    """Every device of ``roles`` has a mirror link to a sensor (IDS / probe) monitoring its traffic."""

    kind: Literal["sensor_coverage"]
    roles: list[Role] = Field(min_length=1)
    sensor_roles: list[Role] = Field(min_length=1)

    def evaluate_scope(self, context: AuditContext) -> list[EntityOutcome]:
        inventory = context.inventory
        assert inventory is not None
        results: list[EntityOutcome] = []
        for name, ctx in sorted(context.devices.items()):
            if ctx.role not in self.roles:
                continue
            taps = [
                link
                for link in context.links_of(name)
                if link.role == "mirror"
                and inventory.devices[link.a_device if link.a_device != name else str(link.b_device)].role
                in self.sensor_roles
            ]
            evidence = [Evidence(f"mirror: {describe_link(link)}") for link in taps]
            outcome = (
                Outcome("PASS", f"{len(taps)} sensor tap(s)", evidence)
                if taps
                else Outcome("FAIL", f"no {'/'.join(self.sensor_roles)} sensor on a mirror port", evidence)
            )
            results.append(EntityOutcome(name, "device", ctx.site, outcome, name))
        return results
