"""Routing intent of one device: OSPF/OSPFv3 areas and networks, static routes and their probes.

Derived from :mod:`egovnet.render.topology` so that every dialect advertises the same networks and
installs the same static routes; the templates choose the words. Static routes exist only towards
what cannot run OSPF:

* ``neighbour``: the management address of a non-CLI neighbour (OLT, 5G CPE) via its link, on the
  device that redistributes it (not on access switches, whose neighbours are reached another way);
* ``fiveg_return``: on the 5G gateway, a village's LAN and switch via that village's CPE tunnel;
* ``default``: the egress routers' default towards the city extranet (then originated into OSPF);
* ``probe`` and ``floating``: a village switch pins its NQA/IP SLA probe of the 5G gateway onto the
  CPE path, and keeps a floating default via the CPE that is tracked by that probe.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal

from egovnet.inventory.addressing import loopback, site_subnet
from egovnet.render.topology import Area, DeviceInterfaces, Interface, Svi, Topology

RouteKind = Literal["neighbour", "fiveg_return", "default", "probe", "floating"]
IPv4Net = ipaddress.IPv4Network
IPv6Net = ipaddress.IPv6Network


@dataclass(frozen=True)
class Probe:
    """An ICMP probe (VRP/Comware NQA, IOS IP SLA) whose failure withdraws a tracked route."""

    index: int
    name: str
    target: ipaddress.IPv4Address
    next_hop: ipaddress.IPv4Address
    interface: str


@dataclass(frozen=True)
class StaticRoute:
    """One IPv4 or IPv6 static route."""

    kind: RouteKind
    prefix: IPv4Net | IPv6Net
    next_hop: ipaddress.IPv4Address | ipaddress.IPv6Address
    preference: int | None = None
    track: Probe | None = None

    @property
    def v6(self) -> bool:
        return self.prefix.version == 6


@dataclass(frozen=True)
class Network:
    """A prefix advertised into OSPF (``network`` statement) and the interface carrying it."""

    prefix: IPv4Net
    interface: str
    aggregate: bool


@dataclass
class OspfArea:
    """One area of the device's OSPF process."""

    area: Area
    networks: list[Network] = field(default_factory=list)


@dataclass(frozen=True)
class Ospf:
    """The device's OSPF (and OSPFv3) process.

    Attributes:
        router_id: the management IPv4 address (unique, stable).
        areas: areas with their networks, backbone first.
        silent: interfaces advertised but never peering (LANs, links to non-OSPF neighbours).
        import_static: redistribute ``neighbour``/``fiveg_return`` static routes.
        default_originate: originate a default route (egress routers).
        default_cost: cost of that default (set on the backup egress).
    """

    router_id: ipaddress.IPv4Address
    areas: tuple[OspfArea, ...]
    silent: tuple[str, ...]
    import_static: bool
    default_originate: bool
    default_cost: int | None


def ospf(
    intf: DeviceInterfaces,
    ports: list[Interface],
    svis: list[Svi],
    loopback_v4: ipaddress.IPv4Interface | None,
    loopback_name: str,
    routes: list[StaticRoute],
    backup_cost: int,
) -> Ospf:
    """OSPF intent: a network per routed interface, loopback and VLAN interface."""
    areas: dict[Area, OspfArea] = {}

    def add(area: Area, prefix: IPv4Net, interface: str, aggregate: bool = False) -> None:
        areas.setdefault(area, OspfArea(area)).networks.append(Network(prefix, interface, aggregate))

    silent: list[str] = []
    if loopback_v4 is not None:
        add(intf.area, loopback_v4.network, loopback_name)
    for svi in svis:
        add(intf.area, svi.ipv4.network, svi.name)
        silent.append(svi.name)
    for port in [*ports, *intf.aggregates]:
        if not port.routed or port.ipv4 is None or port.peer is None or port.peer.device is None:
            continue
        if port.heartbeat:
            continue  # state sync between HA partners, never a path for traffic
        if port.ospf_area is not None:
            add(port.ospf_area, port.ipv4.network, port.name, port.kind == "aggregate")
        else:
            add(intf.area, port.ipv4.network, port.name)
            silent.append(port.name)
    default = [r for r in routes if r.kind == "default" and not r.v6]
    external_backup = any(
        p.routed and p.peer is not None and p.peer.device is None and p.link_role == "backup" for p in ports
    )
    return Ospf(
        router_id=intf.device.mgmt_ipv4,
        areas=tuple(areas[a] for a in sorted(areas)),
        silent=tuple(silent),
        import_static=any(r.kind in ("neighbour", "fiveg_return") for r in routes),
        default_originate=bool(default),
        default_cost=backup_cost if default and external_backup else None,
    )


