"""The detector contract: what a detector wants to see (one declaration, two filters) and its hooks.

A detector declares its traffic once as :class:`Interest` clauses. The same clauses become

* the detector's **kernel BPF filter** on a live interface (:meth:`Interest.bpf`), so the kernel
  drops everything else before Python sees it (research note §3.4), and
* its routes in the **byte prefilter** of the pcap path (:class:`egovnet.probes.engine.Dispatcher`),
  which reads a few header bytes per packet and calls the detector only on a match.

So live and offline runs deliver exactly the same packets to a detector, and a detector never
filters traffic it did not ask for.
"""

from __future__ import annotations

import ipaddress
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.findings import FindingBook

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Interest:
    """One clause of a detector's traffic (clauses are OR-ed; the fields of one clause too).

    Attributes:
        ethertypes: non-IP ethertypes (ARP).
        icmp6_types: ICMPv6 types carried directly after the IPv6 header.
        ipv6_extensions: IPv6 packets whose first next-header is an extension header (RFC 7113).
        udp_ports: UDP packets from or to these ports.
        tcp_ports: TCP packets from or to these ports.
        tcp_flags: TCP packets with any of these flags set (SYN 0x02, RST 0x04).
        nets: restrict ``udp_ports``/``tcp_ports`` to packets from or to these networks.
    """

    ethertypes: frozenset[int] = frozenset()
    icmp6_types: frozenset[int] = frozenset()
    ipv6_extensions: bool = False
    udp_ports: frozenset[int] = frozenset()
    tcp_ports: frozenset[int] = frozenset()
    tcp_flags: int = 0
    nets: tuple[IPNetwork, ...] = ()

    def bpf(self) -> str:
        """This clause as a libpcap filter expression."""
        terms: list[str] = [f"ether proto 0x{et:04x}" for et in sorted(self.ethertypes)]
        terms += [f"(icmp6 and ip6[40] == {t})" for t in sorted(self.icmp6_types)]
        if self.ipv6_extensions:
            terms.append("(ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))")
        ported: list[str] = [f"udp port {p}" for p in sorted(self.udp_ports)]
        ported += [f"tcp port {p}" for p in sorted(self.tcp_ports)]
        if ported:
            clause = " or ".join(ported)
            if self.nets:
                clause = f"({clause}) and ({' or '.join(f'net {n}' for n in self.nets)})"
            terms.append(f"({clause})")
        if self.tcp_flags:
            terms.append(f"(tcp[tcpflags] & {self.tcp_flags} != 0)")
            terms.append(f"(ip6 and ip6[6] == 6 and ip6[53] & {self.tcp_flags} != 0)")
        return " or ".join(terms)


def bpf_filter(interests: tuple[Interest, ...]) -> str:
    """All clauses as one filter, also matching inside one VLAN tag (a SPAN of a trunk port)."""
    expression = " or ".join(f"({clause.bpf()})" for clause in interests if clause.bpf())
    return f"({expression}) or (vlan and ({expression}))"


class Detector(ABC):
    """A passive detector: reads frames it asked for and reports findings to the book.

    Subclasses set ``name`` and implement :meth:`interests` and :meth:`on_frame`; threshold detectors
    also implement :meth:`tick` (called about once per second of packet time) and :meth:`finish`.
    """

    name: ClassVar[str]

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        self.context = context
        self.book = book

    @abstractmethod
    def interests(self) -> tuple[Interest, ...]:
        """The traffic this detector reads."""

    @abstractmethod
    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        """One matching frame: ``l3``/``l4`` are the network and transport header offsets (-1: none)."""

    def tick(self, now: float) -> None:  # noqa: B027 - optional hook, most detectors judge per frame
        """Periodic evaluation (windows, rates); ``now`` is packet time."""

    def finish(self, now: float) -> None:
        """End of the capture: evaluate what is pending."""
        self.tick(now)

    def bpf(self) -> str:
        """The kernel filter of this detector's live socket."""
        return bpf_filter(self.interests())
