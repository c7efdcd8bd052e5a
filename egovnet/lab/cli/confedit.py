"""Editing a configuration tree the way a device does when a config line is typed.

Devices do not append text blindly: ``description`` replaces the old description, ``ip address``
replaces the primary address unless marked secondary, ``undo X``/``no X`` removes the matching
lines (``undo ip address`` removes them all), and a few negations are remembered as lines
(``undo portswitch``, ``no ip domain lookup``). The rules are data in each dialect
(:class:`EditRules`); this module applies them to :class:`ConfigNode` trees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from egovnet.lab.config_tree import ConfigNode


@dataclass(frozen=True)
class EditRules:
    """How one dialect edits its configuration.

    Attributes:
        negation: the negating word (``undo`` / ``no``).
        single_value: keyword paths that hold one value (a new line replaces the old one).
        secondary_markers: trailing words that make an address line additional (``sub``).
        stored_negations: keyword paths whose negation is kept as a config line.
        defaults: positive lines that are the factory default and therefore never shown
            (typing one only removes its stored negation).
        normalize: canonical form of a line for comparisons (mask spelling and the like).
    """

    negation: str
    single_value: tuple[str, ...] = ()
    secondary_markers: tuple[str, ...] = ()
    stored_negations: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    normalize: Callable[[str], str] = field(default=lambda text: text)


def _starts(words: list[str], prefix: list[str]) -> bool:
    return words[: len(prefix)] == prefix


def _key(rules: EditRules, text: str) -> list[str] | None:
    """The single-value key a line falls under, or ``None`` for multi-valued lines."""
    words = text.split()
    if words and words[-1] in rules.secondary_markers:
        return None
    for path in rules.single_value:
        prefix = path.split()
        if _starts(words, prefix):
            return prefix
    return None


def section(tree: ConfigNode, path: Iterable[str]) -> ConfigNode:
    """The node at ``path`` (created, grouped with its kind, when missing)."""
    node = tree
    for header in path:
        found = node.child(header)
        node = found if found is not None else insert_grouped(node, header)
    return node


def find(tree: ConfigNode, path: Iterable[str]) -> ConfigNode | None:
    """The node at ``path`` or ``None``."""
    node: ConfigNode | None = tree
    for header in path:
        node = node.child(header) if node is not None else None
    return node


def insert_grouped(parent: ConfigNode, text: str) -> ConfigNode:
    """Append ``text`` after the last sibling starting with the same word (devices group them)."""
    node = ConfigNode(text)
    first = text.split(maxsplit=1)[0] if text.split() else ""
    last = -1
    for index, child in enumerate(parent.children):
        if child.text.split()[:1] == [first]:
            last = index
    if last < 0:
        parent.children.append(node)
    else:
        parent.children.insert(last + 1, node)
    return node


def set_line(parent: ConfigNode, text: str, rules: EditRules) -> ConfigNode:
    """Apply a positive config line under ``parent``; returns the node now holding it."""
    text = rules.normalize(text)
    parent.remove(f"{rules.negation} {text}")
    if text in rules.defaults:
        return parent
    existing = parent.child(text)
    if existing is not None:
        return existing
    key = _key(rules, text)
    if key is not None:
        holders = [c for c in parent.children if _key(rules, c.text) == key]
        if holders:
            holders[0].text = text
            for extra in holders[1:]:
                parent.children.remove(extra)
            return holders[0]
    return insert_grouped(parent, text)


def negate(parent: ConfigNode, text: str, rules: EditRules) -> int:
    """Apply ``<negation> text`` under ``parent``; returns how many lines it removed."""
    target = rules.normalize(text).split()
    removed = parent.remove_where(lambda node: _starts(rules.normalize(node.text).split(), target))
    if removed == 0 and any(_starts(target, p.split()) for p in rules.stored_negations):
        insert_grouped(parent, f"{rules.negation} {' '.join(target)}")
    return removed
