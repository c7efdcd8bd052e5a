"""Crafted frames (scapy): the active checks' canaries, and attack and benign traffic for tests and bench.

One place builds every frame the suite ever sends or replays, so the canaries the active checks put
on the wire are the same bytes the detectors are tested against. Builders return raw frames
(``bytes``) so callers can write captures quickly (:func:`write_pcap`) or send them on an AF_PACKET
socket; nothing here sends anything.
"""

from __future__ import annotations

import ipaddress
import random
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.dhcp6 import DHCP6_Advertise, DHCP6OptClientId, DHCP6OptServerId
from scapy.layers.dns import DNS, DNSQR
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import (
    ICMPv6ND_RA,
    ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRouteInfo,
    ICMPv6NDOptSrcLLAddr,
    ICMPv6NDOptUnknown,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
)
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw

from egovnet.probes.detectors.ra import OPT_EXPERIMENT, SELF_TEST_MARKER
from egovnet.probes.packet import link_local_of

BROADCAST = "ff:ff:ff:ff:ff:ff"
ALL_NODES_MAC = "33:33:00:00:00:01"
#: RFC 3849 documentation prefix: what the RA-guard canary advertises (never routable).
DOC_PREFIX = ipaddress.IPv6Network("2001:db8::/64")
NMAP_WINDOWS = (1024, 2048, 3072, 4096)
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
#: A browser-like SYN's options (MSS, SACK, timestamps, NOP, window scale): not nmap's MSS-only.
CLIENT_OPTIONS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None), ("WScale", 7)]

Timed = tuple[float, bytes]


# -- IPv6 router advertisements ----------------------------------------------------------------------
def router_advert(
    mac: str,
    prefixes: Iterable[ipaddress.IPv6Network] = (),
    *,
    lifetime: int = 1800,
    routes: Iterable[tuple[ipaddress.IPv6Network, int]] = (),
    source: str | None = None,
    autonomous: bool = True,
) -> bytes:
    """An RA from ``mac`` (link-local source: its EUI-64, unless ``source`` forges another)."""
    packet = Ether(src=mac, dst=ALL_NODES_MAC) / IPv6(
        src=source or str(link_local_of(mac)), dst="ff02::1", hlim=255
    )
    advert = ICMPv6ND_RA(routerlifetime=lifetime, prf=0) / ICMPv6NDOptSrcLLAddr(lladdr=mac)
    for prefix in prefixes:
        advert /= ICMPv6NDOptPrefixInfo(
            prefix=str(prefix.network_address),
            prefixlen=prefix.prefixlen,
            L=1,
            A=int(autonomous),
            validlifetime=2592000,
            preferredlifetime=604800,
        )
    for route, preference in routes:
        advert /= ICMPv6NDOptRouteInfo(
            prefix=str(route.network_address), plen=route.prefixlen, prf=preference, rtlifetime=1800
        )
    return bytes(packet / advert)


def canary_ra(mac: str, nonce: str) -> bytes:
    """The RA-guard canary: lifetime 0, documentation prefix with A=0/L=0/lifetimes 0, marker option.

    Hosts that receive it install nothing (no default route, no address); the marker lets the
    listener and the RA detector recognise it as our own self-test.
    """
    packet = Ether(src=mac, dst=ALL_NODES_MAC) / IPv6(src=str(link_local_of(mac)), dst="ff02::1", hlim=255)
    advert = ICMPv6ND_RA(routerlifetime=0, prf=0) / ICMPv6NDOptSrcLLAddr(lladdr=mac)
    advert /= ICMPv6NDOptPrefixInfo(
        prefix=str(DOC_PREFIX.network_address),
        prefixlen=64,
        L=0,
        A=0,
        validlifetime=0,
        preferredlifetime=0,
    )
    advert /= ICMPv6NDOptUnknown(type=OPT_EXPERIMENT, data=SELF_TEST_MARKER + b":" + nonce.encode())
    return bytes(packet / advert)


def evasion_variants(frame: bytes) -> dict[str, list[bytes]]:
    """An RA and its RFC 7113 variants: destination options, hop-by-hop + destination options, and
    two fragments (the ICMPv6 header in the first, the options in the second)."""
    packet = Ether(frame)
    ip6 = packet[IPv6]
    head = Ether(src=packet.src, dst=packet.dst) / IPv6(src=ip6.src, dst=ip6.dst, hlim=255)
    icmp = bytes(ip6.payload)  # checksum computed over the whole message before any split
    ident = random.getrandbits(32)
    first = head / IPv6ExtHdrFragment(nh=58, id=ident, m=1, offset=0) / Raw(icmp[:16])
    second = head / IPv6ExtHdrFragment(nh=58, id=ident, m=0, offset=2) / Raw(icmp[16:])
    return {
        "plain": [frame],
        "dstopt": [bytes(head / IPv6ExtHdrDestOpt(nh=58) / Raw(icmp))],
        "hbh-dstopt": [bytes(head / IPv6ExtHdrHopByHop(nh=60) / IPv6ExtHdrDestOpt(nh=58) / Raw(icmp))],
        "fragmented": [bytes(first), bytes(second)],
    }


