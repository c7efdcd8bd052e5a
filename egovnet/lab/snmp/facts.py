"""Device-level facts the SNMP agent derives from the model: descriptions, identities, resources.

Everything vendor-specific the agent needs is a table here (sysDescr templates per platform, the
config keywords that carry sysContact/sysLocation per dialect, ifType per interface-name prefix), so
the MIB modules stay generic. Values that the inventory does not give are derived deterministically
from the device name, so the same twin shows the same numbers on every run.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from egovnet.lab.model import LabDevice

# sysDescr as each platform family prints it (shortened); {model} and {os_version} come from the spec.
_SYS_DESCR = {
    "huawei_vrp5": "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
    "({model} {os_version})\r\nCopyright (C) 2000-2024 HUAWEI TECH CO., LTD\r\nHUAWEI {model}",
    "huawei_vrp8": "Huawei YunShan OS\r\nVersion 8.180 ({model} {os_version})\r\n"
    "Copyright (C) 2012-2024 Huawei Technologies Co., Ltd.\r\nHUAWEI {model}",
    "h3c_comware7": "H3C Comware Platform Software, Software Version 7.1.070, Release {os_version}\r\n"
    "H3C {model}\r\nCopyright (c) 2004-2024 New H3C Technologies Co., Ltd. All rights reserved.",
    "cisco_ios": "Cisco IOS Software, {model} Software, Version {os_version}, RELEASE SOFTWARE (fc1)\r\n"
    "Technical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2024 by Cisco Systems, Inc.",
    "cpe_5g": "Huawei 5G CPE {model} Software Version {os_version}",
    "huawei_smartax": "Huawei Integrated Access Software {model} {os_version}",
    "huawei_fitap": "Huawei {model} Fit AP Software Version {os_version}",
    "linux": "Linux {name} {os_version}",
}
_SYS_DESCR_DEFAULT = "{vendor} {model} {os_version}"

# The running-config keywords that set sysContact / sysLocation, per CLI dialect.
_CONTACT_KEYWORD = {
    "vrp5": "snmp-agent sys-info contact ",
    "vrp8": "snmp-agent sys-info contact ",
    "comware7": "snmp-agent sys-info contact ",
    "ios": "snmp-server contact ",
}
_LOCATION_KEYWORD = {
    "vrp5": "snmp-agent sys-info location ",
    "vrp8": "snmp-agent sys-info location ",
    "comware7": "snmp-agent sys-info location ",
    "ios": "snmp-server location ",
}

# IANAifType by interface-name prefix (lower case); physical ports default to ethernetCsmacd(6).
_IF_TYPES: tuple[tuple[str, int], ...] = (
    ("loopback", 24),  # softwareLoopback
    ("null", 1),  # other
    ("vlanif", 136),
    ("vlan-interface", 136),
    ("vlan", 136),  # l3ipvlan
    ("eth-trunk", 161),
    ("bridge-aggregation", 161),
    ("port-channel", 161),  # ieee8023adLag
    ("tunnel", 131),  # tunnel
    ("nve", 131),
    ("cellular", 6),
)
ETHERNET_CSMACD = 6


def stable_int(*parts: str) -> int:
    """A deterministic non-negative integer from names (independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.sha256("|".join(("snmp", *parts)).encode()).digest()[:8], "big")


def round_half_up(value: float) -> int:
    """Round like a person does by hand (2.5 -> 3), unlike Python's banker's ``round``."""
    return math.floor(value + 0.5)


def sys_descr(device: LabDevice) -> str:
    """sysDescr: the platform's banner filled with the inventory's model and software version."""
    spec = device.spec
    template = _SYS_DESCR.get(spec.platform, _SYS_DESCR_DEFAULT)
    return template.format(model=spec.model, os_version=spec.os_version, vendor=spec.vendor, name=spec.name)


def _config_value(device: LabDevice, keywords: dict[str, str]) -> str | None:
    keyword = keywords.get(device.dialect or "")
    if keyword is None:
        return None
    for node in device.running.children_starting(keyword):
        return node.text[len(keyword) :].strip()
    return None


def sys_contact(device: LabDevice) -> str:
    """sysContact: the configured contact line, else the inventory's ``snmp_contact``."""
    configured = _config_value(device, _CONTACT_KEYWORD)
    return configured if configured is not None else str(device.spec.extra.get("snmp_contact", ""))


def sys_location(device: LabDevice) -> str:
    """sysLocation: the configured location line, else the inventory's location."""
    configured = _config_value(device, _LOCATION_KEYWORD)
    return configured if configured is not None else device.spec.location


def mac_bytes(mac: str) -> bytes:
    """``"00:e0:fc:01:02:03"`` (or ``-``/``.`` separated) -> 6 octets."""
    digits = "".join(ch for ch in mac if ch in "0123456789abcdefABCDEF")
    return bytes.fromhex(digits)


def chassis_mac(device: LabDevice) -> str:
    """The LLDP chassis ID: ``extra["chassis_mac"]``, else the first port's MAC, else a derived one."""
    explicit = device.spec.extra.get("chassis_mac")
    if explicit:
        return str(explicit)
    if device.spec.ports:
        return device.spec.ports[0].mac
    value = stable_int(device.name, "chassis")
    return ":".join(
        f"{octet:02x}"
        for octet in (0x00, 0xE0, 0xFC, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
    )


def if_type(ifname: str) -> int:
    """IANAifType of an interface, from its name."""
    lowered = ifname.lower()
    for prefix, value in _IF_TYPES:
        if lowered.startswith(prefix):
            return value
    return ETHERNET_CSMACD


def is_port(ifname: str) -> bool:
    """A physical port (it has a connector and runs LLDP), as opposed to a logical interface."""
    return if_type(ifname) == ETHERNET_CSMACD


@dataclass(frozen=True)
class Resources:
    """CPU and memory figures served through HOST-RESOURCES-MIB.

    Attributes:
        cpu_loads: percent busy per processor (hrProcessorLoad), one entry per CPU.
        memory_kib: RAM size in KiB (hrMemorySize, hrStorageSize with 1024-byte units).
        memory_used_kib: RAM in use in KiB (hrStorageUsed).
    """

    cpu_loads: tuple[int, ...]
    memory_kib: int
    memory_used_kib: int


def resources(device: LabDevice) -> Resources:
    """CPU/memory from ``extra`` (``cpus``, ``cpu_load_pct``, ``memory_mb``, ``memory_used_pct``).

    Missing values are derived from the device name: load 5-30 %, memory use 30-60 % of 2048 MiB. A
    down device is never asked (it does not answer), so faults need no special case here.
    """
    extra = device.spec.extra
    cpus = max(1, int(extra.get("cpus", 1)))
    seed = stable_int(device.name, "resources")
    load = int(extra.get("cpu_load_pct", 5 + seed % 26))
    memory_kib = int(extra.get("memory_mb", 2048)) * 1024
    used_pct = float(extra.get("memory_used_pct", 30 + (seed >> 8) % 31))
    return Resources(
        cpu_loads=tuple(max(0, min(100, load)) for _ in range(cpus)),
        memory_kib=memory_kib,
        memory_used_kib=round_half_up(memory_kib * used_pct / 100),
    )
