"""Editing a configuration tree the way a device does when a config line is typed.

Devices do not append text blindly: ``description`` replaces the old description, ``ip address``
replaces the primary address unless marked secondary, ``undo X``/``no X`` removes the matching
lines (``undo ip address`` removes them all), and a few negations are remembered as lines
(``undo portswitch``, ``no ip domain lookup``). The rules are data in each dialect
(:class:`EditRules`); this module applies them to :class:`ConfigNode` trees.

Devices also print in a fixed order, whatever order the lines were typed in: sections and global
commands by feature, interfaces and static routes sorted by number. The twin keeps every tree in
that canonical order (:func:`insert` places a new line, :func:`canonical` sorts a whole tree), so
that removing a line and typing it again prints the configuration byte for byte as before, the
property a verified rollback relies on.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from egovnet.lab.config_tree import ConfigNode


@dataclass(frozen=True)
class EditRules:
    """How one dialect edits its configuration.

    Attributes:
        negation: the negating word (``undo`` / ``no``).
        single_value: keyword paths that hold one value (a new line replaces the old one); a ``*``
            word stands for any word and makes each value of it its own key (``observe-port *``:
            one interface per observe-port index).
        secondary_markers: trailing words that make an address line additional (``sub``).
        stored_negations: keyword paths whose negation is kept as a config line.
        explicit_negations: keyword paths whose negation is always printed: ``undo X`` removes
            the ``X`` lines and is kept as a line itself (NE routers' ``undo shutdown``, a
            Catalyst's ``no switchport``).
        defaults: positive lines that are the factory default and therefore never shown
            (typing one only removes its stored negation).
        normalize: canonical form of a line for comparisons (mask spelling and the like).
        top_order: regexes of top-level lines in the order the device prints them; lines
            matching none come last. Lines of equal rank are printed in natural order (numbers
            compared as numbers: ``GE0/0/2`` before ``GE0/0/10``).
        child_order: (parent regex, child regexes): the print order of a section's lines.
        sequenced: regexes of sections whose entries carry sequence numbers (IOS named ACLs):
            an entry typed without one gets the next multiple of 10, ``no <n> ...`` removes entry
            ``n``, and the number orders the entries but is not printed (:func:`shown`).
    """

    negation: str
    single_value: tuple[str, ...] = ()
    secondary_markers: tuple[str, ...] = ()
    stored_negations: tuple[str, ...] = ()
    explicit_negations: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    normalize: Callable[[str], str] = field(default=lambda text: text)
    top_order: tuple[str, ...] = ()
    child_order: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sequenced: tuple[str, ...] = ()


def _starts(words: list[str], prefix: list[str]) -> bool:
    return words[: len(prefix)] == prefix


def _on_path(words: list[str], path: list[str]) -> bool:
    """``words`` begin with the rule ``path``, whose ``*`` words match any one word.

    Only rule paths have wildcards: a typed line is compared with :func:`_starts`, so a ``*`` typed
    by an operator stays a literal word.
    """
    return len(words) >= len(path) and all(p in ("*", w) for p, w in zip(path, words, strict=False))


def _key(rules: EditRules, text: str) -> list[str] | None:
    """The single-value key a line falls under, or ``None`` for multi-valued lines."""
    words = text.split()
    if words and words[-1] in rules.secondary_markers:
        return None
    for path in rules.single_value:
        prefix = path.split()
        if _on_path(words, prefix):
            return words[: len(prefix)]
    return None


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key comparing digit runs as numbers (``GE0/0/2`` < ``GE0/0/10``, ``10.9`` < ``10.10``)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text)
    )


@lru_cache(maxsize=1 << 18)
def sort_key(rules: EditRules | None, parent: str, text: str) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    """Where ``text`` is printed among the lines of section ``parent`` (``""``: the top level)."""
    if rules is None:
        return (0, ())
    order: tuple[str, ...] = rules.top_order
    if parent:
        order = next((o for p, o in rules.child_order if re.search(p, parent)), ())
    rank = next((i for i, rx in enumerate(_compiled(order)) if rx.search(text)), len(order))
    return (rank, _natural(text))


def insert(parent: ConfigNode, text: str, rules: EditRules | None = None) -> ConfigNode:
    """Add ``text`` under ``parent`` at its canonical place; returns the new node.

    Without ``rules`` the line goes after the last sibling starting with the same word (or last).
    """
    node = ConfigNode(text)
    if rules is None:
        first = text.split(maxsplit=1)[0] if text.split() else ""
        last = max((i for i, c in enumerate(parent.children) if c.text.split()[:1] == [first]), default=-1)
        parent.children.insert(last + 1 if last >= 0 else len(parent.children), node)
        return node
    key = sort_key(rules, parent.text, text)
    position = bisect.bisect_right(parent.children, key, key=lambda c: sort_key(rules, parent.text, c.text))
    parent.children.insert(position, node)
    return node


def insert_grouped(parent: ConfigNode, text: str) -> ConfigNode:
    """Append ``text`` after the last sibling starting with the same word (devices group them)."""
    return insert(parent, text)


def canonical(tree: ConfigNode, rules: EditRules) -> ConfigNode:
    """Sort ``tree`` (in place, recursively) into the device's print order; returns it."""
    tree.children.sort(key=lambda child: sort_key(rules, tree.text, child.text))
    for child in tree.children:
        canonical(child, rules)
    return tree


def section(tree: ConfigNode, path: Iterable[str], rules: EditRules | None = None) -> ConfigNode:
    """The node at ``path`` (created at its canonical place when missing)."""
    node = tree
    for header in path:
        found = node.child(header)
        node = found if found is not None else insert(node, header, rules)
    return node


def find(tree: ConfigNode, path: Iterable[str]) -> ConfigNode | None:
    """The node at ``path`` or ``None``."""
    node: ConfigNode | None = tree
    for header in path:
        node = node.child(header) if node is not None else None
    return node


def _sequenced(rules: EditRules, parent: ConfigNode) -> bool:
    return bool(parent.text) and any(re.search(p, parent.text) for p in rules.sequenced)


def _entry(text: str) -> tuple[int | None, str]:
    """(sequence number, entry) of a sequenced line (``10 permit x`` -> ``(10, "permit x")``)."""
    first, _, rest = text.partition(" ")
    return (int(first), rest) if first.isdigit() else (None, text)


def shown(rules: EditRules, parent: str, text: str) -> str:
    """A line as printed: sequenced entries without their number, ``deny`` aligned with ``permit``."""
    if parent and any(re.search(p, parent) for p in rules.sequenced):
        entry = _entry(text)[1]
        return "deny   " + entry[5:] if entry.startswith("deny ") else entry
    return text


def printed(node: ConfigNode, rules: EditRules, depth: int = 0) -> list[str]:
    """The indented lines under ``node`` as the device prints them (see :func:`shown`)."""
    lines: list[str] = []
    for child in node.children:
        lines.append(" " * depth + shown(rules, node.text, child.text))
        lines.extend(printed(child, rules, depth + 1))
    return lines


def number_entries(tree: ConfigNode, rules: EditRules) -> ConfigNode:
    """Give the entries of sequenced sections read from printed text their numbers (10, 20, ...)."""
    for node in tree.children:
        if _sequenced(rules, node):
            for index, child in enumerate(node.children, start=1):
                if _entry(child.text)[0] is None:  # printed: no number, deny padded
                    child.text = f"{index * 10} {' '.join(child.text.split())}"
    return tree


def _set_entry(parent: ConfigNode, text: str, rules: EditRules) -> ConfigNode:
    number, entry = _entry(text)
    for child in parent.children:
        if _entry(child.text)[1] == entry:
            return child  # the same entry again changes nothing
    if number is None:
        number = max((n for c in parent.children if (n := _entry(c.text)[0]) is not None), default=0) + 10
    return insert(parent, f"{number} {entry}", rules)


def set_line(parent: ConfigNode, text: str, rules: EditRules) -> ConfigNode:
    """Apply a positive config line under ``parent``; returns the node now holding it."""
    text = rules.normalize(text)
    if _sequenced(rules, parent):
        return _set_entry(parent, text, rules)
    parent.remove(f"{rules.negation} {text}")
    words = text.split()
    for path in rules.explicit_negations:
        if _starts(words, path.split()):
            parent.remove(f"{rules.negation} {path}")
    if text in rules.defaults:
        return parent
    existing = parent.child(text)
    if existing is not None:
        return existing
    key = _key(rules, text)
    if key is not None:
        holders = [c for c in parent.children if _key(rules, c.text) == key]
        if holders:
            for extra in holders:
                parent.children.remove(extra)
            node = insert(parent, text, rules)
            node.children = holders[0].children
            return node
    return insert(parent, text, rules)


def negate(parent: ConfigNode, text: str, rules: EditRules) -> int:
    """Apply ``<negation> text`` under ``parent``; returns how many lines it removed."""
    if _sequenced(rules, parent):
        number, entry = _entry(rules.normalize(text))
        removed = parent.remove_where(lambda node: bool(entry) and _entry(node.text)[1] == entry)
        if removed == 0 and number is not None:
            removed = parent.remove_where(lambda node: _entry(node.text)[0] == number)
        return removed
    target = rules.normalize(text).split()
    first = target[0] if target else ""
    removed = parent.remove_where(
        lambda node: node.text.startswith(first) and _starts(rules.normalize(node.text).split(), target)
    )
    stored = f"{rules.negation} {' '.join(target)}"
    explicit = any(target == p.split() for p in rules.explicit_negations)
    remembered = removed == 0 and any(_starts(target, p.split()) for p in rules.stored_negations)
    if (explicit or remembered) and parent.child(stored) is None:
        insert(parent, stored, rules)
    return removed
