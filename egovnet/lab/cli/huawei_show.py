"""Huawei VRP operational displays shared by V5 and V8 (interfaces, IP, IPv6, LLDP).

Formats follow real device output captured in ntc-templates' ``tests/huawei_vrp`` samples and
the regular expressions of napalm-huawei-vrp: ``display interface`` sections split on ``current
state``, ``Internet Address is a/b``, ``X, subnet is Y/len``. Values are read from the model when
the command runs.
"""

from __future__ import annotations

import ipaddress

from egovnet.lab.cli import oper
from egovnet.lab.cli.dialect import CommandError
from egovnet.lab.cli.registry import peer_description, peer_port_id
from egovnet.lab.cli.session import CliSession
from egovnet.lab.cli.text import cell, clock, link_local, mac_dashed, row, system_mac
from egovnet.lab.cli.vrpfamily import VrpFamily
from egovnet.lab.model import InterfaceState


class HuaweiShow(VrpFamily):
    """Renderers of the VRP display commands."""

    # ----------------------------------------------------------------- interfaces
    def state_word(self, st: InterfaceState) -> str:
        if not st.admin_up:
            return "Administratively DOWN"
        return "UP" if st.oper_up else "DOWN"

    def protocol_word(self, st: InterfaceState) -> str:
        if not st.oper_up:
            return "DOWN"
        return "UP (spoofing)" if st.name.startswith(("LoopBack", "NULL")) else "UP"

    def state_title(self, st: InterfaceState) -> str:
        return f"{st.name} current state : {self.state_word(st)}"

    def render_interface(self, s: CliSession, name: str) -> list[str]:
        st = oper.state(s, name)
        if st is None:
            raise CommandError("wrong")
        now = clock()
        changed = clock(st.last_change)
        lines = [self.state_title(st), f"Line protocol current state : {self.protocol_word(st)}"]
        if not oper.is_physical(name):
            lines.append(f"Last line protocol up time : {changed if st.oper_up else '-'}")
        lines.append(f"Description:{st.description}")
        mtu = oper.mtu(s.device, name)
        if st.ipv4 or not oper.is_physical(name):
            lines.append(f"Route Port,The Maximum Transmit Unit is {mtu}")
            if st.ipv4:
                lines.append(f"Internet Address is {st.ipv4[0].with_prefixlen}")
                lines.extend(f"Internet Address is {a.with_prefixlen} Sub" for a in st.ipv4[1:])
            else:
                lines.append("Internet protocol processing : disabled")
        else:
            lines.append(
                f"Switch Port, PVID :    1, TPID : 8100(Hex), The Maximum Frame Length is {mtu + 7716}"
            )
        if name.startswith(("LoopBack", "NULL")):
            lines += [
                f"Current system time: {now}",
                "Physical is Loopback" if name.startswith("Loop") else "Physical is NULL DEV",
            ]
            return [*lines, *_bandwidth(None)]
        lines.append(f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {mac_dashed(st.mac)}")
        if not oper.is_physical(name):
            return [*lines, f"Current system time: {now}", *_bandwidth(None)]
        up = st.oper_up
        lines += [
            f"Last physical up time   : {changed if up else '-'}",
            f"Last physical down time : {'-' if up else changed}",
            f"Current system time: {now}",
            "Port Mode: COMMON COPPER",
            f"Speed : {st.speed_mbps:>4},  Loopback: NONE",
            "Duplex: FULL,  Negotiation: ENABLE",
            "Mdi   : AUTO,  Clock   : -",
            f"Last 300 seconds input rate {_rate(s, st, st.in_octets)} bits/sec, 0 packets/sec",
            f"Last 300 seconds output rate {_rate(s, st, st.out_octets)} bits/sec, 0 packets/sec",
            "Input peak rate 0 bits/sec,Record time: -",
            "Output peak rate 0 bits/sec,Record time: -",
            "",
            *_counters("Input", st.in_packets, st.in_octets),
            "",
            "  CRC:                      0,  Giants:                      0",
            "  Jabbers:                  0,  Throttles:                   0",
            "  Runts:                    0,  Symbols:                     0",
            "  Ignoreds:                 0,  Frames:                      0",
            "",
            *_counters("Output", st.out_packets, st.out_octets),
            "",
            "  Collisions:               0,  ExcessiveCollisions:         0",
            "  Late Collisions:          0,  Deferreds:                   0",
            "",
        ]
        inuti = oper.utilisation(s.device, st, st.in_octets)
        oututi = oper.utilisation(s.device, st, st.out_octets)
        return [*lines, *_bandwidth((inuti, oututi))]

    def phy_word(self, st: InterfaceState) -> str:
        return ("up" if st.oper_up else "down") if st.admin_up else "*down"

    def proto_word(self, st: InterfaceState) -> str:
        if not st.oper_up:
            return "down"
        return "up(s)" if st.name.startswith(("LoopBack", "NULL")) else "up"

    def render_brief(self, s: CliSession) -> list[str]:
        rows = []
        for st in oper.states(s):
            logical = not oper.is_physical(st.name)
            inuti = "--" if logical else _percent(oper.utilisation(s.device, st, st.in_octets))
            oututi = "--" if logical else _percent(oper.utilisation(s.device, st, st.out_octets))
            rows.append(
                f"{cell(st.name, 28)}{cell(self.phy_word(st), 6)}{cell(self.proto_word(st), 9)}"
                f"{inuti:>6} {oututi:>6}{0:>11}{0:>11}"
            )
        return [
            "PHY: Physical",
            "*down: administratively down",
            "^down: standby",
            "(l): loopback",
            "(s): spoofing",
            "(b): BFD down",
            "(e): ETHOAM down",
            "(dl): DLDP down",
            "(d): Dampening Suppressed",
            "InUti/OutUti: input utility/output utility",
            "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors",
            *rows,
        ]

    def render_descriptions(self, s: CliSession) -> list[str]:
        rows = [
            row(
                (self.short(st.name), 30), (self.phy_word(st), 8), (self.proto_word(st), 9), st.description
            ).rstrip()
            for st in oper.states(s)
        ]
        return [
            "PHY: Physical",
            "*down: administratively down",
            "(l): loopback",
            "(s): spoofing",
            "(b): BFD down",
            "(e): ETHOAM down",
            "(d): Dampening Suppressed",
            "Interface                     PHY     Protocol Description",
            *rows,
        ]

    def render_ip(self, s: CliSession) -> list[str]:
        lines: list[str] = []
        for st in oper.states(s):
            if not oper.routed(st):
                continue
            lines += [
                self.state_title(st),
                f"Line protocol current state : {self.protocol_word(st)}",
                f"The Maximum Transmit Unit : {oper.mtu(s.device, st.name)} bytes",
                f"input packets : {st.in_packets}, bytes : {st.in_octets}, multicasts : 0",
                f"output packets : {st.out_packets}, bytes : {st.out_octets}, multicasts : 0",
                "Directed-broadcast packets:",
                " received packets:                    0, sent packets:                   0",
                " forwarded packets:                   0, dropped packets:                0",
            ]
            for index, address in enumerate(st.ipv4):
                lines.append(f"Internet Address is {address.with_prefixlen}" + (" Sub" if index else ""))
                lines.append(f"Broadcast address : {address.network.broadcast_address}")
            if not st.ipv4:
                lines.append("Internet protocol processing : disabled")
            lines += [
                "TTL being 1 packet number:          0",
                "TTL invalid packet number:          0",
                "ICMP packet input number:           0",
                "  Echo reply:                       0",
                "  Unreachable:                      0",
                "  Echo request:                     0",
                "",
            ]
        return lines

    def render_ip_brief(self, s: CliSession) -> list[str]:
        chosen = [st for st in oper.states(s) if oper.routed(st)]
        up = sum(1 for st in chosen if st.oper_up)
        rows = [
            f"{cell(st.name, 34)}{cell((st.ipv4[0].with_prefixlen if st.ipv4 else 'unassigned'), 21)}"
            f"{cell(self.phy_word(st), 11)}{cell(self.proto_word(st), 10)}"
            for st in chosen
        ]
        return [
            *self.ip_brief_legend(),
            f"The number of interface that is UP in Physical is {up}",
            f"The number of interface that is DOWN in Physical is {len(chosen) - up}",
            f"The number of interface that is UP in Protocol is {up}",
            f"The number of interface that is DOWN in Protocol is {len(chosen) - up}",
            "",
            "Interface                         IP Address/Mask      Physical   Protocol  ",
            *rows,
        ]

    def ip_brief_legend(self) -> list[str]:
        return ["*down: administratively down", "^down: standby", "(l): loopback", "(s): spoofing"]

    def render_ipv6(self, s: CliSession) -> list[str]:
        lines: list[str] = []
        for st in oper.states(s):
            if not st.ipv6:
                continue
            state = "UP" if st.oper_up else "DOWN"
            lines += [
                self.state_title(st),
                f"IPv6 protocol current state : {state}",
                f"IPv6 is enabled, link-local address is {str(link_local(st.mac)).upper()}",
                "  Global unicast address(es):",
            ]
            lines += [f"    {str(a.ip).upper()}, subnet is {str(a.network).upper()}" for a in st.ipv6]
            lines += [
                "  Joined group address(es):",
                *[f"    FF02::1:FF{_solicited(a.ip)}" for a in st.ipv6],
                "    FF02::2",
                "    FF02::1",
                f"  MTU is {oper.mtu(s.device, st.name)} bytes",
                "  ND DAD is enabled, number of DAD attempts: 1",
                "  ND reachable time is 1200000 milliseconds",
                "  ND retransmit interval is 1000 milliseconds",
                "  Hosts use stateless autoconfig for addresses",
                "",
            ]
        return lines

    def render_ipv6_brief(self, s: CliSession) -> list[str]:
        lines = [
            "*down: administratively down",
            "(l): loopback",
            "(s): spoofing",
            "Interface                       Physical              Protocol",
        ]
        for st in oper.states(s):
            if st.ipv6:
                lines.append(f"{cell(st.name, 32)}{cell(self.phy_word(st), 22)}{self.proto_word(st)}")
                lines += [f"[IPv6 Address] {str(a.ip).upper()}" for a in st.ipv6]
        return lines

    # ----------------------------------------------------------------- LLDP
    def render_lldp(self, s: CliSession) -> list[str]:
        found = {n.local: n for n in oper.neighbors(s)}
        lines: list[str] = []
        for st in oper.states(s):
            if not oper.is_physical(st.name):
                continue
            neighbor = found.get(st.name)
            if neighbor is None:
                lines += [f"{st.name} has 0 neighbor(s)", ""]
                continue
            peer = neighbor.device
            description = peer_description(peer)
            lines += [
                f"{st.name} has 1 neighbor(s):",
                "",
                "Neighbor index :1",
                "Chassis type   :MAC address",
                f"Chassis ID     :{mac_dashed(system_mac(peer))}",
                "Port ID type   :Interface name",
                f"Port ID        :{peer_port_id(peer, neighbor.port)}",
                f"Port description    :{neighbor.port_description or neighbor.port}",
                f"System name         :{peer.hostname()}",
                f"System description  :{description[0]}",
                *description[1:],
                "System capabilities supported   :bridge router",
                "System capabilities enabled     :bridge router",
                "Management address type  :ipv4",
                f"Management address value :{oper.mgmt_address(peer)}",
                "Expired time   :104s",
                "",
                "Port VLAN ID(PVID)  :1",
                "",
                "Auto-negotiation supported    :Yes",
                "Auto-negotiation enabled      :Yes",
                f"OperMau   :speed({st.speed_mbps})/duplex(Full)",
                "",
                "Link aggregation supported:Yes",
                "Link aggregation enabled :No",
                "Aggregation port ID      :0",
                "",
                "Maximum frame Size       :9216",
                "",
            ]
        return lines


def _rate(s: CliSession, st: InterfaceState, octets: int) -> int:
    return int(octets * 8 / max(s.device.uptime(), 1.0)) if st.oper_up else 0


def _percent(value: float) -> str:
    return "0%" if value < 0.005 else f"{value:.2f}%"


def _counters(direction: str, packets: int, octets: int) -> list[str]:
    return [
        f"{direction}:  {packets} packets, {octets} bytes",
        f"  Unicast:{packets:>19},  Multicast:{0:>20}",
        f"  Broadcast:{0:>17},  Jumbo:{0:>24}",
        f"  Discard:{0:>19},  Total Error:{0:>18}",
    ]


def _bandwidth(utilisation: tuple[float, float] | None) -> list[str]:
    if utilisation is None:
        return ["    Input bandwidth utilization  : --", "    Output bandwidth utilization : --"]
    return [
        "    Input bandwidth utilization threshold : 100.00%",
        "    Output bandwidth utilization threshold: 100.00%",
        f"    Input bandwidth utilization  : {_percent(utilisation[0]):>6}",
        f"    Output bandwidth utilization : {_percent(utilisation[1]):>6}",
    ]


def _solicited(address: ipaddress.IPv6Address) -> str:
    low = int(address) & 0xFFFFFF
    return f"{low >> 16:02X}:{low & 0xFFFF:X}"
