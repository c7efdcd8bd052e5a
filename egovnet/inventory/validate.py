"""Turns raw Ansible inventory data into the typed model, collecting every problem on the way.

Each check is a small function that appends :class:`InventoryIssue` records naming the file and key the
bad value was written at; the build never stops early, so one run lists everything to fix.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from egovnet.inventory import addressing
from egovnet.inventory.ansible_yaml import AnsibleInventoryData, Origin, RawGroup
from egovnet.inventory.errors import InventoryIssue
from egovnet.inventory.hardware import catalogue
from egovnet.inventory.model import (
    AddressPlan,
    Device,
    DeviceVars,
    Link,
    Site,
    SiteVars,
    Uplink,
    Website,
    WebsiteVars,
)
from egovnet.platforms import PLATFORMS

# Variable names Ansible reserves for playbook keywords; as host variables they are ignored or misread.
RESERVED_NAMES = frozenset(
    {
        "serial",
        "hosts",
        "name",
        "tasks",
        "roles",
        "vars",
        "become",
        "gather_facts",
        "strategy",
        "environment",
        "connection",
        "port",
        "remote_user",
        "tags",
        "when",
        "notify",
        "handlers",
        "collections",
        "throttle",
    }
)


#: Inventory files with this suffix override variables of hosts defined elsewhere (egovnet lab's overlay).
OVERLAY_SUFFIX = ".overlay.yml"


@dataclass
class BuildResult:
    """What :func:`build` produced: the pieces of the model and the issues."""

    plan: AddressPlan | None = None
    sites: dict[str, Site] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    websites: dict[str, Website] = field(default_factory=dict)
    county: dict[str, Any] = field(default_factory=dict)
    issues: list[InventoryIssue] = field(default_factory=list)


class _Checker:
    def __init__(self, data: AnsibleInventoryData) -> None:
        self.data = data
        self.out = BuildResult(issues=list(data.issues))
        self.uplinks: dict[str, list[Uplink]] = {}

    def issue(self, origin: Origin | None, reason: str, suffix: str = "") -> None:
        file, key = (origin.file, origin.key) if origin else ("?", "")
        self.out.issues.append(InventoryIssue(file, key + suffix, reason))

    def pydantic(
        self,
        model: type[BaseModel],
        values: dict[str, Any],
        origins: dict[str, Origin],
        fallback: Origin | None,
    ) -> Any:
        """Validate ``values``; map each error's location back to the file and key it came from."""
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                loc = [str(part) for part in error["loc"]]
                head = loc[0] if loc else ""
                origin = origins.get(head, fallback)
                suffix = "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
                if head not in origins and head:
                    suffix = f".{head}{suffix}"
                message = error["msg"]
                if error["type"] == "missing":
                    message = f"required field {head!r} is missing"
                elif error["type"] == "literal_error":
                    message = f"{message} (got {error.get('input')!r})"
                self.issue(origin, message, suffix)
            return None

    # -- checks on raw values ------------------------------------------------------------------------
    def control_characters(self) -> None:
        """Values that would inject CLI lines (newline, CR, other control characters) into configs."""
        entities: list[tuple[dict[str, Any], dict[str, Origin]]] = []
        for group in self.data.groups.values():
            entities += [(group.vars, group.var_origin), (group.file_vars, group.file_var_origin)]
        for host in self.data.hosts.values():
            entities += [(host.vars, host.var_origin), (host.file_vars, host.file_var_origin)]
            if _has_control(host.name):
                self.issue(host.origin, "host name contains control characters")
        for values, origins in entities:
            for key, value in values.items():
                for path, text in _strings(value):
                    if _has_control(text):
                        bad = next(c for c in text if _is_control(c))
                        self.issue(
                            origins[key],
                            f"value contains control character {bad!r}: it would inject "
                            "extra lines into rendered device configs",
                            path,
                        )

    def reserved_names(self) -> None:
        for host in self.data.hosts.values():
            for key in sorted(set(host.vars) & RESERVED_NAMES):
                self.issue(
                    host.var_origin[key],
                    f"{key!r} is a reserved Ansible name; it cannot be a host "
                    "variable (use another name, e.g. asset_serial)",
                )
        for group in self.data.groups.values():
            for key in sorted(set(group.vars) & RESERVED_NAMES):
                self.issue(group.var_origin[key], f"{key!r} is a reserved Ansible name")

    def duplicate_definitions(self) -> None:
        for host in self.data.hosts.values():
            # ``*.overlay.yml`` files (the lab overlay) override hosts on purpose
            definitions = [d for d in host.definitions if not d.file.endswith(OVERLAY_SUFFIX)]
            if len(definitions) > 1:
                first = definitions[0]
                for other in definitions[1:]:
                    self.issue(
                        other,
                        f"host {host.name!r} is defined twice (first at {first.file}: {first.key}); "
                        "list it without variables to add it to another group",
                    )

    # -- model building ---------------------------------------------------------------------------------
    def address_plan(self) -> None:
        group = self.data.groups["all"]
        value, origin = _group_var(group, "egovnet_address_plan")
        if value is None:
            self.out.issues.append(
                InventoryIssue("group_vars/all", "egovnet_address_plan", "required address plan is missing")
            )
            return
        try:
            self.out.plan = AddressPlan.model_validate(value)
        except ValidationError as exc:
            for error in exc.errors():
                suffix = "".join(f".{p}" for p in error["loc"])
                self.issue(origin, error["msg"], suffix)
            return
        plan = self.out.plan
        ranges = [
            ("management", plan.ipv4.management),
            ("point_to_point", plan.ipv4.point_to_point),
            ("site_lan", plan.ipv4.site_lan),
        ]
        for i, (name_a, net_a) in enumerate(ranges):
            for name_b, net_b in ranges[i + 1 :]:
                if net_a.overlaps(net_b):
                    self.issue(
                        origin, f"IPv4 range {name_a} {net_a} overlaps {name_b} {net_b}", f".ipv4.{name_b}"
                    )
        county = plan.ipv6.county_prefix
        if county.prefixlen >= plan.ipv6.site_prefix_length - 9:
            self.issue(
                origin,
                f"county prefix {county} is too long to hold site prefixes of "
                f"/{plan.ipv6.site_prefix_length}",
                ".ipv6.county_prefix",
            )
        if county.is_link_local or county.is_multicast or county.is_loopback:
            self.issue(
                origin, f"county prefix {county} is not a global unicast prefix", ".ipv6.county_prefix"
            )
        county_meta, _ = _group_var(group, "egovnet_county")
        if isinstance(county_meta, dict):
            self.out.county = dict(county_meta)

    def sites(self) -> None:
        numbers: dict[int, Origin] = {}
        for group in self.data.groups.values():
            if "site_id" not in group.vars and "site_id" not in group.file_vars:
                continue
            values = {**group.vars, **group.file_vars}
            origins = {**group.var_origin, **group.file_var_origin}
            parsed = self.pydantic(SiteVars, values, origins, group.origin)
            if parsed is None:
                continue
            site: SiteVars = parsed
            if site.site_id in self.out.sites:
                self.issue(
                    origins["site_id"],
                    f"site id {site.site_id!r} is used by two groups "
                    f"({self.out.sites[site.site_id].group} and {group.name})",
                )
                continue
            if site.site_number in numbers:
                first = numbers[site.site_number]
                self.issue(
                    origins["site_number"],
                    f"site number {site.site_number} is already used at {first.file}: {first.key}",
                )
            numbers[site.site_number] = origins["site_number"]
            self.out.sites[site.site_id] = Site(
                id=site.site_id,
                number=site.site_number,
                name_zh=site.site_name_zh,
                level=site.site_level,
                area=site.site_area,
                kinds=tuple(site.site_kinds),
                township=site.site_township,
                population=site.site_population,
                households=site.site_households,
                lan_ipv4=site.site_lan_ipv4,
                unit=site.site_unit,
                group=group.name,
            )
            self._site_plan(site, origins)
        for built in self.out.sites.values():
            if built.township and built.township not in self.out.sites:
                owner = self.data.groups[built.group]
                origin = {**owner.var_origin, **owner.file_var_origin}.get("site_township")
                self.issue(origin, f"township site {built.township!r} does not exist")

    def _site_plan(self, site: SiteVars, origins: dict[str, Origin]) -> None:
        plan = self.out.plan
        if plan is None:
            return
        if not site.site_lan_ipv4.subnet_of(plan.ipv4.site_lan):
            self.issue(
                origins["site_lan_ipv4"],
                f"{site.site_lan_ipv4} is outside the site LAN range "
                f"{plan.ipv4.site_lan} of the address plan",
            )
        if site.site_number > addressing.site_capacity(plan):
            self.issue(
                origins["site_number"],
                f"site number {site.site_number} does not fit the county IPv6 "
                f"prefix {plan.ipv6.county_prefix} (at most {addressing.site_capacity(plan)})",
            )

    def site_overlaps(self) -> None:
        ordered = sorted(self.out.sites.values(), key=lambda s: (int(s.lan_ipv4.network_address), s.id))
        for prev, cur in itertools.pairwise(ordered):
            if prev.lan_ipv4.overlaps(cur.lan_ipv4):
                group = self.data.groups[cur.group]
                self.issue(
                    {**group.var_origin, **group.file_var_origin}.get("site_lan_ipv4"),
                    f"{cur.lan_ipv4} overlaps site {prev.id}'s {prev.lan_ipv4}",
                )

    def hosts(self) -> None:
        addresses: dict[ipaddress.IPv4Address, str] = {}
        managed: dict[ipaddress.IPv4Address, str] = {}
        site_groups = {site.group: site.id for site in self.out.sites.values()}
        for name in sorted(self.data.hosts):
            raw = self.data.hosts[name]
            hostvars = self.data.hostvars(name)
            origins = self.data.var_origins(name)
            if hostvars.get("role") == "website" or hostvars.get("platform") == "website":
                self._website(name, hostvars, origins, raw.origin)
                continue
            parsed = self.pydantic(DeviceVars, hostvars, origins, raw.origin)
            if parsed is None:
                continue
            dv: DeviceVars = parsed
            if dv.platform not in PLATFORMS:
                known = ", ".join(sorted(p for p in PLATFORMS if p != "website"))
                self.issue(origins["platform"], f"unknown platform {dv.platform!r} (known: {known})")
            if dv.model not in catalogue():
                self.issue(
                    origins["model"],
                    f"unknown hardware model {dv.model!r} (add it to egovnet/inventory/hardware.yml)",
                )
            mgmt = dv.management_ipv4 or dv.ansible_host
            mgmt_key = "management_ipv4" if dv.management_ipv4 else "ansible_host"
            if dv.ansible_host in addresses:
                self.issue(
                    origins["ansible_host"],
                    f"management address {dv.ansible_host} is already used by {addresses[dv.ansible_host]}",
                )
            addresses.setdefault(dv.ansible_host, name)
            if dv.management_ipv4 is not None and dv.management_ipv4 in managed:
                self.issue(
                    origins["management_ipv4"],
                    f"management address {dv.management_ipv4} is already used by {managed[mgmt]}",
                )
            managed.setdefault(mgmt, name)
            if self.out.plan and mgmt not in self.out.plan.ipv4.management:
                self.issue(
                    origins[mgmt_key],
                    f"management address {mgmt} is outside the management range "
                    f"{self.out.plan.ipv4.management}",
                )
            groups = [g.name for g in self.data.host_groups(name)]
            sites = [site_groups[g] for g in groups if g in site_groups]
            site_id = sites[0] if len(sites) == 1 else ""
            declared = raw.vars.get("site_id")
            if declared is not None and declared not in self.out.sites:
                self.issue(raw.var_origin["site_id"], f"site {declared!r} does not exist")
                continue
            if not sites:
                self.issue(
                    raw.origin,
                    f"device {name!r} belongs to no site (put it under a group that defines site_id)",
                )
                continue
            if len(sites) > 1:
                self.issue(
                    raw.origin, f"device {name!r} belongs to several sites: {', '.join(sorted(sites))}"
                )
                continue
            self.uplinks[name] = dv.uplinks
            self.out.devices[name] = Device(
                name=name,
                platform=dv.platform,
                role=dv.role,
                model=dv.model,
                mgmt_ipv4=mgmt,
                host=dv.ansible_host,
                site=site_id,
                groups=tuple(groups),
                asset_serial=dv.asset_serial,
                managed_by=dv.managed_by,
                ha_peer=dv.ha_peer,
                vars=hostvars,
            )
        by_site: dict[str, list[str]] = {}
        for device in self.out.devices.values():
            by_site.setdefault(device.site, []).append(device.name)
        self.out.sites = {
            sid: site.model_copy(update={"devices": tuple(sorted(by_site.get(sid, [])))})
            for sid, site in self.out.sites.items()
        }

    def _website(
        self, name: str, hostvars: dict[str, Any], origins: dict[str, Origin], fallback: Origin | None
    ) -> None:
        parsed = self.pydantic(WebsiteVars, hostvars, origins, fallback)
        if parsed is None:
            return
        web: WebsiteVars = parsed
        if web.website_owner not in self.out.sites:
            self.issue(origins["website_owner"], f"owner site {web.website_owner!r} does not exist")
        for other in self.out.websites.values():
            if other.url == web.website_url:
                self.issue(
                    origins["website_url"], f"website URL {web.website_url} is also used by {other.name}"
                )
        self.out.websites[name] = Website(
            name=name, url=web.website_url, kind=web.website_kind, owner=web.website_owner
        )

    def references(self) -> None:
        for device in self.out.devices.values():
            origins = self.data.var_origins(device.name)
            for key in ("managed_by", "ha_peer"):
                target = getattr(device, key)
                if target is not None and target not in self.out.devices:
                    self.issue(origins[key], f"{key} names unknown device {target!r}")

    def links(self) -> None:
        used: dict[tuple[str, str], str] = {}
        subnets: dict[ipaddress.IPv4Network, str] = {}
        ip_owner: dict[ipaddress.IPv4Address, str] = {}
        models = catalogue()
        for name in sorted(self.out.devices):
            device = self.out.devices[name]
            origin = self.data.var_origins(name).get("uplinks")
            for i, item in enumerate(self.uplinks.get(name, [])):
                where = f"[{i}]"
                link_origin = Origin(origin.file, origin.key + where) if origin else None
                label = f"{name} {item.interface}"
                self._port(models, device, item.interface, link_origin, ".interface", item.speed)
                if item.peer is not None:
                    peer = self.out.devices.get(item.peer)
                    if peer is None:
                        if item.peer in self.data.hosts:
                            self.issue(
                                link_origin, f"link peer {item.peer!r} is not a managed device", ".peer"
                            )
                        else:
                            self.issue(link_origin, f"link to unknown device {item.peer!r}", ".peer")
                    elif item.peer_interface is not None:
                        self._port(
                            models, peer, item.peer_interface, link_origin, ".peer_interface", item.speed
                        )
                for end in [(name, item.interface)] + (
                    [(item.peer, item.peer_interface)] if item.peer and item.peer_interface else []
                ):
                    key = (str(end[0]), str(end[1]))
                    suffix = ".interface" if end[0] == name else ".peer_interface"
                    if key in used:
                        self.issue(
                            link_origin,
                            f"interface {key[0]} {key[1]} is already used by the link at {used[key]}",
                            suffix,
                        )
                    else:
                        used[key] = f"{link_origin.file}: {link_origin.key}" if link_origin else label
                if item.ipv4 is not None and item.peer_ipv4 is not None:
                    self._link_addresses(item.ipv4, item.peer_ipv4, link_origin, subnets, ip_owner, label)
                self.out.links.append(
                    Link(
                        index=len(self.out.links),
                        a_device=name,
                        a_interface=item.interface,
                        b_device=item.peer,
                        b_interface=item.peer_interface,
                        external=item.external,
                        speed_mbps=item.speed,
                        medium=item.medium,
                        role=item.role,
                        a_ipv4=item.ipv4,
                        b_ipv4=item.peer_ipv4,
                        source=f"{link_origin.file}: {link_origin.key}" if link_origin else name,
                    )
                )

    def _port(
        self,
        models: dict[str, Any],
        device: Device,
        ifname: str,
        origin: Origin | None,
        suffix: str,
        speed: int,
    ) -> None:
        model = models.get(device.model)
        if model is None:
            return
        if not model.has_interface(ifname):
            self.issue(origin, f"device {device.name} ({device.model}) has no interface {ifname!r}", suffix)
            return
        port_speed = model.port_speed(ifname)
        if port_speed is not None and speed > port_speed:
            self.issue(
                origin,
                f"link speed {speed} Mb/s exceeds port {ifname} of {device.name} ({port_speed} Mb/s)",
                ".speed",
            )

    def _link_addresses(
        self,
        mine: ipaddress.IPv4Interface,
        theirs: ipaddress.IPv4Interface,
        origin: Origin | None,
        subnets: dict[ipaddress.IPv4Network, str],
        ip_owner: dict[ipaddress.IPv4Address, str],
        label: str,
    ) -> None:
        if mine.network != theirs.network or mine.ip == theirs.ip:
            self.issue(
                origin, f"link ends {mine} and {theirs} are not two addresses of one subnet", ".peer_ipv4"
            )
            return
        for address, suffix in ((mine, ".ipv4"), (theirs, ".peer_ipv4")):
            if (
                address.ip in (mine.network.network_address, mine.network.broadcast_address)
                and mine.network.prefixlen < 31
            ):
                self.issue(origin, f"{address} is the network or broadcast address of its subnet", suffix)
            if address.ip in ip_owner:
                self.issue(origin, f"address {address.ip} is already used by {ip_owner[address.ip]}", suffix)
            ip_owner.setdefault(address.ip, label)
        plan = self.out.plan
        if plan and not mine.network.subnet_of(plan.ipv4.point_to_point):
            self.issue(
                origin,
                f"{mine.network} is outside the point-to-point range {plan.ipv4.point_to_point}",
                ".ipv4",
            )
        for net, owner in subnets.items():
            if net.overlaps(mine.network):
                self.issue(origin, f"link subnet {mine.network} overlaps {net} of {owner}", ".ipv4")
                break
        subnets[mine.network] = label

    def uplinks_present(self) -> None:
        """Every village (and township/department) must reach outside its own site."""
        for site in self.out.sites.values():
            if site.level == "county" or not site.devices:
                if site.level != "county" and not site.devices:
                    group = self.data.groups[site.group]
                    self.issue(group.origin, f"site {site.id} has no devices")
                continue
            members = set(site.devices)
            outward = [
                link
                for link in self.out.links
                if (link.a_device in members) != (link.b_device in members)
                or (link.a_device in members and link.external)
            ]
            if not outward:
                group = self.data.groups[site.group]
                self.issue(
                    group.origin,
                    f"{site.level} site {site.id} has no uplink: none of its devices "
                    f"({', '.join(site.devices)}) has a link to another site",
                )

    def run(self) -> BuildResult:
        self.control_characters()
        self.reserved_names()
        self.duplicate_definitions()
        self.address_plan()
        self.sites()
        self.site_overlaps()
        self.hosts()
        self.references()
        self.links()
        self.uplinks_present()
        if not self.data.hosts:
            self.out.issues.append(InventoryIssue(str(self.data.root), "", "the inventory defines no hosts"))
        return self.out


def _group_var(group: RawGroup, name: str) -> tuple[Any, Origin | None]:
    if name in group.file_vars:
        return group.file_vars[name], group.file_var_origin[name]
    if name in group.vars:
        return group.vars[name], group.var_origin[name]
    return None, None


def _is_control(char: str) -> bool:
    return ord(char) < 32 or ord(char) == 127 or 0x80 <= ord(char) < 0xA0 or char in "\u2028\u2029"


def _has_control(text: str) -> bool:
    return any(_is_control(c) for c in text)


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with its key path suffix."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _has_control(key):
                yield f"{path}.{key!r}", key
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def build(data: AnsibleInventoryData) -> BuildResult:
    """Validate and build the typed model from raw inventory data."""
    return _Checker(data).run()
