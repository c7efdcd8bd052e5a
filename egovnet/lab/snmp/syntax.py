"""Plain Python values -> SNMP (SMIv2) values, with the range rules of each base type.

MIB definitions name one of these converters per object, so wrap-around and capping live in one
place: Counter32 wraps modulo 2^32 (ifInOctets), Counter64 modulo 2^64, Gauge32 latches at 2^32-1
(ifSpeed of a 10G port), TimeTicks wraps like sysUpTime after 497 days. Text is UTF-8 encoded here
because pyasn1's default codec (ISO-8859-1) cannot carry Chinese site names.
"""

from __future__ import annotations

from pysnmp.proto import rfc1902

from egovnet.lab.snmp.registry import OID

_MAX32 = 2**32 - 1


def text(value: str) -> rfc1902.OctetString:
    """DisplayString / SnmpAdminString."""
    return rfc1902.OctetString(value.encode("utf-8"))


def octets(value: bytes) -> rfc1902.OctetString:
    """Raw OCTET STRING (PhysAddress, MacAddress, InetAddress, BITS)."""
    return rfc1902.OctetString(value)


def integer(value: int) -> rfc1902.Integer32:
    """INTEGER / Integer32 / enumerations."""
    return rfc1902.Integer32(value)


def truth(value: bool) -> rfc1902.Integer32:
    """TruthValue: true(1), false(2)."""
    return rfc1902.Integer32(1 if value else 2)


def gauge(value: int) -> rfc1902.Gauge32:
    """Gauge32, latched at its maximum rather than wrapped (RFC 2578 section 7.1.7)."""
    return rfc1902.Gauge32(max(0, min(int(value), _MAX32)))


def unsigned(value: int) -> rfc1902.Unsigned32:
    """Unsigned32."""
    return rfc1902.Unsigned32(max(0, min(int(value), _MAX32)))


def counter32(value: int) -> rfc1902.Counter32:
    """Counter32: the low 32 bits of an ever-growing count."""
    return rfc1902.Counter32(int(value) % 2**32)


def counter64(value: int) -> rfc1902.Counter64:
    """Counter64: the low 64 bits of an ever-growing count."""
    return rfc1902.Counter64(int(value) % 2**64)


def timeticks(value: int) -> rfc1902.TimeTicks:
    """TimeTicks (hundredths of a second), wrapping at 2^32."""
    return rfc1902.TimeTicks(int(value) % 2**32)


def object_id(value: OID) -> rfc1902.ObjectIdentifier:
    """OBJECT IDENTIFIER / AutonomousType / RowPointer."""
    return rfc1902.ObjectIdentifier(value)


def ip_address(value: bytes) -> rfc1902.IpAddress:
    """IpAddress (four octets)."""
    return rfc1902.IpAddress(value)


def zero(*_: object) -> int:
    """Getter for counters the twin does not model (discards, multicast): always 0."""
    return 0
