"""The own SNMPv3/USM codec: RFC 3414 key vectors, messages pyasn1 reads, HMAC and AES round trips,
and time resynchronisation against net-snmp's snmpd (real agents: tests/monitor/test_netsnmp.py for
authPriv SHA/AES and SHA-256/AES, tests/lab/snmp/test_snmp_fastpath.py for the twin's pysnmp agent)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from monitor_rig import free_port
from netsnmp import V3, Snmpd
from pyasn1.codec.ber import decoder  # type: ignore[import-untyped]
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

from egovnet.monitor.snmp import Endpoint, SnmpClient, oid_of
from egovnet.snmpber import REPORT, encode_pdu, request_pdu, varbind
from egovnet.snmpusm import (
    AUTH,
    PRIV,
    REPORTABLE,
    UsmKeys,
    decode_message,
    encode_message,
    localize,
    scoped_pdu,
)
from egovnet.snmpusm import password_key as ku

ENGINE = bytes.fromhex("000000000000000000000002")  # RFC 3414 A.3
SYS_UPTIME = oid_of("1.3.6.1.2.1.1.3.0")


def test_key_localisation_matches_rfc3414_appendix_a3() -> None:
    assert ku(b"maplesyrup", "md5").hex() == "9faf3283884e92834ebc9847d8edd963"
    assert localize(ku(b"maplesyrup", "md5"), ENGINE, "md5").hex() == "526f5eed9fcce26f8964c2930787d82b"
    assert ku(b"maplesyrup", "sha").hex() == "9fb5cc0381497b3793528939ff788d5d79145211"
    assert (
        localize(ku(b"maplesyrup", "sha"), ENGINE, "sha").hex() == "6695febc9288e36282235fc7151f128497b38f3f"
    )


@pytest.mark.parametrize("protocol", ["sha", "sha256", "sha512"])
def test_messages_round_trip_and_pyasn1_reads_the_framing(protocol: str) -> None:
    keys = UsmKeys.localized(b"noc", protocol, b"authpass123", b"privpass123", ENGINE)
    scoped = scoped_pdu(ENGINE, request_pdu(4242, [SYS_UPTIME], (0, 25)))
    salt = bytes(range(8))
    wire = encode_message(77, AUTH | PRIV | REPORTABLE, ENGINE, 3, 123456, scoped, keys, salt)

    framing, rest = decoder.decode(wire, asn1Spec=SNMPv3Message())
    assert rest == b"" and int(framing["msgGlobalData"]["msgID"]) == 77
    params, _ = decoder.decode(bytes(framing["msgSecurityParameters"]), asn1Spec=UsmSecurityParameters())
    assert bytes(params["msgUserName"]) == b"noc" and int(params["msgAuthoritativeEngineTime"]) == 123456
    assert bytes(params["msgPrivacyParameters"]) == salt

    message = decode_message(wire)
    assert message.authentic(keys) and (message.boots, message.engine_time) == (3, 123456)
    context, decoded = message.scoped(keys)
    assert context == ENGINE and decoded.request_id == 4242 and decoded.varbinds == [(SYS_UPTIME, None)]
    for position in (len(wire) // 2, len(wire) - 1):  # any flipped bit breaks the HMAC
        spoiled = bytearray(wire)
        spoiled[position] ^= 0x01
        assert not decode_message(bytes(spoiled)).authentic(keys)
    other = UsmKeys.localized(b"noc", protocol, b"authpass124", b"privpass123", ENGINE)
    assert not message.authentic(other)


def test_plaintext_report_framing() -> None:
    body = encode_pdu(REPORT, 1, 0, 0, varbind((1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0), 0x41, 7))
    wire = encode_message(
        9, 0, ENGINE, 5, 60, b"\x30" + bytes((4 + len(body),)) + b"\x04\x00\x04\x00" + body, None
    )
    message = decode_message(wire)
    assert (message.flags, message.engine_id, message.boots, message.engine_time) == (0, ENGINE, 5, 60)
    assert message.scoped(None)[1].varbinds == [((1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0), 7)]


@pytest.fixture(scope="module")
def snmpd() -> Iterator[Snmpd]:
    with Snmpd(free_port()) as agent:
        yield agent


def test_time_skew_and_agent_restart_resynchronise(snmpd: Snmpd) -> None:
    async def go() -> list[tuple[bytes, int, int]]:
        client = SnmpClient()
        client.register([Endpoint("snmpd", "127.0.0.1", snmpd.port, V3, 2.0, 1)])
        address = ("127.0.0.1", snmpd.port)
        engines = []
        try:
            await client.get("snmpd", [SYS_UPTIME])
            clock = client.v3.clocks[address]
            synchronised = clock.now()
            clock.engine_time += 10_000  # outside the 150 s window: snmpd reports notInTimeWindow
            await client.get("snmpd", [SYS_UPTIME])
            assert abs(clock.now() - synchronised) <= 5
            await asyncio.sleep(1.1)
            engines.append((clock.engine_id, clock.boots, clock.now()))
            snmpd.restart()  # a new engine instance: what the client cached is now wrong
            await client.get("snmpd", [SYS_UPTIME])
            restarted = client.v3.clocks[address]
            engines.append((restarted.engine_id, restarted.boots, restarted.now()))
        finally:
            client.close()
        return engines

    before, after = asyncio.run(go())
    assert before[:2] != after[:2] or after[2] < before[2]  # boots or engine changed, or time went back
