"""SNMPv2c GET/GETBULK on the wire, without pysnmp: community framing over :mod:`egovnet.snmpber`.

Why: pysnmp spends ~65 µs of CPU per varbind decoding with pyasn1 (research note snmp.md sections
0 and 2.3), 20-30x net-snmp's C client, and that is the poller's whole budget. SNMPv2c messages are
a handful of fixed shapes (RFC 3416), so a purpose-written decoder reads a response at ~2 µs per
varbind. SNMPv3 has its own framing in :mod:`egovnet.monitor.v3`.

Scope, deliberately small: community-based v2c, GetRequest and GetBulkRequest out, Response in.
Anything else, or a malformed message, is an error for that request, never an exception in the
event loop. Responses are matched by request-id, community and source address.
"""

from __future__ import annotations

from dataclasses import dataclass

from egovnet.monitor.udp import DatagramClient, Timeout
from egovnet.snmpber import (
    OCTET_STRING,
    OID,
    RESPONSE,
    SEQUENCE,
    DecodeError,
    Raw,
    decode_oid,
    decode_pdu,
    encode_oid,
    header,
    integer,
    read_integer,
    read_octets,
    request_pdu,
    tlv,
)

__all__ = ["DecodeError", "Response", "Timeout", "V2cClient", "decode_oid", "decode_response", "encode_oid"]


def encode_request(
    request_id: int, community: bytes, oids: list[OID], bulk: tuple[int, int] | None = None
) -> bytes:
    """A GetRequest, or a GetBulkRequest when ``bulk`` = (non-repeaters, max-repetitions)."""
    return tlv(SEQUENCE, integer(1) + tlv(OCTET_STRING, community) + request_pdu(request_id, oids, bulk))


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
    _, _, position = header(data, 0, SEQUENCE)
    version, position = read_integer(data, position)
    if version != 1:
        raise DecodeError("not an SNMPv2c message")
    community, position = read_octets(data, position)
    pdu = decode_pdu(data, position)
    if pdu.tag != RESPONSE:
        raise DecodeError(f"expected a Response PDU, found tag 0x{pdu.tag:02x}")
    return Response(pdu.request_id, community, pdu.error_status, pdu.error_index, pdu.varbinds)


class V2cClient(DatagramClient[Response]):
    """v2c requests in flight on one socket, matched by request-id, community and address."""

    def datagram_received(self, data: bytes, address: tuple[str, int]) -> None:
        """Complete the matching request; ignore strays, duplicates and garbage."""
        try:
            response = decode_response(data)
        except DecodeError:
            return
        waiting = self.waiting(response.request_id, address)
        if waiting is not None and response.community == waiting.context:
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
        request_id = self.new_key()
        message = encode_request(request_id, community, oids, bulk)
        return await self.exchange(request_id, message, address, community, timeout_s, retries)
