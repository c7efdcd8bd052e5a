"""Traffic of one site LAN, benign and hostile, built with scapy (egovnet.probes.craft).

The probe tests, the benchmark and ``make demo`` replay the same scenarios, so the attack the demo
shows is one the tests prove is found. Addresses come from the inventory and the gateway table: the
LAN, its gateway's IP and MAC, its router and IPv6 prefix, the county's devices and the management
hosts. Every scenario returns timed frames (``craft.Timed``); :func:`capture` writes a chosen set of
them to one pcap, which ``egovnet probe passive --pcap`` reads. Nothing here sends a packet.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable
from pathlib import Path

from egovnet.inventory import Inventory
from egovnet.probes import craft
from egovnet.probes.context import ProbeContext
from egovnet.probes.gateways import GatewayTable
from egovnet.probes.settings import ProbeSettings

Timed = craft.Timed
ATTACKER_MAC = "02:66:66:00:00:01"
T0 = 1_746_000_000.0


class Lan:
    """One site LAN and the county around it."""

    def __init__(self, county: Inventory, gateways: GatewayTable, site: str) -> None:
        self.county = county
        self.gateways = gateways
        self.site = site
        entry = gateways.sites[site]
        self.entry = entry
        self.gw_ip, self.gw_mac = next(iter(entry.bindings.items()))
        self.router = entry.routers[0]
        self.prefix = entry.lan_ipv6
        hosts = list(entry.lan_ipv4.hosts())
        self.hosts = [str(h) for h in hosts[9:70]]
        self.macs = {
            h: f"02:00:00:00:{i // 256:02x}:{i % 256:02x}" for i, h in enumerate(self.hosts, start=1)
        }
        self.attacker_ip = str(hosts[200])
        self.switch = county.devices[self.router.device]
        self.devices = [
            str(d.mgmt_ipv4) for d in county.devices.values() if d.platform.startswith("huawei_vrp")
        ]
        self.bastion = str(county.devices["qm-bastion-01"].mgmt_ipv4)
        self.nms = str(county.devices["qm-nms-01"].mgmt_ipv4)
        self.rng = random.Random(7)

    def host(self, index: int = 0) -> tuple[str, str]:
        address = self.hosts[index]
        return address, self.macs[address]

    def context(self, settings: ProbeSettings | None = None, site: str | None = "same") -> ProbeContext:
        return ProbeContext.from_inventory(
            self.county, settings, self.gateways, site=self.site if site == "same" else site
        )


def capture(path: Path, frames: Iterable[Timed]) -> Path:
    """Write ``frames`` to the pcap ``path`` in time order (scenarios overlap in time)."""
    return craft.write_pcap(path, sorted(frames, key=lambda item: item[0]))


def session(
    lan: Lan, client: tuple[str, str], server: str, port: int, at: float, payload: bytes = b""
) -> list[Timed]:
    return craft.spaced(craft.tcp_session(client[1], client[0], lan.gw_mac, server, port, payload), at, 0.002)


# -- benign --------------------------------------------------------------------------------------
def legit_router_ads(lan: Lan) -> list[Timed]:
    """The site gateway's periodic RAs with the site's /64."""
    return [(T0 + 4 * i, craft.router_advert(lan.router.mac, [lan.prefix])) for i in range(5)]


def normal_dhcp(lan: Lan) -> list[Timed]:
    """Five clients leasing through the gateway (the DHCP relay)."""
    frames: list[Timed] = []
    for index in range(5):
        address, mac = lan.host(index)
        frames += craft.spaced(craft.dhcp_exchange(lan.gw_mac, lan.gw_ip, mac, address), T0 + index, 0.01)
    return frames


def ssh_management(lan: Lan) -> list[Timed]:
    """SSH from the bastion and from an engineer's PC to 30 devices, every handshake answered."""
    frames: list[Timed] = []
    engineer = lan.host(3)
    for index, device in enumerate(lan.devices[:30]):
        frames += session(lan, (lan.bastion, "02:00:00:00:ff:01"), device, 22, T0 + index * 0.5, b"SSH-2.0-x")
        frames += session(lan, engineer, device, 22, T0 + index * 0.5 + 0.1, b"SSH-2.0-x")
    return frames