# -- ARP -------------------------------------------------------------------------------------------
def arp(op: int, sender_mac: str, sender_ip: str, target_ip: str, target_mac: str = "00:00:00:00:00:00",
        ether_src: str | None = None) -> bytes:  # fmt: skip
    """An ARP request (op 1, broadcast) or reply (op 2, to ``target_mac``)."""
    destination = BROADCAST if op == 1 else target_mac
    return bytes(
        Ether(src=ether_src or sender_mac, dst=destination)
        / ARP(op=op, hwsrc=sender_mac, psrc=sender_ip, pdst=target_ip, hwdst=target_mac)
    )


def arp_spoof(attacker: str, gateway_ip: str, victim_ip: str, victim_mac: str) -> bytes:
    """arpspoof's poisoning reply: "gateway_ip is at attacker" sent to the victim."""
    return arp(2, attacker, gateway_ip, victim_ip, victim_mac)


# -- DHCP ------------------------------------------------------------------------------------------
def dhcp_exchange(server_mac: str, server_ip: str, client_mac: str, offered: str) -> list[bytes]:
    """DISCOVER, OFFER, REQUEST, ACK between ``client_mac`` and the server (or relay) ``server_mac``."""
    xid = random.getrandbits(32)
    chaddr = bytes.fromhex(client_mac.replace(":", "")) + bytes(10)

    def client(kind: str) -> bytes:
        return bytes(
            Ether(src=client_mac, dst=BROADCAST)
            / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67)
            / BOOTP(op=1, xid=xid, chaddr=chaddr)
            / DHCP(options=[("message-type", kind), ("requested_addr", offered), "end"])
        )

    def server(kind: str) -> bytes:
        return bytes(
            Ether(src=server_mac, dst=client_mac)
            / IP(src=server_ip, dst=offered)
            / UDP(sport=67, dport=68)
            / BOOTP(op=2, xid=xid, yiaddr=offered, siaddr=server_ip, chaddr=chaddr)
            / DHCP(options=[("message-type", kind), ("server_id", server_ip), ("lease_time", 86400), "end"])
        )

    return [client("discover"), server("offer"), client("request"), server("ack")]


def dhcp_discover(client_mac: str, xid: int) -> bytes:
    """A broadcast DISCOVER (the rogue-DHCP sweep's probe)."""
    chaddr = bytes.fromhex(client_mac.replace(":", "")) + bytes(10)
    return bytes(
        Ether(src=client_mac, dst=BROADCAST)
        / IP(src="0.0.0.0", dst="255.255.255.255")
        / UDP(sport=68, dport=67)
        / BOOTP(op=1, xid=xid, chaddr=chaddr, flags=0x8000)
        / DHCP(options=[("message-type", "discover"), "end"])
    )


def dhcp6_advertise(server_mac: str, client_mac: str) -> bytes:
    """A DHCPv6 ADVERTISE from ``server_mac`` (mitm6's rogue server)."""
    return bytes(
        Ether(src=server_mac, dst=client_mac)
        / IPv6(src=str(link_local_of(server_mac)), dst=str(link_local_of(client_mac)))
        / UDP(sport=547, dport=546)
        / DHCP6_Advertise(trid=random.getrandbits(24))
        / DHCP6OptClientId()
        / DHCP6OptServerId()
    )


# -- TCP sessions and scans ------------------------------------------------------------------------
def tcp_session(
    client_mac: str,
    client: str,
    server_mac: str,
    server: str,
    dport: int,
    payload: bytes = b"",
    sport: int = 0,
) -> list[bytes]:
    """Handshake, one request with ``payload`` and its acknowledgement (a real, answered session)."""
    sport = sport or random.randint(32768, 60999)
    seq, ack = random.getrandbits(31), random.getrandbits(31)
    out = Ether(src=client_mac, dst=server_mac) / IP(src=client, dst=server)
    back = Ether(src=server_mac, dst=client_mac) / IP(src=server, dst=client)
    frames = [
        out / TCP(sport=sport, dport=dport, flags="S", seq=seq, options=CLIENT_OPTIONS, window=64240),
        back / TCP(sport=dport, dport=sport, flags="SA", seq=ack, ack=seq + 1, window=65160),
        out / TCP(sport=sport, dport=dport, flags="A", seq=seq + 1, ack=ack + 1),
    ]
    if payload:
        frames.append(
            out / TCP(sport=sport, dport=dport, flags="PA", seq=seq + 1, ack=ack + 1) / Raw(payload)
        )
        frames.append(
            back / TCP(sport=dport, dport=sport, flags="A", seq=ack + 1, ack=seq + 1 + len(payload))
        )
    return [bytes(f) for f in frames]


