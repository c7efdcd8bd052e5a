"""Rogue DHCPv6 servers: ADVERTISE or REPLY from a server or relay not on the allow-list.

The kernel filter is ``udp port 546 or udp port 547``. Servers answer clients from UDP 547 to 546;
a frame from a gateway (the site's relay) or an approved server passes, anything else is
``NET-DHCP6-001`` (mitm6-style attacks pair a rogue DHCPv6 server with a rogue RA).
"""

from __future__ import annotations

from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.detectors.servers import ServerAllowList
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import ipv6, mac, ports

SERVER_PORT = 547
CLIENT_PORT = 546
SERVER_MESSAGES = {2: "ADVERTISE", 7: "REPLY", 10: "RECONFIGURE"}


class Dhcp6Detector(Detector):
    """Watches DHCPv6 server messages to clients."""

    name: ClassVar[str] = "dhcp6"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.allowed = ServerAllowList.of(context)

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(udp_ports=frozenset({CLIENT_PORT, SERVER_PORT})),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        if frame[l3] >> 4 != 6 or self.allowed.empty:
            return
        sport, dport = ports(frame, l4)
        if sport != SERVER_PORT or dport != CLIENT_PORT or len(frame) <= l4 + 8:
            return
        kind = SERVER_MESSAGES.get(frame[l4 + 8])
        if kind is None:
            return
        source, ether = ipv6(frame, l3 + 8), mac(frame, 6)
        if self.allowed.allows(source, ether):
            return
        self.book.report(
            "NET-DHCP6-001",
            self.context.host(source, ether),
            when,
            f"DHCPv6 {kind} from unapproved server {source} ({ether})",
            frame=frame,
            facts={"server_ip": source, "server_mac": ether, "message": kind},
        )