def arp_chatter(lan: Lan) -> list[Timed]:
    """Hosts resolving the gateway, the gateway resolving 60 hosts (a router does that)."""
    frames: list[Timed] = []
    for index, address in enumerate(lan.hosts):
        mac = lan.macs[address]
        at = T0 + index * 0.05
        frames.append((at, craft.arp(1, mac, address, lan.gw_ip)))
        frames.append((at + 0.001, craft.arp(2, lan.gw_mac, lan.gw_ip, address, mac)))
        frames.append((at + 0.002, craft.arp(1, lan.gw_mac, lan.gw_ip, address)))
        frames.append((at + 0.003, craft.arp(2, mac, address, lan.gw_ip, lan.gw_mac)))
    return frames


def normal_dns(lan: Lan) -> list[Timed]:
    """Clients resolving ordinary names, one client resolving 40 hosts of one domain, reverse lookups."""
    frames: list[Timed] = []
    client = lan.host(4)
    for index in range(40):
        name = f"host{index}.qimen.gov.cn"
        frames.append((T0 + index * 0.1, craft.dns_query(client[1], client[0], lan.gw_mac, lan.nms, name)))
        reverse = f"{index}.1.100.10.in-addr.arpa"
        frames.append(
            (
                T0 + index * 0.1 + 0.05,
                craft.dns_query(client[1], client[0], lan.gw_mac, lan.nms, reverse, "PTR"),
            )
        )
    for index in range(30):
        other = lan.host(5 + index % 10)
        frames.append((T0 + index, craft.dns_query(other[1], other[0], lan.gw_mac, lan.nms, "www.gov.cn")))
    return frames


def secure_management(lan: Lan) -> list[Timed]:
    """HTTPS to devices and SNMPv3 polling: management, but not cleartext."""
    frames: list[Timed] = []
    engineer = lan.host(6)
    for index, device in enumerate(lan.devices[:5]):
        frames += session(lan, engineer, device, 443, T0 + index, b"\x16\x03\x01")
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether

    v3 = bytes.fromhex("303e020103") + bytes(59)  # an SNMPv3 message: no community on the wire
    poll = (
        Ether(src="02:00:00:00:ff:02", dst=lan.gw_mac) / IP(src=lan.nms, dst=lan.devices[0]) / UDP(dport=161)
    )
    frames.append((T0 + 10, bytes(poll / v3)))
    return frames


BENIGN = {
    "legit router advertisements": legit_router_ads,
    "normal DHCP": normal_dhcp,
    "SSH management": ssh_management,
    "ARP chatter": arp_chatter,
    "normal DNS": normal_dns,
    "HTTPS and SNMPv3 management": secure_management,
}


# -- attacks -------------------------------------------------------------------------------------
def rogue_ra(lan: Lan) -> list[Timed]:
    """mitm6/fake_router6: a host advertises itself with a foreign prefix and a default route."""
    frame = craft.router_advert(
        ATTACKER_MAC,
        [ipaddress.IPv6Network("2001:db8:dead:beef::/64")],
        routes=[(ipaddress.IPv6Network("::/0"), 1)],
    )
    return [(T0 + i, frame) for i in range(3)]


def ra_foreign_prefix_from_gateway(lan: Lan) -> list[Timed]:
    """The real gateway (misconfigured or compromised) advertises a prefix outside the site plan."""
    return [(T0, craft.router_advert(lan.router.mac, [ipaddress.IPv6Network("2001:db8:ffff::/64")]))]


def ra_spoofed_source(lan: Lan) -> list[Timed]:
    """An RA from the attacker's MAC carrying the gateway's link-local source (forged)."""
    return [(T0, craft.router_advert(ATTACKER_MAC, [lan.prefix], source=str(lan.router.link_local)))]


def ra_flood(lan: Lan) -> list[Timed]:
    """flood_router26: 200 RAs in two seconds, each from a random MAC with a random prefix."""
    frames = []
    for index in range(200):
        mac = "02:" + ":".join(f"{lan.rng.randint(0, 255):02x}" for _ in range(5))
        prefix = ipaddress.IPv6Network((0x20010DB8_0000_0000_0000_0000_0000_0000 + (index << 64), 64))
        frames.append((T0 + index * 0.01, craft.router_advert(mac, [prefix])))
    return frames


