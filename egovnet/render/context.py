"""The render context of one device, built once and shared by all of its capability templates.

It gathers the Device, its site and township, its interfaces with both ends of every link, the
derived IPv6 addresses, the routing intent, the shared services and the plan into typed objects, so
that templates never compute anything and never read raw inventory variables directly. Lines
mirroring the IPv4 management ACL in IPv6 use the plan's loopback derivation: a management host's
IPv6 identity is the loopback derived from its management IPv4 address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from egovnet.inventory import Device, Inventory, Site
from egovnet.inventory.addressing import loopback
from egovnet.render.dialect import Dialect
from egovnet.render.errors import RenderError
from egovnet.render.routing import Ospf, Probe, StaticRoute, ospf, static_routes
from egovnet.render.settings import Secrets, Settings, load_settings
from egovnet.render.topology import (
    ROUTER_ROLES,
    Area,
    DeviceInterfaces,
    HotStandby,
    Interface,
    Loopback,
    Management,
    ObservePort,
    Svi,
    Topology,
)

#: SNMPv3 group and view every device grants the NMS (read-only).
SNMP_GROUP = "egovnet-ro"
SNMP_VIEW = "egovnet-view"


class ServicesVars(BaseModel):
    """``egovnet_services`` from ``group_vars/all/services.yml``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    domain: str
    ntp_servers: list[ipaddress.IPv4Address]
    syslog_hosts: list[ipaddress.IPv4Address]
    snmp_trap_hosts: list[ipaddress.IPv4Address]
    management_acl_sources: list[ipaddress.IPv4Network]
    dns_servers: list[ipaddress.IPv4Address] = []


@dataclass(frozen=True)
class Services:
    """Management-plane services, with the IPv6 mirror of the management ACL."""

    domain: str
    ntp_servers: tuple[ipaddress.IPv4Address, ...]
    syslog_hosts: tuple[ipaddress.IPv4Address, ...]
    snmp_trap_hosts: tuple[ipaddress.IPv4Address, ...]
    management_acl_sources: tuple[ipaddress.IPv4Network, ...]
    management_acl_sources_v6: tuple[ipaddress.IPv6Network, ...]
    dns_servers: tuple[ipaddress.IPv4Address, ...]


@dataclass(frozen=True)
class Snmp:
    """SNMPv3 intent: dialect keywords for the inventory's protocols, group and view names."""

    auth: str
    priv: str
    group: str = SNMP_GROUP
    view: str = SNMP_VIEW


@dataclass(frozen=True)
class RenderContext:
    """Everything a capability template may use (exposed to Jinja as top-level names)."""

    host: str
    device: Device
    site: Site
    township: Site | None
    inventory: Inventory
    dialect: Dialect
    settings: Settings
    services: Services
    snmp: Snmp
    mgmt: Management
    loopback: Loopback
    ports: tuple[Interface, ...]
    aggregates: tuple[Interface, ...]
    svis: tuple[Svi, ...]
    vlans: tuple[int, ...]
    area: Area
    ospf: Ospf
    routes: tuple[StaticRoute, ...]
    probes: tuple[Probe, ...]
    hot_standby: HotStandby | None
    observe_ports: tuple[ObservePort, ...]
    switch: bool
    secret: Secrets

    def as_jinja(self) -> dict[str, Any]:
        """Top-level template names (``vars`` is the host's full hostvars for rare needs)."""
        names = {field: getattr(self, field) for field in self.__dataclass_fields__}
        names["vars"] = self.device.vars
        names["plan"] = self.inventory.plan
        names["county"] = self.inventory.county
        return names


def build_context(
    topo: Topology, dialect: Dialect, device: Device, hostvars: dict[str, Any]
) -> RenderContext:
    """Derive the full context of ``device``; raises :class:`RenderError` naming host and variable."""
    host = device.name
    inventory = topo.inventory
    settings = load_settings(host, hostvars)
    services = _services(host, hostvars, inventory)
    intf = DeviceInterfaces(topo, device, settings.lan_vlan, settings.mgmt_vlan, settings.backup_ospf_cost)
    mgmt = intf.management(settings.mgmt_prefix_length)
    lo = intf.loopback(mgmt)
    ports = intf.ports()
    svis = intf.svis(mgmt)
    routes = static_routes(topo, intf, ports, dialect.floating_preference)
    vlans = sorted({svi.vlan for svi in svis} | {p.vlan for p in ports if p.vlan is not None})
    site = inventory.sites[device.site]
    return RenderContext(
        host=host,
        device=device,
        site=site,
        township=_township(inventory, site),
        inventory=inventory,
        dialect=dialect,
        settings=settings,
        services=services,
        snmp=_snmp(host, hostvars, dialect),
        mgmt=mgmt,
        loopback=lo,
        ports=tuple(ports),
        aggregates=tuple(intf.aggregates),
        svis=tuple(svis),
        vlans=tuple(vlans),
        area=intf.area,
        ospf=ospf(intf, ports, svis, lo.ipv4, lo.name, routes, settings.backup_ospf_cost),
        routes=tuple(routes),
        probes=tuple(dict.fromkeys(r.track for r in routes if r.track is not None)),
        hot_standby=intf.hot_standby(ports),
        observe_ports=tuple(intf.observe_ports(ports)),
        switch=device.role not in ROUTER_ROLES,
        secret=Secrets(host, device.platform, hostvars, dialect.admin_hash_pattern),
    )


def _services(host: str, hostvars: dict[str, Any], inventory: Inventory) -> Services:
    if "egovnet_services" not in hostvars:
        raise RenderError(host, "variable egovnet_services is not defined")
    try:
        raw = ServicesVars.model_validate(hostvars["egovnet_services"])
    except ValidationError as error:
        problems = "; ".join(
            f"egovnet_services.{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        raise RenderError(host, problems) from None
    return Services(
        domain=raw.domain,
        ntp_servers=tuple(raw.ntp_servers),
        syslog_hosts=tuple(raw.syslog_hosts),
        snmp_trap_hosts=tuple(raw.snmp_trap_hosts),
        management_acl_sources=tuple(raw.management_acl_sources),
        management_acl_sources_v6=tuple(_mirror(inventory, n) for n in raw.management_acl_sources),
        dns_servers=tuple(raw.dns_servers),
    )


def _mirror(inventory: Inventory, network: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    """The IPv6 twin of an IPv4 management source: the loopback range derived from it."""
    base = loopback(inventory.plan, network.network_address).ip
    return ipaddress.IPv6Network((base, 128 - (32 - network.prefixlen)))


def _snmp(host: str, hostvars: dict[str, Any], dialect: Dialect) -> Snmp:
    snmp = hostvars.get("egovnet_snmp")
    if not isinstance(snmp, dict):
        raise RenderError(host, "variable egovnet_snmp is not defined")
    keywords = []
    for key, table in (("auth_protocol", dialect.snmp_auth), ("priv_protocol", dialect.snmp_priv)):
        value = snmp.get(key)
        if value not in table:
            raise RenderError(
                host, f"egovnet_snmp.{key}: {value!r} is not one of {sorted(table)} on {dialect.platform}"
            )
        keywords.append(table[value])
    return Snmp(auth=keywords[0], priv=keywords[1])


def _township(inventory: Inventory, site: Site) -> Site | None:
    for candidate in inventory.sites.values():
        if candidate.level == "township" and (candidate.township or candidate.id) == site.township:
            return candidate
    return None
