"""A summary of an inventory as a record (counts by level, platform, role; links by medium and speed)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from egovnet.inventory import Inventory


def _speed_label(mbps: int) -> str:
    return f"{mbps // 1000} Gb/s" if mbps >= 1000 and mbps % 1000 == 0 else f"{mbps} Mb/s"


def summarize(inventory: Inventory) -> dict[str, Any]:
    """Everything ``egovnet inventory check`` prints, as plain data (the ``--json`` output)."""
    sites = inventory.sites.values()
    devices = inventory.devices.values()
    site_level = {site.id: site.level for site in sites}
    county = inventory.county
    villages = [s for s in sites if s.level == "village"]
    return {
        "inventory": str(inventory.path),
        "county": county.get("name_en", ""),
        "sites": len(inventory.sites),
        "sites_by_level": dict(sorted(Counter(s.level for s in sites).items())),
        "villages_by_unit": dict(sorted(Counter(s.unit or "-" for s in villages).items())),
        "townships_by_kind": dict(
            sorted(
                Counter(
                    inventory.raw.groups[s.group].vars.get("site_township_kind", "-")
                    for s in sites
                    if s.level == "township"
                ).items()
            )
        ),
        "residents": sum(s.population or 0 for s in sites),
        "devices": len(inventory.devices),
        "devices_by_level": dict(sorted(Counter(site_level[d.site] for d in devices).items())),
        "devices_by_platform": dict(sorted(Counter(d.platform for d in devices).items())),
        "devices_by_role": dict(sorted(Counter(d.role for d in devices).items())),
        "links": len(inventory.links),
        "links_by_medium": dict(sorted(Counter(link.medium for link in inventory.links).items())),
        "links_by_speed": {
            _speed_label(speed): count
            for speed, count in sorted(Counter(link.speed_mbps for link in inventory.links).items())
        },
        "links_by_role": dict(sorted(Counter(link.role for link in inventory.links).items())),
        "websites": len(inventory.websites),
        "ipv6_county_prefix": str(inventory.plan.ipv6.county_prefix),
    }
