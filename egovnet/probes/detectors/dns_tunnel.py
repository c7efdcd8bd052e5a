"""DNS tunnelling heuristics per client and registered domain (iodine, dns2tcp, dnscat style).

Per (client, registered domain) within the window: at least ``dns.min_queries`` queries, a share of
unique names above ``dns.unique_ratio``, and one of: mean subdomain length above ``dns.mean_label``,
Shannon entropy of the subdomain characters above ``dns.entropy``, or a NULL/TXT/CNAME/MX share above
``dns.odd_qtype_share`` (research note §2.2; the trial flagged the iodine and dns2tcp samples this
way). Reverse-lookup zones and allow-listed domains (CDNs, anti-virus cloud lookups) are exempt.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.dnswire import parse_query, registered_domain
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import headers, ip_src_dst, ports

DNS_PORT = 53
ODD_QTYPES = frozenset({5, 10, 15, 16})  # CNAME, NULL, MX, TXT
EXEMPT_ZONES = ("in-addr.arpa", "ip6.arpa")
EVALUATE_EVERY = 10
MAX_UNIQUE = 4096
MAX_KEYS = 65536


@dataclass
class _Stats:
    """Queries of one client to one registered domain."""

    queries: int = 0
    names: set[str] = field(default_factory=set)
    length: int = 0
    odd: int = 0
    chars: Counter[str] = field(default_factory=Counter)
    started: float = 0.0

    def entropy(self) -> float:
        total = sum(self.chars.values())
        return -sum(n / total * math.log2(n / total) for n in self.chars.values()) if total else 0.0


class DnsTunnelDetector(Detector):
    """Watches client DNS queries (kernel filter ``udp port 53``)."""

    name: ClassVar[str] = "dns_tunnel"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.settings = context.settings.dns
        self.allow = tuple(d.lower().rstrip(".") for d in self.settings.allow_domains)
        self.stats: dict[tuple[str, str], _Stats] = {}

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(udp_ports=frozenset({DNS_PORT})),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        if ports(frame, l4)[1] != DNS_PORT:
            return
        question = parse_query(frame[l4 + 8 :])
        if question is None or question.name.endswith(EXEMPT_ZONES):
            return
        domain = registered_domain(question.name)
        if domain.endswith(self.allow) and self.allow:
            return
        client, _ = ip_src_dst(frame, headers(frame))
        key = (client, domain)
        stats = self.stats.get(key)
        if stats is None:
            if len(self.stats) >= MAX_KEYS:
                self.stats.clear()
            stats = self.stats[key] = _Stats(started=when)
        stats.queries += 1
        sub = question.name[: -len(domain) - 1] if len(question.name) > len(domain) else ""
        if len(stats.names) < MAX_UNIQUE:
            stats.names.add(question.name)
        stats.length += len(sub)
        stats.chars.update(sub.replace(".", ""))
        if question.qtype in ODD_QTYPES:
            stats.odd += 1
        if stats.queries >= self.settings.min_queries and stats.queries % EVALUATE_EVERY == 0:
            self._judge(when, frame, client, domain, stats)

    def _judge(self, when: float, frame: bytes, client: str, domain: str, stats: _Stats) -> None:
        settings = self.settings
        unique = len(stats.names) / stats.queries if len(stats.names) < MAX_UNIQUE else 1.0
        mean = stats.length / stats.queries
        entropy = stats.entropy()
        odd = stats.odd / stats.queries
        if unique <= settings.unique_ratio:
            return
        if not (mean > settings.mean_label or entropy > settings.entropy or odd > settings.odd_qtype_share):
            return
        self.book.report(
            "NET-DNS-002",
            self.context.host(client, key=f"{client}>{domain}"),
            when,
            f"{client} tunnels through {domain}: {stats.queries} queries, {unique:.2f} unique, "
            f"mean subdomain {mean:.0f} chars, entropy {entropy:.2f}, NULL/TXT/CNAME/MX {odd:.2f}",
            frame=frame,
            facts={
                "domain": domain,
                "queries": stats.queries,
                "unique_ratio": round(unique, 3),
                "mean_subdomain": round(mean, 1),
                "entropy": round(entropy, 3),
                "odd_qtype_share": round(odd, 3),
            },
            count=EVALUATE_EVERY,
        )

    def tick(self, now: float) -> None:
        horizon = now - self.settings.window_s
        if self.stats and next(iter(self.stats.values())).started < horizon:
            self.stats = {k: s for k, s in self.stats.items() if s.started >= horizon}