def ra_behind_destination_options(lan: Lan) -> list[Timed]:
    """RFC 7113: the same RA behind a destination-options header."""
    frame = craft.router_advert(ATTACKER_MAC, [ipaddress.IPv6Network("2001:db8:dead:beef::/64")])
    return [(T0, craft.evasion_variants(frame)["dstopt"][0])]


def rogue_dhcp(lan: Lan) -> list[Timed]:
    client = lan.host(7)
    return craft.spaced(craft.dhcp_exchange(ATTACKER_MAC, lan.attacker_ip, client[1], client[0]), T0, 0.01)


def rogue_dhcpv6(lan: Lan) -> list[Timed]:
    return [(T0, craft.dhcp6_advertise(ATTACKER_MAC, lan.host(8)[1]))]


def arp_spoof_reply(lan: Lan) -> list[Timed]:
    """arpspoof: "the gateway is at the attacker" sent to a victim, every two seconds."""
    victim = lan.host(9)
    return [(T0 + 2 * i, craft.arp_spoof(ATTACKER_MAC, lan.gw_ip, victim[0], victim[1])) for i in range(5)]


def arp_spoof_request(lan: Lan) -> list[Timed]:
    """Poisoning with a *request* whose sender fields claim the gateway (replies-only detectors miss it)."""
    return [(T0, craft.arp(1, ATTACKER_MAC, lan.gw_ip, lan.host(10)[0]))]


def arp_flip_flop(lan: Lan) -> list[Timed]:
    address, mac = lan.host(11)
    return [
        (T0, craft.arp(2, mac, address, lan.gw_ip, lan.gw_mac)),
        (T0 + 5, craft.arp(2, ATTACKER_MAC, address, lan.gw_ip, lan.gw_mac)),
        (T0 + 10, craft.arp(2, mac, address, lan.gw_ip, lan.gw_mac)),
    ]


def arp_mac_claims_many(lan: Lan) -> list[Timed]:
    return [(T0 + i, craft.arp(2, ATTACKER_MAC, lan.hosts[20 + i], lan.gw_ip, lan.gw_mac)) for i in range(3)]


def arp_scan(lan: Lan) -> list[Timed]:
    targets = list(lan.entry.lan_ipv4.hosts())[100:180]
    return [
        (T0 + i * 0.01, craft.arp(1, ATTACKER_MAC, lan.attacker_ip, str(t))) for i, t in enumerate(targets)
    ]


def arp_ether_mismatch(lan: Lan) -> list[Timed]:
    address, mac = lan.host(12)
    return [(T0, craft.arp(2, mac, address, lan.gw_ip, lan.gw_mac, ether_src=ATTACKER_MAC))]


def telnet_to_device(lan: Lan) -> list[Timed]:
    return session(lan, lan.host(13), lan.devices[1], 23, T0, b"admin\r\n")


def http_to_device(lan: Lan) -> list[Timed]:
    return session(lan, lan.host(13), lan.devices[2], 80, T0, b"GET / HTTP/1.1\r\n\r\n")


def ftp_to_device(lan: Lan) -> list[Timed]:
    return session(lan, lan.host(13), lan.devices[3], 21, T0, b"USER admin\r\n")


def tftp_from_device(lan: Lan) -> list[Timed]:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.layers.tftp import TFTP, TFTP_RRQ

    client = lan.host(13)
    frame = (
        Ether(src=client[1], dst=lan.gw_mac)
        / IP(src=client[0], dst=lan.devices[4])
        / UDP(sport=40000, dport=69)
    )
    return [(T0, bytes(frame / TFTP() / TFTP_RRQ(filename=b"vrpcfg.zip")))]


def snmp_public(lan: Lan) -> list[Timed]:
    client = lan.host(14)
    return [
        (T0 + i, craft.snmp_get(client[1], client[0], lan.gw_mac, lan.devices[5], "public")) for i in range(3)
    ]


