"""What a device's interfaces are, derived once from the inventory's links and address plan.

Templates only spell commands; every decision about an interface is made here, the same way for all
dialects: which ports are routed, which carry hosts, which are bundled, which are unused and shut,
which OSPF area a link belongs to, which site LAN a device is the gateway of, and the derived IPv6
addresses (``egovnet.inventory.addressing``). Design rules, each a line of data below:

* Every CLI device runs OSPF; a link's area is that of its downstream end (``a`` in the inventory),
  so both ends agree: area 0 for the county and department sites, ``0.0.0.<n>`` for a township
  (``n`` = the township site's number) and its villages.
* Backup links get a high OSPF cost at *both* ends, so traffic takes them only when the primary fails.
* Two or more routed links to the same peer become one LACP bundle carrying the first link's addresses.
* The management address sits on ``LoopBack0`` (/32), except on roles that host the management LAN
  itself (the county core, where the NMS and bastion hang): there a management VLAN interface.
* A site's LAN gateway is its core/township-node/access device; two gateways at a site share a VRRP
  virtual address (the county core pair).
* An addressed ``peer`` link between HA partners (``ha_peer`` on both) is their heartbeat: it carries
  state sync, never traffic: addressed (dual stack like every link) but in no OSPF/OSPFv3 process;
  a firewall's heartbeat becomes its HRP intent (:class:`HotStandby`).
* A core device copies its boundary traffic (links to the firewalls and egress routers, which all
  extranet-to-city traffic crosses) to every sensor on its ``mirror`` links (:class:`ObservePort`).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from egovnet.inventory import Device, Inventory, Link, Site
from egovnet.inventory.addressing import link_addresses, loopback, site_subnet
from egovnet.inventory.hardware import catalogue
from egovnet.platforms import PLATFORMS
from egovnet.render.dialect import InterfaceNames

IPv4If = ipaddress.IPv4Interface
IPv6If = ipaddress.IPv6Interface

#: Roles whose ports are routed by default (routers, firewalls); the rest are switches.
ROUTER_ROLES = frozenset({"egress", "gw_5g", "firewall"})
#: Roles that serve a site's LAN, in preference order.
GATEWAY_ROLES = ("core", "township_node", "access")
#: Roles whose management address is on the management VLAN they host (not on a loopback).
MGMT_VLAN_ROLES = frozenset({"core"})
#: Hosts that live in the management VLAN.
MGMT_HOST_ROLES = frozenset({"bastion", "nms"})
#: VRRP priority of the first (master) gateway of a pair; the others keep the default.
VRRP_MASTER_PRIORITY = 120
#: Roles that run hot standby (HRP) over their heartbeat link.
HOT_STANDBY_ROLES = frozenset({"firewall"})
#: Roles that mirror traffic to the sensors cabled to them, and the peer roles whose links they mirror.
MIRRORING_ROLES = frozenset({"core"})
MIRRORED_PEER_ROLES = frozenset({"firewall", "egress"})

Mode = Literal["routed", "access", "member", "mirror", "link", "unused"]


@dataclass(frozen=True, order=True)
class Area:
    """An OSPF area; printed dotted (``0.0.0.2``) on VRP/Comware, as a number on IOS."""

    number: int

    @property
    def dotted(self) -> str:
        return str(ipaddress.IPv4Address(self.number))

    def __str__(self) -> str:
        return self.dotted


BACKBONE = Area(0)


@dataclass(frozen=True)
class Peer:
    """The far end of a link: a county device or an external network."""

    name: str
    interface: str
    device: Device | None
    cli: bool
    ipv4: IPv4If | None
    ipv6: IPv6If | None

    @property
    def role(self) -> str | None:
        return self.device.role if self.device else None


@dataclass(frozen=True)
class Interface:
    """One interface the templates configure.

    Attributes:
        kind: ``physical`` (a faceplate port), ``logical`` (tunnel named by a link), ``aggregate``.
        mode: ``routed`` (has addresses), ``access`` (hosts or APs in ``vlan``), ``member`` (of
            aggregate ``aggregate``), ``mirror`` (a probe's capture port), ``link`` (cabled, no
            addresses: HA heartbeat), ``unused`` (shut down).
        ospf_area: set when both ends run OSPF on this link.
        ospf_cost: set on backup links.
        ra_guard: a host-facing port that must drop router advertisements.
        fiveg: faces a 5G CPE (the backup path of a village).
        heartbeat: the HA heartbeat to the ``ha_peer`` (addressed, never routed over).
        mirrored: its traffic is copied to every observe port (a core's boundary link).
    """

    name: str
    kind: Literal["physical", "logical", "aggregate"]
    mode: Mode
    description: str | None = None
    ipv4: IPv4If | None = None
    ipv6: IPv6If | None = None
    vlan: int | None = None
    aggregate: int | None = None
    members: tuple[str, ...] = ()
    link_role: str | None = None
    peer: Peer | None = None
    ospf_area: Area | None = None
    ospf_cost: int | None = None
    ra_guard: bool = False
    fiveg: bool = False
    heartbeat: bool = False
    mirrored: bool = False

    @property
    def routed(self) -> bool:
        return self.mode == "routed"


@dataclass(frozen=True)
class ObservePort:
    """A mirror destination: a port cabled to an IDS or probe, numbered 1.. in port order."""

    index: int
    interface: str


@dataclass(frozen=True)
class HotStandby:
    """A firewall's HRP intent: its heartbeat port and the partner's address on that link."""

    interface: str
    remote: ipaddress.IPv4Address


@dataclass(frozen=True)
class Vrrp:
    """A VRRP group on a gateway VLAN interface."""

    vrid: int
    vip: ipaddress.IPv4Address
    priority: int
    master: bool


@dataclass(frozen=True)
class Svi:
    """A VLAN interface: the management VLAN of the core, or a site LAN gateway."""

    vlan: int
    name: str
    description: str
    ipv4: IPv4If
    ipv6: IPv6If
    vrrp: Vrrp | None
    purpose: Literal["management", "lan"]


@dataclass(frozen=True)
class Loopback:
    """``LoopBack0``: the management /32 (unless on a VLAN) and the derived IPv6 /128."""

    name: str
    ipv4: IPv4If | None
    ipv6: IPv6If


@dataclass(frozen=True)
class Management:
    """Where the device's management address lives."""

    interface: str
    ipv4: IPv4If
    vlan: int | None


class Topology:
    """Inventory-wide indexes built once, shared by every device rendered from that inventory."""

    def __init__(self, inventory: Inventory, names: Callable[[str], InterfaceNames]) -> None:
        self.inventory = inventory
        self.names = names
        self.links: dict[str, list[Link]] = defaultdict(list)
        for link in inventory.links:
            for device in {end for end, _ in link.ends()}:
                self.links[device].append(link)
        self._township_number = {
            site.township or site.id: site.number
            for site in inventory.sites.values()
            if site.level == "township"
        }

    # -- facts about devices and sites ---------------------------------------------------------
    def is_cli(self, name: str | None) -> bool:
        device = self.inventory.devices.get(name or "")
        return bool(device and device.platform in PLATFORMS and PLATFORMS[device.platform].dialect)

    def area_of(self, name: str) -> Area:
        """A device's OSPF area: its township's, or the backbone for county and department sites."""
        site = self.inventory.site_of(name)
        if site.level in ("township", "village") and site.township in self._township_number:
            return Area(self._township_number[site.township])
        return BACKBONE

    def gateways(self, site: Site) -> list[str]:
        """CLI devices serving ``site``'s LAN: the best gateway role present, sorted by name."""
        for role in GATEWAY_ROLES:
            found = sorted(
                n for n in site.devices if self.is_cli(n) and self.inventory.devices[n].role == role
            )
            if found:
                return found
        return []

    def bundles(self, name: str) -> dict[str, list[Link]]:
        """Peer -> routed links, for peers reached over two or more routed links (LACP bundles)."""
        by_peer: dict[str, list[Link]] = defaultdict(list)
        for link in self.links[name]:
            peer = link.b_device if link.a_device == name else link.a_device
            if peer and link.a_ipv4 is not None:
                by_peer[peer].append(link)
        return {peer: links for peer, links in sorted(by_peer.items()) if len(links) > 1}

    def bundle_id(self, name: str, peer: str) -> int:
        """Aggregate number of ``name``'s bundle towards ``peer`` (1-based, by peer name)."""
        return list(self.bundles(name)).index(peer) + 1

    # -- one link seen from one end -------------------------------------------------------------
    def end(self, name: str, link: Link) -> tuple[str, IPv4If | None, IPv6If | None, Peer]:
        """(local interface, local IPv4, local IPv6, far end) of ``link`` as seen from ``name``."""
        plan = self.inventory.plan
        v6: tuple[IPv6If, IPv6If] | None = None
        if link.a_ipv4 is not None and link.b_ipv4 is not None:
            v6 = link_addresses(plan, link.a_ipv4, link.b_ipv4)
        if link.a_device == name:
            peer_name = link.b_device or link.external or "external"
            peer = Peer(
                name=peer_name,
                interface=link.b_interface or "",
                device=self.inventory.devices.get(link.b_device or ""),
                cli=self.is_cli(link.b_device),
                ipv4=link.b_ipv4,
                ipv6=v6[1] if v6 else None,
            )
            return link.a_interface, link.a_ipv4, v6[0] if v6 else None, peer
        peer = Peer(
            name=link.a_device,
            interface=link.a_interface,
            device=self.inventory.devices.get(link.a_device),
            cli=self.is_cli(link.a_device),
            ipv4=link.a_ipv4,
            ipv6=v6[0] if v6 else None,
        )
        return link.b_interface or "", link.b_ipv4, v6[1] if v6 else None, peer


def description(peer: Peer) -> str:
    """``to <peer> <peer_interface>`` (``to <network>`` for a peer outside the county)."""
    return f"to {peer.name} {peer.interface}".rstrip()


class DeviceInterfaces:
    """Every interface of one device, computed once per render."""

    def __init__(
        self, topo: Topology, device: Device, lan_vlan: int, mgmt_vlan: int, backup_cost: int
    ) -> None:
        self.topo = topo
        self.device = device
        self.lan_vlan = lan_vlan
        self.mgmt_vlan = mgmt_vlan
        self.backup_cost = backup_cost
        self.names = topo.names(device.platform)
        self.area = topo.area_of(device.name)
        self.bundles = topo.bundles(device.name)
        self.link_ports = self._link_ports()
        self.aggregates = self._aggregates()

    # -- link ports ---------------------------------------------------------------------------
    def _link_ports(self) -> dict[str, Interface]:
        ports: dict[str, Interface] = {}
        bundled = {id(link): peer for peer, links in self.bundles.items() for link in links}
        for link in self.topo.links[self.device.name]:
            local, ipv4, ipv6, peer = self.topo.end(self.device.name, link)
            base = Interface(
                name=local,
                kind="physical" if self._is_port(local) else "logical",
                mode="link",
                description=description(peer),
                link_role=link.role,
                peer=peer,
                fiveg=peer.role == "cpe_5g",
            )
            if id(link) in bundled:
                aggregate = self.topo.bundle_id(self.device.name, bundled[id(link)])
                ports[local] = replace(base, mode="member", aggregate=aggregate)
            elif ipv4 is not None and self._is_heartbeat(link, peer):
                ports[local] = replace(base, mode="routed", ipv4=ipv4, ipv6=ipv6, heartbeat=True)
            elif ipv4 is not None:
                ports[local] = replace(
                    base,
                    mode="routed",
                    ipv4=ipv4,
                    ipv6=ipv6,
                    ospf_area=self._link_area(link) if peer.cli else None,
                    ospf_cost=self.backup_cost if peer.cli and link.role == "backup" else None,
                    mirrored=self._is_mirrored(peer),
                )
            elif link.role == "mirror":
                ports[local] = replace(base, mode="mirror")
            elif link.role == "access":
                vlan = self.mgmt_vlan if peer.role in MGMT_HOST_ROLES else self.lan_vlan
                ports[local] = replace(base, mode="access", vlan=vlan, ra_guard=True)
            else:
                ports[local] = base
        return ports

    def _link_area(self, link: Link) -> Area:
        return self.topo.area_of(link.a_device)

    def _is_heartbeat(self, link: Link, peer: Peer) -> bool:
        """A ``peer`` link to the partner that names this device back as its ``ha_peer``."""
        return (
            link.role == "peer"
            and peer.device is not None
            and self.device.ha_peer == peer.name
            and peer.device.ha_peer == self.device.name
        )

    def _is_mirrored(self, peer: Peer) -> bool:
        return self.device.role in MIRRORING_ROLES and peer.role in MIRRORED_PEER_ROLES

    def hot_standby(self, ports: list[Interface]) -> HotStandby | None:
        """HRP over the heartbeat port, on the roles that run it (``None`` elsewhere)."""
        if self.device.role not in HOT_STANDBY_ROLES:
            return None
        port = next((p for p in ports if p.heartbeat), None)
        if port is None or port.peer is None or port.peer.ipv4 is None:
            return None
        return HotStandby(interface=port.name, remote=port.peer.ipv4.ip)

    def observe_ports(self, ports: list[Interface]) -> list[ObservePort]:
        """The sensor ports of a mirroring role, as observe ports 1.. in faceplate order."""
        if self.device.role not in MIRRORING_ROLES:
            return []
        sensors = [p.name for p in ports if p.mode == "mirror"]
        return [ObservePort(index, name) for index, name in enumerate(sensors, start=1)]

    def _is_port(self, name: str) -> bool:
        model = catalogue().get(self.device.model)
        return model is not None and model.port_speed(name) is not None

    def _aggregates(self) -> list[Interface]:
        result = []
        for peer_name, links in self.bundles.items():
            first = min(links, key=lambda item: item.index)
            _, ipv4, ipv6, peer = self.topo.end(self.device.name, first)
            number = self.topo.bundle_id(self.device.name, peer_name)
            peer_number = self.topo.bundle_id(peer_name, self.device.name)
            peer_layout = self.topo.names(peer.device.platform) if peer.device else self.names
            aggregate_peer = Peer(
                name=peer.name,
                interface=f"{peer_layout.aggregate}{peer_number}",
                device=peer.device,
                cli=peer.cli,
                ipv4=peer.ipv4,
                ipv6=peer.ipv6,
            )
            members = tuple(sorted(self.topo.end(self.device.name, link)[0] for link in links))
            result.append(
                Interface(
                    name=f"{self.names.aggregate}{number}",
                    kind="aggregate",
                    mode="routed",
                    description=description(aggregate_peer),
                    ipv4=ipv4,
                    ipv6=ipv6,
                    aggregate=number,
                    members=members,
                    link_role=first.role,
                    peer=aggregate_peer,
                    ospf_area=self._link_area(first) if peer.cli else None,
                    ospf_cost=self.backup_cost if peer.cli and first.role == "backup" else None,
                    mirrored=self._is_mirrored(peer),
                )
            )
        return result

    # -- all interfaces -----------------------------------------------------------------------
    def ports(self) -> list[Interface]:
        """Physical ports in faceplate order (unused ones shut), then logical link interfaces."""
        model = catalogue().get(self.device.model)
        faceplate = [name for name, _ in model.ports()] if model else []
        result = [
            self.link_ports.get(name) or Interface(name=name, kind="physical", mode="unused")
            for name in faceplate
        ]
        result += [port for name, port in self.link_ports.items() if name not in faceplate]
        return result

    def management(self, prefix_length: int) -> Management:
        """The management interface: the management VLAN on core roles, else the loopback."""
        address = self.device.mgmt_ipv4
        if self.device.role in MGMT_VLAN_ROLES:
            return Management(
                interface=f"{self.names.vlan_interface}{self.mgmt_vlan}",
                ipv4=IPv4If(f"{address}/{prefix_length}"),
                vlan=self.mgmt_vlan,
            )
        return Management(interface=self.names.loopback, ipv4=IPv4If(f"{address}/32"), vlan=None)

    def loopback(self, mgmt: Management) -> Loopback:
        plan = self.topo.inventory.plan
        return Loopback(
            name=self.names.loopback,
            ipv4=mgmt.ipv4 if mgmt.vlan is None else None,
            ipv6=loopback(plan, self.device.mgmt_ipv4),
        )

    def svis(self, mgmt: Management) -> list[Svi]:
        """The management VLAN interface (core roles) and the site LAN gateway, with VRRP for pairs."""
        inventory = self.topo.inventory
        site = inventory.sites[self.device.site]
        result = []
        if mgmt.vlan is not None:
            peers = sorted(
                n
                for n in site.devices
                if self.topo.is_cli(n) and inventory.devices[n].role == self.device.role
            )
            network = mgmt.ipv4.network
            offset = int(mgmt.ipv4.ip) - int(network.network_address)
            result.append(
                Svi(
                    vlan=mgmt.vlan,
                    name=mgmt.interface,
                    description="management",
                    ipv4=mgmt.ipv4,
                    ipv6=_host(site_subnet(inventory.plan, site.number, 0), offset),
                    vrrp=_vrrp(mgmt.vlan, network.broadcast_address - 1, peers, self.device.name),
                    purpose="management",
                )
            )
        gateways = self.topo.gateways(site)
        if self.device.name in gateways:
            lan = site.lan_ipv4
            position = 1 if len(gateways) == 1 else gateways.index(self.device.name) + 2
            result.append(
                Svi(
                    vlan=self.lan_vlan,
                    name=f"{self.names.vlan_interface}{self.lan_vlan}",
                    description="site LAN",
                    ipv4=IPv4If((int(lan.network_address) + position, lan.prefixlen)),
                    ipv6=_host(site_subnet(inventory.plan, site.number, 1), position),
                    vrrp=_vrrp(self.lan_vlan, lan.network_address + 1, gateways, self.device.name),
                    purpose="lan",
                )
            )
        return result


def _host(subnet: ipaddress.IPv6Network, number: int) -> IPv6If:
    return IPv6If((int(subnet.network_address) + number, subnet.prefixlen))


def _vrrp(vlan: int, vip: ipaddress.IPv4Address, members: list[str], name: str) -> Vrrp | None:
    if len(members) < 2:
        return None
    master = members[0] == name
    return Vrrp(
        vrid=vlan if vlan <= 255 else vlan % 255 + 1,
        vip=vip,
        priority=VRRP_MASTER_PRIORITY if master else 100,
        master=master,
    )
