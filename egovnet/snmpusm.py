"""SNMPv3 messages with the User-based Security Model, without pyasn1 (RFC 3412, 3414, 3826, 7860).

Why: the county polls with SNMPv3 authPriv, and pysnmp spends ~1.8 ms of CPU per v3 PDU plus ~70 µs
per varbind (research note snmp.md section 0), a fifth of what net-snmp's C tools do on the same
machine. The cryptography itself is cheap (HMAC over a 1.5 KB message ~2 µs, AES-CFB ~5 µs with the
``cryptography`` package); the cost was pyasn1. This module frames a BER PDU (:mod:`egovnet.snmpber`)
into a v3 message and back, for both sides: the monitor's client (:mod:`egovnet.monitor.v3`) and the
twin agent's fast path (:mod:`egovnet.lab.snmp.fastpath`).

Covered: HMAC-MD5-96, HMAC-SHA-96 (RFC 3414) and HMAC-SHA-2 (RFC 7860: SHA-224/256/384/512),
AES-128-CFB privacy (RFC 3826), password-to-key and key localisation (RFC 3414 A.2). DES and the
AES-192/256 key extensions (two incompatible drafts) are not: callers leave those to pysnmp.
Timeliness and engine discovery are the caller's business: they need state this module has not.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from egovnet.snmpber import (
    OCTET_STRING,
    SEQUENCE,
    DecodeError,
    Pdu,
    decode_pdu,
    header,
    integer,
    read_integer,
    read_octets,
    tlv,
)

#: Inventory spelling -> (hashlib name, digest octets sent in msgAuthenticationParameters).
AUTH_HASHES = {
    "md5": ("md5", 12),
    "sha": ("sha1", 12),
    "sha224": ("sha224", 16),
    "sha256": ("sha256", 24),
    "sha384": ("sha384", 32),
    "sha512": ("sha512", 48),
}
#: Privacy protocols this module implements (others: pysnmp).
PRIV_PROTOCOLS = frozenset({"aes", "aes128"})

AUTH, PRIV, REPORTABLE = 0x01, 0x02, 0x04
USM = 3
MAX_SIZE = 65507
_PASSWORD_OCTETS = 1 << 20  # RFC 3414 A.2.1: hash one megabyte of the repeated password

USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
#: usmStats counter (the OID of a Report's varbind) -> what it means for the sender.
REPORTS = {
    (*USM_STATS, 1, 0): "unsupported security level",
    (*USM_STATS, 2, 0): "not in time window",
    (*USM_STATS, 3, 0): "unknown user name",
    (*USM_STATS, 4, 0): "unknown engine ID",
    (*USM_STATS, 5, 0): "wrong digest (authentication key or protocol)",
    (*USM_STATS, 6, 0): "decryption error (privacy key or protocol)",
}
NOT_IN_TIME_WINDOW = (*USM_STATS, 2, 0)
UNKNOWN_ENGINE_ID = (*USM_STATS, 4, 0)


def supported(auth_protocol: str, priv_protocol: str) -> bool:
    """Whether this module can speak a credential's protocols."""
    return auth_protocol in AUTH_HASHES and priv_protocol in PRIV_PROTOCOLS


