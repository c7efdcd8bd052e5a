"""Passive detectors, one module each, and the one registry of them.

| name         | kernel BPF (live)                          | finds                                   |
|--------------|--------------------------------------------|-----------------------------------------|
| ``ra``       | ICMPv6 type 134, IPv6 extension headers    | rogue RA, RA flood, RFC 7113 evasion    |
| ``dhcp6``    | udp port 546 or 547                        | rogue DHCPv6 server                     |
| ``arp``      | arp                                        | gateway spoof, flip-flop, ARP scan      |
| ``dhcp``     | udp port 67 or 68                          | rogue DHCP server                       |
| ``cleartext``| telnet/ftp/http/tftp/snmp ports, device nets | cleartext management, default SNMP community |
| ``scan``     | SYN or RST set                             | port scan, address scan (Zeek-like)     |
| ``dns_ioc``  | udp port 53                                | queries for indicator domains           |
| ``dns_tunnel``| udp port 53                               | DNS tunnelling                          |

Adding a detector: a module with a :class:`~egovnet.probes.detectors.base.Detector` subclass and one
line in :data:`DETECTORS`; the engine, the live path, the CLI and the benchmark pick it up from here.
"""

from __future__ import annotations

from collections.abc import Iterable

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.arp import ArpDetector
from egovnet.probes.detectors.base import Detector, Interest, bpf_filter
from egovnet.probes.detectors.cleartext import CleartextDetector
from egovnet.probes.detectors.dhcp import DhcpDetector
from egovnet.probes.detectors.dhcp6 import Dhcp6Detector
from egovnet.probes.detectors.dns_ioc import DnsIocDetector
from egovnet.probes.detectors.dns_tunnel import DnsTunnelDetector
from egovnet.probes.detectors.ra import RaDetector
from egovnet.probes.detectors.scan import ScanDetector
from egovnet.probes.findings import FindingBook

DETECTORS: dict[str, type[Detector]] = {
    cls.name: cls
    for cls in (
        RaDetector,
        Dhcp6Detector,
        ArpDetector,
        DhcpDetector,
        CleartextDetector,
        ScanDetector,
        DnsIocDetector,
        DnsTunnelDetector,
    )
}


def build_detectors(
    context: ProbeContext, book: FindingBook, names: Iterable[str] | None = None
) -> list[Detector]:
    """Instances of the named detectors (default: all), sharing one context and one finding book."""
    chosen = list(names) if names is not None else list(DETECTORS)
    unknown = [n for n in chosen if n not in DETECTORS]
    if unknown:
        raise KeyError(f"unknown detector(s) {', '.join(unknown)} (known: {', '.join(DETECTORS)})")
    return [DETECTORS[name](context, book) for name in chosen]


__all__ = ["DETECTORS", "Detector", "Interest", "bpf_filter", "build_detectors"]
