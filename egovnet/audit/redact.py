"""Secrets out of evidence: config lines shown in findings never carry a key, hash or community.

Findings travel to reports, CI artefacts and the NOC feed (research note security.md §5.2: redact
cipher/hash/community values), so every evidence line passes through :func:`redact`. The patterns
cover the secret-bearing lines of the four dialects; the keyword (``cipher``, ``secret 9``,
``authentication-mode sha``) stays visible because it is itself evidence (hash versus plain text).
"""

from __future__ import annotations

import re
from functools import lru_cache

MASK = "******"

#: Words after ``password`` that are keywords, not a password (VRP ``password expire 90``).
_NOT_SECRET = "expire|history|policy|irreversible-cipher|cipher|simple|hash"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # SNMP communities: VRP/Comware ``snmp-agent community read [cipher|simple] X``, IOS ``community X``.
    (re.compile(r"\b(community (?:read|write) (?:cipher |simple )?)\S+"), rf"\1{MASK}"),
    (re.compile(r"\b(snmp-server community )\S+"), rf"\1{MASK}"),
    # Comware USM users print algorithm and key pairs after one ``simple``/``cipher`` keyword.
    (re.compile(r"\b((?:authentication|privacy)-mode \S+ )(?!cipher\b|simple\b)\S+"), rf"\1{MASK}"),
    # IOS SNMPv3 users: ``auth sha KEY priv aes 128 KEY``.
    (re.compile(r"\b(auth (?:md5|sha\S*) )\S+"), rf"\1{MASK}"),
    (re.compile(r"\b(priv (?:aes(?: \d+)?|des|3des) )\S+"), rf"\1{MASK}"),
    # IOS NTP keys: ``ntp authentication-key 1 md5 KEY [7]``.
    (re.compile(r"\b(authentication-key \d+ \S+ )\S+"), rf"\1{MASK}"),
    # Keyword-introduced values (VRP/Comware ``cipher X``, ``hash X``; IOS ``secret 9 X``, ``password 7 X``).
    (
        re.compile(r"\b((?:irreversible-cipher|cipher|simple|hash) )(?!authentication-mode\b)\S+"),
        rf"\1{MASK}",
    ),
    (re.compile(rf"\b((?:secret|password)(?: [0-9])? )(?!(?:{_NOT_SECRET})\b)[^\s*]\S*"), rf"\1{MASK}"),
    (re.compile(r"\b(key-string(?: [0-9])? )\S+"), rf"\1{MASK}"),
)


#: Every secret-bearing line contains one of these words; other lines skip the patterns entirely.
_TRIGGER = re.compile(
    r"community|-mode |auth |priv |authentication-key|cipher|simple|hash|secret|password|key-string"
)


@lru_cache(maxsize=65536)
def redact(line: str) -> str:
    """``line`` with every secret value replaced by ``******``.

    >>> redact("local-user netadmin password irreversible-cipher $1a$abc$")
    'local-user netadmin password irreversible-cipher ******'
    >>> redact("snmp-agent community read cipher %^%#x%^%#")
    'snmp-agent community read cipher ******'
    >>> redact("username netadmin privilege 15 secret 9 $9$abc")
    'username netadmin privilege 15 secret 9 ******'
    """
    if not _TRIGGER.search(line):
        return line
    for pattern, replacement in _PATTERNS:
        line = pattern.sub(replacement, line)
    return line
