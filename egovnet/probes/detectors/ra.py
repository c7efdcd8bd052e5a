"""Rogue IPv6 router advertisements, RA floods and RAs hidden behind extension headers (NDPMon-like).

IPv6 is on by default on most Windows hosts even on IPv4-only extranets, so one rogue RA turns a
village LAN into a SLAAC man-in-the-middle (research note §2.2). Legitimate routers and prefixes come
from the inventory: the gateway table names each site LAN's routers (MAC, EUI-64 link-local) and
the address plan gives each site's IPv6 prefix. Findings:

* ``NET-RA-001`` rogue RA: an unknown router, a prefix or route outside the plan (``::/0`` or
  ``2000::/3`` route-information options included), or a link-local source whose EUI-64 belongs to
  another MAC than the frame's (spoofed source). Our own RA-guard canary (router lifetime 0,
  documentation prefix, marker option) is reported at ``info`` with ``origin=self-test``;
* ``NET-RA-002`` flood: more than ``ra.flood_per_s`` RAs in one second on the segment; during a flood
  new random sources are folded into the flood finding instead of one finding per forged MAC;
* ``NET-RA-003`` an RA (or an ICMPv6 fragment to all-nodes) behind extension headers or fragmented,
  the RFC 7113 RA-guard evasion; RFC 6980 forbids fragmented neighbour discovery altogether.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass, field
from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.findings import Entity, FindingBook, fingerprint
from egovnet.probes.packet import PROTO_ICMPV6, eui64_mac, ipv6, ipv6_upper, mac, normal_mac

ICMPV6_RA = 134
OPT_SOURCE_LL = 1
OPT_PREFIX = 3
OPT_ROUTE = 24
#: Marker carried in an experimental ND option (type 253, RFC 4727) by the RA-guard canary.
SELF_TEST_MARKER = b"egovnet-ra-guard"
OPT_EXPERIMENT = 253
ALL_NODES = "ff02::1"
DEFAULT_ROUTES = (ipaddress.IPv6Network("::/0"), ipaddress.IPv6Network("2000::/3"))


@dataclass
class RouterAdvert:
    """The fields of an RA the rules read (parsed from bytes, bounded by the frame)."""

    lifetime: int
    prefixes: list[tuple[ipaddress.IPv6Network, bool]] = field(default_factory=list)  # (prefix, A flag)
    routes: list[tuple[ipaddress.IPv6Network, int]] = field(default_factory=list)  # (prefix, preference)
    source_ll: str | None = None
    self_test: bool = False


def parse_ra(frame: bytes, offset: int) -> RouterAdvert:
    """Parse the RA at ``offset`` (ICMPv6 header) and its options; stops at the first bad length."""
    advert = RouterAdvert(lifetime=frame[offset + 6] << 8 | frame[offset + 7])
    position = offset + 16
    while position + 2 <= len(frame):
        kind, length = frame[position], frame[position + 1] * 8
        if length == 0 or position + length > len(frame):
            break
        body = frame[position : position + length]
        if kind == OPT_PREFIX and length >= 32:
            network = ipaddress.IPv6Network((body[16:32], min(body[2], 128)), strict=False)
            advert.prefixes.append((network, bool(body[3] & 0x40)))
        elif kind == OPT_ROUTE and length >= 8:
            raw = (body[8:] + bytes(16))[:16]
            network = ipaddress.IPv6Network((raw, min(body[2], 128)), strict=False)
            preference = (body[3] >> 3) & 0x03
            advert.routes.append((network, preference))
        elif kind == OPT_SOURCE_LL and length >= 8:
            advert.source_ll = body[2:8].hex(":")
        elif kind == OPT_EXPERIMENT and SELF_TEST_MARKER in body:
            advert.self_test = True
        position += length
    return advert


class RaDetector(Detector):
    """Watches ICMPv6 RAs and IPv6 packets that start with an extension header."""

    name: ClassVar[str] = "ra"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.recent: deque[float] = deque()
        self.peak = 0
        self.extra_routers = {normal_mac(m) for m in context.settings.ra.routers}

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(icmp6_types=frozenset({ICMPV6_RA}), ipv6_extensions=True),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        direct = frame[l3 + 6] == PROTO_ICMPV6
        proto, upper, fragmented, headers = (PROTO_ICMPV6, l4, False, 0) if direct else ipv6_upper(frame, l3)
        if proto != PROTO_ICMPV6:
            return
        source, destination, ether = ipv6(frame, l3 + 8), ipv6(frame, l3 + 24), mac(frame, 6)
        is_ra = upper >= 0 and len(frame) > upper and frame[upper] == ICMPV6_RA
        if not direct and (is_ra or (upper < 0 and destination == ALL_NODES)):
            what = "router advertisement" if is_ra else "ICMPv6 fragment to all-nodes"
            self.book.report(
                "NET-RA-003",
                self.context.host(source, ether),
                when,
                f"{what} from {source} ({ether}) behind {headers} extension header(s)"
                + (", fragmented" if fragmented else ""),
                frame=frame,
                facts={"extension_headers": headers, "fragmented": fragmented},
            )
        if not is_ra:
            return
        flooding = self._count(when, frame)
        try:
            advert = parse_ra(frame, upper)
        except (IndexError, ValueError):
            return
        problems = self._problems(advert, source, ether)
        if not problems:
            return
        entity = self.context.host(source, ether)
        if flooding and self.book.findings.get(self._key(entity)) is None and not advert.self_test:
            return  # a flood with forged sources: one flood finding, not one per random MAC
        self.book.report(
            "NET-RA-001",
            entity,
            when,
            f"rogue RA from {source} ({ether}): {'; '.join(problems)}",
            frame=frame,
            facts={
                "router_lifetime": advert.lifetime,
                "prefixes": [str(p) for p, _ in advert.prefixes],
                "routes": [str(r) for r, _ in advert.routes],
            },
            severity="info" if advert.self_test else None,
            labels={"origin": "self-test"} if advert.self_test else None,
        )

    def _key(self, entity: Entity) -> str:
        return fingerprint("NET-RA-001", entity.id, self.book.scope)

    def _count(self, when: float, frame: bytes) -> bool:
        """Slide the one-second window; report the flood; True while flooding."""
        recent = self.recent
        recent.append(when)
        while recent and recent[0] <= when - 1.0:
            recent.popleft()
        if len(recent) <= self.context.settings.ra.flood_per_s:
            return False
        self.peak = max(self.peak, len(recent))
        self.book.report(
            "NET-RA-002",
            self.context.segment(),
            when,
            f"RA flood: {len(recent)} router advertisements in one second on {self.context.scope}",
            frame=frame,
            facts={"peak_per_s": self.peak},
        )
        return True

    def _allowed_scope(self, ether: str) -> ipaddress.IPv6Network | None:
        gateways = self.context.gateways
        site = self.context.site
        router = gateways.router_macs.get(ether)
        if site is None and router is not None:
            site = next((s.site for s in gateways.sites.values() if router in s.routers), None)
        if site is not None and site in gateways.sites:
            return gateways.sites[site].site_ipv6
        return self.context.county_ipv6

    def _problems(self, advert: RouterAdvert, source: str, ether: str) -> list[str]:
        problems: list[str] = []
        routers = self.context.gateways.router_macs
        known = ether in routers or ether in self.extra_routers
        if not known and (routers or self.extra_routers):  # with no allow-list, judge content only
            problems.append(f"{ether} is not a gateway of the site LANs")
        address = ipaddress.IPv6Address(source)
        derived = eui64_mac(address) if address.is_link_local else None
        if derived is not None and derived != ether:
            problems.append(f"link-local source is the EUI-64 of {derived}, frame from {ether}")
        if advert.source_ll is not None and advert.source_ll != ether:
            problems.append(f"source link-layer option {advert.source_ll} differs from {ether}")
        scope = self._allowed_scope(ether)
        for prefix, _autonomous in advert.prefixes:
            if advert.lifetime == 0 and advert.self_test:
                continue
            if scope is None or not prefix.subnet_of(scope):
                problems.append(f"prefix {prefix} is outside the address plan ({scope})")
        for route, preference in advert.routes:
            if route in DEFAULT_ROUTES or scope is None or not route.subnet_of(scope):
                level = {1: "high", 3: "low"}.get(preference, "medium")
                problems.append(f"route {route} (preference {level}) is outside the address plan")
        return problems
