"""What a device's starting configuration must contain, before any dialect spells it.

Every dialect's ``base_config`` renders the same facts from a :class:`DeviceSpec`: one interface
section per port (with a description naming the link peer), the inventory's IPv4 (and optional
IPv6) addresses, a management interface, a local user, SSH and SNMP. This module derives those
facts once; the dialects only choose keywords.

Inventory inputs read from ``spec.extra`` (all optional):
    ``peers``: ``{ifname: "device:interface"}`` or ``{ifname: (device, interface)}``, used for
        port descriptions (``to-<device>-<interface>``); :func:`egovnet.lab.cli.with_peers`
        fills it from the topology links.
    ``descriptions``: ``{ifname: text}``, explicit descriptions (win over peers).
    ``interface_ipv6``: ``{ifname: "2001:db8::1/64"}`` (or a list of such strings).
    ``mgmt_interface``: the interface carrying ``mgmt_ipv4`` (default per dialect).
    ``local_user`` (default ``admin``), ``snmp_community`` (default ``public``),
    ``snmp_contact``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from egovnet.lab.model import DeviceSpec, _is_physical


@dataclass
class PortPlan:
    """One interface of the starting configuration."""

    name: str
    description: str = ""
    ipv4: list[ipaddress.IPv4Interface] = field(default_factory=list)
    ipv6: list[ipaddress.IPv6Interface] = field(default_factory=list)
    physical: bool = True
    cabled: bool = False
    mgmt: bool = False

    @property
    def routed(self) -> bool:
        return bool(self.ipv4 or self.ipv6)


def _peer_text(value: object) -> str | None:
    if isinstance(value, str):
        device, _, port = value.partition(":")
        return f"to-{device}-{port}" if port else f"to-{device}"
    if isinstance(value, tuple | list) and len(value) == 2:
        return f"to-{value[0]}-{value[1]}"
    return None


def _mapping(spec: DeviceSpec, key: str) -> Mapping[str, object]:
    value = spec.extra.get(key, {})
    return value if isinstance(value, Mapping) else {}


def mgmt_interface(spec: DeviceSpec, default: str) -> str:
    value = spec.extra.get("mgmt_interface")
    return value if isinstance(value, str) and value else default


def _mgmt_address(spec: DeviceSpec) -> ipaddress.IPv4Interface | None:
    if not spec.mgmt_ipv4:
        return None
    text = spec.mgmt_ipv4 if "/" in spec.mgmt_ipv4 else f"{spec.mgmt_ipv4}/24"
    return ipaddress.IPv4Interface(text)


def plan(spec: DeviceSpec, default_mgmt: str) -> list[PortPlan]:
    """Ports first (inventory order), then logical interfaces that carry addresses."""
    peers = _mapping(spec, "peers")
    descriptions = _mapping(spec, "descriptions")
    ipv6 = _mapping(spec, "interface_ipv6")
    mgmt_name = mgmt_interface(spec, default_mgmt)
    names = [port.name for port in spec.ports]
    for name in [*spec.interface_ipv4, *ipv6, mgmt_name]:
        if name not in names:
            names.append(name)
    result = []
    for name in names:
        item = PortPlan(name, physical=_is_physical(name), cabled=name in peers)
        explicit = descriptions.get(name)
        peer = _peer_text(peers.get(name))
        item.description = explicit if isinstance(explicit, str) else peer or ""
        if name in spec.interface_ipv4:
            item.ipv4.append(ipaddress.IPv4Interface(spec.interface_ipv4[name]))
        v6 = ipv6.get(name, [])
        for text in [v6] if isinstance(v6, str) else v6 if isinstance(v6, list | tuple) else []:
            item.ipv6.append(ipaddress.IPv6Interface(str(text)))
        if name == mgmt_name:
            item.mgmt = True
            address = _mgmt_address(spec)
            if address is not None and address not in item.ipv4:
                item.ipv4.append(address)
            item.description = item.description or "management"
        result.append(item)
    return result


def local_user(spec: DeviceSpec) -> str:
    value = spec.extra.get("local_user", "admin")
    return value if isinstance(value, str) else "admin"


def snmp_community(spec: DeviceSpec) -> str:
    value = spec.extra.get("snmp_community", "public")
    return value if isinstance(value, str) else "public"


def snmp_contact(spec: DeviceSpec) -> str:
    value = spec.extra.get("snmp_contact", "")
    return value if isinstance(value, str) else ""


def has_ipv6(ports: list[PortPlan]) -> bool:
    return any(item.ipv6 for item in ports)


def mgmt_vlan(name: str) -> str | None:
    """The VLAN number of a VLAN interface name (``Vlanif100`` -> ``100``)."""
    digits = "".join(ch for ch in name if ch.isdigit())
    lowered = name.lower()
    return digits if lowered.startswith(("vlanif", "vlan-interface", "vlan")) and digits else None
