"""The IPv6 address plan as records: per site, per device loopback, per link (both ends)."""

from __future__ import annotations

from typing import Any

from egovnet.inventory import Inventory, addressing


def address_plan(inventory: Inventory, names: set[str] | None = None) -> dict[str, Any]:
    """Everything ``egovnet ipv6 plan`` prints; derived from the inventory alone."""
    plan = inventory.plan
    sites = [
        {
            "site": s.id,
            "name_zh": s.name_zh,
            "level": s.level,
            "number": s.number,
            "prefix": str(addressing.site_prefix(plan, s.number)),
            "lan": str(addressing.site_subnet(plan, s.number, 1)),
        }
        for s in sorted(inventory.sites.values(), key=lambda s: s.number)
        if names is None or set(s.devices) & names
    ]
    devices = [
        {"device": d.name, "site": d.site, "loopback": str(addressing.loopback(plan, d.mgmt_ipv4))}
        for d in sorted(inventory.devices.values(), key=lambda d: d.name)
        if names is None or d.name in names
    ]
    links = []
    for link in inventory.links:
        if (
            link.a_ipv4 is None
            or link.b_ipv4 is None
            or (names is not None and not {link.a_device, link.b_device} & names)
        ):
            continue
        a6, b6 = addressing.link_addresses(plan, link.a_ipv4, link.b_ipv4)
        links.append(
            {
                "a": f"{link.a_device} {link.a_interface}",
                "a_ipv6": str(a6),
                "b": f"{link.b_device or link.external} {link.b_interface or ''}".strip(),
                "b_ipv6": str(b6),
                "prefix": str(a6.network),
                "role": link.role,
            }
        )
    return {"county_prefix": str(plan.ipv6.county_prefix), "sites": sites, "devices": devices, "links": links}
