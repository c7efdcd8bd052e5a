"""SNMPv2c GET/GETBULK on the wire, without pysnmp: a minimal BER codec and an asyncio UDP client.

Why: pysnmp spends ~65 µs of CPU per varbind decoding with pyasn1 (research note snmp.md sections
0 and 2.3), 20-30x net-snmp's C client, and that is the poller's whole budget. SNMPv2c messages are
a handful of fixed shapes (RFC 3416), so a purpose-written decoder reads a response at ~2 µs per
varbind. SNMPv3 (USM authentication and privacy) stays with pysnmp, which the county uses by
default; this path serves v2c devices (and is the baseline the benchmark compares with net-snmp).

Scope, deliberately small: community-based v2c, GetRequest and GetBulkRequest out, Response in;
INTEGER, OCTET STRING, OBJECT IDENTIFIER, IpAddress, Counter32, Gauge32, TimeTicks, Opaque,
Counter64 and the three exception values. Anything else, or a malformed message, is an error for
that request, never an exception in the event loop. Responses are matched by request-id, community
and source address; a retry resends the same request-id, so a late first answer still counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
from dataclasses import dataclass

OID = tuple[int, ...]
Raw = int | bytes | OID | None  # None: endOfMibView / noSuchObject / noSuchInstance

GET, GETBULK, RESPONSE = 0xA0, 0xA5, 0xA2
_UNSIGNED = frozenset({0x41, 0x42, 0x43, 0x46, 0x47})  # Counter32, Gauge32, TimeTicks, Counter64, UInteger32
_STRINGS = frozenset({0x04, 0x40, 0x44})  # OCTET STRING, IpAddress, Opaque
_EXCEPTIONS = frozenset({0x80, 0x81, 0x82})
RECEIVE_BUFFER = 4 << 20


class DecodeError(ValueError):
    """A message that is not a well-formed SNMPv2c response."""


# -- encoding ------------------------------------------------------------------------------------
def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes((size,))
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes((tag,)) + _length(len(value)) + value


def _integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def encode_oid(oid: OID) -> bytes:
    """An OBJECT IDENTIFIER (first two arcs combined, then base-128 arcs)."""
    if len(oid) < 2 or oid[0] > 2:
        raise ValueError(f"invalid OID {oid}")
    out = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        out += bytes(reversed(chunk))
    return _tlv(0x06, bytes(out))


def encode_request(
    request_id: int, community: bytes, oids: list[OID], bulk: tuple[int, int] | None = None
) -> bytes:
    """A GetRequest, or a GetBulkRequest when ``bulk`` = (non-repeaters, max-repetitions)."""
    varbinds = b"".join(_tlv(0x30, encode_oid(oid) + b"\x05\x00") for oid in oids)
    second, third = bulk if bulk is not None else (0, 0)
    pdu = _tlv(
        GETBULK if bulk else GET,
        _integer(request_id) + _integer(second) + _integer(third) + _tlv(0x30, varbinds),
    )
    return _tlv(0x30, _integer(1) + _tlv(0x04, community) + pdu)


# -- decoding ------------------------------------------------------------------------------------
def _header(data: bytes, position: int, tag: int | None = None) -> tuple[int, int, int]:
    """(tag, length, value offset) of the element at ``position``; bounds-checked."""
    if position + 2 > len(data):
        raise DecodeError("truncated message")
    found = data[position]
    if tag is not None and found != tag:
        raise DecodeError(f"expected tag 0x{tag:02x}, found 0x{found:02x}")
    first = data[position + 1]
    if first < 0x80:
        size, start = first, position + 2
    else:
        count = first & 0x7F
        if not 0 < count <= 4:
            raise DecodeError("unsupported length form")
        size, start = int.from_bytes(data[position + 2 : position + 2 + count], "big"), position + 2 + count
    if start + size > len(data):
        raise DecodeError("element longer than the message")
    return found, size, start


def decode_oid(raw: bytes) -> OID:
    """The arcs of an OBJECT IDENTIFIER's contents."""
    if not raw:
        raise DecodeError("empty OID")
    first = raw[0]
    arcs = [first // 40, first % 40] if first < 80 else [2, first - 80]
    value = 0
    for octet in raw[1:]:
        value = (value << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(value)
            value = 0
    if raw[-1] & 0x80:
        raise DecodeError("OID ends inside an arc")
    return tuple(arcs)


@dataclass(frozen=True)
class Response:
    """A decoded Response-PDU."""

    request_id: int
    community: bytes
    error_status: int
    error_index: int
    varbinds: list[tuple[OID, Raw]]


def decode_response(data: bytes) -> Response:
    """Decode an SNMPv2c Response message (raise :class:`DecodeError` otherwise)."""
    _, _, position = _header(data, 0, 0x30)
    _, size, start = _header(data, position, 0x02)
    if data[start : start + size] != b"\x01":
        raise DecodeError("not an SNMPv2c message")
    _, size, start = _header(data, start + size, 0x04)
    community = data[start : start + size]
    _, _, start = _header(data, start + size, RESPONSE)
    numbers = []
    for _ in range(3):
        _, size, start = _header(data, start, 0x02)
        numbers.append(int.from_bytes(data[start : start + size], "big", signed=True))
        start += size
    _, size, start = _header(data, start, 0x30)
    end = start + size
    varbinds: list[tuple[OID, Raw]] = []
    append = varbinds.append
    while start < end:
        _, _, inner = _header(data, start, 0x30)
        _, size, name_at = _header(data, inner, 0x06)
        name = decode_oid(data[name_at : name_at + size])
        tag, size, value_at = _header(data, name_at + size, None)
        raw = data[value_at : value_at + size]
        value: Raw
        if tag in _UNSIGNED:
            value = int.from_bytes(raw, "big")
        elif tag == 0x02:
            value = int.from_bytes(raw, "big", signed=True)
        elif tag in _STRINGS:
            value = raw
        elif tag == 0x06:
            value = decode_oid(raw)
        elif tag in _EXCEPTIONS:
            value = None
        else:
            raise DecodeError(f"unsupported value tag 0x{tag:02x}")
        append((name, value))
        start = value_at + size
    return Response(numbers[0], community, numbers[1], numbers[2], varbinds)


# -- transport -----------------------------------------------------------------------------------
class Timeout(Exception):  # noqa: N818 - mirrors pysnmp's RequestTimedOut
    """No response after every retry."""


@dataclass
class _Pending:
    future: asyncio.Future[Response]
    address: tuple[str, int]
    community: bytes


class V2cClient(asyncio.DatagramProtocol):
    """One UDP socket, many requests in flight, matched by request-id (use within one event loop)."""

    def __init__(self) -> None:
        self.pending: dict[int, _Pending] = {}
        self.transport: asyncio.DatagramTransport | None = None

    async def open(self) -> None:
        """Open the socket (IPv4; 127.0.0.0/8 in the lab) with a large receive buffer."""
        if self.transport is None:
            loop = asyncio.get_running_loop()
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            sock.bind(("0.0.0.0", 0))
            sock.setblocking(False)
            self.transport, _ = await loop.create_datagram_endpoint(lambda: self, sock=sock)

    def datagram_received(self, data: bytes, address: tuple[str, int]) -> None:
        """Complete the matching request; ignore strays, duplicates and garbage."""
        try:
            response = decode_response(data)
        except (DecodeError, IndexError):
            return
        waiting = self.pending.get(response.request_id)
        if waiting is None or waiting.future.done():
            return
        if address[:2] != waiting.address or response.community != waiting.community:
            return
        waiting.future.set_result(response)

    async def request(
        self,
        address: tuple[str, int],
        community: bytes,
        oids: list[OID],
        bulk: tuple[int, int] | None,
        timeout_s: float,
        retries: int,
    ) -> Response:
        """Send and await the response, resending on timeout; raise :class:`Timeout`."""
        await self.open()
        assert self.transport is not None
        request_id = secrets.randbelow(2**31 - 1) + 1
        while request_id in self.pending:
            request_id = secrets.randbelow(2**31 - 1) + 1
        message = encode_request(request_id, community, oids, bulk)
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self.pending[request_id] = _Pending(future, address, community)
        try:
            for _attempt in range(retries + 1):
                self.transport.sendto(message, address)
                with contextlib.suppress(TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(future), timeout_s)
            raise Timeout(f"no response from {address[0]}:{address[1]}")
        finally:
            del self.pending[request_id]
            future.cancel()

    def close(self) -> None:
        """Close the socket."""
        if self.transport is not None:
            self.transport.close()
            self.transport = None
