"""Start and stop the twin's SNMP agent: every device on its own 127.x address, one asyncio process.

Two layouts (see the devsim research note, section 6):

* **Variant B (default)**: one ``SnmpEngine`` with one UDP socket per device address. 1000 devices
  start in well under a second with a few tens of MiB, but all devices share one SNMPv3 engineID.
* **Variant A** (``engine_per_device=True``): one engine per device on a shared dispatcher, each with
  its own engineID derived from the device name, for tests where per-device engine IDs matter. It
  costs roughly 0.1 s and 1 MiB per device at start-up.

Either way the MIB is one :class:`LabMibController` reading the live model, and every socket sits
behind a :class:`FaultGate`. Sockets are bound before pysnmp sees them, so a taken address fails at
once with the device's name instead of inside an asyncio callback.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import resource
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.carrier.asyncio.dispatch import AsyncioDispatcher
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto import rfc1902

from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.snmp.communities import ConfiguredCommunities
from egovnet.lab.snmp.controller import LabMibController
from egovnet.lab.snmp.credentials import SnmpCredentials
from egovnet.lab.snmp.fastpath import FastPath
from egovnet.lab.snmp.gate import FaultGate
from egovnet.lab.snmp.mibs import build_registry
from egovnet.lab.snmp.responders import BoundedBulkResponder

log = logging.getLogger(__name__)

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
MAX_MESSAGE_SIZE = 65507  # largest UDP payload; net-snmp agents accept it too (pysnmp's default: 4096)
PLACEHOLDER_ENTERPRISE = 99999
NO_SNMP_PLATFORMS = frozenset({"website"})
_COMMUNITY_INDEX = "egovnet-lab"
_FD_HEADROOM = 256
READY_TIMEOUT_S = 30.0  # asyncio attaches pre-bound sockets at once; this only bounds a broken start


class DeviceTransport(udp.UdpAsyncioTransport):  # type: ignore[misc]
    """The UDP socket of one device: datagrams pass its :class:`FaultGate`, then the :class:`FastPath`
    answers the common requests and pysnmp the rest."""

    def __init__(
        self, gate: FaultGate, loop: asyncio.AbstractEventLoop, fast: FastPath | None = None
    ) -> None:
        super().__init__(loop=loop)
        self.gate = gate
        self.fast = fast
        self.ready: asyncio.Future[None] = loop.create_future()

    def connection_made(self, transport: asyncio.DatagramTransport) -> None:
        """asyncio attached the socket: the device is listening."""
        super().connection_made(transport)
        if not self.ready.done():
            self.ready.set_result(None)

    def datagram_received(self, datagram: bytes, transport_address: Any) -> None:
        """Drop, spoil or pass a request according to the device's faults."""
        admitted = self.gate.admit(datagram)
        if admitted is None:
            return
        if self.fast is not None and self.transport is not None:
            response = self.fast.answer(self.gate.device, admitted)
            if response is not None:
                self.transport.sendto(response, transport_address)
                return
        super().datagram_received(admitted, transport_address)


@dataclass
class SnmpLab:
    """A running agent; :meth:`close` stops it (call it on the loop that started it).

    Attributes:
        network: the twin served.
        port: the UDP port every device listens on.
        endpoints: device name -> (address, port).
        engines: the pysnmp engines (one in variant B, one per device in variant A).
    """

    network: LabNetwork
    port: int
    endpoints: dict[str, tuple[str, int]]
    engines: list[Any]
    dispatcher: Any
    sockets: list[socket.socket] = field(repr=False)
    closed: bool = False

    def engine_id(self, device: str) -> bytes:
        """The SNMPv3 engineID that answers for ``device``."""
        if len(self.engines) == 1:
            return bytes(self.engines[0].snmpEngineID)
        names = list(self.endpoints)
        return bytes(self.engines[names.index(device)].snmpEngineID)

    def close(self) -> None:
        """Close every socket and stop pysnmp's timer; idempotent."""
        if self.closed:
            return
        self.closed = True
        self.dispatcher.close_dispatcher()
        for snmp_engine in self.engines:
            if snmp_engine.transport_dispatcher is not None:
                snmp_engine.unregister_transport_dispatcher()
        for sock in self.sockets:
            sock.close()


def _check_address(device: LabDevice) -> str:
    address = device.spec.address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{device.name}: twin address {address!r} is not an IP address") from None
    if parsed not in LOOPBACK:
        raise ValueError(f"{device.name}: twin address {address} is outside 127.0.0.0/8")
    return address


