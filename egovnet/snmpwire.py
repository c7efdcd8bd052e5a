"""The first fields of an SNMP message (version, community, PDU type) read from BER bytes.

The probe's cleartext detector (every SNMP packet to a device), its default-community check and the
twin's SNMP agent (which community a device's configuration accepts) read these three fields; a full
ASN.1 decode (pysnmp, scapy) costs a hundred times more and is not needed to tell SNMPv1/v2c from v3
or to see a community.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSIONS = {0: "v1", 1: "v2c", 3: "v3"}
PDU_NAMES = {
    0xA0: "get",
    0xA1: "getnext",
    0xA2: "response",
    0xA3: "set",
    0xA4: "trap",
    0xA5: "getbulk",
    0xA6: "inform",
    0xA7: "trap",
    0xA8: "report",
}


@dataclass(frozen=True)
class SnmpHeader:
    """Version (``v1``/``v2c``/``v3``), community (v1/v2c only) and PDU name."""

    version: str
    community: bytes = b""
    pdu: str = ""


def _length(data: bytes, position: int) -> tuple[int, int]:
    """(length, offset of the value) of the BER element whose length byte is at ``position``."""
    first = data[position]
    if first < 0x80:
        return first, position + 1
    count = first & 0x7F
    if count == 0 or count > 3:
        raise ValueError("unsupported BER length")
    return int.from_bytes(data[position + 1 : position + 1 + count], "big"), position + 1 + count


def parse_header(data: bytes) -> SnmpHeader | None:
    """The header of an SNMP message, or ``None`` when ``data`` is not one."""
    try:
        if data[0] != 0x30:
            return None
        _, position = _length(data, 1)
        if data[position] != 0x02:
            return None
        size, position = _length(data, position + 1)
        number = int.from_bytes(data[position : position + size], "big")
        version = VERSIONS.get(number)
        if version is None:
            return None
        position += size
        if version == "v3":
            return SnmpHeader(version)
        if data[position] != 0x04:
            return None
        size, position = _length(data, position + 1)
        community = data[position : position + size]
        position += size
        return SnmpHeader(
            version, community, PDU_NAMES.get(data[position], "") if position < len(data) else ""
        )
    except (IndexError, ValueError):
        return None
