"""Operational facts every dialect renders: interface state, neighbours, reachability.

All of it is read from :class:`~egovnet.lab.model.LabNetwork` at the moment a command runs, so
a ``shutdown`` on one device is visible in ``display interface`` on its peer immediately.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from egovnet.lab.cli.session import CliSession
from egovnet.lab.model import InterfaceState, LabDevice, _is_physical


def states(s: CliSession) -> list[InterfaceState]:
    return s.network.interface_states(s.device)


def state(s: CliSession, name: str) -> InterfaceState | None:
    return next((st for st in states(s) if st.name == name), None)


def is_physical(name: str) -> bool:
    """Same classification the model uses for oper state (cabled ports vs logical interfaces)."""
    return _is_physical(name)


def routed(st: InterfaceState) -> bool:
    """Interfaces that appear in IP tables: logical ones and ports with an address."""
    return bool(st.ipv4 or st.ipv6) or not is_physical(st.name)


def mtu(device: LabDevice, name: str, default: int = 1500) -> int:
    section = device.running.child(f"interface {name}")
    for line in section.children if section else []:
        words = line.text.split()
        if words[:1] == ["mtu"] and len(words) > 1 and words[1].isdigit():
            return int(words[1])
    return default


def utilisation(device: LabDevice, st: InterfaceState, octets: int) -> float:
    """Average utilisation in percent since boot, from the model's counters."""
    seconds = max(device.uptime(), 1.0)
    return min(100.0, octets * 8 / seconds / (st.speed_mbps * 1_000_000) * 100) if st.oper_up else 0.0


@dataclass(frozen=True)
class Neighbor:
    """One LLDP neighbour as the local device learns it."""

    local: str
    device: LabDevice
    port: str
    port_description: str


def neighbors(s: CliSession) -> list[Neighbor]:
    result = []
    for local, peer, port in s.network.lldp_neighbors(s.device):
        config = peer.interface_config().get(port)
        result.append(Neighbor(local, peer, port, config.description if config else ""))
    return result


def mgmt_address(device: LabDevice) -> str:
    """The management IPv4 address without prefix length (LLDP management address)."""
    return device.spec.mgmt_ipv4.split("/")[0] if device.spec.mgmt_ipv4 else ""


def ping(s: CliSession, target: str) -> bool | None:
    """Whether ``target`` answers; ``None`` when it is not an address."""
    try:
        ipaddress.ip_address(target)
    except ValueError:
        return None
    return s.network.reachable(s.device.name, target)
