"""DNS queries read from bytes: the question name and type, and the registered domain of a name.

Both DNS detectors (indicators, tunnelling) read only the question of client queries; parsing it by
hand costs a few microseconds, against a scapy dissection of the whole message per query.
"""

from __future__ import annotations

from dataclasses import dataclass

QR_RESPONSE = 0x80
MAX_NAME = 255
#: Second-level labels under which registrations happen one level deeper (``gov.cn``, ``co.uk``).
SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co", "mil", "int"})


@dataclass(frozen=True)
class Question:
    """The first question of a query."""

    name: str
    qtype: int


def parse_query(payload: bytes) -> Question | None:
    """The question of a DNS *query* (``None`` for responses, compressed or malformed names)."""
    if len(payload) < 17 or payload[2] & QR_RESPONSE or not (payload[4] or payload[5]):
        return None
    labels: list[str] = []
    position, total = 12, 0
    while True:
        length = payload[position]
        if length == 0:
            position += 1
            break
        if length & 0xC0 or position + 1 + length > len(payload):
            return None
        label = payload[position + 1 : position + 1 + length]
        labels.append(label.decode("ascii", errors="replace").lower())
        total += length + 1
        if total > MAX_NAME:
            return None
        position += 1 + length
    if position + 2 > len(payload):
        return None
    return Question(".".join(labels), payload[position] << 8 | payload[position + 1])


def registered_domain(name: str) -> str:
    """The registrable part of ``name`` (``a.b.example.gov.cn`` -> ``example.gov.cn``).

    A short public-suffix rule (country-code TLD under a generic second level) instead of the full
    Public Suffix List, which is not among egovnet's dependencies; the allow-list absorbs the rest.
    """
    labels = name.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def suffixes(name: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "b.c", "c"]`` (indicator match on any parent domain)."""
    labels = name.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]
