"""What a check sees: one device (config, state, inventory facts) or the whole audited scope.

Checks never read files or talk to devices; the engine builds these contexts once per run from the
snapshots and the inventory and hands them to every rule, which keeps checks pure and testable
with a config string or a small inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from egovnet.audit.configdoc import ConfigDoc
from egovnet.audit.snapshot import Snapshot
from egovnet.inventory import Inventory, Link

if TYPE_CHECKING:
    from egovnet.audit.graph import Topology


@dataclass
class DeviceContext:
    """One device under audit.

    Attributes:
        name: inventory name (or file stem for a config the inventory does not know).
        platform: inventory platform, ``None`` for an unknown offline config.
        dialect: CLI dialect (from the platform map, or detected from the text).
        role / site / level: inventory facts, ``None`` when unknown.
        doc: the parsed configuration, ``None`` when there is none (non-CLI device or failed read).
        snapshot: the raw collection record (state, LLDP, errors).
        inventory: the inventory, for checks that relate config to the plan (uplinks).
    """

    name: str
    platform: str | None
    dialect: str | None
    role: str | None
    site: str | None
    level: str | None
    doc: ConfigDoc | None
    snapshot: Snapshot | None
    inventory: Inventory | None = None
    link_index: dict[str, list[Link]] | None = None

    def links(self) -> list[Link]:
        """Inventory links with an end on this device (none when the device is unknown)."""
        if self.inventory is None or self.name not in self.inventory.devices:
            return []
        if self.link_index is not None:
            return self.link_index.get(self.name, [])
        return self.inventory.links_of(self.name)


def index_links(inventory: Inventory) -> dict[str, list[Link]]:
    """Links by device (both ends), built once per run instead of a scan of every link per device."""
    index: dict[str, list[Link]] = {}
    for link in inventory.links:
        for device in {link.a_device, link.b_device} - {None}:
            index.setdefault(str(device), []).append(link)
    return index


@dataclass
class AuditContext:
    """The whole audited scope, for site- and topology-level checks.

    Attributes:
        devices: device name -> context, for every device in scope.
        sites: ids of the sites in scope (those with at least one device in scope).
        live: whether state (interfaces, LLDP) was collected.
        link_index: inventory links by device (:func:`index_links`).
    """

    inventory: Inventory | None
    devices: dict[str, DeviceContext]
    sites: set[str] = field(default_factory=set)
    live: bool = False
    link_index: dict[str, list[Link]] = field(default_factory=dict)

    def links_of(self, name: str) -> list[Link]:
        """Inventory links with an end on ``name``."""
        return self.link_index.get(name, [])

    def snapshot(self, name: str) -> Snapshot | None:
        context = self.devices.get(name)
        return context.snapshot if context else None

    @cached_property
    def topology(self) -> Topology:
        """The inventory graph, corrected by LLDP where both ends were read (built once per run)."""
        from egovnet.audit.graph import Topology

        if self.inventory is None:
            raise ValueError("topology checks need an inventory")
        return Topology(self.inventory, {n: c.snapshot for n, c in self.devices.items() if c.snapshot})
