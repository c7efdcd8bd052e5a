"""SNMPv3 authPriv GET/GETBULK without pysnmp: engine discovery, timeliness and USM on one socket.

Why: the county polls with SNMPv3 authPriv and pysnmp's path reached only 0.16-0.21x net-snmp's
``snmpbulkwalk`` (bench/bench_monitor.py), all of it pyasn1 and pysnmp's message processing; the
HMAC and AES themselves are a few µs per message (:mod:`egovnet.snmpusm`). pysnmp stays the path
for what this client does not do (DES, AES-192/256; see :class:`egovnet.monitor.snmp.SnmpClient`).

Protocol, as a non-authoritative engine (RFC 3414 section 4):

* **Discovery**: the first request to an address is an unauthenticated, empty GET with the
  reportable flag; the agent's usmStatsUnknownEngineIDs report carries its engineID, boots and time.
  Concurrent requests to one address share one discovery.
* **Timeliness**: the agent's time is estimated as the last time learned plus the seconds since, and
  raised from every authentic response (section 3.2.7 b). An authentic ``notInTimeWindow`` report
  (the agent rebooted, or the estimate drifted) resynchronises and the request is sent once more;
  an ``unknownEngineID`` report rediscovers.
* **Errors**: any other USM report (unknown user, wrong digest, decryption error, unsupported
  security level) is an authentication error with that reason; responses whose HMAC does not verify
  are dropped as if never received (an attacker cannot answer for the agent).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from egovnet.monitor.udp import DatagramClient, Timeout
from egovnet.snmpber import GET, OID, REPORT, RESPONSE, DecodeError, Pdu, encode_pdu, request_pdu
from egovnet.snmpusm import (
    AUTH,
    NOT_IN_TIME_WINDOW,
    PRIV,
    REPORTABLE,
    REPORTS,
    UNKNOWN_ENGINE_ID,
    Message,
    UsmKeys,
    decode_message,
    encode_message,
    scoped_pdu,
)

TIME_WINDOW_S = 150  # RFC 3414 section 2.2.3
_MAX_TIME = 2**31 - 1


class V3Error(Exception):
    """A request failed for a reason the agent stated; ``kind`` is ``auth`` or ``error``."""

    def __init__(self, kind: Literal["auth", "error"], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class V3Credential:
    """A USM user and its passwords (localised per engine by :class:`UsmKeys`); never printed."""

    user: bytes
    auth_protocol: str
    auth_password: bytes
    priv_password: bytes

    def __repr__(self) -> str:
        return f"V3Credential(user={self.user!r}, auth_protocol={self.auth_protocol!r})"

    def keys(self, engine_id: bytes) -> UsmKeys:
        """This user's keys as the engine ``engine_id`` knows them (cached)."""
        return UsmKeys.localized(
            self.user, self.auth_protocol, self.auth_password, self.priv_password, engine_id
        )


@dataclass
class EngineClock:
    """What the client knows of one agent's engine: its ID and its boots/time at a local instant."""

    engine_id: bytes
    boots: int
    engine_time: int
    learned_at: float

    def now(self) -> int:
        """The agent's snmpEngineTime as estimated now."""
        return max(0, min(_MAX_TIME, self.engine_time + int(time.monotonic() - self.learned_at)))

    def learn(self, boots: int, engine_time: int, force: bool = False) -> None:
        """Adopt the agent's boots/time if newer (or always, after a notInTimeWindow report)."""
        if force or boots > self.boots or (boots == self.boots and engine_time > self.now()):
            self.boots, self.engine_time, self.learned_at = boots, engine_time, time.monotonic()

    def stale(self, boots: int, engine_time: int) -> bool:
        """RFC 3414 3.2.7 b: an authentic message from before the window (a replay)."""
        return boots < self.boots or (boots == self.boots and engine_time < self.now() - TIME_WINDOW_S)


@dataclass(frozen=True)
class Answer:
    """A verified (when authenticated) and decrypted answer."""

    message: Message
    pdu: Pdu
    authentic: bool


