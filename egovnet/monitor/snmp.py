"""The poller's SNMP layer: one pysnmp engine, every target registered up front, raw GET and GETBULK.

Why not pysnmp's high-level ``get_cmd``/``bulk_walk_cmd``: they register credentials and targets
lazily, inside the request, and that is quadratic at county scale (research note snmp.md section 3.2:
2,000 devices, first cycle 248 s instead of 84 s), and they wrap every varbind in MIB-aware objects
the monitor does not need. This module uses the command generators of ``pysnmp.entity.rfc3413``
directly with numeric OIDs, registers every credential and target before the first request, and
raises the socket's receive buffer so 50+ GETBULK responses in flight are not dropped by the kernel
(section 2.4).

SNMPv2c, and SNMPv3 authPriv with SHA-1/SHA-2 and AES-128 (what the county uses), do not go through
pysnmp at all unless asked: :mod:`egovnet.monitor.v2c` and :mod:`egovnet.monitor.v3` encode and
decode them directly, 5-30 times cheaper per varbind. pysnmp remains the path for the other privacy
protocols (DES, AES-192/256) and the reference the tests compare the codecs with.

Errors are classified for target health: a timeout (device down, unreachable, or a v1/v2c community
it refuses: SNMP cannot tell them apart), an SNMPv3 authentication error, or another SNMP error.
"""

from __future__ import annotations

import asyncio
import functools
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdgen
from pysnmp.proto import errind, rfc1905
from pysnmp.proto.api import v2c

from egovnet.monitor.udp import RECEIVE_BUFFER
from egovnet.monitor.udp import Timeout as NativeTimeout
from egovnet.monitor.v2c import V2cClient
from egovnet.monitor.v3 import V3Client, V3Credential, V3Error
from egovnet.snmpusm import supported as native_v3_supports

OID = tuple[int, ...]

#: Inventory spelling -> pysnmp protocol (``egovnet_snmp.auth_protocol`` / ``priv_protocol``).
AUTH_PROTOCOLS = {
    "md5": config.USM_AUTH_HMAC96_MD5,
    "sha": config.USM_AUTH_HMAC96_SHA,
    "sha224": config.USM_AUTH_HMAC128_SHA224,
    "sha256": config.USM_AUTH_HMAC192_SHA256,
    "sha384": config.USM_AUTH_HMAC256_SHA384,
    "sha512": config.USM_AUTH_HMAC384_SHA512,
}
PRIV_PROTOCOLS = {
    "des": config.USM_PRIV_CBC56_DES,
    "aes": config.USM_PRIV_CFB128_AES,
    "aes128": config.USM_PRIV_CFB128_AES,
    "aes192": config.USM_PRIV_CFB192_AES,
    "aes256": config.USM_PRIV_CFB256_AES,
}

_AUTH_ERRORS = (
    errind.UnknownUserName,
    errind.UnknownSecurityName,
    errind.WrongDigest,
    errind.AuthenticationError,
    errind.AuthenticationFailure,
    errind.DecryptionError,
    errind.UnsupportedSecurityLevel,
    errind.UnknownEngineID,
    errind.NotInTimeWindow,
    errind.UnknownCommunityName,
)


class EndOfMib:
    """Marker for endOfMibView / noSuchObject / noSuchInstance: there is no value here."""

    def __repr__(self) -> str:
        return "END"


END = EndOfMib()
Value = int | bytes | OID | EndOfMib