@functools.lru_cache(maxsize=64)
def password_key(password: bytes, auth_protocol: str) -> bytes:
    """Ku: the digest of the password repeated to one megabyte (RFC 3414 A.2; RFC 7860 for SHA-2)."""
    if not password:
        raise ValueError("empty SNMPv3 password")
    repeated = password * (_PASSWORD_OCTETS // len(password) + 1)
    return hashlib.new(AUTH_HASHES[auth_protocol][0], repeated[:_PASSWORD_OCTETS]).digest()


def localize(key: bytes, engine_id: bytes, auth_protocol: str) -> bytes:
    """Kul = H(Ku || engineID || Ku): the key as one agent knows it."""
    return hashlib.new(AUTH_HASHES[auth_protocol][0], key + engine_id + key).digest()


@dataclass(frozen=True)
class UsmKeys:
    """One user's localised keys for one engine; secrets stay out of ``repr``."""

    user: bytes
    auth_protocol: str
    auth_key: bytes
    priv_key: bytes

    @classmethod
    @functools.lru_cache(maxsize=4096)
    def localized(
        cls, user: bytes, auth_protocol: str, auth_password: bytes, priv_password: bytes, engine_id: bytes
    ) -> UsmKeys:
        """Keys from passwords (the priv key is localised with the auth hash, RFC 3826 1.2.1)."""
        return cls(
            user,
            auth_protocol,
            localize(password_key(auth_password, auth_protocol), engine_id, auth_protocol),
            localize(password_key(priv_password, auth_protocol), engine_id, auth_protocol)[:16],
        )

    def __repr__(self) -> str:
        return f"UsmKeys(user={self.user!r}, auth_protocol={self.auth_protocol!r})"

    @property
    def mac_size(self) -> int:
        """Octets of msgAuthenticationParameters."""
        return AUTH_HASHES[self.auth_protocol][1]

    def sign(self, message: bytes) -> bytes:
        """The truncated HMAC of a whole message whose authentication parameters are zeros."""
        return hmac.digest(self.auth_key, message, AUTH_HASHES[self.auth_protocol][0])[: self.mac_size]

    def _cipher(self, boots: int, engine_time: int, salt: bytes) -> Cipher[CFB]:
        iv = boots.to_bytes(4, "big") + engine_time.to_bytes(4, "big") + salt
        return Cipher(algorithms.AES(self.priv_key), CFB(iv))

    def encrypt(self, plain: bytes, boots: int, engine_time: int, salt: bytes) -> bytes:
        """AES-128-CFB with IV = boots || time || salt (RFC 3826 3.1.2.1); no padding."""
        return self._cipher(boots, engine_time, salt).encryptor().update(plain)

    def decrypt(self, data: bytes, boots: int, engine_time: int, salt: bytes) -> bytes:
        """The inverse of :meth:`encrypt`."""
        return self._cipher(boots, engine_time, salt).decryptor().update(data)


@dataclass(frozen=True)
class Message:
    """A decoded (not yet verified or decrypted) SNMPv3 message.

    Attributes:
        flags: msgFlags (AUTH, PRIV, REPORTABLE bits).
        engine_id / boots / engine_time: the authoritative engine's, as the message states them.
        auth: msgAuthenticationParameters; ``auth_at`` its offset in ``raw`` (to zero it for the HMAC).
        salt: msgPrivacyParameters.
        data: the encrypted scoped PDU (PRIV set) or the plaintext one's BER.
    """

    raw: bytes
    msg_id: int
    max_size: int
    flags: int
    engine_id: bytes
    boots: int
    engine_time: int
    user: bytes
    auth: bytes
    auth_at: int
    salt: bytes
    data: bytes

    def authentic(self, keys: UsmKeys) -> bool:
        """Whether the HMAC verifies with ``keys`` (constant-time comparison)."""
        if len(self.auth) != keys.mac_size:
            return False
        zeroed = self.raw[: self.auth_at] + bytes(len(self.auth)) + self.raw[self.auth_at + len(self.auth) :]
        return hmac.compare_digest(keys.sign(zeroed), self.auth)

    def scoped(self, keys: UsmKeys | None) -> tuple[bytes, Pdu]:
        """(contextEngineID, PDU) of the scoped PDU, decrypted with ``keys`` when PRIV is set."""
        plain = self.data
        if self.flags & PRIV:
            if keys is None:
                raise DecodeError("encrypted message and no privacy key")
            plain = keys.decrypt(self.data, self.boots, self.engine_time, self.salt)
        _, _, start = header(plain, 0, SEQUENCE)
        context_engine, start = read_octets(plain, start)
        _, start = read_octets(plain, start)  # contextName: the twin and the monitor use ""
        return context_engine, decode_pdu(plain, start)


def decode_message(data: bytes) -> Message:
    """Parse an SNMPv3/USM message's framing (raise :class:`DecodeError` if it is not one)."""
    _, _, start = header(data, 0, SEQUENCE)
    version, start = read_integer(data, start)
    if version != 3:
        raise DecodeError("not an SNMPv3 message")
    _, _, start = header(data, start, SEQUENCE)
    msg_id, start = read_integer(data, start)
    max_size, start = read_integer(data, start)
    flags_octets, start = read_octets(data, start)
    model, start = read_integer(data, start)
    if len(flags_octets) != 1 or model != USM:
        raise DecodeError("not a USM message")
    _, size, params = header(data, start, OCTET_STRING)
    after = params + size
    _, _, position = header(data, params, SEQUENCE)
    engine_id, position = read_octets(data, position)
    boots, position = read_integer(data, position)
    engine_time, position = read_integer(data, position)
    user, position = read_octets(data, position)
    _, auth_size, auth_at = header(data, position, OCTET_STRING)
    auth = data[auth_at : auth_at + auth_size]
    salt, _ = read_octets(data, auth_at + auth_size)
    flags = flags_octets[0]
    if flags & PRIV:
        payload, _ = read_octets(data, after)
    else:
        _, size, inner = header(data, after, SEQUENCE)
        payload = data[after : inner + size]
    return Message(
        data, msg_id, max_size, flags, engine_id, boots, engine_time, user, auth, auth_at, salt, payload
    )


def scoped_pdu(context_engine: bytes, pdu: bytes) -> bytes:
    """A ScopedPDU with the default (empty) context name."""
    return tlv(SEQUENCE, tlv(OCTET_STRING, context_engine) + tlv(OCTET_STRING, b"") + pdu)


def encode_message(
    msg_id: int,
    flags: int,
    engine_id: bytes,
    boots: int,
    engine_time: int,
    scoped: bytes,
    keys: UsmKeys | None,
    salt: bytes = b"",
    user: bytes = b"",
) -> bytes:
    """A whole SNMPv3 message: encrypted with ``salt`` if PRIV is set, signed if AUTH is set."""
    if flags & PRIV:
        assert keys is not None and len(salt) == 8
        body = tlv(OCTET_STRING, keys.encrypt(scoped, boots, engine_time, salt))
    else:
        body, salt = scoped, b""
    mac_size = keys.mac_size if keys is not None and flags & AUTH else 0
    name = keys.user if keys is not None else user
    before_mac = (
        tlv(OCTET_STRING, engine_id) + integer(boots) + integer(engine_time) + tlv(OCTET_STRING, name)
    )
    content = before_mac + tlv(OCTET_STRING, bytes(mac_size)) + tlv(OCTET_STRING, salt)
    usm = tlv(SEQUENCE, content)
    wrapped = tlv(OCTET_STRING, usm)
    global_data = tlv(
        SEQUENCE, integer(msg_id) + integer(MAX_SIZE) + tlv(OCTET_STRING, bytes((flags,))) + integer(USM)
    )
    inner = integer(3) + global_data + wrapped + body
    message = tlv(SEQUENCE, inner)
    if not mac_size:
        return message
    assert keys is not None
    # Where the MAC goes: after every header and field that precede it (its own header is 2 octets).
    offset = (
        (len(message) - len(inner))
        + len(integer(3))
        + len(global_data)
        + (len(wrapped) - len(usm))
        + (len(usm) - len(content))
        + len(before_mac)
        + 2
    )
    return message[:offset] + keys.sign(message) + message[offset + mac_size :]
