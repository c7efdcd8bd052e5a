"""DNS queries for indicator domains (CNCERT / upstream situation-awareness feeds).

Exact and parent-domain match of each client query's name against the indicator set from the settings
(``dns.ioc_domains`` and the one-per-line ``dns.ioc_file``). One finding per client and indicator.
"""

from __future__ import annotations

from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.dnswire import parse_query, suffixes
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import headers, ip_src_dst, ports

DNS_PORT = 53


class DnsIocDetector(Detector):
    """Watches client DNS queries (kernel filter ``udp port 53``)."""

    name: ClassVar[str] = "dns_ioc"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.indicators = context.settings.ioc_domains()

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(udp_ports=frozenset({DNS_PORT})),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        if not self.indicators or ports(frame, l4)[1] != DNS_PORT:
            return
        question = parse_query(frame[l4 + 8 :])
        if question is None:
            return
        hit = next((s for s in suffixes(question.name) if s in self.indicators), None)
        if hit is None:
            return
        client, resolver = ip_src_dst(frame, headers(frame))
        self.book.report(
            "NET-DNS-001",
            self.context.host(client, key=f"{client}>{hit}"),
            when,
            f"{client} resolved {question.name} (indicator {hit}) via {resolver}",
            frame=frame,
            facts={"indicator": hit, "query": question.name, "resolver": resolver},
        )