def static_routes(
    topo: Topology, intf: DeviceInterfaces, ports: list[Interface], preference: int
) -> list[StaticRoute]:
    """Every static route of the device, IPv4 and IPv6 (see the module docstring)."""
    routes: list[StaticRoute] = []
    for port in ports:
        if not port.routed or port.peer is None or port.ipv4 is None:
            continue
        peer = port.peer
        if peer.device is None and peer.ipv4 is not None:
            routes += _pair("default", IPv4Net("0.0.0.0/0"), IPv6Net("::/0"), port)
        elif peer.device is not None and not peer.cli and intf.device.role != "access":
            routes += _neighbour(topo, port)
            if peer.role == "cpe_5g" and intf.device.role == "gw_5g":
                routes += _fiveg_return(topo, port)
    routes += _floating(topo, intf, ports, preference)
    return routes


def _pair(
    kind: RouteKind,
    v4: IPv4Net,
    v6: IPv6Net | None,
    port: Interface,
    preference: int | None = None,
    track: Probe | None = None,
) -> list[StaticRoute]:
    """The IPv4 route and, when both the prefix and the next hop have one, its IPv6 twin."""
    assert port.peer is not None and port.peer.ipv4 is not None
    result = [StaticRoute(kind, v4, port.peer.ipv4.ip, preference, track)]
    if v6 is not None and port.peer.ipv6 is not None:
        result.append(StaticRoute(kind, v6, port.peer.ipv6.ip, preference, track))
    return result


def _neighbour(topo: Topology, port: Interface) -> list[StaticRoute]:
    assert port.peer is not None and port.peer.device is not None
    device = port.peer.device
    plan = topo.inventory.plan
    return _pair(
        "neighbour",
        IPv4Net(f"{device.mgmt_ipv4}/32"),
        loopback(plan, device.mgmt_ipv4).network,
        port,
    )


def _fiveg_return(topo: Topology, port: Interface) -> list[StaticRoute]:
    """On the 5G gateway: what sits behind a CPE (the village switch and its LAN)."""
    assert port.peer is not None and port.peer.device is not None
    cpe = port.peer.device.name
    inventory = topo.inventory
    routes: list[StaticRoute] = []
    for link in topo.links[cpe]:
        behind = link.b_device if link.a_device == cpe else link.a_device
        if not behind or not topo.is_cli(behind):
            continue
        device = inventory.devices[behind]
        routes += _pair(
            "fiveg_return",
            IPv4Net(f"{device.mgmt_ipv4}/32"),
            loopback(inventory.plan, device.mgmt_ipv4).network,
            port,
        )
        site = inventory.sites[device.site]
        if behind in topo.gateways(site):
            routes += _pair("fiveg_return", site.lan_ipv4, site_subnet(inventory.plan, site.number, 1), port)
    return routes


def fiveg_gateway(topo: Topology, cpe: str) -> ipaddress.IPv4Address | None:
    """The 5G gateway's address on the CPE's cellular link: what a village's probe pings."""
    for link in topo.links[cpe]:
        if link.medium == "5g":
            far = link.b_ipv4 if link.a_device == cpe else link.a_ipv4
            if far is not None:
                return far.ip
    return None


def _floating(
    topo: Topology, intf: DeviceInterfaces, ports: list[Interface], preference: int
) -> list[StaticRoute]:
    routes: list[StaticRoute] = []
    for port in ports:
        if not (port.fiveg and port.routed and port.peer and port.peer.ipv4):
            continue
        target = fiveg_gateway(topo, port.peer.name)
        probe = None
        if target is not None:
            probe = Probe(1, "fiveg", target, port.peer.ipv4.ip, port.name)
            routes.append(StaticRoute("probe", IPv4Net(f"{target}/32"), port.peer.ipv4.ip))
        routes += _pair(
            "floating",
            IPv4Net("0.0.0.0/0"),
            IPv6Net("::/0"),
            port,
            preference,
            probe,
        )
    return routes
