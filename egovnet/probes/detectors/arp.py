"""ARP spoofing, with arpwatch semantics and the gateways seeded from the inventory.

Requests and replies both count: a poisoner's *request* carries the forged sender pair just as well
(a trial missed a gateway poisoning by tracking replies only, research note §2.2). Findings:

* ``NET-ARP-001``: a sender claims a gateway address with a MAC other than the gateway table's;
  the table is known before the first packet, so this fires even if the gateway never ARPs;
* ``NET-ARP-002``: an address moved to another MAC while its old pairing was still fresh (arpwatch
  "changed ethernet address"), or moved back ("flip flop");
* ``NET-ARP-003``: one MAC claims several addresses within the window (gateways and VRRP virtual
  MACs are exempt: they own several addresses legitimately);
* ``NET-ARP-004``: one sender asks for many targets within the window (ARP scan; approved scanners
  exempt);
* ``NET-ARP-005``: the Ethernet source differs from the ARP sender hardware address.
"""

from __future__ import annotations

from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import ETH_ARP, ipv4, mac

ZERO_IP = "0.0.0.0"
ARP_REQUEST = 1
PRUNE_EVERY_S = 10.0


class ArpDetector(Detector):
    """Watches every ARP packet (kernel filter ``arp``)."""

    name: ClassVar[str] = "arp"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        settings = self.context.settings.arp
        self.window = settings.window_s
        self.virtual = tuple(prefix.lower() for prefix in settings.virtual_mac_prefixes)
        self.binding: dict[str, tuple[str, float]] = {}
        self.previous: dict[str, str] = {}
        self.claims: dict[str, dict[str, float]] = {}
        self.asked: dict[str, dict[str, float]] = {}
        self._pruned = 0.0

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(ethertypes=frozenset({ETH_ARP})),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        if len(frame) < l3 + 28 or frame[l3 + 4] != 6 or frame[l3 + 5] != 4:
            return  # not Ethernet/IPv4 ARP
        op = frame[l3 + 6] << 8 | frame[l3 + 7]
        sha, spa = mac(frame, l3 + 8), ipv4(frame, l3 + 14)
        ether = mac(frame, 6)
        ctx = self.context
        if ether != sha:
            self.book.report(
                "NET-ARP-005",
                ctx.host(spa, ether),
                when,
                f"Ethernet source {ether} sends ARP with sender {sha} ({spa})",
                frame=frame,
                facts={"ether_src": ether, "arp_sha": sha},
            )
        if op == ARP_REQUEST:
            self._count_scan(when, frame, sha, spa, ipv4(frame, l3 + 24))
        if spa == ZERO_IP:
            return  # ARP probe (RFC 5227): no claim
        expected = ctx.gateways.binding.get(spa)
        if expected is not None and sha != expected:
            self.book.report(
                "NET-ARP-001",
                ctx.host(spa, sha),
                when,
                f"{sha} claims gateway {spa} (expected {expected})",
                frame=frame,
                facts={"gateway": spa, "expected_mac": expected, "claimed_mac": sha},
            )
        self._track(when, frame, sha, spa, known_gateway=expected is not None)

    def _virtual(self, address: str) -> bool:
        return address.startswith(self.virtual)

    def _track(self, when: float, frame: bytes, sha: str, spa: str, known_gateway: bool) -> None:
        ctx = self.context
        old = self.binding.get(spa)
        if old is not None and old[0] != sha and not known_gateway:
            fresh = when - old[1] <= self.window
            if fresh and not (self._virtual(sha) or self._virtual(old[0])):
                flip = self.previous.get(spa) == sha
                self.book.report(
                    "NET-ARP-002",
                    ctx.host(spa, sha),
                    when,
                    f"{spa} {'flip-flopped back' if flip else 'moved'} from {old[0]} to {sha}",
                    frame=frame,
                    facts={"ip": spa, "old_mac": old[0], "new_mac": sha, "flip_flop": flip},
                )
            self.previous[spa] = old[0]
        self.binding[spa] = (sha, when)
        if sha in ctx.gateways.gateway_macs or self._virtual(sha):
            return
        claimed = self.claims.setdefault(sha, {})
        new = spa not in claimed
        claimed[spa] = when
        if new and len(claimed) >= ctx.settings.arp.ips_per_mac:
            addresses = sorted(claimed)
            self.book.report(
                "NET-ARP-003",
                ctx.host(addresses[0], sha),
                when,
                f"{sha} claims {len(addresses)} addresses: {', '.join(addresses[:8])}",
                frame=frame,
                facts={"mac": sha, "addresses": addresses[:64]},
            )

    def _count_scan(self, when: float, frame: bytes, sha: str, spa: str, target: str) -> None:
        if spa in self.context.scanners or sha in self.context.gateways.gateway_macs:
            return  # approved scanners, and routers resolving the hosts they forward to
        targets = self.asked.setdefault(sha, {})
        new = target not in targets
        targets[target] = when
        threshold = self.context.settings.arp.scan_targets
        if new and len(targets) >= threshold and (len(targets) == threshold or len(targets) % 64 == 0):
            self.book.report(
                "NET-ARP-004",
                self.context.host(spa, sha),
                when,
                f"{sha} ({spa}) asked for {len(targets)} addresses",
                frame=frame if len(targets) == threshold else b"",
                facts={"targets": len(targets)},
            )

    def tick(self, now: float) -> None:
        if now - self._pruned < PRUNE_EVERY_S:
            return
        self._pruned = now
        horizon = now - self.window
        for table in (self.claims, self.asked):
            for key in list(table):
                fresh = {k: t for k, t in table[key].items() if t >= horizon}
                if fresh:
                    table[key] = fresh
                else:
                    del table[key]
