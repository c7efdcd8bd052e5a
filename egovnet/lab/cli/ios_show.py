"""Cisco IOS ``show`` renderers (version, interfaces, IP/IPv6, LLDP, hosts).

NAPALM's ios driver and ntc-templates ``cisco_ios`` templates are the contract: ``show version``
needs `` uptime is ``, ``Processor board ID`` and ``Cisco <model> (...) ... bytes of memory``;
``show interfaces`` needs ``X is up, line protocol is up``, ``Hardware ... address is`` and
``MTU n bytes, BW n Kbit/sec``; ``show lldp neighbors detail`` is parsed with napalm's own
TextFSM template (``Local Intf:``, ``Port id:``, ``System Name:``, ``Enabled Capabilities:``).
"""

from __future__ import annotations

import re

from egovnet.lab.cli import oper
from egovnet.lab.cli.dialect import CommandError, Dialect
from egovnet.lab.cli.registry import peer_description, peer_port_id
from egovnet.lab.cli.session import CliSession
from egovnet.lab.cli.text import cell, clock, link_local, mac_dotted, row, system_mac, uptime_ios
from egovnet.lab.model import DeviceSpec, InterfaceState


def ios_family(spec: DeviceSpec) -> tuple[str, str]:
    """(platform family, image name): ``CISCO2911/K9`` -> (``C2900``, ``C2900-UNIVERSALK9-M``)."""
    explicit = spec.extra.get("ios_image")
    digits = re.search(r"(\d)(\d)\d\d", spec.model)
    family = f"C{digits.group(1)}{digits.group(2)}00" if digits else "C2900"
    image = explicit if isinstance(explicit, str) else f"{family}-UNIVERSALK9-M"
    return family, image


def _status(st: InterfaceState) -> tuple[str, str]:
    if not st.admin_up:
        return "administratively down", "down"
    return ("up", "up") if st.oper_up else ("down", "down")


