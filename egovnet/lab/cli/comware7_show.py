"""Comware 7 operational tables (interfaces, IP, IPv6, LLDP).

These layouts are what napalm-h3c-comware's TextFSM templates and ntc-templates' ``hp_comware``
templates accept line by line (both end in ``^. -> Error`` rules, so every printed line has to
be one the real device prints). Values come from the device model when the command runs.
"""

from __future__ import annotations

from egovnet.lab.cli import oper
from egovnet.lab.cli.dialect import CommandError
from egovnet.lab.cli.registry import peer_description, peer_port_id
from egovnet.lab.cli.session import CliSession
from egovnet.lab.cli.text import cell, clock, link_local, mac_dashed, row, system_mac
from egovnet.lab.cli.vrpfamily import VrpFamily
from egovnet.lab.model import InterfaceState


def _link(st: InterfaceState) -> str:
    if not st.admin_up:
        return "Administratively DOWN"
    return "UP" if st.oper_up else "DOWN"


def _spoofing(st: InterfaceState) -> bool:
    return st.name.startswith(("LoopBack", "NULL", "InLoopBack"))


def _flapping(st: InterfaceState, now: float) -> str:
    seconds = int(max(0.0, now - st.last_change))
    hours, rest = divmod(seconds, 3600)
    return f"{hours} hours {rest // 60} minutes {rest % 60} seconds"


