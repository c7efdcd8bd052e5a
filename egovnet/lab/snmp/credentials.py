"""The credentials every simulated device accepts: one v1/v2c read community and one v3 user.

The twin's devices share one set, like a county that rolls out one SNMP policy; the monitor polls
the twin with the same values it would use in production (read from the inventory's vault or
environment lookups, never from code). Secrets are kept out of ``repr`` so a log line or a failing
test never prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_KEY_LENGTH = 8  # RFC 3414 11.2: USM passphrases shorter than 8 octets are refused (net-snmp does too)


@dataclass(frozen=True)
class SnmpCredentials:
    """Read-only SNMP access to the twin.

    Attributes:
        community: the SNMPv1/v2c read community; any other community is silently ignored.
        user: the SNMPv3 USM user name.
        auth_key: HMAC-SHA-96 authentication passphrase of ``user``.
        priv_key: CFB128-AES-128 privacy passphrase of ``user``.
    """

    community: str = field(repr=False)
    user: str
    auth_key: str = field(repr=False)
    priv_key: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.community or not self.user:
            raise ValueError("an SNMP community and a v3 user name are required")
        for label, key in (("auth_key", self.auth_key), ("priv_key", self.priv_key)):
            if len(key) < MIN_KEY_LENGTH:
                raise ValueError(f"SNMPv3 {label} must be at least {MIN_KEY_LENGTH} characters")
