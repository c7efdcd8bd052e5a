"""LLDP-MIB (IEEE 802.1AB-2005): local system data, lldpLocPortTable and lldpRemTable from the links.

Neighbours are ``LabNetwork.lldp_neighbors``: a neighbour appears while the link is up and disappears
when it goes down, as LLDP ageing would make it. Chassis IDs are MAC addresses (subtype 4), port IDs
interface names (subtype 5), and a port's description is its configured description or, when it has
none, its name, the same on the local and the remote side.
"""

from __future__ import annotations

from dataclasses import dataclass

from egovnet.lab.model import LabDevice
from egovnet.lab.snmp.facts import chassis_mac, is_port, mac_bytes, sys_descr
from egovnet.lab.snmp.registry import Column, MibObject, Scalar, Table, oid, under
from egovnet.lab.snmp.syntax import integer, octets, text
from egovnet.lab.snmp.view import DeviceView

CHASSIS_SUBTYPE_MAC = 4
PORT_SUBTYPE_IFNAME = 5
# LldpSystemCapabilitiesMap BITS: bridge(2) = 0x20, wlanAccessPoint(3) = 0x10, router(4) = 0x08.
_CAPABILITIES = {"ap": 0x10, "cpe_5g": 0x08, "olt": 0x20}
_CAPABILITIES_DEFAULT = 0x28  # bridge + router


def capabilities(device: LabDevice) -> bytes:
    """The LLDP system capabilities (supported = enabled) of a device, by role."""
    return bytes([_CAPABILITIES.get(device.spec.role, _CAPABILITIES_DEFAULT)])


def port_description(name: str, description: str) -> str:
    """lldpLocPortDesc / lldpRemPortDesc: the description, or the name when there is none."""
    return description or name


@dataclass(frozen=True)
class Neighbour:
    """One lldpRemTable row."""

    local_ifindex: int
    device: LabDevice
    interface: str


def _neighbours(view: DeviceView) -> list[Neighbour]:
    return [
        Neighbour(view.states_by_name[local].ifindex, device, interface)
        for local, device, interface in view.lldp
    ]


def _remote_port_description(row: Neighbour, view: DeviceView) -> str:
    config = view.peer_config(row.device).get(row.interface)
    return port_description(row.interface, config.description if config else "")


LOCAL = oid("1.0.8802.1.1.2.1.3")
REMOTE = oid("1.0.8802.1.1.2.1.4")

LLDP_MIB: list[MibObject] = [
    Scalar(under(LOCAL, 1), "lldpLocChassisIdSubtype", integer, lambda v: CHASSIS_SUBTYPE_MAC),
    Scalar(under(LOCAL, 2), "lldpLocChassisId", octets, lambda v: mac_bytes(chassis_mac(v.device))),
    Scalar(under(LOCAL, 3), "lldpLocSysName", text, lambda v: v.device.hostname()),
    Scalar(under(LOCAL, 4), "lldpLocSysDesc", text, lambda v: sys_descr(v.device)),
    Scalar(under(LOCAL, 5), "lldpLocSysCapSupported", octets, lambda v: capabilities(v.device)),
    Scalar(under(LOCAL, 6), "lldpLocSysCapEnabled", octets, lambda v: capabilities(v.device)),
    Table(
        under(LOCAL, 7, 1),
        "lldpLocPortTable",
        rows=lambda v: [s for s in v.states if is_port(s.name)],
        index=lambda s: (s.ifindex,),
        columns=(
            Column(2, "lldpLocPortIdSubtype", integer, lambda s, v: PORT_SUBTYPE_IFNAME),
            Column(3, "lldpLocPortId", octets, lambda s, v: s.name.encode()),
            Column(4, "lldpLocPortDesc", text, lambda s, v: port_description(s.name, s.description)),
        ),
    ),
    Table(
        under(REMOTE, 1, 1),
        "lldpRemTable",
        rows=_neighbours,
        index=lambda r: (0, r.local_ifindex, 1),  # lldpRemTimeMark, lldpRemLocalPortNum, lldpRemIndex
        columns=(
            Column(4, "lldpRemChassisIdSubtype", integer, lambda r, v: CHASSIS_SUBTYPE_MAC),
            Column(5, "lldpRemChassisId", octets, lambda r, v: mac_bytes(chassis_mac(r.device))),
            Column(6, "lldpRemPortIdSubtype", integer, lambda r, v: PORT_SUBTYPE_IFNAME),
            Column(7, "lldpRemPortId", octets, lambda r, v: r.interface.encode()),
            Column(8, "lldpRemPortDesc", text, _remote_port_description),
            Column(9, "lldpRemSysName", text, lambda r, v: r.device.hostname()),
            Column(10, "lldpRemSysDesc", text, lambda r, v: sys_descr(r.device)),
            Column(11, "lldpRemSysCapSupported", octets, lambda r, v: capabilities(r.device)),
            Column(12, "lldpRemSysCapEnabled", octets, lambda r, v: capabilities(r.device)),
        ),
    ),
]
