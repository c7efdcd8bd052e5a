"""Formatting helpers every dialect renderer shares.

Vendors print the same facts (uptime, MAC addresses, clocks, byte counts) in different spellings;
the functions here produce each spelling from one value so renderers never re-implement them.
Everything is computed from the device model at call time.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
import weakref

from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabDevice

_CHANGED: weakref.WeakKeyDictionary[LabDevice, tuple[int, float]] = weakref.WeakKeyDictionary()

WEEK = 7 * 86400


def split_uptime(seconds: float) -> tuple[int, int, int, int]:
    """(weeks, days, hours, minutes) of an uptime."""
    total = int(seconds)
    weeks, rest = divmod(total, WEEK)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    return weeks, days, hours, rest // 60


def _unit(count: int, word: str, plural_from: int = 2) -> str:
    return f"{count} {word}{'s' if count >= plural_from else ''}"


def uptime_vrp(seconds: float) -> str:
    """VRP5 / Comware style: ``0 week, 0 day, 1 hour, 2 minutes`` (singular up to 1)."""
    weeks, days, hours, minutes = split_uptime(seconds)
    return ", ".join(
        (_unit(weeks, "week"), _unit(days, "day"), _unit(hours, "hour"), _unit(minutes, "minute"))
    )


def uptime_comware(seconds: float) -> str:
    """Comware style: plural except for exactly one, ``0 weeks, 0 days, 1 hour, 2 minutes``."""
    weeks, days, hours, minutes = split_uptime(seconds)
    words = ((weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute"))
    return ", ".join(f"{value} {word}{'' if value == 1 else 's'}" for value, word in words)


def uptime_days(seconds: float) -> str:
    """VRP8 (CE) style without weeks: ``3 days, 1 hour, 20 minutes``."""
    weeks, days, hours, minutes = split_uptime(seconds)
    return ", ".join((_unit(weeks * 7 + days, "day"), _unit(hours, "hour"), _unit(minutes, "minute")))


def uptime_ios(seconds: float) -> str:
    """IOS style: only non-zero units, ``1 week, 3 days, 16 hours, 11 minutes``."""
    weeks, days, hours, minutes = split_uptime(seconds)
    parts = [_unit(value, word) for value, word in ((weeks, "week"), (days, "day"), (hours, "hour")) if value]
    parts.append(_unit(minutes, "minute"))
    return ", ".join(parts)


def mac_dashed(mac: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` -> ``aabb-ccdd-eeff`` (Huawei and H3C)."""
    digits = mac.replace(":", "").replace("-", "").replace(".", "").lower()
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4))


def mac_dotted(mac: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` -> ``aabb.ccdd.eeff`` (Cisco)."""
    return mac_dashed(mac).replace("-", ".")


def link_local(mac: str) -> ipaddress.IPv6Address:
    """The EUI-64 link-local address a device derives from an interface MAC."""
    octets = [int(part, 16) for part in mac.replace("-", ":").split(":")]
    octets[0] ^= 0x02
    eui = [*octets[:3], 0xFF, 0xFE, *octets[3:]]
    suffix = int.from_bytes(bytes(eui), "big")
    return ipaddress.IPv6Address((0xFE80 << 112) | suffix)


def system_mac(device: LabDevice) -> str:
    """The chassis MAC LLDP advertises: the inventory's, else the first port's, else derived."""
    explicit = device.spec.extra.get("system_mac")
    if isinstance(explicit, str):
        return explicit
    if device.spec.ports:
        return device.spec.ports[0].mac
    digest = hashlib.sha256(device.name.encode()).digest()
    return ":".join(f"{b:02x}" for b in (0x00, 0xE0, 0xFC, *digest[:3]))


def clock(moment: float | None = None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """Wall-clock text in UTC (the twin runs every device on UTC)."""
    return time.strftime(fmt, time.gmtime(time.time() if moment is None else moment))


def config_changed_at(device: LabDevice, tree: ConfigNode) -> float:
    """When the running configuration last changed (``! Last configuration change at ...``).

    Derived by fingerprinting the tree on each read, so no editing path needs a hook; the
    first read reports the boot time, unless the device booted from a stored configuration that
    has changed since (until then it prints the stored text, timestamp included, and never asks).
    """
    fingerprint = hash(tuple(tree.lines()))
    seen = _CHANGED.get(device)
    if seen is None:
        loaded = device.loaded
        changed = loaded is not None and hash(tuple(loaded.tree.lines())) != fingerprint
        _CHANGED[device] = (fingerprint, time.time() if changed else device.boot_time)
    elif seen[0] != fingerprint:
        _CHANGED[device] = (fingerprint, time.time())
    return _CHANGED[device][1]


def grouped(number: int) -> str:
    """``1234567`` -> ``1,234,567`` (VRP ``dir`` sizes)."""
    return f"{number:,}"


def md5_hex(data: bytes) -> str:
    """MD5 as the devices' ``verify /md5`` prints it."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def row(*columns: tuple[object, int] | str) -> str:
    """A table row: ``(value, width)`` pairs become :func:`cell` columns, strings are kept as is."""
    return "".join(c if isinstance(c, str) else cell(*c) for c in columns)


def cell(value: object, width: int) -> str:
    """A left-aligned table column that always leaves at least one blank before the next one.

    Devices widen a column rather than glue two values together; parsers split on blanks.
    """
    return str(value).ljust(width - 1) + " "


def engine_id(prefix: str, mac: str, suffix: str = "") -> str:
    """An SNMP engine ID the way vendors derive it: enterprise prefix + chassis MAC."""
    return f"{prefix}{mac_dashed(mac).replace('-', '').upper()}{suffix}"


def cipher(secret: str, marker: str) -> str:
    """A stable stand-in for the vendor's reversible cipher text of ``secret``.

    Devices never print secrets in clear; the twin shows a deterministic opaque token instead.
    """
    token = hashlib.sha256(secret.encode()).hexdigest()[:32]
    return f"{marker}{token}{marker}" if marker == "%^%#" else f"{marker}{token}"


def dotted_mask(prefixlen: int) -> str:
    """``30`` -> ``255.255.255.252``."""
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefixlen}").netmask)


def ipv6_address_line(text: str) -> str:
    """Devices print IPv6 addresses compressed and in upper case: ``ipv6 address 2001:DB8::1/64``."""
    words = text.split()
    if words[:2] == ["ipv6", "address"] and len(words) >= 3 and ":" in words[2]:
        try:
            if "/" in words[2]:
                words[2] = ipaddress.IPv6Interface(words[2]).with_prefixlen.upper()
            else:
                words[2] = str(ipaddress.IPv6Address(words[2])).upper()
        except ValueError:
            return text
    return " ".join(words)


def dotted_address_line(text: str) -> str:
    """VRP and Comware store ``ip address A 30`` as ``ip address A 255.255.255.252``."""
    words = text.split()
    if words[:2] == ["ip", "address"] and len(words) >= 4 and words[3].isdigit() and int(words[3]) <= 32:
        words[3] = dotted_mask(int(words[3]))
    return ipv6_address_line(" ".join(words))


def v4_words(address: ipaddress.IPv4Interface) -> str:
    """``ip address`` arguments in dotted-mask form, as VRP, Comware and IOS store them."""
    return f"{address.ip} {address.netmask}"