class ComwareShow(VrpFamily):
    """Renderers of the Comware display commands."""

    def render_interface(self, s: CliSession, name: str) -> list[str]:
        st = oper.state(s, name)
        if st is None:
            raise CommandError("wrong")
        mtu = oper.mtu(s.device, name)
        protocol = ("UP (spoofing)" if _spoofing(st) else "UP") if st.oper_up else "DOWN"
        lines = [
            name,
            f"Current state: {_link(st)}",
            f"Line protocol state: {protocol}",
            f"Description: {st.description or name + ' Interface'}",
        ]
        if _spoofing(st):
            lines += [
                f"Bandwidth: {8000000 if name.startswith('Loop') else 0} kbps",
                f"Maximum transmission unit: {1536 if name.startswith('Loop') else mtu}",
                *self._addresses(st),
                "Physical: Loopback" if name.startswith("Loop") else "Physical: NULL DEV",
                *self._logical_counters(st),
            ]
            return lines
        lines += [f"Bandwidth: {st.speed_mbps * 1000} kbps", f"Maximum transmission unit: {mtu}"]
        routed = bool(st.ipv4 or st.ipv6) or not oper.is_physical(name)
        if oper.is_physical(name):
            lines += [
                "Allow jumbo frames to pass",
                "Broadcast max-ratio: 100%",
                "Unknown-multicast max-ratio: 100%",
                "Unicast max-ratio: 100%",
            ]
        if routed:
            lines += self._addresses(st)
        mac = mac_dashed(st.mac)
        lines += [
            f"IP packet frame type: Ethernet II, hardware address: {mac}",
            f"IPv6 packet frame type: Ethernet II, hardware address: {mac}",
        ]
        if not oper.is_physical(name):
            return [*lines, *self._logical_counters(st)]
        speed = (
            f"{st.speed_mbps}Mbps-speed mode, full-duplex mode"
            if st.oper_up
            else ("Unknown-speed mode, unknown-duplex mode")
        )
        now = s.device.uptime() + s.device.boot_time
        up_at = clock(st.last_change) if st.oper_up else "-"
        down_at = "-" if st.oper_up or st.last_change == s.device.boot_time else clock(st.last_change)
        lines += [
            "Loopback is not set",
            "Media type is twisted pair, port hardware type is 1000_BASE_T",
            speed,
            "Link speed type is autonegotiation, link duplex type is autonegotiation",
            "Flow-control is not enabled",
            f"Maximum frame length: {mtu + 7716}",
        ]
        if not routed:
            lines += [
                "PVID: 1",
                "MDI type: Automdix",
                "Port link-type: Access",
                " Tagged VLANs:   None",
                " Untagged VLANs: 1",
                "Port priority: 0",
            ]
        lines += [
            f"Last link flapping: {_flapping(st, now) if st.last_change != s.device.boot_time else 'Never'}",
            "Last clearing of counters: Never",
            f"Current system time:{clock()}",
            f"Last time when physical state changed to up:{up_at}",
            f"Last time when physical state changed to down:{down_at}",
            f" Peak input rate: 0 bytes/sec, at {clock(s.device.boot_time)}",
            f" Peak output rate: 0 bytes/sec, at {clock(s.device.boot_time)}",
            " Last 300 seconds input: 0 packets/sec 0 bytes/sec 0%",
            " Last 300 seconds output: 0 packets/sec 0 bytes/sec 0%",
            *self._totals("Input", st.in_packets, st.in_octets),
            " Input:  0 input errors, 0 runts, 0 giants, 0 throttles",
            "         0 CRC, 0 frame, 0 overruns, 0 aborts",
            "         0 ignored, 0 parity errors",
            *self._totals("Output", st.out_packets, st.out_octets),
            " Output: 0 output errors, 0 underruns, 0 buffer failures",
            "         0 aborts, 0 deferred, 0 collisions, 0 late collisions",
            "         0 lost carrier, 0 no carrier",
        ]
        return lines

    @staticmethod
    def _addresses(st: InterfaceState) -> list[str]:
        if not st.ipv4:
            return ["Internet protocol processing: Disabled"]
        return [
            f"Internet address: {a.with_prefixlen} ({'Primary' if i == 0 else 'Sub'})"
            for i, a in enumerate(st.ipv4)
        ]

    @staticmethod
    def _totals(direction: str, packets: int, octets: int) -> list[str]:
        pad = " " if direction == "Input" else ""
        return [
            f" {direction} (total): {pad}{packets} packets, {octets} bytes",
            f"         {packets} unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
            f" {direction} (normal): {pad}{packets} packets, {octets} bytes",
            f"         {packets} unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
        ]

    @staticmethod
    def _logical_counters(st: InterfaceState) -> list[str]:
        return [
            "Last clearing of counters: Never",
            "Last 300 seconds input rate: 0 bytes/sec, 0 bits/sec, 0 packets/sec",
            "Last 300 seconds output rate: 0 bytes/sec, 0 bits/sec, 0 packets/sec",
            f"Input: {st.in_packets} packets, {st.in_octets} bytes, 0 drops",
            f"Output: {st.out_packets} packets, {st.out_octets} bytes, 0 drops",
        ]

    def render_brief(self, s: CliSession) -> list[str]:
        routed, bridged = [], []
        for st in oper.states(s):
            link = "ADM" if not st.admin_up else "UP" if st.oper_up else "DOWN"
            if oper.routed(st):
                protocol = ("UP(s)" if _spoofing(st) else "UP") if st.oper_up else "DOWN"
                address = str(st.ipv4[0].ip) if st.ipv4 else "--"
                routed.append(
                    row(
                        (self.short(st.name), 21), (link, 5), (protocol, 9), (address, 16), st.description
                    ).rstrip()
                )
            else:
                speed, duplex = (f"{_speed(st.speed_mbps)}(a)", "F(a)") if st.oper_up else ("auto", "A")
                bridged.append(
                    row(
                        (self.short(st.name), 21),
                        (link, 5),
                        (speed, 10),
                        (duplex, 7),
                        "A    1    ",
                        st.description,
                    ).rstrip()
                )
        lines = [
            "Brief information on interfaces in route mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Protocol: (s) - spoofing",
            "Interface            Link Protocol Primary IP      Description",
            *routed,
        ]
        if bridged:
            lines += [
                "",
                "Brief information on interfaces in bridge mode:",
                "Link: ADM - administratively down; Stby - standby",
                "Speed: (a) - auto",
                "Duplex: (a)/A - auto; H - half; F - full",
                "Type: A - access; T - trunk; H - hybrid",
                "Interface            Link Speed     Duplex Type PVID Description",
                *bridged,
            ]
        return lines

    def render_ip(self, s: CliSession) -> list[str]:
        lines: list[str] = []
        for st in oper.states(s):
            if not oper.routed(st):
                continue
            protocol = ("UP (spoofing)" if _spoofing(st) else "UP") if st.oper_up else "DOWN"
            lines += [f"{st.name} current state: {_link(st)}", f"Line protocol current state: {protocol}"]
            for index, address in enumerate(st.ipv4):
                lines += [
                    f"Internet Address is {address.with_prefixlen} {'Sub' if index else 'Primary'}",
                    f"Broadcast address: {address.network.broadcast_address}",
                ]
            if st.ipv4:
                lines += [
                    f"The Maximum Transmit Unit: {oper.mtu(s.device, st.name)} bytes",
                    f"input packets : {st.in_packets}, bytes : {st.in_octets}, multicasts : 0",
                    f"output packets : {st.out_packets}, bytes : {st.out_octets}, multicasts : 0",
                    "TTL invalid packet number:         0",
                    "ICMP packet input number:          0",
                    "  Echo reply:                      0",
                    "  Unreachable:                     0",
                    "  Echo request:                    0",
                ]
            lines.append("")
        return lines

    def _phy(self, st: InterfaceState) -> str:
        return ("up" if st.oper_up else "down") if st.admin_up else "*down"

    def _proto(self, st: InterfaceState) -> str:
        return ("up(s)" if _spoofing(st) else "up") if st.oper_up else "down"

    def render_ip_brief(self, s: CliSession) -> list[str]:
        rows = [
            f"{cell(self.short(st.name), 25)}{cell(self._phy(st), 9)}{cell(self._proto(st), 9)}"
            f"{cell((str(st.ipv4[0].ip) if st.ipv4 else '--'), 16)}{cell('--', 13)}{st.description or '--'}"
            for st in oper.states(s)
            if oper.routed(st)
        ]
        return [
            "*down: administratively down",
            "(s): spoofing  (l): loopback",
            "Interface                Physical Protocol IP address      VPN instance Description",
            *rows,
        ]

    def render_ipv6(self, s: CliSession) -> list[str]:
        lines: list[str] = []
        for st in oper.states(s):
            if not st.ipv6:
                continue
            lines += [
                f"{st.name} current state: {_link(st)}",
                f"Line protocol current state: {'UP' if st.oper_up else 'DOWN'}",
                f"IPv6 is enabled, link-local address is {str(link_local(st.mac)).upper()}",
                "  Global unicast address(es):",
                *[f"    {str(a.ip).upper()}, subnet is {str(a.network).upper()}" for a in st.ipv6],
                "  Joined group address(es):",
                "    FF02::1",
                "    FF02::2",
                f"  MTU is {oper.mtu(s.device, st.name)} bytes",
                "  ND DAD is enabled, number of DAD attempts: 1",
                "  ND reachable time is 30000 milliseconds",
                "  ND retransmit interval is 1000 milliseconds",
                "  Hosts use stateless autoconfig for addresses",
                "",
            ]
        return lines

    def render_ipv6_brief(self, s: CliSession) -> list[str]:
        rows = [
            row((st.name, 41), (self._phy(st), 9), (self._proto(st), 9), str(st.ipv6[0].ip).upper())
            for st in oper.states(s)
            if st.ipv6
        ]
        return [
            "*down: administratively down",
            "(s): spoofing",
            "Interface                                Physical Protocol IPv6 Address",
            *rows,
        ]

    def render_lldp_verbose(self, s: CliSession, only: str | None) -> list[str]:
        lines: list[str] = []
        for neighbor in oper.neighbors(s):
            if only is not None and neighbor.local != only:
                continue
            peer = neighbor.device
            description = peer_description(peer)
            index = s.device.ifindex.get(neighbor.local, 0)
            st = oper.state(s, neighbor.local)
            speed = st.speed_mbps if st else 1000
            lines += [
                f"LLDP neighbor-information of port {index}[{neighbor.local}]:",
                "LLDP agent nearest-bridge:",
                " LLDP neighbor index : 1",
                " Update time         : 0 days, 0 hours, 0 minutes, 5 seconds",
                " Chassis type        : MAC address",
                f" Chassis ID          : {mac_dashed(system_mac(peer))}",
                " Port ID type        : Interface name",
                f" Port ID             : {peer_port_id(peer, neighbor.port)}",
                " Time to live        : 121",
                f" Port description    : {neighbor.port_description or neighbor.port}",
                f" System name         : {peer.hostname()}",
                f" System description  : {description[0]}",
                *[" " * 23 + line for line in description[1:]],
                " System capabilities supported : Bridge, Router",
                " System capabilities enabled   : Bridge, Router",
                " Management address type           : IPv4",
                f" Management address                : {oper.mgmt_address(peer)}",
                " Management address interface type : IfIndex",
                " Management address interface ID   : Unknown",
                " Management address OID            : 0",
                " Port VLAN ID(PVID)  : 1",
                " Link aggregation supported : Yes",
                " Link aggregation enabled   : No",
                " Aggregation port ID        : 0",
                " Auto-negotiation supported : Yes",
                " Auto-negotiation enabled   : Yes",
                f" OperMau                    : Speed({speed})/Duplex(Full)",
                " Power port class           : PD",
                " PSE power supported        : No",
                " PSE power enabled          : No",
                " PSE pairs control ability  : No",
                " Power pairs                : Signal",
                " Port power classification  : Class 0",
                " Maximum frame size         : 9216",
                "",
            ]
        return lines

    def render_lldp_list(self, s: CliSession) -> list[str]:
        rows = [
            f"{cell(self.short(n.local), 16)}{cell(mac_dashed(system_mac(n.device)), 16)}"
            f"{cell(peer_port_id(n.device, n.port), 27)}{n.device.hostname()}"
            for n in oper.neighbors(s)
        ]
        return [
            "Chassis ID : * -- -- Nearest nontpmr bridge neighbor",
            "             # -- -- Nearest customer bridge neighbor",
            "             Default -- -- Nearest bridge neighbor",
            "Local Interface Chassis ID      Port ID                    System Name",
            *rows,
        ]


def _speed(mbps: int) -> str:
    return f"{mbps // 1000}G" if mbps >= 1000 else f"{mbps}M"
