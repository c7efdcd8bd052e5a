"""SNMP PDUs in BER, without pyasn1: the few shapes a poller and an agent exchange (RFC 3416).

Why: pyasn1 (under pysnmp) spends 30-70 µs of CPU per varbind encoding or decoding (research note
snmp.md sections 0 and 2.3), which makes both the monitor's poller and the twin's agent CPU-bound
at a few thousand varbinds per second. An SNMP PDU is a fixed sequence of INTEGERs and a list of
(OID, value) pairs, so a purpose-written codec handles it at 1-3 µs per varbind. The monitor's
SNMPv2c/v3 clients (:mod:`egovnet.monitor.v2c`, :mod:`egovnet.monitor.v3`) and the twin's fast path
(:mod:`egovnet.lab.snmp.fastpath`) share this module; message framing (community, USM) lives with
them and in :mod:`egovnet.snmpusm`.

Scope: definite lengths up to 4 octets; INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER, IpAddress,
Counter32, Gauge32, TimeTicks, Opaque, Counter64, UInteger32 and the three exception values. A
malformed or truncated element raises :class:`DecodeError`, never IndexError.
"""

from __future__ import annotations

from dataclasses import dataclass

OID = tuple[int, ...]
Raw = int | bytes | OID | None  # None: NULL (requests) or endOfMibView / noSuchObject / noSuchInstance

INTEGER, OCTET_STRING, NULL, OBJECT_IDENTIFIER, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30
IP_ADDRESS, COUNTER32, GAUGE32, TIMETICKS, OPAQUE, COUNTER64 = 0x40, 0x41, 0x42, 0x43, 0x44, 0x46
NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW = 0x80, 0x81, 0x82
GET, GETNEXT, RESPONSE, SET, GETBULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA8

_UNSIGNED = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64, 0x47})  # 0x47: UInteger32
_STRINGS = frozenset({OCTET_STRING, IP_ADDRESS, OPAQUE})
_EMPTY = frozenset({NULL, NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW})


class DecodeError(ValueError):
    """A message that is not a well-formed SNMP message of the expected shape."""


# -- encoding ------------------------------------------------------------------------------------
def length(size: int) -> bytes:
    """A BER definite length."""
    if size < 0x80:
        return bytes((size,))
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


def tlv(tag: int, value: bytes) -> bytes:
    """Tag, length, value."""
    return bytes((tag,)) + length(len(value)) + value