def snmp_v2c_secret(lan: Lan) -> list[Timed]:
    client = lan.host(14)
    return [
        (T0, craft.snmp_get(client[1], client[0], lan.gw_mac, lan.devices[6], "S3cret-community", version=0))
    ]


def port_scan(lan: Lan) -> list[Timed]:
    """nmap -sS of one device: 100 ports, each answered by a RST."""
    frames: list[Timed] = []
    for index, port in enumerate(range(1, 101)):
        frames += craft.spaced(
            craft.syn_probe(ATTACKER_MAC, lan.attacker_ip, lan.gw_mac, lan.devices[7], port),
            T0 + index * 0.01,
            0.001,
        )
    return frames


def address_scan(lan: Lan) -> list[Timed]:
    """A worm-like sweep of port 445 over the LAN with ordinary SYNs, nobody answering."""
    targets = list(lan.entry.lan_ipv4.hosts())[100:140]
    return [
        (
            T0 + i * 0.01,
            craft.syn_probe(ATTACKER_MAC, lan.attacker_ip, lan.gw_mac, str(t), 445, nmap=False, reset=False)[
                0
            ],
        )
        for i, t in enumerate(targets)
    ]


def dns_indicator(lan: Lan) -> list[Timed]:
    client = lan.host(15)
    return [
        (T0, craft.dns_query(client[1], client[0], lan.gw_mac, lan.nms, "update.c2.evil-updates.example"))
    ]


def dns_tunnel(lan: Lan) -> list[Timed]:
    """iodine: 60 NULL queries of base32 data labels under one domain."""
    client = lan.host(16)
    names = craft.tunnel_names("pirate.sea", 60, lan.rng)
    return [
        (T0 + i * 0.05, craft.dns_query(client[1], client[0], lan.gw_mac, lan.nms, n, "NULL"))
        for i, n in enumerate(names)
    ]


#: scenario -> (the rule it must fire, the entity id it must name or None to skip that check)
ATTACKS = {
    "rogue RA": (rogue_ra, "NET-RA-001", ATTACKER_MAC),
    "RA with a prefix outside the plan": (ra_foreign_prefix_from_gateway, "NET-RA-001", None),
    "RA with a forged link-local source": (ra_spoofed_source, "NET-RA-001", ATTACKER_MAC),
    "RA flood": (ra_flood, "NET-RA-002", None),
    "RA behind destination options": (ra_behind_destination_options, "NET-RA-003", ATTACKER_MAC),
    "rogue DHCP": (rogue_dhcp, "NET-DHCP-001", ATTACKER_MAC),
    "rogue DHCPv6": (rogue_dhcpv6, "NET-DHCP6-001", ATTACKER_MAC),
    "ARP spoofing with replies": (arp_spoof_reply, "NET-ARP-001", ATTACKER_MAC),
    "ARP spoofing with a request": (arp_spoof_request, "NET-ARP-001", ATTACKER_MAC),
    "ARP flip-flop": (arp_flip_flop, "NET-ARP-002", None),
    "one MAC, many addresses": (arp_mac_claims_many, "NET-ARP-003", ATTACKER_MAC),
    "ARP scan": (arp_scan, "NET-ARP-004", ATTACKER_MAC),
    "Ethernet/ARP sender mismatch": (arp_ether_mismatch, "NET-ARP-005", ATTACKER_MAC),
    "telnet to a device": (telnet_to_device, "NET-MGMT-001", None),
    "HTTP to a device": (http_to_device, "NET-MGMT-002", None),
    "FTP to a device": (ftp_to_device, "NET-MGMT-003", None),
    "TFTP with a device": (tftp_from_device, "NET-MGMT-004", None),
    "SNMP public": (snmp_public, "NET-MGMT-006", None),
    "SNMPv1 with a private community": (snmp_v2c_secret, "NET-MGMT-005", None),
    "port scan": (port_scan, "NET-SCAN-001", None),
    "address scan": (address_scan, "NET-SCAN-002", None),
    "DNS indicator": (dns_indicator, "NET-DNS-001", None),
    "DNS tunnel": (dns_tunnel, "NET-DNS-002", None),
}
