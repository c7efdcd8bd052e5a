"""The agent's fast path: well-formed GET/GETNEXT/GETBULK answered without pyasn1 or pysnmp.

Why: the twin's pysnmp agent spent ~120 µs of CPU per varbind (bench/bench_monitor.py: a 1,000
device poll cycle left the agent, not the poller, saturating a core), nearly all of it in pyasn1's
BER codec and pysnmp's message processing. The answers themselves come from the registry in a few
µs. This path decodes the common requests with :mod:`egovnet.snmpber` / :mod:`egovnet.snmpusm`,
answers them from the same :class:`MibRegistry` and :class:`DeviceView` as the pysnmp controller
(so both paths serve identical values), and encodes the response directly.

It answers only what it is sure of, and returns ``None`` for everything else, which then goes to
pysnmp exactly as before: SNMPv1, SET, a community other than the lab's, any SNMPv3 message that is
not authPriv for the lab user with this engine's ID inside the time window (discovery, wrong keys,
a spoiled HMAC from the ``auth_failure`` fault, time resynchronisation: pysnmp sends the USM report),
a getter that raises (pysnmp logs it and answers genErr), and a GET whose response would not fit.
Faults act before both paths (:class:`~egovnet.lab.snmp.gate.FaultGate`).

GETBULK follows :class:`~egovnet.lab.snmp.responders.BoundedBulkResponder`: at most
:data:`~egovnet.lab.snmp.responders.MAX_VARBINDS` varbinds, as many repetitions as fit the
requester's message size, and an early stop once every column reached endOfMibView.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from pyasn1.type import univ  # type: ignore[import-untyped]

from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.snmp.credentials import SnmpCredentials
from egovnet.lab.snmp.registry import OID, MibRegistry, Missing
from egovnet.lab.snmp.responders import MAX_VARBINDS
from egovnet.lab.snmp.view import DeviceView
from egovnet.snmpber import (
    END_OF_MIB_VIEW,
    GET,
    GETBULK,
    GETNEXT,
    NO_SUCH_INSTANCE,
    NO_SUCH_OBJECT,
    OCTET_STRING,
    RESPONSE,
    SEQUENCE,
    DecodeError,
    Pdu,
    decode_pdu,
    encode_oid,
    encode_pdu,
    header,
    integer,
    read_integer,
    read_octets,
    tlv,
    unsigned,
)
from egovnet.snmpusm import AUTH, PRIV, UsmKeys, decode_message, encode_message, scoped_pdu

MAX_MESSAGE_SIZE = 65507
V2C_OVERHEAD = 64  # message header, community, PDU header (a community is at most 32 octets here)
V3_OVERHEAD = 192  # v3 header, USM parameters (engine ID, user, 48-octet MAC at most), scoped PDU
TIME_WINDOW_S = 150
_MISSING = {Missing.NO_SUCH_OBJECT: NO_SUCH_OBJECT, Missing.NO_SUCH_INSTANCE: NO_SUCH_INSTANCE}
_UNSIGNED = frozenset({0x41, 0x42, 0x43, 0x46, 0x47})


class _Unanswerable(Exception):  # noqa: N818 - control flow: leave this request to pysnmp
    """This request goes to pysnmp."""


def _tag_of(value: Any) -> int:
    """The BER tag of a pyasn1 value (its outermost tag: APPLICATION n for SMI types)."""
    tag = value.tagSet[-1] if len(value.tagSet) else value.tagSet.baseTag
    return int(tag.tagClass | tag.tagFormat | tag.tagId)


_TAGS: dict[type, int] = {}


def encode_varbind(name: OID, value: Any) -> bytes:
    """One varbind from a registry answer (a pyasn1 SMI value or an exception tag)."""
    if isinstance(value, int) and not isinstance(value, univ.Integer):
        body = bytes((value, 0))  # an exception: noSuchObject / noSuchInstance / endOfMibView
    else:
        kind = type(value)
        tag = _TAGS.get(kind)
        if tag is None:
            tag = _TAGS[kind] = _tag_of(value)
        if tag in _UNSIGNED:
            body = unsigned(int(value), tag)
        elif tag == 0x02:
            body = integer(int(value))
        elif tag == 0x06:
            body = encode_oid(tuple(value))
        else:
            body = tlv(tag, value.asOctets())
    return tlv(SEQUENCE, encode_oid(name) + body)


class FastPath:
    """Answers one engine's common requests for the devices it serves."""

    def __init__(
        self,
        network: LabNetwork,
        registry: MibRegistry[DeviceView],
        credentials: SnmpCredentials,
        engine: Any,
    ) -> None:
        self.network = network
        self.registry = registry
        self.community = credentials.community.encode()
        self.engine = engine
        self.engine_id = bytes(engine.snmpEngineID)
        self.keys = UsmKeys.localized(
            credentials.user.encode(),
            "sha",
            credentials.auth_key.encode(),
            credentials.priv_key.encode(),
            self.engine_id,
        )
        boots, started = engine.get_mib_builder().import_symbols(
            "__SNMP-FRAMEWORK-MIB", "snmpEngineBoots", "snmpEngineTime"
        )
        self.boots = int(boots.syntax)
        self.started = int(started.syntax)  # pysnmp keeps the start instant; time is now - start
        self._salt = secrets.randbits(64)

    def engine_time(self) -> int:
        """snmpEngineTime, as pysnmp's engine computes it."""
        return int(time.time() - self.started)

    def answer(self, device: LabDevice, datagram: bytes) -> bytes | None:
        """The response to ``datagram``, or ``None`` to hand it to pysnmp."""
        try:
            if datagram[:1] != b"\x30":
                return None
            _, _, position = header(datagram, 0, SEQUENCE)
            version, position = read_integer(datagram, position)
            if version == 1:
                return self._v2c(device, datagram, position)
            if version == 3:
                return self._v3(device, datagram)
        except (DecodeError, _Unanswerable):
            return None
        except Exception:  # a getter failed: pysnmp answers genErr and logs it
            return None
        return None

    def _v2c(self, device: LabDevice, datagram: bytes, position: int) -> bytes | None:
        community, position = read_octets(datagram, position)
        if community != self.community:
            return None
        pdu = decode_pdu(datagram, position)
        body = self._respond(device, pdu, MAX_MESSAGE_SIZE - V2C_OVERHEAD)
        return tlv(SEQUENCE, integer(1) + tlv(OCTET_STRING, community) + body)

    def _v3(self, device: LabDevice, datagram: bytes) -> bytes | None:
        message = decode_message(datagram)
        keys = self.keys
        if (
            message.flags & (AUTH | PRIV) != AUTH | PRIV
            or message.engine_id != self.engine_id
            or message.user != keys.user
            or message.boots != self.boots
            or abs(message.engine_time - self.engine_time()) > TIME_WINDOW_S
            or not message.authentic(keys)
        ):
            return None
        context, pdu = message.scoped(keys)
        if context not in (self.engine_id, b""):
            return None
        budget = min(message.max_size, MAX_MESSAGE_SIZE) - V3_OVERHEAD
        body = self._respond(device, pdu, budget)
        self._salt = (self._salt + 1) % 2**64
        return encode_message(
            message.msg_id,
            AUTH | PRIV,
            self.engine_id,
            self.boots,
            self.engine_time(),
            scoped_pdu(self.engine_id, body),
            keys,
            self._salt.to_bytes(8, "big"),
        )

    def _respond(self, device: LabDevice, pdu: Pdu, budget: int) -> bytes:
        """The encoded Response PDU (raises :class:`_Unanswerable` for what pysnmp must do)."""
        view = DeviceView(self.network, device, self.engine)
        names = [name for name, _ in pdu.varbinds]
        if pdu.tag == GET:
            varbinds = [self._get(name, view) for name in names]
        elif pdu.tag == GETNEXT:
            varbinds = [self._next(name, view)[0] for name in names]
        elif pdu.tag == GETBULK:
            varbinds = self._bulk(names, pdu.error_status, pdu.error_index, view, budget)
        else:
            raise _Unanswerable
        encoded = b"".join(varbinds)
        if len(encoded) > budget:
            raise _Unanswerable  # tooBig is pysnmp's to say
        return encode_pdu(RESPONSE, pdu.request_id, 0, 0, encoded)

    def _get(self, name: OID, view: DeviceView) -> bytes:
        value = self.registry.get(name, view)
        return encode_varbind(name, _MISSING[value] if isinstance(value, Missing) else value)

    def _next(self, name: OID, view: DeviceView) -> tuple[bytes, OID | None]:
        """(encoded varbind, the name reached or ``None`` at the end of the MIB)."""
        found = self.registry.next(name, view)
        if found is None:
            return encode_varbind(name, END_OF_MIB_VIEW), None
        return encode_varbind(found[0], found[1]), found[0]

    def _bulk(
        self, names: list[OID], non_repeaters: int, repetitions: int, view: DeviceView, budget: int
    ) -> list[bytes]:
        """RFC 3416 4.2.3, bounded like :class:`~egovnet.lab.snmp.responders.BoundedBulkResponder`."""
        non_repeaters = min(max(non_repeaters, 0), len(names))
        repetitions = max(repetitions, 0)
        repeaters = len(names) - non_repeaters
        if repeaters:
            repetitions = min(repetitions, MAX_VARBINDS // repeaters)
        answers = [self._next(name, view)[0] for name in names[:non_repeaters]]
        size = sum(map(len, answers))
        previous: list[OID] = names[non_repeaters:]
        while repetitions and repeaters:
            row = [self._next(name, view) for name in previous]
            row_size = sum(len(encoded) for encoded, _ in row)
            if answers and size + row_size > budget:
                break
            answers.extend(encoded for encoded, _ in row)
            size += row_size
            if all(reached is None for _, reached in row):
                break
            previous = [
                name if reached is None else reached for (_, reached), name in zip(row, previous, strict=True)
            ]
            repetitions -= 1
        return answers