class IosShow(Dialect):
    """Renderers shared by the IOS command table."""

    def os_version(self, spec: DeviceSpec) -> str:
        return spec.os_version or "15.7(3)M5"

    def sys_description(self, spec: DeviceSpec) -> list[str]:
        family, image = ios_family(spec)
        return [
            f"Cisco IOS Software, {family} Software ({image}), Version {self.os_version(spec)}, "
            "RELEASE SOFTWARE (fc1)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2019 by Cisco Systems, Inc.",
            "Compiled Thu 31-Jan-19 12:12 by prod_rel_team",
        ]

    def render_version(self, s: CliSession) -> str:
        spec = s.device.spec
        family, image = ios_family(spec)
        physical = sum(1 for port in spec.ports if oper.is_physical(port.name))
        return "\n".join(
            [
                *self.sys_description(spec),
                "",
                "ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)",
                "",
                f"{s.device.hostname()} uptime is {uptime_ios(s.device.uptime())}",
                "System returned to ROM by power-on",
                f"System restarted at {clock(s.device.boot_time, '%H:%M:%S UTC %a %b %d %Y')}",
                f'System image file is "flash0:{image.lower()}.SPA.bin"',
                "Last reload type: Normal Reload",
                "Last reload reason: power-on",
                "",
                "",
                "This product contains cryptographic features and is subject to United",
                "States and local country laws governing import, export, transfer and",
                "use. Delivery of Cisco cryptographic products does not imply",
                "third-party authority to import, export, distribute or use encryption.",
                "",
                f"Cisco {spec.model} (revision 1.0) with 487424K/36864K bytes of memory.",
                f"Processor board ID {spec.serial}",
                f"{physical} Gigabit Ethernet interfaces",
                "DRAM configuration is 64 bits wide with parity disabled.",
                "255K bytes of non-volatile configuration memory.",
                "250880K bytes of ATA System CompactFlash 0 (Read/Write)",
                "",
                f"License Info: {family} technology package license",
                "",
                "Configuration register is 0x2102",
            ]
        )

    def render_interfaces(self, s: CliSession, only: str | None) -> str:
        lines: list[str] = []
        for st in oper.states(s):
            if only is not None and st.name != only:
                continue
            status, protocol = _status(st)
            loop = st.name.startswith("Loopback")
            hardware = (
                "Loopback" if loop else f"iGbE, address is {mac_dotted(st.mac)} (bia {mac_dotted(st.mac)})"
            )
            mtu = 1514 if loop else oper.mtu(s.device, st.name)
            bandwidth = 8000000 if loop else st.speed_mbps * 1000
            lines += [f"{st.name} is {status}, line protocol is {protocol} ", f"  Hardware is {hardware}"]
            if st.description:
                lines.append(f"  Description: {st.description}")
            lines += [f"  Internet address is {a.with_prefixlen}" for a in st.ipv4[:1]]
            lines += [
                f"  MTU {mtu} bytes, BW {bandwidth} Kbit/sec, DLY {5000 if loop else 10} usec, ",
                "     reliability 255/255, txload 1/255, rxload 1/255",
                f"  Encapsulation {'LOOPBACK' if loop else 'ARPA'}, loopback not set",
                "  Keepalive set (10 sec)" if loop else "  Keepalive not supported ",
            ]
            if oper.is_physical(st.name):
                speed = f"Full Duplex, {st.speed_mbps}Mbps" if st.oper_up else "Auto-duplex, Auto Speed"
                lines += [
                    f"  {speed}, media type is RJ45",
                    "  output flow-control is unsupported, input flow-control is unsupported",
                ]
            lines += [
                "  ARP type: ARPA, ARP Timeout 04:00:00",
                "  Last input never, output never, output hang never",
                '  Last clearing of "show interface" counters never',
                "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
                "  Queueing strategy: fifo",
                "  Output queue: 0/40 (size/max)",
                "  5 minute input rate 0 bits/sec, 0 packets/sec",
                "  5 minute output rate 0 bits/sec, 0 packets/sec",
                f"     {st.in_packets} packets input, {st.in_octets} bytes, 0 no buffer",
                "     Received 0 broadcasts (0 IP multicasts)",
                "     0 runts, 0 giants, 0 throttles ",
                "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
                "     0 watchdog, 0 multicast, 0 pause input",
                f"     {st.out_packets} packets output, {st.out_octets} bytes, 0 underruns",
                "     0 output errors, 0 collisions, 0 interface resets",
                "     0 unknown protocol drops",
                "     0 babbles, 0 late collision, 0 deferred",
                "     0 lost carrier, 0 no carrier, 0 pause output",
                "     0 output buffer failures, 0 output buffers swapped out",
            ]
        if only is not None and not lines:
            raise CommandError("wrong")
        return "\n".join(lines)

    def render_ip_brief(self, s: CliSession) -> str:
        rows = ["Interface              IP-Address      OK? Method Status                Protocol"]
        for st in oper.states(s):
            status, protocol = _status(st)
            address = str(st.ipv4[0].ip) if st.ipv4 else "unassigned"
            method = "NVRAM" if st.ipv4 else "unset"
            rows.append(row((st.name, 23), (address, 16), "YES ", (method, 7), (status, 22), (protocol, 8)))
        return "\n".join(rows)

    def render_ip(self, s: CliSession) -> str:
        lines: list[str] = []
        for st in oper.states(s):
            status, protocol = _status(st)
            lines.append(f"{st.name} is {status}, line protocol is {protocol}")
            if not st.ipv4:
                lines.append("  Internet protocol processing disabled")
                continue
            lines.append(f"  Internet address is {st.ipv4[0].with_prefixlen}")
            lines += [
                "  Broadcast address is 255.255.255.255",
                "  Address determined by non-volatile memory",
                f"  MTU is {oper.mtu(s.device, st.name)} bytes",
                "  Helper address is not set",
                "  Directed broadcast forwarding is disabled",
            ]
            lines += [f"  Secondary address {a.with_prefixlen}" for a in st.ipv4[1:]]
            lines += [
                "  Outgoing Common access list is not set",
                "  Outgoing access list is not set",
                "  Inbound Common access list is not set",
                "  Inbound  access list is not set",
                "  Proxy ARP is enabled",
                "  Local Proxy ARP is disabled",
                "  Security level is default",
                "  Split horizon is enabled",
                "  ICMP redirects are always sent",
                "  ICMP unreachables are always sent",
                "  ICMP mask replies are never sent",
                "  IP fast switching is enabled",
                "  IP CEF switching is enabled",
            ]
        return "\n".join(lines)

    def render_ipv6_brief(self, s: CliSession) -> str:
        lines: list[str] = []
        for st in oper.states(s):
            status, protocol = _status(st)
            lines.append(f"{cell(st.name, 23)}[{status}/{protocol}]")
            if st.ipv6:
                lines.append(f"    {str(link_local(st.mac)).upper()}")
                lines += [f"    {str(a.ip).upper()}" for a in st.ipv6]
            else:
                lines.append("    unassigned")
        return "\n".join(lines)

    def render_ipv6(self, s: CliSession) -> str:
        lines: list[str] = []
        for st in oper.states(s):
            if not st.ipv6:
                continue
            status, protocol = _status(st)
            local = str(link_local(st.mac)).upper()
            lines += [
                f"{st.name} is {status}, line protocol is {protocol}",
                f"  IPv6 is enabled, link-local address is {local} ",
                "  No Virtual link-local address(es):",
                "  Global unicast address(es):",
                *[f"    {str(a.ip).upper()}, subnet is {str(a.network).upper()} " for a in st.ipv6],
                "  Joined group address(es):",
                "    FF02::1",
                "    FF02::2",
                f"  MTU is {oper.mtu(s.device, st.name)} bytes",
                "  ICMP error messages limited to one every 100 milliseconds",
                "  ICMP redirects are enabled",
                "  ND DAD is enabled, number of DAD attempts: 1",
                "  ND reachable time is 30000 milliseconds (using 30000)",
                "  Hosts use stateless autoconfig for addresses.",
            ]
        return "\n".join(lines)

    def render_lldp(self, s: CliSession) -> str:
        neighbors = oper.neighbors(s)
        rows = [
            row((n.device.hostname()[:20], 20), (self.short(n.local), 15), (120, 11), ("B,R", 16))
            + peer_port_id(n.device, n.port)
            for n in neighbors
        ]
        return "\n".join(
            [
                "Capability codes:",
                "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
                "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
                "",
                "Device ID           Local Intf     Hold-time  Capability      Port ID",
                *rows,
                "",
                f"Total entries displayed: {len(neighbors)}",
                "",
            ]
        )

    def render_lldp_detail(self, s: CliSession) -> str:
        neighbors = oper.neighbors(s)
        lines: list[str] = []
        for n in neighbors:
            peer = n.device
            description = peer_description(peer)
            lines += [
                "-" * 48,
                f"Local Intf: {self.short(n.local)}",
                f"Chassis id: {mac_dotted(system_mac(peer))}",
                f"Port id: {peer_port_id(peer, n.port)}",
                f"Port Description: {n.port_description or n.port}",
                f"System Name: {peer.hostname()}",
                "",
                "System Description: ",
                *description,
                "",
                "Time remaining: 98 seconds",
                "System Capabilities: B,R",
                "Enabled Capabilities: B,R",
                "Management Addresses:",
                f"    IP: {oper.mgmt_address(peer)}",
                "Auto Negotiation - supported, enabled",
                "Physical media capabilities:",
                "    1000baseT(FD)",
                "    100base-TX(FD)",
                "Media Attachment Unit type: 30",
                "Vlan ID: - not advertised",
                "",
            ]
        lines += ["", f"Total entries displayed: {len(neighbors)}", ""]
        return "\n".join(lines)

    def render_hosts(self, s: CliSession) -> str:
        domain = next(
            (
                node.text.split()[-1]
                for node in s.device.running.children
                if node.text.startswith(("ip domain name ", "ip domain-name "))
            ),
            None,
        )
        return "\n".join(
            [
                f"Default domain is {domain}" if domain else "Default domain is not set",
                "Name/address lookup uses domain service",
                "Name servers are 255.255.255.255",
                "",
                "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
                "       temp - temporary, perm - permanent",
                "       NA - Not Applicable None - Not defined",
                "",
                "Host                      Port  Flags      Age Type   Address(es)",
            ]
        )

    def render_ping(self, s: CliSession, words: list[str]) -> str:
        v6 = bool(words) and words[0].lower() == "ipv6"
        if words and words[0].lower() in ("ip", "ipv6"):
            words = words[1:]
        count, size, target = 5, 100, ""
        index = 0
        while index < len(words):
            word = words[index].lower()
            if word in ("repeat", "size") and index + 1 < len(words) and words[index + 1].isdigit():
                value = int(words[index + 1])
                count, size = (value, size) if word == "repeat" else (count, value)
                index += 2
            elif word in ("source", "timeout", "vrf") and index + 1 < len(words):
                index += 2
            else:
                target = target or words[index]
                index += 1
        ok = oper.ping(s, target) if target else None
        if ok is None:
            return "% Unrecognized host or address, or protocol not running."
        count = min(count, 100)
        shown = target.upper() if v6 else target
        lines = [
            "Type escape sequence to abort.",
            f"Sending {count}, {size}-byte ICMP Echos to {shown}, timeout is 2 seconds:",
            ("!" if ok else ".") * count,
        ]
        if ok:
            lines.append(f"Success rate is 100 percent ({count}/{count}), round-trip min/avg/max = 1/1/1 ms")
        else:
            lines.append(f"Success rate is 0 percent (0/{count})")
        return "\n".join(lines)
