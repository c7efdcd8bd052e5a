"""What the probe knows before the first packet: the inventory's addresses, gateways and settings.

Detectors never read the inventory themselves. :class:`ProbeContext` turns it once into the lookups
they use per event (is this address a managed device? which site and zone is it in? is this MAC a
gateway? is this host an approved scanner?) and into the address scopes of the kernel BPF filters.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from egovnet.inventory import Inventory
from egovnet.probes.findings import Entity
from egovnet.probes.gateways import GatewayTable
from egovnet.probes.settings import ProbeSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: Inventory roles whose hosts legitimately sweep the network (NMS discovery, the probes themselves).
SCANNER_ROLES = frozenset({"nms", "probe"})
ENTITY_CACHE = 65536


@dataclass
class ProbeContext:
    """Lookups shared by every detector of one probe run.

    Attributes:
        settings: thresholds and allow-lists.
        gateways: the gateway table (ARP seeds, RA allow-list).
        devices: device address (management, connect address, link addresses) -> device name.
        device_sites: device name -> site id.
        device_nets: the networks holding device addresses (scope of the cleartext BPF filter).
        sites: site LAN -> site id.
        zones: network -> zone name (management, transport, lan).
        county_ipv6: the county prefix (an RA prefix outside it is rogue wherever the probe stands).
        scanners: approved scanner addresses.
        site / zone: where this probe stands (the L2 segment it watches), when known.
        scope: the segment name findings are scoped to (part of every fingerprint).
    """

    settings: ProbeSettings = field(default_factory=ProbeSettings)
    gateways: GatewayTable = field(default_factory=GatewayTable)
    devices: dict[str, str] = field(default_factory=dict)
    device_sites: dict[str, str] = field(default_factory=dict)
    device_nets: list[IPNetwork] = field(default_factory=list)
    sites: list[tuple[IPNetwork, str]] = field(default_factory=list)
    zones: list[tuple[IPNetwork, str]] = field(default_factory=list)
    county_ipv6: ipaddress.IPv6Network | None = None
    scanners: set[str] = field(default_factory=set)
    site: str | None = None
    zone: str | None = None
    scope: str = "probe"
    _entities: dict[tuple[str | None, ...], Entity] = field(default_factory=dict, repr=False)

    @classmethod
    def from_inventory(
        cls,
        inventory: Inventory,
        settings: ProbeSettings | None = None,
        gateways: GatewayTable | None = None,
        *,
        site: str | None = None,
        zone: str | None = None,
        scope: str | None = None,
    ) -> ProbeContext:
        """Build the lookups of ``inventory`` (``site``/``zone``: where the probe's segment is)."""
        if site is not None and site not in inventory.sites:
            raise KeyError(f"unknown site {site!r}")
        settings = settings or ProbeSettings()
        plan = inventory.plan
        devices: dict[str, str] = {}
        for name, device in inventory.devices.items():
            devices[str(device.mgmt_ipv4)] = name
            devices[str(device.host)] = name
        for link in inventory.links:
            if link.a_ipv4 is not None:
                devices[str(link.a_ipv4.ip)] = link.a_device
            if link.b_ipv4 is not None and link.b_device:
                devices[str(link.b_ipv4.ip)] = link.b_device
        zones: list[tuple[IPNetwork, str]] = [
            (plan.ipv4.management, "management"),
            (plan.ipv4.point_to_point, "transport"),
            (plan.ipv4.site_lan, "lan"),
        ]
        scanners = {str(a) for a in settings.scanners}
        scanners |= {str(d.mgmt_ipv4) for d in inventory.devices.values() if d.role in SCANNER_ROLES}
        nets: list[IPNetwork] = [plan.ipv4.management, plan.ipv4.point_to_point]
        nets += [ipaddress.ip_network(d.host) for d in inventory.devices.values()]
        return cls(
            settings=settings,
            gateways=gateways or GatewayTable(),
            devices=devices,
            device_sites={name: d.site for name, d in inventory.devices.items()},
            device_nets=_collapse(nets),
            sites=[(s.lan_ipv4, s.id) for s in inventory.sites.values()],
            zones=zones,
            county_ipv6=plan.ipv6.county_prefix,
            scanners=scanners,
            site=site,
            zone=zone,
            scope=scope or (f"site:{site}" if site else "probe"),
        )

    # -- per-event lookups -----------------------------------------------------------------------
    def site_of(self, address: str | None) -> str | None:
        """The site an address belongs to: a device's site, a site LAN, else the probe's own site."""
        if address is None:
            return self.site
        device = self.devices.get(address)
        if device is not None:
            return self.device_sites.get(device, self.site)
        parsed = _parse(address)
        if parsed is not None:
            for network, site in self.sites:
                if parsed in network:
                    return site
            if parsed.version == 6:
                for entry in self.gateways.sites.values():
                    if parsed in entry.site_ipv6:
                        return entry.site
        return self.site

    def zone_of(self, address: str | None) -> str | None:
        """The address-plan zone of an address, else the probe's zone."""
        parsed = _parse(address) if address else None
        if parsed is not None:
            for network, zone in self.zones:
                if parsed.version == network.version and parsed in network:
                    return zone
        return self.zone

    def host(self, ip: str | None = None, mac: str | None = None, key: str | None = None) -> Entity:
        """An entity for a host seen on the wire (keyed by ``key``, else MAC, else IP)."""
        cache_key = (ip, mac, key)
        found = self._entities.get(cache_key)
        if found is None:
            ident = key or mac or ip or "unknown"
            found = Entity("host", ident, ip=ip, mac=mac, site=self.site_of(ip), zone=self.zone_of(ip))
            if len(self._entities) > ENTITY_CACHE:
                self._entities.clear()  # bounded: a flood of forged addresses cannot grow it without end
            self._entities[cache_key] = found
        return found

    def device_entity(self, name: str, ip: str | None = None) -> Entity:
        """An entity for an inventory device."""
        cache_key = ("device", name, ip)
        found = self._entities.get(cache_key)
        if found is None:
            found = Entity("device", name, ip=ip, site=self.device_sites.get(name), zone=self.zone_of(ip))
            self._entities[cache_key] = found
        return found

    def segment(self, name: str | None = None) -> Entity:
        """A segment: the probe's own (floods, where no single host is to blame) or a named one."""
        return Entity("l2-segment", name or self.scope, site=self.site, zone=self.zone)


def _parse(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _collapse(networks: list[IPNetwork]) -> list[IPNetwork]:
    v4 = [n for n in networks if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in networks if isinstance(n, ipaddress.IPv6Network)]
    return [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]
