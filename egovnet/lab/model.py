"""The twin's device model: one stateful object per device, read and written by every front-end.

The SSH CLI (``egovnet.lab.cli``), the SNMP agent (``egovnet.lab.snmp``) and fault injection all work
on the same :class:`LabDevice` objects inside one :class:`LabNetwork`. Nothing operational is canned:
interface state, addresses, LLDP neighbours and reachability are derived on every read from the
running configuration tree plus the topology links plus the injected faults, so a ``shutdown`` typed
over SSH is visible over SNMP on both ends of the link at once.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from egovnet.configparse import HOSTNAME_COMMAND, InterfaceConfig, read_interface_config
from egovnet.lab.config_tree import ConfigNode
from egovnet.platforms import platform as lookup_platform

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


@dataclass(frozen=True)
class PortSpec:
    """A physical or logical port the device has from the factory or the inventory.

    Attributes:
        name: full canonical name (``GigabitEthernet0/0/1``, ``LoopBack0``, ``Vlanif10``).
        speed_mbps: nominal speed; links may run slower (the link's speed wins).
        mac: hardware address, ``xxxx-xxxx-xxxx`` is rendered by dialects from this ``aa:bb:..`` form.
    """

    name: str
    speed_mbps: int
    mac: str


@dataclass(frozen=True)
class LinkSpec:
    """A cable (or radio link) between two device ports, from the inventory.

    A link whose far end is outside the inventory (the county egress to the city's PE routers) has
    empty ``b_device``/``b_interface`` and names that network in ``external``: the provider's router
    is not simulated, but the cable is, so the port is up until a fault cuts it.
    """

    a_device: str
    a_interface: str
    b_device: str
    b_interface: str
    speed_mbps: int
    medium: str
    role: str
    external: str = ""


@dataclass(frozen=True)
class DeviceSpec:
    """Everything the inventory says about one device, as the twin needs it.

    Attributes:
        name: inventory host name (also the initial sysname/hostname).
        platform: inventory platform (see :mod:`egovnet.platforms`).
        role: inventory role (core, township_router, access, wlc, cpe_5g, olt, ...).
        address: the twin's listening address in 127.0.0.0/8.
        mgmt_ipv4: the management address the real device has (appears in the base config).
        interface_ipv4: base-config IPv4 addresses per interface (``"10.99.0.1/30"``).
        extra: kind-specific inputs (site attributes, AP lists, households, cell ids, ...).
    """

    name: str
    platform: str
    role: str
    vendor: str
    model: str
    serial: str
    os_version: str
    address: str
    mgmt_ipv4: str
    ports: tuple[PortSpec, ...]
    interface_ipv4: Mapping[str, str] = field(default_factory=dict)
    site_id: str = ""
    site_level: str = ""
    site_area: str = ""
    location: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dialect(self) -> str | None:
        """The CLI dialect, ``None`` for SNMP-only kinds."""
        return lookup_platform(self.platform).dialect


@dataclass
class InterfaceState:
    """Operational state of one interface, derived on each read (never stored)."""

    name: str
    ifindex: int
    admin_up: bool
    oper_up: bool
    speed_mbps: int
    mac: str
    description: str
    ipv4: list[ipaddress.IPv4Interface]
    ipv6: list[ipaddress.IPv6Interface]
    peer_device: str | None
    peer_interface: str | None
    in_octets: int
    out_octets: int
    in_packets: int
    out_packets: int
    last_change: float


@dataclass
class Faults:
    """Injected faults of one device (``egovnet lab fault``); all off by default.

    ``aps_down`` names access points a wireless controller reports offline (for APs that are not
    twin devices themselves; an AP that is a twin device goes offline with its own ``device_down``).
    """

    device_down: bool = False
    slow_ms: int = 0
    drop_after_commands: int | None = None
    reject_commands: list[str] = field(default_factory=list)
    reject_commit: bool = False
    auth_failure: bool = False
    snmp_loss: float = 0.0
    aps_down: set[str] = field(default_factory=set)

    def clear(self) -> None:
        """Heal everything."""
        self.__init__()  # type: ignore[misc]


@dataclass(frozen=True)
class LoadedConfig:
    """A configuration a device booted with, as text, and the tree parsed from it.

    ``egovnet lab up --from-backups`` boots devices from the text ``egovnet backup`` read off the real
    devices. Dialects print that text verbatim (header comments and timestamps included) for as long
    as the printed tree still equals ``tree``, so a backup taken from the twin reproduces the file
    byte for byte; once the configuration changes they render the tree as for any other device.
    """

    text: str
    tree: ConfigNode


def _seed(*parts: str) -> int:
    """A stable pseudo-random integer from names (same twin, same numbers, every run)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


@dataclass
class _Counter:
    """Octet/packet counters of one interface that grow with a traffic model while the link is up."""

    utilisation: float
    in_octets: float = 0.0
    out_octets: float = 0.0
    updated: float = field(default_factory=time.monotonic)


class LabDevice:
    """One simulated device: configuration trees, files, counters and faults."""

    def __init__(self, spec: DeviceSpec, base_config: ConfigNode) -> None:
        self.spec = spec
        self.running = base_config
        self.saved = base_config.copy()
        self.candidate: ConfigNode | None = None
        self.loaded: LoadedConfig | None = None
        self._interfaces: tuple[tuple[str, ...], dict[str, InterfaceConfig]] | None = None
        self.files: dict[str, bytes] = {}
        self.boot_time = time.time()
        self.faults = Faults()
        self.last_change: dict[str, float] = {}
        self._counters: dict[str, _Counter] = {}
        self.ifindex = {port.name: index for index, port in enumerate(spec.ports, start=1)}

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def dialect(self) -> str | None:
        return self.spec.dialect

    def hostname(self) -> str:
        """The configured sysname/hostname (falls back to the inventory name)."""
        keyword = HOSTNAME_COMMAND.get(self.dialect or "", "sysname")
        for node in self.running.children_starting(keyword + " "):
            return node.text.split(None, 1)[1]
        return self.spec.name

    def interface_config(self) -> dict[str, InterfaceConfig]:
        """Per-interface config read from the running tree.

        Devices without a CLI (5G CPEs, OLTs, Linux hosts) are configured by their operator, not by
        egovnet: their addresses are the inventory's, so they still route (a CPE carries the backup path).

        Read once per configuration: every walk, LLDP table and ping reads the interfaces of many
        devices, and comparing the tree's lines costs a sixth of parsing their addresses again. The
        tree is edited in place by many paths, so its lines (not its identity) are the key.
        """
        lines = tuple(self.running.lines())
        if self._interfaces is None or self._interfaces[0] != lines:
            if self.dialect is None:
                config = {
                    name: InterfaceConfig(name, ipv4=[ipaddress.IPv4Interface(address)])
                    for name, address in self.spec.interface_ipv4.items()
                }
            else:
                config = read_interface_config(self.running, self.dialect)
            self._interfaces = (lines, config)
        return dict(self._interfaces[1])

    def boot_from(self, text: str, tree: ConfigNode) -> None:
        """Start from a stored configuration: ``tree`` (parsed from ``text``) is running and saved.

        Operational state needs nothing more: it is derived from the running tree on every read.
        """
        self.running = tree
        self.saved = tree.copy()
        self.candidate = None
        self.loaded = LoadedConfig(text, tree.copy())

    def reboot(self) -> None:
        """Power-cycle: running becomes saved, uptime and counters restart."""
        self.running = self.saved.copy()
        self.candidate = None
        self.boot_time = time.time()
        self._counters.clear()

    def uptime(self) -> float:
        """Seconds since (simulated) boot."""
        return max(0.0, time.time() - self.boot_time)

    def counter(self, ifname: str, speed_mbps: int, up: bool) -> tuple[int, int]:
        """Advance and return (in_octets, out_octets) of ``ifname`` under the traffic model."""
        now = time.monotonic()
        state = self._counters.get(ifname)
        if state is None:
            util = 0.02 + (_seed(self.name, ifname) % 3000) / 10000.0
            state = self._counters[ifname] = _Counter(util, updated=now)
        if up:
            bytes_per_s = speed_mbps * 1_000_000 / 8 * state.utilisation
            elapsed = now - state.updated
            state.in_octets += bytes_per_s * elapsed
            state.out_octets += bytes_per_s * elapsed * 0.6
        state.updated = now
        return int(state.in_octets), int(state.out_octets)


class LabNetwork:
    """All devices and links of one twin; the place where cross-device state is derived."""

    def __init__(self, devices: Iterable[LabDevice], links: Iterable[LinkSpec]) -> None:
        self.devices: dict[str, LabDevice] = {device.name: device for device in devices}
        self.links: list[LinkSpec] = list(links)
        self.link_down: set[tuple[str, str]] = set()
        self._peer: dict[tuple[str, str], tuple[str, str, LinkSpec]] = {}
        self._external: dict[tuple[str, str], LinkSpec] = {}
        for link in self.links:
            if not link.b_device:
                self._external[(link.a_device, link.a_interface)] = link
                continue
            self._peer[(link.a_device, link.a_interface)] = (link.b_device, link.b_interface, link)
            self._peer[(link.b_device, link.b_interface)] = (link.a_device, link.a_interface, link)
        self.started = time.time()

    def peer(self, device: str, ifname: str) -> tuple[str, str, LinkSpec] | None:
        """The far end of the link on ``device``/``ifname``, if cabled to a device of the inventory."""
        return self._peer.get((device, ifname))

    def link_at(self, device: str, ifname: str) -> LinkSpec | None:
        """The link cabled to ``device``/``ifname``, whether its far end is a device or external."""
        far = self._peer.get((device, ifname))
        return far[2] if far is not None else self._external.get((device, ifname))

    def set_link_down(self, device: str, ifname: str, down: bool = True) -> None:
        """Fault: cut (or restore) the cable at ``device``/``ifname``; both ends see it."""
        if self.link_at(device, ifname) is None:
            raise KeyError(f"{device} {ifname}: no link is cabled to that interface")
        far = self.peer(device, ifname)
        keys = {(device, ifname)} | ({(far[0], far[1])} if far is not None else set())
        if down:
            self.link_down |= keys
        else:
            self.link_down -= keys
        now = time.time()
        self.devices[device].last_change[ifname] = now
        if far is not None and far[0] in self.devices:
            self.devices[far[0]].last_change[far[1]] = now

    def _admin_up(self, device: LabDevice, ifname: str, config: Mapping[str, InterfaceConfig]) -> bool:
        if device.faults.device_down:
            return False
        conf = config.get(ifname)
        return not (conf is not None and conf.shutdown)

    def oper_up(
        self, device: LabDevice, ifname: str, config: Mapping[str, InterfaceConfig] | None = None
    ) -> bool:
        """Link state: both ends administratively up, cable intact, both devices powered."""
        config = device.interface_config() if config is None else config
        if not self._admin_up(device, ifname, config):
            return False
        if self.link_at(device.name, ifname) is None:
            # Logical interfaces (loopbacks, VLAN interfaces) are up when enabled; unused ports are down.
            return not _is_physical(ifname)
        if (device.name, ifname) in self.link_down:
            return False
        far = self.peer(device.name, ifname)
        if far is None:
            return True  # cabled to a network outside the inventory (the city's PE): up unless cut
        other = self.devices.get(far[0])
        if other is None:
            return True  # the peer is outside this twin (e.g. the city extranet): assume it is up
        return self._admin_up(other, far[1], other.interface_config())

    def interface_states(self, device: LabDevice) -> list[InterfaceState]:
        """Every interface of ``device`` with derived state, in ifIndex order."""
        config = device.interface_config()
        names = [port.name for port in device.spec.ports]
        names += [name for name in config if name not in names]
        for name in names:  # logical interfaces created by configuration get the next free ifIndex, once
            if name not in device.ifindex:
                device.ifindex[name] = max(device.ifindex.values(), default=0) + 1
        ports = {port.name: port for port in device.spec.ports}
        states = []
        for name in sorted(names, key=lambda n: device.ifindex[n]):
            conf = config.get(name, InterfaceConfig(name))
            far = self.peer(device.name, name)
            link = self.link_at(device.name, name)
            port = ports.get(name)
            speed = link.speed_mbps if link else (port.speed_mbps if port else 1000)
            up = self.oper_up(device, name, config)
            in_o, out_o = device.counter(name, speed, up)
            states.append(
                InterfaceState(
                    name=name,
                    ifindex=device.ifindex[name],
                    admin_up=self._admin_up(device, name, config),
                    oper_up=up,
                    speed_mbps=speed,
                    mac=port.mac if port else _logical_mac(device.name, name),
                    description=conf.description,
                    ipv4=list(conf.ipv4),
                    ipv6=list(conf.ipv6) if conf.ipv6_enabled else [],
                    peer_device=far[0] if far else None,
                    peer_interface=far[1] if far else None,
                    in_octets=in_o,
                    out_octets=out_o,
                    in_packets=in_o // 700,
                    out_packets=out_o // 700,
                    last_change=device.last_change.get(name, device.boot_time),
                )
            )
        return states

    def lldp_neighbors(self, device: LabDevice) -> list[tuple[str, LabDevice, str]]:
        """(local interface, neighbour device, neighbour interface) for every up link to a twin device."""
        result = []
        for state in self.interface_states(device):
            if state.oper_up and state.peer_device in self.devices and state.peer_interface:
                result.append((state.name, self.devices[state.peer_device], state.peer_interface))
        return result

    def owner_of(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> LabDevice | None:
        """The device that has ``address`` configured on an up interface.

        Every ping asks this of the whole twin, so it reads the (cached) interface configuration and
        derives link state only for an interface holding the address, not every interface's state.
        """
        for device in self.devices.values():
            if device.faults.device_down:
                continue
            config = device.interface_config()
            for name, conf in config.items():
                addrs: list[IPInterface] = [*conf.ipv4, *(conf.ipv6 if conf.ipv6_enabled else [])]
                if any(a.ip == address for a in addrs) and self.oper_up(device, name, config):
                    return device
        return None

    @staticmethod
    def _routes_family(device: LabDevice, ifname: str, family: int) -> bool:
        """Whether the port carries ``family``: its own addresses, or its aggregate's (``Eth-Trunk1``)."""
        config = device.interface_config()
        conf = config.get(ifname)
        if conf is None:
            return False
        if conf.bundle:
            bundle = config.get(conf.bundle)
            return bundle is not None and not bundle.shutdown and _has_family(bundle, family)
        return _has_family(conf, family)

    def reachable(self, source: str, address: str) -> bool:
        """Whether ``source`` can reach ``address``: a path of up links exists on which both ends of
        every hop have that address family configured (IPv6 migration is verified with this)."""
        target_ip = ipaddress.ip_address(address)
        owner = self.owner_of(target_ip)
        if owner is None or self.devices[source].faults.device_down:
            return False
        if owner.name == source:
            return True
        family = target_ip.version
        seen = {source}
        queue = deque([source])
        while queue:
            current = self.devices[queue.popleft()]
            for state in self.interface_states(current):
                if not state.oper_up or state.peer_device not in self.devices or not state.peer_interface:
                    continue
                if not self._routes_family(current, state.name, family):
                    continue
                peer = self.devices[state.peer_device]
                if not self._routes_family(peer, state.peer_interface, family) or peer.name in seen:
                    continue
                if peer.name == owner.name:
                    return True
                seen.add(peer.name)
                queue.append(peer.name)
        return False


def _has_family(conf: InterfaceConfig, family: int) -> bool:
    return bool(conf.ipv4) if family == 4 else bool(conf.ipv6) and conf.ipv6_enabled


def _is_physical(ifname: str) -> bool:
    lowered = ifname.lower()
    return not lowered.startswith(
        (
            "loopback",
            "vlanif",
            "vlan-interface",
            "vlan",
            "null",
            "eth-trunk",
            "bridge-aggregation",
            "port-channel",
            "tunnel",
            "nve",
        )
    )


def _logical_mac(device: str, ifname: str) -> str:
    value = _seed(device, ifname, "mac")
    octets = [0x00, 0xE0, 0xFC, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
    return ":".join(f"{o:02x}" for o in octets)
