"""From the inventory to the twin: one DeviceSpec per device and one LinkSpec per link.

The twin has no data of its own. Addresses, ports, link speeds, interface addresses, site attributes
and the wireless / 5G / broadband inputs all come from the inventory (``egovnet.inventory``); where
the inventory cannot know a live value (a CPE's RSRP, an AP's client count, an OLT's subscriber mix)
it is drawn from a generator seeded with the device name, so the same inventory always gives the same
twin and tests can compute expected indicator values by hand from the same specs.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from egovnet.inventory import Device, Inventory
from egovnet.inventory.hardware import catalogue
from egovnet.lab.model import DeviceSpec, LinkSpec, PortSpec
from egovnet.platforms import PLATFORMS

#: Platforms the twin does not serve on their own address: fit APs live behind their controller.
NOT_SERVED = frozenset({"huawei_fitap", "h3c_fitap", "website"})

_OS_VERSION = {
    "huawei_vrp8": "V200R019C10SPC800",
    "huawei_vrp5": "V200R021C00SPC100",
    "h3c_comware7": "7.1.070, Release 6635P07",
    "cisco_ios": "15.2(7)E4",
    "cpe_5g": "11.0.2.1",
    "huawei_smartax": "MA5800V100R021C10",
    "linux": "Linux 5.10.0-28-amd64",
}


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def lab_address(mgmt_ipv4: ipaddress.IPv4Address) -> str:
    """The twin address of a device: 127 + the last three octets of its management address.

    Management addresses are unique inside one /16 (validated), so the mapping is unique and stable and an
    engineer can read the real address off the twin's (10.98.3.17 -> 127.98.3.17).
    """
    return "127." + ".".join(str(mgmt_ipv4).split(".")[1:])


def _mac(device: str, port: str) -> str:
    value = _seed(device, port)
    octets = [0x00, 0xE0, 0xFC, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
    return ":".join(f"{o:02x}" for o in octets)


def _serial(device: Device) -> str:
    if device.asset_serial:
        return device.asset_serial
    return f"21023{_seed(device.name, 'esn') % 10**15:015d}"


def _ports(device: Device) -> tuple[PortSpec, ...]:
    model = catalogue()[device.model]
    return tuple(PortSpec(name, speed, _mac(device.name, name)) for name, speed in model.ports())


def _interface_ipv4(inventory: Inventory, device: Device) -> dict[str, str]:
    result: dict[str, str] = {}
    for link in inventory.links_of(device.name):
        if link.a_device == device.name and link.a_ipv4 is not None:
            result[link.a_interface] = str(link.a_ipv4)
        elif link.b_device == device.name and link.b_interface and link.b_ipv4 is not None:
            result[link.b_interface] = str(link.b_ipv4)
    return result


def _extra(inventory: Inventory, device: Device) -> dict[str, Any]:
    """Kind-specific inputs of the simulation (see egovnet.lab.snmp.kinds for their meaning)."""
    site = inventory.site_of(device.name)
    extra: dict[str, Any] = {
        "site_name_zh": site.name_zh,
        "site_kinds": list(site.kinds),
        "township": site.township or "",
        "snmp_contact": "noc@"
        + str(inventory.devices[device.name].vars.get("egovnet_services", {}).get("domain", "egov.local")),
    }
    peers: dict[str, tuple[str, str] | str] = {}
    for link in inventory.links_of(device.name):
        if link.a_device == device.name:
            far = link.external or ""
            peers[link.a_interface] = (
                (link.b_device, link.b_interface) if link.b_device and link.b_interface else far
            )
        elif link.b_interface:
            peers[link.b_interface] = (link.a_device, link.a_interface)
    extra["peers"] = peers
    seed = _seed(device.name)
    if device.role == "wlc":
        aps = [d for d in inventory.devices.values() if d.managed_by == device.name]
        extra["aps"] = [
            {"name": ap.name, "site": ap.site, "online": True, "clients": 3 + _seed(ap.name, "clients") % 40}
            for ap in sorted(aps, key=lambda d: d.name)
        ]
    elif device.role == "cpe_5g":
        extra["rsrp_dbm"] = -72 - (seed % 44)  # -72 .. -115 dBm: a few villages at the cell edge
        extra["sinr_db"] = 2 + (seed >> 8) % 24
        extra["cell_id"] = str(device.vars.get("cell_id", ""))
        extra["radio_interface"] = "Cellular0"
    elif device.role == "olt":
        served = [s for s in inventory.sites.values() if s.township == site.township and s.households]
        households = sum(s.households or 0 for s in served)
        urban = sum(s.households or 0 for s in served if s.area == "urban")
        extra["households"] = households
        extra["subscribers"] = households * (85 + seed % 14) // 100
        extra["urban_share"] = round(urban / households, 4) if households else 0.0
        extra["ftth_share"] = 1.0 if seed % 4 else 0.97
        extra["area"] = site.area
    return extra


def device_spec(inventory: Inventory, device: Device) -> DeviceSpec:
    """The twin's view of one inventory device."""
    site = inventory.site_of(device.name)
    return DeviceSpec(
        name=device.name,
        platform=device.platform,
        role=device.role,
        vendor=PLATFORMS[device.platform].vendor,
        model=device.model,
        serial=_serial(device),
        os_version=_OS_VERSION.get(device.platform, "1.0"),
        address=lab_address(device.mgmt_ipv4),
        mgmt_ipv4=str(device.mgmt_ipv4),
        ports=_ports(device),
        interface_ipv4=_interface_ipv4(inventory, device),
        site_id=site.id,
        site_level=site.level,
        site_area=site.area,
        location=f"{site.name_zh} ({site.id})",
        extra=_extra(inventory, device),
    )