class V3Client(DatagramClient[Answer]):
    """SNMPv3 requests in flight on one socket, matched by msgID and address."""

    def __init__(self) -> None:
        super().__init__()
        self.clocks: dict[tuple[str, int], EngineClock] = {}
        self._discoveries: dict[tuple[str, int], asyncio.Task[EngineClock]] = {}
        self._salt = secrets.randbits(64)

    def datagram_received(self, data: bytes, address: tuple[str, int]) -> None:
        """Complete the matching request; drop forgeries, strays, duplicates and garbage."""
        try:
            message = decode_message(data)
        except DecodeError:
            return
        waiting = self.waiting(message.msg_id, address)
        if waiting is None:
            return
        keys: UsmKeys | None = waiting.context
        authentic = bool(message.flags & AUTH)
        if authentic and (keys is None or message.user != keys.user or not message.authentic(keys)):
            return
        try:
            _, pdu = message.scoped(keys if message.flags & PRIV else None)
        except DecodeError:
            return  # undecryptable: as if lost (a wrong privacy key shows as a timeout on the agent too)
        if pdu.tag == REPORT or (authentic and pdu.tag == RESPONSE):
            waiting.future.set_result(Answer(message, pdu, authentic))

    def _salt_octets(self) -> bytes:
        self._salt = (self._salt + 1) % 2**64
        return self._salt.to_bytes(8, "big")

    async def _discover(self, address: tuple[str, int], timeout_s: float, retries: int) -> EngineClock:
        msg_id = self.new_key()
        empty_get = scoped_pdu(b"", encode_pdu(GET, msg_id, 0, 0, b""))
        probe = encode_message(msg_id, REPORTABLE, b"", 0, 0, empty_get, None)
        answer = await self.exchange(msg_id, probe, address, None, timeout_s, retries)
        message = answer.message
        if answer.pdu.tag != REPORT or not message.engine_id:
            raise V3Error("error", "engine discovery: the agent answered without its engineID")
        return EngineClock(message.engine_id, message.boots, message.engine_time, time.monotonic())

    async def clock(self, address: tuple[str, int], timeout_s: float, retries: int) -> EngineClock:
        """The agent's engine at ``address``, discovered once (concurrent callers share it)."""
        known = self.clocks.get(address)
        if known is not None:
            return known
        task = self._discoveries.get(address)
        if task is None:
            task = asyncio.ensure_future(self._discover(address, timeout_s, retries))
            self._discoveries[address] = task
        try:
            clock = await asyncio.shield(task)
        finally:
            if task.done():
                self._discoveries.pop(address, None)
        self.clocks[address] = clock
        return clock

    async def request(
        self,
        address: tuple[str, int],
        credential: V3Credential,
        oids: list[OID],
        bulk: tuple[int, int] | None,
        timeout_s: float,
        retries: int,
    ) -> Pdu:
        """Send an authPriv GET/GETBULK and return the Response PDU.

        Raises:
            Timeout: no (authentic) answer after every retry.
            V3Error: the agent reported a USM error, or time could not be synchronised.
        """
        for _attempt in range(3):
            clock = await self.clock(address, timeout_s, retries)
            keys = credential.keys(clock.engine_id)
            msg_id = self.new_key()
            boots, engine_time = clock.boots, clock.now()
            message = encode_message(
                msg_id,
                AUTH | PRIV | REPORTABLE,
                clock.engine_id,
                boots,
                engine_time,
                scoped_pdu(clock.engine_id, request_pdu(msg_id, oids, bulk)),
                keys,
                self._salt_octets(),
            )
            answer = await self.exchange(msg_id, message, address, keys, timeout_s, retries)
            header = answer.message
            if answer.pdu.tag == RESPONSE:
                if clock.stale(header.boots, header.engine_time):
                    raise V3Error("auth", "authentication failed: response outside the time window")
                clock.learn(header.boots, header.engine_time)
                return answer.pdu
            report: OID = answer.pdu.varbinds[0][0] if answer.pdu.varbinds else ()
            if report == NOT_IN_TIME_WINDOW and answer.authentic:
                clock.learn(header.boots, header.engine_time, force=True)
                continue
            if report in (NOT_IN_TIME_WINDOW, UNKNOWN_ENGINE_ID):
                self.clocks.pop(address, None)  # rediscover (boots and time come with the report)
                continue
            if report in REPORTS:
                raise V3Error("auth", f"authentication failed: {REPORTS[report]}")
            raise V3Error("error", f"agent reported {'.'.join(map(str, report))}")
        raise V3Error("auth", "authentication failed: could not synchronise with the agent's engine time")


__all__ = ["Answer", "EngineClock", "Timeout", "V3Client", "V3Credential", "V3Error"]
