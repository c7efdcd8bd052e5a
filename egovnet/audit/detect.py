"""Which dialect a configuration is written in, for backups the inventory does not name.

Each dialect has a few lines only it prints (Comware's indented `` sysname``, IOS ``hostname`` and
``line vty``, VRP V8's ``!Last configuration was updated`` header and ``local-user X level``); the
dialect with most marker hits wins, ties go to the county's most common dialect, VRP V5.
"""

from __future__ import annotations

import re


def _compiled(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Marker patterns, compiled once and matched per line (``^``/``$`` at line boundaries)."""
    return tuple(re.compile(p, re.M) for p in patterns)


_MARKERS: dict[str, tuple[re.Pattern[str], ...]] = {
    "ios": _compiled(
        r"^hostname \S+",
        r"^line vty \d+",
        r"^end$",
        r"^ip (?:route|access-list|ssh|domain) ",
        r"^!$",
        r"^service (?:timestamps|password-encryption)",
    ),
    "comware7": _compiled(
        r"^ version 7\.",
        r"^ sysname \S+",
        r"^line (?:vty|aux|class) ",
        r"^local-user \S+ class ",
        r"^ password-control ",
        r"^interface (?:Ten-|Forty-|Hundred-)?GigabitEthernet\d+/\d+/\d+$",
        r"^ ssh server enable$",
    ),
    "vrp8": _compiled(
        r"^!Last configuration was (?:updated|committed)",
        r"^ local-user \S+ level \d+",
        r"^ local-user \S+ state block",
        r"^interface (?:10|25|40|100)GE\d",
        r"^ssh server authentication-retries",
        r"^undo telnet ipv6 server enable",
    ),
    "vrp5": _compiled(
        r"^sysname \S+",
        r"^user-interface (?:vty|con) ",
        r"^ local-user \S+ privilege level",
        r"^ local-aaa-user wrong-password",
        r"^interface (?:X?GigabitEthernet|Vlanif)\d",
        r"^stelnet server enable",
    ),
}

#: The VRP family's shared lines count for both of its dialects.
_VRP_SHARED = _compiled(r"^sysname \S+", r"^user-interface (?:vty|con) ")


def detect_dialect(text: str) -> str | None:
    """The dialect of a configuration text, or ``None`` when nothing looks like a device config.

    >>> detect_dialect("hostname r1\\n!\\nline vty 0 4\\n transport input ssh\\nend\\n")
    'ios'
    >>> detect_dialect("#\\n sysname sw1\\n#\\nline vty 0 63\\n")
    'comware7'
    >>> detect_dialect("sysname s1\\n#\\nuser-interface vty 0 4\\n")
    'vrp5'
    """
    scores = {dialect: sum(1 for p in patterns if p.search(text)) for dialect, patterns in _MARKERS.items()}
    if scores["vrp8"]:
        scores["vrp8"] += sum(1 for p in _VRP_SHARED if p.search(text))
    best = max(scores.values())
    if best == 0:
        return None
    for dialect in ("vrp5", "vrp8", "comware7", "ios"):
        if scores[dialect] == best:
            return dialect
    return None
