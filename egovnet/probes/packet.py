"""Byte-level views of an Ethernet frame: the few header fields the prefilter and the detectors read.

Scapy dissects a packet in about 200 µs on the probe's 2-vCPU class of machine (research note
security.md §3.1), which caps a fully dissecting probe at a few thousand packets per second. Every
decision the probe takes on every packet (which detector wants it) is therefore made here on raw
bytes, in constant time and without allocating objects; scapy is only used on the few frames a
detector reports (evidence) or cannot judge from fixed offsets (router advertisement options).

Offsets are absolute positions in the frame. All functions tolerate truncated frames by returning a
neutral value instead of raising, because a capture may be snapped short.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

ETH_ARP = 0x0806
ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_VLAN = frozenset({0x8100, 0x88A8, 0x9100})
PROTO_TCP = 6
PROTO_UDP = 17
PROTO_ICMPV6 = 58
#: IPv6 extension headers walked to reach the upper layer (hop-by-hop, routing, fragment, dst-opts).
IPV6_EXTENSIONS = frozenset({0, 43, 44, 60})
IPV6_FRAGMENT = 44
TCP_SYN = 0x02
TCP_RST = 0x04
TCP_ACK = 0x10
MAX_EXTENSION_HEADERS = 8  # bounded walk: RFC 7112 chains longer than this are themselves suspicious


@dataclass(frozen=True)
class Headers:
    """The layer offsets of one frame, computed once for a frame a detector asked for.

    Attributes:
        ethertype: the ethertype after any VLAN tags.
        l3: offset of the network header (ARP, IPv4 or IPv6).
        proto: IP protocol / upper-layer next header (``-1`` for non-IP).
        l4: offset of the transport header (``-1`` when not reached, e.g. a non-first fragment).
        fragmented: the IP datagram is a fragment (v4 MF/offset, or a v6 fragment header).
        extensions: IPv6 extension headers before the upper layer (RFC 7113 RA-guard evasion).
    """

    ethertype: int
    l3: int
    proto: int
    l4: int
    fragmented: bool = False
    extensions: int = 0


def ethertype_and_l3(frame: bytes) -> tuple[int, int]:
    """(ethertype, network-header offset), skipping up to two VLAN tags (SPAN of a trunk)."""
    if len(frame) < 14:
        return -1, -1
    ethertype = frame[12] << 8 | frame[13]
    offset = 14
    for _ in range(2):
        if ethertype not in ETH_VLAN or len(frame) < offset + 4:
            break
        ethertype = frame[offset + 2] << 8 | frame[offset + 3]
        offset += 4
    return ethertype, offset


def ipv6_upper(frame: bytes, l3: int) -> tuple[int, int, bool, int]:
    """(upper-layer protocol, its offset, fragmented, extension headers) of an IPv6 packet.

    A non-first fragment has no upper-layer header: offset ``-1``.
    """
    if len(frame) < l3 + 40:
        return -1, -1, False, 0
    next_header = frame[l3 + 6]
    offset = l3 + 40
    fragmented = False
    count = 0
    while next_header in IPV6_EXTENSIONS and count < MAX_EXTENSION_HEADERS:
        if len(frame) < offset + 8:
            return next_header, -1, fragmented, count
        count += 1
        if next_header == IPV6_FRAGMENT:
            fragmented = True
            if (frame[offset + 2] << 8 | frame[offset + 3]) & 0xFFF8:
                return frame[offset], -1, True, count
            next_header, offset = frame[offset], offset + 8
        else:
            next_header, offset = frame[offset], offset + (frame[offset + 1] + 1) * 8
    return next_header, offset, fragmented, count


def headers(frame: bytes) -> Headers:
    """Layer offsets of ``frame`` (used on hits only; the prefilter inlines the cheap part)."""
    ethertype, l3 = ethertype_and_l3(frame)
    if ethertype == ETH_IPV4 and len(frame) >= l3 + 20:
        fragment = (frame[l3 + 6] << 8 | frame[l3 + 7]) & 0x3FFF
        l4 = l3 + (frame[l3] & 0x0F) * 4 if not fragment & 0x1FFF else -1
        return Headers(ethertype, l3, frame[l3 + 9], l4, bool(fragment))
    if ethertype == ETH_IPV6:
        proto, l4, fragmented, count = ipv6_upper(frame, l3)
        return Headers(ethertype, l3, proto, l4, fragmented, count)
    return Headers(ethertype, l3, -1, -1)


def mac(frame: bytes, offset: int) -> str:
    """``aa:bb:cc:dd:ee:ff`` at ``offset``."""
    return frame[offset : offset + 6].hex(":")


def src_mac(frame: bytes) -> str:
    """Ethernet source address."""
    return mac(frame, 6)


def ipv4(frame: bytes, offset: int) -> str:
    """Dotted IPv4 address at ``offset``."""
    return socket.inet_ntop(socket.AF_INET, frame[offset : offset + 4])


def ipv6(frame: bytes, offset: int) -> str:
    """Compressed IPv6 address at ``offset``."""
    return socket.inet_ntop(socket.AF_INET6, frame[offset : offset + 16])


def ip_src_dst(frame: bytes, head: Headers) -> tuple[str, str]:
    """Source and destination address of an IP packet as text."""
    if head.ethertype == ETH_IPV4:
        return ipv4(frame, head.l3 + 12), ipv4(frame, head.l3 + 16)
    return ipv6(frame, head.l3 + 8), ipv6(frame, head.l3 + 24)


def ports(frame: bytes, l4: int) -> tuple[int, int]:
    """(source port, destination port) of a TCP or UDP header."""
    if l4 < 0 or len(frame) < l4 + 4:
        return -1, -1
    return frame[l4] << 8 | frame[l4 + 1], frame[l4 + 2] << 8 | frame[l4 + 3]


def udp_payload(frame: bytes, l4: int) -> bytes:
    """The UDP payload (bounded by the captured frame)."""
    return frame[l4 + 8 :] if l4 >= 0 else b""


def eui64_mac(link_local: ipaddress.IPv6Address) -> str | None:
    """The MAC an EUI-64 interface identifier was derived from (``None`` when not EUI-64)."""
    iid = link_local.packed[8:]
    if iid[3:5] != b"\xff\xfe":
        return None
    return bytes([iid[0] ^ 0x02, iid[1], iid[2], iid[5], iid[6], iid[7]]).hex(":")


def link_local_of(mac_text: str) -> ipaddress.IPv6Address:
    """The EUI-64 link-local address of a MAC (what VRP and Comware VLAN interfaces use)."""
    raw = bytes.fromhex(mac_text.replace(":", "").replace("-", ""))
    iid = bytes([raw[0] ^ 0x02, raw[1], raw[2], 0xFF, 0xFE, raw[3], raw[4], raw[5]])
    return ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + iid)


def normal_mac(text: str) -> str:
    """Any common MAC spelling (``00e0-fc12-3456``, ``00:E0:FC:12:34:56``) as ``00:e0:fc:12:34:56``."""
    digits = "".join(ch for ch in text.lower() if ch in "0123456789abcdef")
    if len(digits) != 12:
        raise ValueError(f"{text!r} is not a MAC address")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def header_length(frame: bytes) -> int:
    """Bytes up to the end of the transport header: what evidence keeps (payloads may hold secrets).

    ARP and ICMPv6 (neighbour discovery) have no secrets and are kept whole.
    """
    head = headers(frame)
    if head.proto == PROTO_TCP and head.l4 >= 0 and len(frame) > head.l4 + 12:
        return min(len(frame), head.l4 + (frame[head.l4 + 12] >> 4) * 4)
    if head.proto == PROTO_UDP and head.l4 >= 0:
        return min(len(frame), head.l4 + 8)
    if head.ethertype == ETH_ARP or head.proto == PROTO_ICMPV6:
        return len(frame)
    return min(len(frame), max(head.l3, 14) + (40 if head.ethertype == ETH_IPV6 else 20))
