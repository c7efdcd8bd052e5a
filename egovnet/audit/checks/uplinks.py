"""``kind: uplink_dual_stack``: every routed uplink carries IPv6 next to its IPv4 address.

Which interfaces are uplinks comes from the inventory (links with an IPv4 address at this end);
what they carry comes from the configuration, read with the shared interface reader. A member of
an aggregate is judged on its aggregate (the address lives there); the member-line patterns are
per-dialect inputs of the rule.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from egovnet.audit.checks.base import UPLINK_ROLES, CheckModel, DeviceCheck, Outcome
from egovnet.audit.context import DeviceContext
from egovnet.audit.results import Evidence
from egovnet.configparse import read_interface_config
from egovnet.inventory.model import LinkRole


class AggregateMember(CheckModel):
    """How a member port names its aggregate: ``pattern`` with group ``n`` -> ``name`` with ``{n}``."""

    pattern: re.Pattern[str]
    name: str


class UplinkDualStackCheck(DeviceCheck):
    """Each routed uplink interface (or its aggregate) has an IPv6 address and IPv6 enabled."""

    kind: Literal["uplink_dual_stack"]
    link_roles: list[LinkRole] = Field(default_factory=lambda: [*UPLINK_ROLES, "peer"])
    members: dict[str, list[AggregateMember]] = Field(default_factory=dict)

    def dialects(self) -> frozenset[str]:
        return frozenset({"vrp5", "vrp8", "comware7", "ios"})

    def _aggregate(self, dialect: str, lines: list[str]) -> str | None:
        for member in self.members.get(dialect, []):
            for line in lines:
                match = member.pattern.search(line)
                if match:
                    return member.name.replace("{n}", match.group("n"))
        return None

    def evaluate(self, device: DeviceContext) -> Outcome:
        doc, dialect = device.doc, device.dialect
        if doc is None or dialect is None:
            return Outcome("REVIEW", "no configuration was collected")
        if device.inventory is None or device.name not in device.inventory.devices:
            return Outcome("REVIEW", "device not in the inventory: its uplinks are unknown")
        uplinks = [
            (link.a_interface if link.a_device == device.name else str(link.b_interface))
            for link in device.links()
            if link.role in self.link_roles
            and (link.a_ipv4 if link.a_device == device.name else link.b_ipv4) is not None
        ]
        if not uplinks:
            return Outcome("PASS", "no routed uplinks", [])
        interfaces = read_interface_config(doc.root, dialect)
        sections = {n.text.split(None, 1)[1]: n for n in doc.root.children_starting("interface ")}
        evidence: list[Evidence] = []
        bad: list[str] = []
        for port in sorted(set(uplinks)):
            conf, name = interfaces.get(port), port
            if conf is not None and not conf.ipv4:
                aggregate = self._aggregate(dialect, [c.text for c in sections[port].children])
                if aggregate is not None:
                    conf, name = interfaces.get(aggregate), f"{port} (in {aggregate})"
            if conf is None:
                bad.append(name)
                evidence.append(Evidence(f"{name}: not in the configuration"))
                continue
            v4 = ", ".join(str(a) for a in conf.ipv4) or "no IPv4"
            v6 = ", ".join(str(a) for a in conf.ipv6) or "no IPv6"
            enabled = "" if conf.ipv6_enabled else " (IPv6 not enabled)"
            evidence.append(Evidence(f"{name}: {v4}; {v6}{enabled}"))
            if not conf.ipv6 or not conf.ipv6_enabled:
                bad.append(name)
        if bad:
            more = f" and {len(bad) - 6} more" if len(bad) > 6 else ""
            return Outcome("FAIL", f"{len(bad)} uplink(s) without IPv6: {', '.join(bad[:6])}{more}", evidence)
        return Outcome("PASS", f"{len(set(uplinks))} uplink(s) dual-stack", evidence)
