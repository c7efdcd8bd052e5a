"""Rogue DHCP servers: a BOOTREPLY (OFFER or ACK) from a server or relay not on the allow-list.

The kernel filter is ``udp port 67 or udp port 68``; the detector reads the BOOTP header and the
message-type and server-identifier options from bytes. A reply passes when the frame comes from a
gateway (the site's DHCP relay, from the gateway table) or an approved server (``dhcp_servers``), and
its server identifier, when present, is approved too; anything else is ``NET-DHCP-001``.
"""

from __future__ import annotations

from typing import ClassVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.detectors.servers import ServerAllowList
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import headers, ip_src_dst, mac

BOOTREPLY = 2
MAGIC = b"\x63\x82\x53\x63"
OPT_MESSAGE_TYPE = 53
OPT_SERVER_ID = 54
OPT_END = 255
OPT_PAD = 0
REPLY_TYPES = {2: "OFFER", 5: "ACK", 6: "NAK"}


def dhcp_options(payload: bytes) -> dict[int, bytes]:
    """The options of a BOOTP payload (after the magic cookie), bounded by the payload."""
    options: dict[int, bytes] = {}
    if payload[236:240] != MAGIC:
        return options
    position = 240
    while position < len(payload):
        code = payload[position]
        if code == OPT_END:
            break
        if code == OPT_PAD:
            position += 1
            continue
        if position + 1 >= len(payload):
            break
        length = payload[position + 1]
        options.setdefault(code, payload[position + 2 : position + 2 + length])
        position += 2 + length
    return options


class DhcpDetector(Detector):
    """Watches DHCPv4 server replies."""

    name: ClassVar[str] = "dhcp"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.allowed = ServerAllowList.of(context)

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(udp_ports=frozenset({67, 68})),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        payload = frame[l4 + 8 :]
        if frame[l3] >> 4 != 4 or len(payload) < 240 or payload[0] != BOOTREPLY or self.allowed.empty:
            return
        options = dhcp_options(payload)
        kind = REPLY_TYPES.get(options.get(OPT_MESSAGE_TYPE, b"\x00")[0])
        if kind is None:
            return
        source, _ = ip_src_dst(frame, headers(frame))
        ether = mac(frame, 6)
        server_id = options.get(OPT_SERVER_ID)
        server = ".".join(str(b) for b in server_id) if server_id and len(server_id) == 4 else None
        relay_ok = self.allowed.allows(source, ether)
        server_ok = server is None or self.allowed.allows(server, None) or server == source
        if relay_ok and server_ok:
            return
        offered = ".".join(str(b) for b in payload[16:20])
        self.book.report(
            "NET-DHCP-001",
            self.context.host(source, ether),
            when,
            f"DHCP {kind} from unapproved server {source} ({ether}), server id {server or '-'}, "
            f"offering {offered}",
            frame=frame,
            facts={"server_ip": source, "server_mac": ether, "server_id": server, "offered": offered},
        )
