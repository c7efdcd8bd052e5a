"""Cleartext management of network devices: telnet, HTTP, FTP, TFTP and SNMPv1/v2c (MLPS 8.1.4.1c).

Scoped to the inventory's device addresses: without that scope, ordinary web traffic to port 80
anywhere floods the feed (research note §2.2). TCP services count sessions (one event per new
client flow once the client acknowledges the handshake, so a long telnet session is one event and
a scanner's unanswered SYN is none: scans are the scan detector's); SNMP counts requests,
and reads the version and community from the first BER fields. A default community (``public``,
``private``) is ``critical``; other communities are never written into a finding (redacted to their
length), since evidence must not carry secrets (research note §5.2).
"""

from __future__ import annotations

from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.findings import Finding, FindingBook
from egovnet.probes.packet import PROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN, headers, ip_src_dst, ports
from egovnet.snmpwire import parse_header

#: Rule per cleartext service name (services come from the settings, so ports are configurable).
SERVICE_RULES = {
    "telnet": "NET-MGMT-001",
    "http": "NET-MGMT-002",
    "http-alt": "NET-MGMT-002",
    "ftp": "NET-MGMT-003",
    "tftp": "NET-MGMT-004",
}
SNMP = "snmp"
MAX_FLOWS = 65536


class CleartextDetector(Detector):
    """Watches management ports on device addresses."""

    name: ClassVar[str] = "cleartext"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        services = context.settings.services
        self.tcp = {s.port: n for n, s in services.items() if s.proto == "tcp" and n in SERVICE_RULES}
        self.udp = {s.port: n for n, s in services.items() if s.proto == "udp" and n in SERVICE_RULES}
        self.snmp_port = services[SNMP].port if SNMP in services else 161
        self.defaults = {c.encode() for c in context.settings.default_communities}
        self.flows: set[tuple[str, int, str, int]] = set()
        self.snmp_seen: dict[tuple[str, str, bytes], Finding] = {}

    def interests(self) -> tuple[Interest, ...]:
        return (
            Interest(
                tcp_ports=frozenset(self.tcp),
                udp_ports=frozenset({*self.udp, self.snmp_port}),
                nets=tuple(self.context.device_nets),
            ),
        )

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        sport, dport = ports(frame, l4)
        head = headers(frame)
        source, destination = ip_src_dst(frame, head)
        device = self.context.devices.get(destination)
        if device is None:
            return
        if head.proto == PROTO_TCP:
            service = self.tcp.get(dport)
            if service is None or frame[l4 + 13] & (TCP_SYN | TCP_RST) or not frame[l4 + 13] & TCP_ACK:
                return  # only established sessions count: a scanner's SYN is the scan detector's
            self._session(
                when, frame, SERVICE_RULES[service], service, device, source, sport, destination, dport
            )
        elif dport == self.snmp_port:
            self._snmp(when, frame, l4, device, source, destination)
        elif dport in self.udp:
            service = self.udp[dport]
            self._session(
                when, frame, SERVICE_RULES[service], service, device, source, sport, destination, dport
            )

    def _session(
        self,
        when: float,
        frame: bytes,
        rule_id: str,
        service: str,
        device: str,
        source: str,
        sport: int,
        destination: str,
        dport: int,
    ) -> None:
        flow = (source, sport, destination, dport)
        if flow in self.flows:
            return
        if len(self.flows) >= MAX_FLOWS:
            self.flows.clear()
        self.flows.add(flow)
        self.book.report(
            rule_id,
            self.context.device_entity(device, destination),
            when,
            f"{service} to {device} ({destination}:{dport}) from {source}",
            frame=frame,
            facts={"service": service, "port": dport},
        )

    def _snmp(self, when: float, frame: bytes, l4: int, device: str, source: str, destination: str) -> None:
        header = parse_header(frame[l4 + 8 :])
        if header is None or header.version == "v3" or header.pdu in ("response", "report"):
            return
        key = (source, destination, header.community)
        known = self.snmp_seen.get(key)
        if known is not None:
            known.count += 1
            known.last_seen = max(known.last_seen, when)
            return
        default = header.community in self.defaults
        shown = header.community.decode(errors="replace") if default else f"<{len(header.community)} chars>"
        finding = self.book.report(
            "NET-MGMT-006" if default else "NET-MGMT-005",
            self.context.device_entity(device, destination),
            when,
            f"SNMP{header.version} {header.pdu} to {device} ({destination}) from {source}, community {shown}",
            detail=f"{source} -> {destination}:161 SNMP{header.version} {header.pdu} community {shown}",
            facts={"version": header.version, "community": shown},
        )
        if len(self.snmp_seen) < MAX_FLOWS:
            self.snmp_seen[key] = finding
