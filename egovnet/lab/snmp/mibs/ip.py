"""IP-MIB: ipForwarding, ipv6IpForwarding, the legacy ipAddrTable (IPv4) and the RFC 4293 tables
ipAddressPrefixTable and ipAddressTable (IPv4 and IPv6), from the addresses in the running config.

An address on an interface that is not operationally up stays in the tables (it is configured) with
ipAddressStatus inaccessible(4), so a poller can tell "configured" from "usable".
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from egovnet.lab.model import InterfaceState, IPInterface
from egovnet.lab.snmp.registry import OID, Column, MibObject, Scalar, Table, oid
from egovnet.lab.snmp.syntax import integer, ip_address, object_id, timeticks, truth, unsigned
from egovnet.lab.snmp.view import DeviceView

IP_ADDRESS_PREFIX_ORIGIN = oid("1.3.6.1.2.1.4.32.1.5")
INFINITE_LIFETIME = 2**32 - 1
ORIGIN_MANUAL = 2
STATUS_PREFERRED, STATUS_INACCESSIBLE = 1, 4
ROW_ACTIVE, STORAGE_NON_VOLATILE = 1, 3
FORWARDING, NOT_FORWARDING = 1, 2


@dataclass(frozen=True)
class AddressRow:
    """One configured address on one interface."""

    state: InterfaceState
    address: IPInterface

    @property
    def family(self) -> int:
        """InetAddressType: ipv4(1), ipv6(2)."""
        return 1 if self.address.version == 4 else 2

    def inet_index(self) -> OID:
        """InetAddressType + length-prefixed InetAddress, as the ipAddressTable index."""
        packed = self.address.ip.packed
        return (self.family, len(packed), *packed)

    def prefix_index(self) -> OID:
        """ifIndex, type, length-prefixed prefix, prefix length: the ipAddressPrefixTable index."""
        packed = self.address.network.network_address.packed
        return (self.state.ifindex, self.family, len(packed), *packed, self.address.network.prefixlen)


def _interface_addresses(state: InterfaceState) -> list[AddressRow]:
    addresses: list[IPInterface] = [*state.ipv4, *state.ipv6]
    return [AddressRow(state, address) for address in addresses]


def _addresses(view: DeviceView) -> list[AddressRow]:
    rows: list[AddressRow] = view.memo(
        "ip:addresses", lambda: [row for state in view.states for row in _interface_addresses(state)]
    )
    return rows


def _ipv4(view: DeviceView) -> list[AddressRow]:
    return [row for row in _addresses(view) if row.family == 1]


def _prefixes(view: DeviceView) -> list[AddressRow]:
    unique: dict[OID, AddressRow] = {}
    for row in _addresses(view):
        unique.setdefault(row.prefix_index(), row)
    return list(unique.values())


def _forwarding(view: DeviceView, family: int) -> int:
    return FORWARDING if any(row.family == family for row in _addresses(view)) else NOT_FORWARDING


def _netmask(row: AddressRow) -> bytes:
    assert isinstance(row.address, ipaddress.IPv4Interface)
    return row.address.netmask.packed


IP_MIB: list[MibObject] = [
    Scalar(oid("1.3.6.1.2.1.4.1"), "ipForwarding", integer, lambda v: _forwarding(v, 1)),
    Table(
        oid("1.3.6.1.2.1.4.20.1"),
        "ipAddrTable",
        _ipv4,
        lambda r: tuple(r.address.ip.packed),
        columns=(
            Column(1, "ipAdEntAddr", ip_address, lambda r, v: r.address.ip.packed),
            Column(2, "ipAdEntIfIndex", integer, lambda r, v: r.state.ifindex),
            Column(3, "ipAdEntNetMask", ip_address, lambda r, v: _netmask(r)),
            Column(4, "ipAdEntBcastAddr", integer, lambda r, v: 1),
            Column(5, "ipAdEntReasmMaxSize", integer, lambda r, v: 65535),
        ),
    ),
    Scalar(oid("1.3.6.1.2.1.4.25"), "ipv6IpForwarding", integer, lambda v: _forwarding(v, 2)),
    Table(
        oid("1.3.6.1.2.1.4.32.1"),
        "ipAddressPrefixTable",
        _prefixes,
        AddressRow.prefix_index,
        columns=(
            Column(5, "ipAddressPrefixOrigin", integer, lambda r, v: ORIGIN_MANUAL),
            Column(6, "ipAddressPrefixOnLinkFlag", truth, lambda r, v: True),
            Column(7, "ipAddressPrefixAutonomousFlag", truth, lambda r, v: False),
            Column(8, "ipAddressPrefixAdvPreferredLifetime", unsigned, lambda r, v: INFINITE_LIFETIME),
            Column(9, "ipAddressPrefixAdvValidLifetime", unsigned, lambda r, v: INFINITE_LIFETIME),
        ),
    ),
    Table(
        oid("1.3.6.1.2.1.4.34.1"),
        "ipAddressTable",
        _addresses,
        AddressRow.inet_index,
        columns=(
            Column(3, "ipAddressIfIndex", integer, lambda r, v: r.state.ifindex),
            Column(4, "ipAddressType", integer, lambda r, v: 1),  # unicast
            Column(5, "ipAddressPrefix", object_id, lambda r, v: IP_ADDRESS_PREFIX_ORIGIN + r.prefix_index()),
            Column(6, "ipAddressOrigin", integer, lambda r, v: ORIGIN_MANUAL),
            Column(
                7,
                "ipAddressStatus",
                integer,
                lambda r, v: STATUS_PREFERRED if r.state.oper_up else STATUS_INACCESSIBLE,
            ),
            Column(8, "ipAddressCreated", timeticks, lambda r, v: 0),
            Column(9, "ipAddressLastChanged", timeticks, lambda r, v: 0),
            Column(10, "ipAddressRowStatus", integer, lambda r, v: ROW_ACTIVE),
            Column(11, "ipAddressStorageType", integer, lambda r, v: STORAGE_NON_VOLATILE),
        ),
    ),
]