def _ensure_fd_limit(sockets_needed: int) -> None:
    """Raise the soft open-files limit (up to the hard one) so a county-sized twin fits in one process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = sockets_needed + _FD_HEADROOM
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new_soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new_soft, hard))
        log.info("raised the open-files limit from %d to %d for %d sockets", soft, new_soft, sockets_needed)


def _bind(devices: list[LabDevice], port: int) -> list[socket.socket]:
    sockets: list[socket.socket] = []
    try:
        for device in devices:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sockets.append(sock)
            try:
                sock.bind((_check_address(device), port))
            except OSError as exc:
                raise OSError(
                    exc.errno, f"{device.name}: cannot bind {device.spec.address}:{port}: {exc.strerror}"
                ) from exc
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def per_device_engine_id(device: LabDevice) -> bytes:
    """RFC 3411 engineID: enterprise 99999 (placeholder) with the high bit, format 5, name digest."""
    prefix = (0x80000000 | PLACEHOLDER_ENTERPRISE).to_bytes(4, "big") + b"\x05"
    return prefix + hashlib.sha256(device.name.encode()).digest()[:8]


def _new_engine(credentials: SnmpCredentials, engine_id: bytes | None) -> Any:
    snmp_engine = engine.SnmpEngine(None if engine_id is None else rfc1902.OctetString(engine_id))
    builder = snmp_engine.get_mib_builder()
    (max_size,) = builder.import_symbols("__SNMP-FRAMEWORK-MIB", "snmpEngineMaxMessageSize")
    max_size.syntax = max_size.syntax.clone(MAX_MESSAGE_SIZE)
    config.add_v1_system(snmp_engine, _COMMUNITY_INDEX, credentials.community)
    config.add_v3_user(
        snmp_engine,
        credentials.user,
        config.USM_AUTH_HMAC96_SHA,
        credentials.auth_key,
        config.USM_PRIV_CFB128_AES,
        credentials.priv_key,
    )
    return snmp_engine


def _serve(snmp_engine: Any, controller: LabMibController) -> None:
    snmp_context = context.SnmpContext(snmp_engine)
    snmp_context.unregister_context_name(b"")
    snmp_context.register_context_name(b"", controller)
    cmdrsp.GetCommandResponder(snmp_engine, snmp_context)
    cmdrsp.NextCommandResponder(snmp_engine, snmp_context)
    BoundedBulkResponder(snmp_engine, snmp_context)
    cmdrsp.SetCommandResponder(snmp_engine, snmp_context)


def _served(network: LabNetwork, select: Callable[[LabDevice], bool] | None) -> list[LabDevice]:
    chosen: Iterable[LabDevice] = network.devices.values()
    if select is not None:
        chosen = filter(select, chosen)
    return [device for device in chosen if device.spec.platform not in NO_SNMP_PLATFORMS]


async def start_snmp(
    network: LabNetwork,
    credentials: SnmpCredentials,
    port: int = 161,
    *,
    engine_per_device: bool = False,
    select: Callable[[LabDevice], bool] | None = None,
    fast_path: bool = True,
) -> SnmpLab:
    """Serve every device of ``network`` (or those ``select`` picks) on ``address:port``/UDP.

    Arguments:
        network: the twin; values are read from it on every request.
        credentials: the community and v3 user all devices accept.
        port: UDP port (161 needs root or CAP_NET_BIND_SERVICE).
        engine_per_device: variant A (per-device engineIDs) instead of variant B.
        select: optional filter, e.g. to shard a large twin over several processes.
        fast_path: answer common requests without pysnmp (:mod:`egovnet.lab.snmp.fastpath`); off,
            every request goes through pysnmp (the reference the tests compare the fast path with).

    Raises:
        ValueError: a device address is not in 127.0.0.0/8.
        OSError: an address/port cannot be bound (the message names the device).
    """
    loop = asyncio.get_running_loop()
    devices = _served(network, select)
    _ensure_fd_limit(len(devices))
    sockets = _bind(devices, port)
    endpoints = {device.name: (device.spec.address, port) for device in devices}
    lab = SnmpLab(network, port, endpoints, [], AsyncioDispatcher(loop=loop), sockets)
    try:
        domains = [(*udp.DOMAIN_NAME, index) for index in range(1, len(devices) + 1)]
        registry = build_registry()
        controller = LabMibController(network, registry, dict(zip(domains, devices, strict=True)))
        if engine_per_device:
            lab.dispatcher.register_routing_callback(lambda domain, _address, _message: domain)
            for domain, device in zip(domains, devices, strict=True):
                lab.engines.append(_new_engine(credentials, per_device_engine_id(device)))
                lab.engines[-1].register_transport_dispatcher(lab.dispatcher, domain)
        else:
            lab.engines.append(_new_engine(credentials, None))
            lab.engines[0].register_transport_dispatcher(lab.dispatcher)
        transports = []
        communities = ConfiguredCommunities(credentials.community)
        communities.engines = lab.engines
        fast: FastPath | None = None
        for position, (domain, device, sock) in enumerate(zip(domains, devices, sockets, strict=True)):
            owner = lab.engines[position] if engine_per_device else lab.engines[0]
            if engine_per_device or position == 0:
                _serve(owner, controller)
                fast = FastPath(network, registry, credentials, owner) if fast_path else None
            transports.append(DeviceTransport(FaultGate(device, communities), loop, fast))
            transports[-1].open_server_mode(sock=sock)
            config.add_transport(owner, domain, transports[-1])
        await asyncio.wait_for(asyncio.gather(*(t.ready for t in transports)), READY_TIMEOUT_S)
    except BaseException:
        lab.close()
        raise
    log.info(
        "SNMP agent serving %d devices on UDP port %d (%s)",
        len(devices),
        port,
        "engine per device" if engine_per_device else "shared engine",
    )
    return lab
