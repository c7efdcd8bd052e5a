"""IF-MIB: ifNumber, ifTable and ifXTable, one row per ``InterfaceState`` of the model.

Octet and packet counters come from the model's traffic model: the 32-bit columns are the low bits
of the same ever-growing count the 64-bit HC columns carry, so a poller sees the real Counter32 wrap.
Multicast, broadcast and discard counters are not modelled and read 0; errors are
``packets * extra["if_error_rate"][ifname]`` (default 0), so an error-rate indicator can be tested.
"""

from __future__ import annotations

from egovnet.lab.model import InterfaceState
from egovnet.lab.snmp.facts import if_type, is_port, mac_bytes
from egovnet.lab.snmp.registry import Column, MibObject, Scalar, Table, oid
from egovnet.lab.snmp.syntax import counter32, counter64, gauge, integer, octets, text, timeticks, truth, zero
from egovnet.lab.snmp.view import DeviceView

MTU = 1500


def _error_rate(state: InterfaceState, view: DeviceView) -> float:
    rates = view.spec.extra.get("if_error_rate", {})
    return float(rates.get(state.name, 0.0))


def in_errors(state: InterfaceState, view: DeviceView) -> int:
    """ifInErrors: received packets times the interface's configured error rate."""
    return int(state.in_packets * _error_rate(state, view))


def out_errors(state: InterfaceState, view: DeviceView) -> int:
    """ifOutErrors: sent packets times the interface's configured error rate."""
    return int(state.out_packets * _error_rate(state, view))


def status(up: bool) -> int:
    """ifAdminStatus/ifOperStatus: up(1), down(2)."""
    return 1 if up else 2


def _rows(view: DeviceView) -> list[InterfaceState]:
    return view.states


def _index(state: InterfaceState) -> tuple[int]:
    return (state.ifindex,)


IF_MIB: list[MibObject] = [
    Scalar(oid("1.3.6.1.2.1.2.1"), "ifNumber", integer, lambda v: len(v.states)),
    Table(
        oid("1.3.6.1.2.1.2.2.1"),
        "ifTable",
        _rows,
        _index,
        columns=(
            Column(1, "ifIndex", integer, lambda s, v: s.ifindex),
            Column(2, "ifDescr", text, lambda s, v: s.name),
            Column(3, "ifType", integer, lambda s, v: if_type(s.name)),
            Column(4, "ifMtu", integer, lambda s, v: MTU),
            Column(5, "ifSpeed", gauge, lambda s, v: s.speed_mbps * 1_000_000),
            Column(6, "ifPhysAddress", octets, lambda s, v: mac_bytes(s.mac)),
            Column(7, "ifAdminStatus", integer, lambda s, v: status(s.admin_up)),
            Column(8, "ifOperStatus", integer, lambda s, v: status(s.oper_up)),
            Column(9, "ifLastChange", timeticks, lambda s, v: v.ticks_at(s.last_change)),
            Column(10, "ifInOctets", counter32, lambda s, v: s.in_octets),
            Column(11, "ifInUcastPkts", counter32, lambda s, v: s.in_packets),
            Column(13, "ifInDiscards", counter32, zero),
            Column(14, "ifInErrors", counter32, in_errors),
            Column(15, "ifInUnknownProtos", counter32, zero),
            Column(16, "ifOutOctets", counter32, lambda s, v: s.out_octets),
            Column(17, "ifOutUcastPkts", counter32, lambda s, v: s.out_packets),
            Column(19, "ifOutDiscards", counter32, zero),
            Column(20, "ifOutErrors", counter32, out_errors),
        ),
    ),
    Table(
        oid("1.3.6.1.2.1.31.1.1.1"),
        "ifXTable",
        _rows,
        _index,
        columns=(
            Column(1, "ifName", text, lambda s, v: s.name),
            Column(2, "ifInMulticastPkts", counter32, zero),
            Column(3, "ifInBroadcastPkts", counter32, zero),
            Column(4, "ifOutMulticastPkts", counter32, zero),
            Column(5, "ifOutBroadcastPkts", counter32, zero),
            Column(6, "ifHCInOctets", counter64, lambda s, v: s.in_octets),
            Column(7, "ifHCInUcastPkts", counter64, lambda s, v: s.in_packets),
            Column(8, "ifHCInMulticastPkts", counter64, zero),
            Column(9, "ifHCInBroadcastPkts", counter64, zero),
            Column(10, "ifHCOutOctets", counter64, lambda s, v: s.out_octets),
            Column(11, "ifHCOutUcastPkts", counter64, lambda s, v: s.out_packets),
            Column(12, "ifHCOutMulticastPkts", counter64, zero),
            Column(13, "ifHCOutBroadcastPkts", counter64, zero),
            Column(14, "ifLinkUpDownTrapEnable", integer, lambda s, v: 1 if is_port(s.name) else 2),
            Column(15, "ifHighSpeed", gauge, lambda s, v: s.speed_mbps),
            Column(16, "ifPromiscuousMode", truth, lambda s, v: False),
            Column(17, "ifConnectorPresent", truth, lambda s, v: is_port(s.name)),
            Column(18, "ifAlias", text, lambda s, v: s.description),
            Column(19, "ifCounterDiscontinuityTime", timeticks, zero),
        ),
    ),
]
