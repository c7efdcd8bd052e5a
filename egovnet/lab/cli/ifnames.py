"""Interface names: vendor abbreviations and resolving what an operator typed.

Devices print short names in tables (``GE0/0/1``, ``Gi0/0/0``) and accept any unambiguous
abbreviation of the type when a command names an interface (``int g0/0/1``). Each dialect hands
in its own table of (full type, short type) pairs; the logic is the same for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPLIT = re.compile(r"^(\d*[A-Za-z][A-Za-z\-]*?)\s*(\d+(?:[/:.]\d+)*)$")


def split_name(name: str) -> tuple[str, str] | None:
    """Type and number: ``GigabitEthernet0/0/1`` -> (``GigabitEthernet``, ``0/0/1``).

    Types may start with digits (VRP8 ``10GE1/0/1`` -> (``10GE``, ``1/0/1``)).
    """
    match = _SPLIT.match(name.strip())
    if match is None:
        return None
    return match.group(1), match.group(2)


def abbreviate(name: str, short_types: Sequence[tuple[str, str]]) -> str:
    """The short form a vendor prints in tables; unknown types are left as they are."""
    parts = split_name(name)
    if parts is None:
        return name
    for full, short in short_types:
        if parts[0] == full:
            return short + parts[1]
    return name


def expand(name: str, short_types: Sequence[tuple[str, str]]) -> str:
    """Inverse of :func:`abbreviate` for names a device printed."""
    parts = split_name(name)
    if parts is None:
        return name
    for full, short in short_types:
        if parts[0] == short:
            return full + parts[1]
    return name


def resolve(
    typed: str,
    known: Iterable[str],
    creatable_types: Iterable[str],
    short_types: Sequence[tuple[str, str]],
) -> str | None:
    """The canonical interface name an operator meant, or ``None`` when there is none.

    ``known`` are the names that exist (ports plus configured logical interfaces);
    ``creatable_types`` are logical types a config command may create (``LoopBack``, ``Vlanif``).
    The type may be abbreviated to any unique case-insensitive prefix, or given in the vendor's
    short form.
    """
    known_list = list(known)
    if typed in known_list:
        return typed
    parts = split_name(typed)
    if parts is None:
        return None
    kind, number = parts
    types = {split[0] for name in known_list if (split := split_name(name)) is not None}
    types.update(creatable_types)
    lowered = kind.lower()
    exact = [t for t in types if t.lower() == lowered]
    shorts = [full for full, short in short_types if short.lower() == lowered and full in types]
    prefixed = [t for t in types if t.lower().startswith(lowered)]
    for candidates in (exact, shorts, prefixed):
        if len(set(candidates)) == 1:
            full_name = candidates[0] + number
            if full_name in known_list or candidates[0] in creatable_types:
                return full_name
            return None
    return None
