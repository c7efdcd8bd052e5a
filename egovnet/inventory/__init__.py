"""egovnet.inventory: the only code that reads inventory files.

``load_inventory(path)`` reads an Ansible YAML inventory directory (the county's source of truth),
validates everything a network engineer can get wrong and returns the typed :class:`Inventory`, or
raises :class:`InventoryError` listing every problem with its file, key path and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovnet.inventory.ansible_yaml import AnsibleInventoryData, read_ansible_inventory
from egovnet.inventory.errors import InventoryError, InventoryIssue
from egovnet.inventory.model import AddressPlan, Device, Link, Site, Website
from egovnet.inventory.validate import build

__all__ = [
    "AddressPlan",
    "Device",
    "Inventory",
    "InventoryError",
    "InventoryIssue",
    "Link",
    "Site",
    "Website",
    "load_inventory",
]


@dataclass
class Inventory:
    """The validated county: sites, devices, links, websites and the address plan.

    Attributes:
        path: the inventory directory it was read from.
        raw: the Ansible-level view (groups, hosts, variables with their origins), shared with the
            Nornir plugin so both see exactly what Ansible sees.
    """

    path: Path
    plan: AddressPlan
    sites: dict[str, Site]
    devices: dict[str, Device]
    links: list[Link]
    websites: dict[str, Website]
    county: dict[str, Any]
    raw: AnsibleInventoryData = field(repr=False)

    def links_of(self, device: str) -> list[Link]:
        """Links with an end on ``device``."""
        return [link for link in self.links if device in (link.a_device, link.b_device)]

    def site_of(self, device: str) -> Site:
        """The site a device stands at."""
        return self.sites[self.devices[device].site]


def load_inventory(path: str | Path) -> Inventory:
    """Load and validate an inventory; raise :class:`InventoryError` with every issue found."""
    raw = read_ansible_inventory(path)
    result = build(raw)
    if result.issues or result.plan is None:
        raise InventoryError(result.issues or [InventoryIssue(str(path), "", "no address plan")])
    return Inventory(
        path=Path(path),
        plan=result.plan,
        sites=result.sites,
        devices=result.devices,
        links=result.links,
        websites=result.websites,
        county=result.county,
        raw=raw,
    )
