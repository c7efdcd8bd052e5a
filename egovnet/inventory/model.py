"""The typed inventory: sites, devices, links, websites and the address plan.

These pydantic models are both the schema the raw YAML variables are validated against and the objects
the rest of egovnet works with. Ansible variables the models do not name stay available in
``Device.vars`` (the host's full hostvars), so templates can use anything the inventory holds.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SiteLevel = Literal["county", "township", "village", "department"]
SiteArea = Literal["urban", "rural"]
SiteKind = Literal[
    "government",
    "datacenter",
    "school",
    "clinic",
    "scenic_spot",
    "village_committee",
    "community_committee",
]
Medium = Literal["fibre", "copper", "5g", "microwave"]
LinkRole = Literal["primary", "backup", "peer", "access", "mirror"]
Role = Literal[
    "core",
    "egress",
    "firewall",
    "ids",
    "probe",
    "bastion",
    "nms",
    "gw_5g",
    "aggregation",
    "township_node",
    "wlc",
    "olt",
    "access",
    "ap",
    "cpe_5g",
    "website",
]

_STRICT = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)


class AddressPlanIPv4(BaseModel):
    """The IPv4 ranges the county already runs."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    management: ipaddress.IPv4Network
    point_to_point: ipaddress.IPv4Network
    site_lan: ipaddress.IPv4Network


class AddressPlanIPv6(BaseModel):
    """The county IPv6 prefix every site, link and loopback prefix is derived from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    county_prefix: ipaddress.IPv6Network
    site_prefix_length: int = Field(56, ge=48, le=64)
    link_prefix_length: int = Field(64, ge=64, le=127)


class AddressPlan(BaseModel):
    """``egovnet_address_plan`` from ``group_vars/all``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ipv4: AddressPlanIPv4
    ipv6: AddressPlanIPv6


class SiteVars(BaseModel):
    """The ``site_*`` variables a site group defines."""

    model_config = _STRICT
    site_id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    site_number: int = Field(ge=1)
    site_name_zh: str = Field(min_length=1)
    site_level: SiteLevel
    site_area: SiteArea
    site_kinds: list[SiteKind] = Field(default_factory=list)
    site_township: str | None = None
    site_population: int | None = Field(None, ge=0)
    site_households: int | None = Field(None, ge=0)
    site_lan_ipv4: ipaddress.IPv4Network
    site_unit: Literal["administrative_village", "community"] | None = None


class Uplink(BaseModel):
    """One link as written under a host's ``uplinks``: this end, the far end, and the link itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    interface: str = Field(min_length=1)
    peer: str | None = None
    peer_interface: str | None = None
    external: str | None = None
    speed: int = Field(gt=0, description="Mb/s")
    medium: Medium
    role: LinkRole
    ipv4: ipaddress.IPv4Interface | None = None
    peer_ipv4: ipaddress.IPv4Interface | None = None

    @model_validator(mode="after")
    def _far_end(self) -> Uplink:
        if self.external is None and (self.peer is None or self.peer_interface is None):
            raise ValueError(
                "a link needs peer and peer_interface (or external for a peer outside the county)"
            )
        if self.external is not None and self.peer is not None:
            raise ValueError("a link has either a peer device or an external peer, not both")
        if (self.ipv4 is None) != (self.peer_ipv4 is None):
            raise ValueError("ipv4 and peer_ipv4 go together (both ends of a routed link)")
        return self


class DeviceVars(BaseModel):
    """The variables every managed device must have.

    ``ansible_host`` is where egovnet and Ansible connect; ``management_ipv4`` is the device's own
    management address when that differs (the twin's overlay points ``ansible_host`` at 127.x.y.z and
    keeps the real address here), so rendered configs never change because of where they are pushed.
    """

    model_config = _STRICT
    ansible_host: ipaddress.IPv4Address
    management_ipv4: ipaddress.IPv4Address | None = None
    platform: str
    role: Role
    model: str
    asset_serial: str | None = None
    managed_by: str | None = None
    ha_peer: str | None = None
    cell_id: str | None = None
    uplinks: list[Uplink] = Field(default_factory=list)


class WebsiteVars(BaseModel):
    """A government website, modelled as an inventory host with ``role: website``."""

    model_config = _STRICT
    website_url: str = Field(pattern=r"^https?://[^\s/]+(/\S*)?$")
    website_kind: Literal["portal", "information_disclosure"]
    website_owner: str


class Site(BaseModel):
    """A place on the map: the county data centre, a township, a village or community, a department."""

    model_config = ConfigDict(frozen=True)
    id: str
    number: int
    name_zh: str
    level: SiteLevel
    area: SiteArea
    kinds: tuple[SiteKind, ...]
    township: str | None
    population: int | None
    households: int | None
    lan_ipv4: ipaddress.IPv4Network
    unit: str | None
    group: str
    devices: tuple[str, ...] = ()


class Link(BaseModel):
    """A cable or radio link; ``a`` is the device that lists it under ``uplinks``."""

    model_config = ConfigDict(frozen=True)
    index: int
    a_device: str
    a_interface: str
    b_device: str | None
    b_interface: str | None
    external: str | None
    speed_mbps: int
    medium: Medium
    role: LinkRole
    a_ipv4: ipaddress.IPv4Interface | None
    b_ipv4: ipaddress.IPv4Interface | None
    source: str

    def ends(self) -> list[tuple[str, str]]:
        """(device, interface) of each end inside the county."""
        result = [(self.a_device, self.a_interface)]
        if self.b_device and self.b_interface:
            result.append((self.b_device, self.b_interface))
        return result


class Device(BaseModel):
    """A managed device with its site and every Ansible variable it has."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    name: str
    platform: str
    role: Role
    model: str
    mgmt_ipv4: ipaddress.IPv4Address
    host: ipaddress.IPv4Address
    site: str
    groups: tuple[str, ...]
    asset_serial: str | None = None
    managed_by: str | None = None
    ha_peer: str | None = None
    vars: dict[str, Any] = Field(default_factory=dict, repr=False)


class Website(BaseModel):
    """A government website the IPv6 website check covers."""

    model_config = ConfigDict(frozen=True)
    name: str
    url: str
    kind: str
    owner: str
