"""Host selection with Ansible's ``--limit`` pattern language, shared by every egovnet command."""

from __future__ import annotations

import fnmatch

from egovnet.inventory import Inventory


def select_hosts(inventory: Inventory, pattern: str | None) -> list[str]:
    """Device names matching an Ansible-style ``--limit`` pattern (groups or hosts, globs, ``!``, ``&``)."""
    names = sorted(inventory.devices)
    if not pattern:
        return names
    raw = inventory.raw
    members: dict[str, set[str]] = {}

    def matching(term: str) -> set[str]:
        found = {n for n in names if fnmatch.fnmatchcase(n, term)}
        for group in raw.groups:
            if fnmatch.fnmatchcase(group, term):
                if group not in members:
                    members[group] = {h for h in names if any(g.name == group for g in raw.host_groups(h))}
                found |= members[group]
        return found

    chosen: set[str] = set()
    terms = [t for t in pattern.replace(",", ":").split(":") if t]
    for term in (t for t in terms if t[0] not in "!&"):
        chosen |= matching(term)
    for term in (t for t in terms if t[0] == "&"):
        chosen &= matching(term[1:])
    for term in (t for t in terms if t[0] == "!"):
        chosen -= matching(term[1:])
    return sorted(chosen)