@dataclass(frozen=True)
class SnmpAuth:
    """Resolved credentials of one target; secrets stay out of ``repr`` (logs, test failures).

    Attributes:
        version: 2 (v2c community) or 3 (USM authPriv; the suite never polls noAuth v3).
    """

    version: Literal[2, 3]
    community: str = field(default="", repr=False)
    user: str = ""
    auth_protocol: str = "sha"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "aes128"
    priv_key: str = field(default="", repr=False)

    @classmethod
    def from_vars(cls, values: dict[str, Any], version: int | None = None) -> SnmpAuth:
        """From a resolved ``egovnet_snmp`` mapping; ``version`` overrides the mapping's choice."""
        chosen = int(version or values.get("version", 3))
        if chosen == 3:
            auth = str(values.get("auth_protocol", "sha")).lower()
            priv = str(values.get("priv_protocol", "aes128")).lower()
            if auth not in AUTH_PROTOCOLS or priv not in PRIV_PROTOCOLS:
                raise ValueError(f"unsupported SNMPv3 protocols {auth}/{priv}")
            for key in ("user", "auth_key", "priv_key"):
                if not values.get(key):
                    raise ValueError(f"egovnet_snmp.{key} is empty")
            return cls(
                3, "", str(values["user"]), auth, str(values["auth_key"]), priv, str(values["priv_key"])
            )
        if chosen in (1, 2):
            if not values.get("community"):
                raise ValueError("egovnet_snmp.community is empty")
            return cls(2, community=str(values["community"]))
        raise ValueError(f"unsupported SNMP version {chosen}")

    def identity(self) -> tuple[str, ...]:
        """What makes two credentials the same registration (keys included, never printed)."""
        if self.version == 2:
            return ("v2c", self.community)
        return ("v3", self.user, self.auth_protocol, self.auth_key, self.priv_protocol, self.priv_key)


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach one agent."""

    name: str
    host: str
    port: int
    auth: SnmpAuth
    timeout_s: float = 2.0
    retries: int = 1


class SnmpError(Exception):
    """A request failed; ``kind`` is ``timeout``, ``auth`` or ``error`` (the health classes)."""

    def __init__(self, kind: Literal["timeout", "auth", "error"], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class _BigBufferTransport(udp.UdpAsyncioTransport):  # type: ignore[misc]
    """The client socket, with a receive buffer large enough for many responses in flight."""

    def connection_made(self, transport: asyncio.DatagramTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        super().connection_made(transport)


def to_python(value: Any) -> Value:
    """A pysnmp value as plain Python: int, bytes, an OID tuple, or :data:`END`."""
    tag = value.tagSet
    if tag in (rfc1905.EndOfMibView.tagSet, rfc1905.NoSuchObject.tagSet, rfc1905.NoSuchInstance.tagSet):
        return END
    if isinstance(value, v2c.ObjectIdentifier):
        return tuple(value)
    if isinstance(value, v2c.OctetString):
        return bytes(value)
    return int(value)


def _classify(indication: Any) -> SnmpError:
    if isinstance(indication, errind.RequestTimedOut):
        return SnmpError("timeout", "no response (device down or unreachable, or it refused the community)")
    if isinstance(indication, _AUTH_ERRORS):
        return SnmpError("auth", f"authentication failed: {indication}")
    return SnmpError("error", str(indication))


class SnmpClient:
    """Asynchronous GET/GETBULK to registered endpoints (use within one event loop).

    SNMPv2c goes through the monitor's own codec (:mod:`egovnet.monitor.v2c`, ~30x cheaper per
    varbind than pysnmp) unless ``native_v2c`` is off; SNMPv3 authPriv through its own USM client
    (:mod:`egovnet.monitor.v3`) when it speaks the credential's protocols and ``native_v3`` is on;
    everything else through one pysnmp engine and one UDP socket. Turning a flag off routes that
    version through pysnmp (the reference the tests compare the codecs with).

    Call :meth:`register` with every endpoint before polling (and again only when the inventory
    changes), then :meth:`get`/:meth:`bulk` by endpoint name.
    """

    def __init__(self, native_v2c: bool = True, native_v3: bool = True) -> None:
        self.native_v2c = native_v2c
        self.native_v3 = native_v3
        self._engine: Any = None
        self._transport: _BigBufferTransport | None = None
        self._params: dict[tuple[str, ...], str] = {}
        self._users: dict[str, tuple[str, ...]] = {}
        self._targets: dict[str, Endpoint] = {}
        self._native: dict[str, Endpoint] = {}
        self._v2c = V2cClient()
        self._v3 = V3Client()
        self._get = cmdgen.GetCommandGenerator()
        self._bulk = cmdgen.BulkCommandGeneratorSingleRun()

    @property
    def engine(self) -> Any:
        """The pysnmp engine (created on first use: a poll on the native paths never needs it)."""
        if self._engine is None:
            self._engine = engine.SnmpEngine()
        return self._engine

    @property
    def v3(self) -> V3Client:
        """The native SNMPv3 client (its engine clocks, for tests and diagnostics)."""
        return self._v3

    def _open(self) -> None:
        if self._transport is None:
            self._transport = _BigBufferTransport().open_client_mode()
            config.add_transport(self.engine, udp.DOMAIN_NAME, self._transport)

    def _is_native(self, auth: SnmpAuth) -> bool:
        if auth.version == 2:
            return self.native_v2c
        return self.native_v3 and native_v3_supports(auth.auth_protocol, auth.priv_protocol)

    def _params_for(self, auth: SnmpAuth) -> str:
        key = auth.identity()
        if key in self._params:
            return self._params[key]
        name = f"p{len(self._params) + 1}"
        if auth.version == 2:
            config.add_v1_system(self.engine, name, auth.community)
            config.add_target_parameters(self.engine, name, name, "noAuthNoPriv", 1)
        else:
            known = self._users.get(auth.user)
            if known is not None and known != key:
                raise ValueError(
                    f"SNMPv3 user {auth.user!r} is given two different key sets; one engine can hold one"
                )
            if known is None:
                config.add_v3_user(
                    self.engine,
                    auth.user,
                    AUTH_PROTOCOLS[auth.auth_protocol],
                    auth.auth_key,
                    PRIV_PROTOCOLS[auth.priv_protocol],
                    auth.priv_key,
                )
                self._users[auth.user] = key
            config.add_target_parameters(self.engine, name, auth.user, "authPriv", 3)
        self._params[key] = name
        return name

    def register(self, endpoints: Iterable[Endpoint]) -> None:
        """Register credentials and target addresses (must run inside the event loop)."""
        for endpoint in endpoints:
            if self._is_native(endpoint.auth):
                self._native[endpoint.name] = endpoint
                continue
            self._open()
            if endpoint.name in self._targets:
                if self._targets[endpoint.name] == endpoint:
                    continue
                config.delete_target_address(self.engine, endpoint.name)
            params = self._params_for(endpoint.auth)
            config.add_target_address(
                self.engine,
                endpoint.name,
                udp.DOMAIN_NAME,
                (endpoint.host, endpoint.port),
                params,
                timeout=int(endpoint.timeout_s * 100),
                retryCount=endpoint.retries,
            )
            self._targets[endpoint.name] = endpoint

    def _callback(self, future: asyncio.Future[list[tuple[OID, Value]]]) -> Any:
        def done(
            _engine: Any, _handle: Any, indication: Any, status: Any, index: Any, var_binds: Any, _ctx: Any
        ) -> None:
            if future.done():
                return
            if indication:
                future.set_exception(_classify(indication))
            elif status:
                future.set_exception(SnmpError("error", f"agent answered {status.prettyPrint()} at {index}"))
            else:
                try:
                    future.set_result([(tuple(name), to_python(value)) for name, value in var_binds])
                except Exception as exc:  # a malformed value must fail this request, not the loop
                    future.set_exception(SnmpError("error", f"undecodable response: {exc}"))

        return done

    async def _native_request(
        self, endpoint: Endpoint, oids: Sequence[OID], bulk: tuple[int, int] | None
    ) -> list[tuple[OID, Value]]:
        auth = endpoint.auth
        address = (endpoint.host, endpoint.port)
        try:
            if auth.version == 2:
                answer: Any = await self._v2c.request(
                    address, auth.community.encode(), list(oids), bulk, endpoint.timeout_s, endpoint.retries
                )
            else:
                credential = V3Credential(
                    auth.user.encode(), auth.auth_protocol, auth.auth_key.encode(), auth.priv_key.encode()
                )
                answer = await self._v3.request(
                    address, credential, list(oids), bulk, endpoint.timeout_s, endpoint.retries
                )
        except NativeTimeout:
            raise SnmpError(
                "timeout", "no response (device down or unreachable, or it refused the community)"
            ) from None
        except V3Error as exc:
            raise SnmpError(exc.kind, exc.reason) from None
        if answer.error_status:
            raise SnmpError(
                "error", f"agent answered error-status {answer.error_status} at {answer.error_index}"
            )
        return [(name, END if value is None else value) for name, value in answer.varbinds]

    async def get(self, target: str, oids: Sequence[OID]) -> list[tuple[OID, Value]]:
        """GET ``oids`` in one PDU."""
        if target in self._native:
            return await self._native_request(self._native[target], oids, None)
        future: asyncio.Future[list[tuple[OID, Value]]] = asyncio.get_running_loop().create_future()
        self._get.send_varbinds(
            self.engine, target, None, "", [(oid, v2c.null) for oid in oids], self._callback(future)
        )
        return await future

    async def bulk(
        self, target: str, non_repeaters: int, max_repetitions: int, oids: Sequence[OID]
    ) -> list[tuple[OID, Value]]:
        """One GETBULK: the first ``non_repeaters`` OIDs once, then up to ``max_repetitions`` rows."""
        if target in self._native:
            return await self._native_request(self._native[target], oids, (non_repeaters, max_repetitions))
        future: asyncio.Future[list[tuple[OID, Value]]] = asyncio.get_running_loop().create_future()
        self._bulk.send_varbinds(
            self.engine,
            target,
            None,
            "",
            non_repeaters,
            max_repetitions,
            [(oid, v2c.null) for oid in oids],
            self._callback(future),
        )
        return await future

    def close(self) -> None:
        """Close the sockets and stop pysnmp's timer."""
        self._v2c.close()
        self._v3.close()
        if self._engine is not None and self._engine.transport_dispatcher is not None:
            self._engine.transport_dispatcher.close_dispatcher()
        self._transport = None


@functools.lru_cache(maxsize=4096)
def oid_of(text: str) -> OID:
    """``"1.3.6.1.2.1.1.3.0"`` -> ``(1, 3, 6, 1, 2, 1, 1, 3, 0)`` (cached: plans repeat a few OIDs)."""
    return tuple(int(part) for part in text.strip(".").split("."))