def build_specs(
    inventory: Inventory, names: Iterable[str] | None = None
) -> tuple[list[DeviceSpec], list[LinkSpec]]:
    """Specs for the selected devices (default all served ones) and the links between them.

    Links to a device outside the selection keep their far end so state is still derived from it
    (the peer counts as up, as a real neighbour outside a lab slice would be); links to a network
    outside the inventory (``external``) are kept too, with no far device, so their port is cabled.
    """
    wanted = set(names) if names is not None else None
    selected = [
        d
        for name, d in sorted(inventory.devices.items())
        if (wanted is None or name in wanted) and d.platform not in NOT_SERVED
    ]
    chosen = {d.name for d in selected}
    specs = [device_spec(inventory, d) for d in selected]
    links = [
        LinkSpec(
            link.a_device,
            link.a_interface,
            link.b_device or "",
            link.b_interface or "",
            link.speed_mbps,
            link.medium,
            link.role,
            link.external or "",
        )
        for link in inventory.links
        if (link.b_device and link.b_interface and (link.a_device in chosen or link.b_device in chosen))
        or (link.external and link.a_device in chosen)
    ]
    return specs, links


def replicate(
    specs: list[DeviceSpec], links: list[LinkSpec], total: int
) -> tuple[list[DeviceSpec], list[LinkSpec]]:
    """Grow a twin to ``total`` devices with renamed copies of the county (load and scale tests).

    Copy ``k`` of device ``d`` is ``d~k`` at 127.(second octet + k).x.y, cabled like the original to the
    copies of its peers, so every copy is a complete, consistent county. Copies exist only in the twin:
    the inventory (and so the overlay) knows the originals alone.
    """
    if total <= len(specs):
        return specs, links
    result, wired = list(specs), list(links)
    copy = 1
    while len(result) < total:
        chosen = specs[: total - len(result)]
        names = {s.name for s in chosen}
        for spec in chosen:
            octets = spec.address.split(".")
            octets[1] = str(int(octets[1]) + copy)
            if int(octets[1]) > 255:
                raise ValueError(f"cannot place {total} devices in 127.0.0.0/8 with this address plan")
            result.append(replace(spec, name=f"{spec.name}~{copy}", address=".".join(octets)))
        wired += [
            replace(
                link,
                a_device=f"{link.a_device}~{copy}",
                b_device=f"{link.b_device}~{copy}" if link.b_device else "",
            )
            for link in links
            if link.a_device in names and (link.b_device in names or link.external)
        ]
        copy += 1
    return result, wired