def syn_probe(src_mac: str, src: str, dst_mac: str, dst: str, dport: int, *, nmap: bool = True,
              reset: bool = True, sport: int = 0) -> list[bytes]:  # fmt: skip
    """One scan probe: a raw SYN (nmap's window and MSS-only options) and the victim's RST."""
    sport = sport or random.randint(32768, 60999)
    options = [("MSS", 1460)] if nmap else CLIENT_OPTIONS
    window = random.choice(NMAP_WINDOWS) if nmap else 64240
    frames = [
        bytes(Ether(src=src_mac, dst=dst_mac) / IP(src=src, dst=dst)
              / TCP(sport=sport, dport=dport, flags="S", window=window, options=options))
    ]  # fmt: skip
    if reset:
        frames.append(bytes(Ether(src=dst_mac, dst=src_mac) / IP(src=dst, dst=src)
                            / TCP(sport=dport, dport=sport, flags="RA", ack=1)))  # fmt: skip
    return frames


# -- UDP management and DNS ------------------------------------------------------------------------
def snmp_get(
    client_mac: str, client: str, device_mac: str, device: str, community: str, version: int = 1
) -> bytes:
    """An SNMP v1 (``version=0``) or v2c (``1``) GetRequest for sysDescr.0, BER written by hand.

    Hand-written so the bytes are exactly what net-snmp sends; scapy's SNMP layer is used to read them.
    """
    return bytes(
        Ether(src=client_mac, dst=device_mac)
        / IP(src=client, dst=device)
        / UDP(sport=random.randint(32768, 60999), dport=161)
        / Raw(snmp_request(community, 1, version))
    )


def snmp_request(community: str, request_id: int, version: int = 1) -> bytes:
    """The UDP payload of a GetRequest for sysDescr.0 (what the default-community check sends)."""
    oid = bytes([0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 1, 0])
    varbind = _tlv(0x30, oid + b"\x05\x00")
    number = request_id.to_bytes(4, "big").lstrip(b"\x00") or b"\x00"
    if number[0] & 0x80:
        number = b"\x00" + number
    pdu = _tlv(0xA0, _tlv(0x02, number) + _tlv(0x02, b"\x00") + _tlv(0x02, b"\x00") + _tlv(0x30, varbind))
    return _tlv(0x30, _tlv(0x02, bytes([version])) + _tlv(0x04, community.encode()) + pdu)


def _tlv(tag: int, value: bytes) -> bytes:
    if len(value) < 0x80:
        return bytes([tag, len(value)]) + value
    return bytes([tag, 0x82]) + len(value).to_bytes(2, "big") + value


def dns_query(
    client_mac: str, client: str, resolver_mac: str, resolver: str, name: str, qtype: str = "A"
) -> bytes:
    """A recursive query for ``name``."""
    return bytes(
        Ether(src=client_mac, dst=resolver_mac)
        / IP(src=client, dst=resolver)
        / UDP(sport=random.randint(32768, 60999), dport=53)
        / DNS(id=random.getrandbits(16), rd=1, qd=DNSQR(qname=name, qtype=qtype))
    )


def tunnel_names(domain: str, count: int, rng: random.Random, length: int = 52) -> list[str]:
    """iodine-like query names: base32 data labels under ``domain``."""
    names = []
    for _ in range(count):
        data = "".join(rng.choice(BASE32) for _ in range(length))
        names.append(f"{data[:40]}.{data[40:]}.{domain}")
    return names


# -- captures --------------------------------------------------------------------------------------
def spaced(frames: Sequence[bytes], start: float, gap: float) -> list[Timed]:
    """Give frames times ``start``, ``start + gap``, ... ."""
    return [(start + index * gap, frame) for index, frame in enumerate(frames)]


def write_pcap(path: str | Path, frames: Iterable[Timed]) -> Path:
    """Write a classic little-endian microsecond pcap (Ethernet), frames in the given order."""
    target = Path(path)
    with target.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for when, frame in frames:
            seconds = int(when)
            micros = round((when - seconds) * 1_000_000)
            if micros >= 1_000_000:
                seconds, micros = seconds + 1, micros - 1_000_000
            out.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)))
            out.write(frame)
    return target
