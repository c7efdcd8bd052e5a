"""The native SNMPv2c codec agrees with pyasn1/pysnmp both ways, and refuses malformed input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.proto.api import v2c

from egovnet.monitor.v2c import DecodeError, decode_oid, decode_response, encode_oid, encode_request

oids = st.builds(
    lambda first, second, rest: (first, second, *rest),
    st.integers(0, 2),
    st.integers(0, 39),
    st.lists(st.integers(0, 2**32 - 1), max_size=20),
)
values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(lambda v: (v, rfc1902.Integer32(v))),
    st.binary(max_size=300).map(lambda v: (v, rfc1902.OctetString(v))),
    st.integers(0, 2**32 - 1).map(lambda v: (v, rfc1902.Counter32(v))),
    st.integers(0, 2**32 - 1).map(lambda v: (v, rfc1902.Gauge32(v))),
    st.integers(0, 2**32 - 1).map(lambda v: (v, rfc1902.TimeTicks(v))),
    st.integers(0, 2**64 - 1).map(lambda v: (v, rfc1902.Counter64(v))),
    st.binary(min_size=4, max_size=4).map(lambda v: (v, rfc1902.IpAddress(v))),
    oids.map(lambda v: (v, rfc1902.ObjectName(v))),
    st.sampled_from([rfc1905.endOfMibView, rfc1905.noSuchObject, rfc1905.noSuchInstance]).map(
        lambda v: (None, v)
    ),
)


@settings(max_examples=300, deadline=None)
@given(oids)
def test_oid_round_trip_and_pyasn1_agreement(oid: tuple[int, ...]) -> None:
    encoded = encode_oid(oid)
    assert encoded == encoder.encode(rfc1902.ObjectName(oid))
    assert decode_oid(encoded[2:] if encoded[1] < 0x80 else encoded[2 + (encoded[1] & 0x7F) :]) == oid


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 2**31 - 1),
    st.lists(st.tuples(oids, values), max_size=40),
    st.integers(0, 5),
    st.integers(0, 9),
)
def test_responses_encoded_by_pysnmp_decode_the_same(
    request_id: int, varbinds: list[tuple[tuple[int, ...], tuple[object, object]]], status: int, index: int
) -> None:
    message = v2c.Message()
    v2c.apiMessage.set_defaults(message)
    v2c.apiMessage.set_community(message, b"egov-ro")
    pdu = v2c.ResponsePDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_error_status(pdu, status)
    v2c.apiPDU.set_error_index(pdu, index)
    v2c.apiPDU.set_varbinds(pdu, [(name, value[1]) for name, value in varbinds])
    v2c.apiMessage.set_pdu(message, pdu)
    decoded = decode_response(encoder.encode(message))
    assert (decoded.request_id, decoded.community, decoded.error_status, decoded.error_index) == (
        request_id,
        b"egov-ro",
        status,
        index,
    )
    assert decoded.varbinds == [(name, value[0]) for name, value in varbinds]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 2**31 - 1), st.lists(oids, min_size=1, max_size=30), st.integers(0, 5), st.integers(0, 200)
)
def test_requests_parse_with_pyasn1(request_id: int, names: list[tuple[int, ...]], nr: int, mr: int) -> None:
    for bulk in ((nr, mr), None):
        message, rest = decoder.decode(encode_request(request_id, b"c", names, bulk), asn1Spec=v2c.Message())
        assert rest == b"" and bytes(v2c.apiMessage.get_community(message)) == b"c"
        pdu = v2c.apiMessage.get_pdu(message)
        assert int(v2c.apiPDU.get_request_id(pdu)) == request_id
        assert [tuple(name) for name, _ in v2c.apiPDU.get_varbinds(pdu)] == names
        if bulk:
            assert (
                int(v2c.apiBulkPDU.get_non_repeaters(pdu)),
                int(v2c.apiBulkPDU.get_max_repetitions(pdu)),
            ) == bulk


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30",
        b"\x30\x03\x02\x01\x03",  # SNMPv3
        b"\x30\x05\x02\x01\x01\x04\x09",  # truncated community
        bytes.fromhex("3010020101040163a2080201010201000201"),  # truncated PDU
        bytes.fromhex("301502010104016ca00d0201010201000201003002"),  # a GetRequest, not a Response
    ],
)
def test_malformed_messages_are_refused(data: bytes) -> None:
    with pytest.raises((DecodeError, IndexError)):
        decode_response(data)