def integer(value: int, tag: int = INTEGER) -> bytes:
    """A signed INTEGER (two's complement, minimal octets)."""
    return tlv(tag, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def unsigned(value: int, tag: int) -> bytes:
    """An application-class unsigned integer (Counter32/64, Gauge32, TimeTicks): a leading zero
    octet keeps the top bit clear, as BER INTEGERs require."""
    return tlv(tag, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def encode_oid(oid: OID) -> bytes:
    """An OBJECT IDENTIFIER (first two arcs combined, then base-128 arcs)."""
    if len(oid) < 2 or oid[0] > 2:
        raise ValueError(f"invalid OID {oid}")
    out = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        if arc < 0x80:
            out.append(arc)
            continue
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        out += bytes(reversed(chunk))
    return tlv(OBJECT_IDENTIFIER, bytes(out))


def encode_value(tag: int, value: Raw) -> bytes:
    """One value of a varbind, by its BER tag."""
    if tag in _UNSIGNED:
        assert isinstance(value, int)
        return unsigned(value, tag)
    if tag == INTEGER:
        assert isinstance(value, int)
        return integer(value)
    if tag in _STRINGS:
        assert isinstance(value, bytes)
        return tlv(tag, value)
    if tag == OBJECT_IDENTIFIER:
        assert isinstance(value, tuple)
        return encode_oid(value)
    if tag in _EMPTY:
        return bytes((tag, 0))
    raise ValueError(f"unsupported value tag 0x{tag:02x}")


def encode_pdu(tag: int, request_id: int, second: int, third: int, varbinds: bytes) -> bytes:
    """A PDU: request-id, error-status / non-repeaters, error-index / max-repetitions, varbinds
    (already encoded: ``b"".join`` of :func:`varbind`)."""
    return tlv(tag, integer(request_id) + integer(second) + integer(third) + tlv(SEQUENCE, varbinds))


def varbind(name: OID, tag: int = NULL, value: Raw = None) -> bytes:
    """One encoded varbind (NULL value by default: what a request carries)."""
    return tlv(SEQUENCE, encode_oid(name) + encode_value(tag, value))


def request_pdu(request_id: int, oids: list[OID], bulk: tuple[int, int] | None = None) -> bytes:
    """A GetRequest, or a GetBulkRequest when ``bulk`` = (non-repeaters, max-repetitions)."""
    second, third = bulk if bulk is not None else (0, 0)
    return encode_pdu(GETBULK if bulk else GET, request_id, second, third, b"".join(map(varbind, oids)))


# -- decoding ------------------------------------------------------------------------------------
def header(data: bytes, position: int, tag: int | None = None) -> tuple[int, int, int]:
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


def read_integer(data: bytes, position: int) -> tuple[int, int]:
    """(value, offset after it) of the INTEGER at ``position``."""
    _, size, start = header(data, position, INTEGER)
    if not size:
        raise DecodeError("empty INTEGER")
    return int.from_bytes(data[start : start + size], "big", signed=True), start + size


def read_octets(data: bytes, position: int) -> tuple[bytes, int]:
    """(value, offset after it) of the OCTET STRING at ``position``."""
    _, size, start = header(data, position, OCTET_STRING)
    return data[start : start + size], start + size


def decode_oid(raw: bytes) -> OID:
    """The arcs of an OBJECT IDENTIFIER's contents."""
    if not raw:
        raise DecodeError("empty OID")
    first = raw[0]
    arcs = [first // 40, first % 40] if first < 80 else [2, first - 80]
    value = 0
    for octet in raw[1:]:
        if octet < 0x80:
            arcs.append(value << 7 | octet)
            value = 0
        else:
            value = (value << 7) | (octet & 0x7F)
    if raw[-1] & 0x80:
        raise DecodeError("OID ends inside an arc")
    return tuple(arcs)


@dataclass(frozen=True)
class Pdu:
    """A decoded PDU. For GETBULK, ``error_status``/``error_index`` hold non-repeaters and
    max-repetitions, as on the wire."""

    tag: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[tuple[OID, Raw]]


def decode_pdu(data: bytes, position: int) -> Pdu:
    """Decode the PDU at ``position`` (any PDU type; the caller checks :attr:`Pdu.tag`)."""
    tag, _, start = header(data, position)
    if not 0xA0 <= tag <= 0xA8:
        raise DecodeError(f"not a PDU: tag 0x{tag:02x}")
    request_id, start = read_integer(data, start)
    status, start = read_integer(data, start)
    index, start = read_integer(data, start)
    _, size, start = header(data, start, SEQUENCE)
    end = start + size
    varbinds: list[tuple[OID, Raw]] = []
    append = varbinds.append
    while start < end:
        _, _, inner = header(data, start, SEQUENCE)
        _, size, name_at = header(data, inner, OBJECT_IDENTIFIER)
        name = decode_oid(data[name_at : name_at + size])
        kind, size, value_at = header(data, name_at + size, None)
        raw = data[value_at : value_at + size]
        value: Raw
        if kind in _UNSIGNED:
            value = int.from_bytes(raw, "big")
        elif kind == INTEGER:
            value = int.from_bytes(raw, "big", signed=True)
        elif kind in _STRINGS:
            value = raw
        elif kind == OBJECT_IDENTIFIER:
            value = decode_oid(raw)
        elif kind in _EMPTY:
            value = None
        else:
            raise DecodeError(f"unsupported value tag 0x{kind:02x}")
        append((name, value))
        start = value_at + size
    return Pdu(tag, request_id, status, index, varbinds)
