"""One device configuration, parsed once and indexed for many rules.

The tree comes from the shared reader (``egovnet.configparse.parse_printed``); this module only adds
what an audit of hundreds of configurations against dozens of rules needs: sections found by a
chain of header patterns, lines looked up by their first word instead of by scanning every line
with every pattern, and the 1-based line number of any evidence line (for SARIF and the HTML
report), computed only when a finding asks for it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from egovnet.audit.redact import redact
from egovnet.audit.results import Evidence
from egovnet.configparse import parse_printed
from egovnet.lab.config_tree import ConfigNode

#: Sections with at most this many lines are scanned instead of indexed by first word.
_SCAN_BELOW = 12
_WORD = re.compile(r"\^([A-Za-z][A-Za-z0-9_-]*)(?:$|[ $]|\\s|\\b)")


@lru_cache(maxsize=4096)
def first_word(pattern: re.Pattern[str]) -> str | None:
    """The literal first word every match must start with, if the pattern makes one explicit.

    ``^ntp-service unicast-server`` -> ``ntp-service``; ``^(undo )?telnet`` -> ``None`` (scan all).

    >>> first_word(re.compile(r"^snmp-agent community "))
    'snmp-agent'
    >>> first_word(re.compile(r"^(undo )?telnet")) is None
    True
    """
    match = _WORD.match(pattern.pattern)
    return match.group(1) if match else None


@dataclass
class Located:
    """A config line with the section headers above it (outermost first)."""

    node: ConfigNode
    parents: tuple[ConfigNode, ...] = ()

    @property
    def text(self) -> str:
        return self.node.text

    def section_texts(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.parents)


@dataclass
class ConfigDoc:
    """A parsed configuration of one device.

    Attributes:
        text: the configuration exactly as read (backup file or ``display current-configuration``).
        dialect: vrp5, vrp8, comware7 or ios.
    """

    text: str
    dialect: str
    root: ConfigNode = field(init=False)
    _index: dict[int, dict[str, list[ConfigNode]]] = field(init=False, default_factory=dict)
    _lines: dict[str, list[int]] | None = field(init=False, default=None)
    _all: dict[str, list[tuple[ConfigNode, tuple[ConfigNode, ...]]]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.root = parse_printed(self.text)

    # -- lookup ------------------------------------------------------------------------------------
    def _by_word(self, node: ConfigNode) -> dict[str, list[ConfigNode]]:
        key = id(node)
        index = self._index.get(key)
        if index is None:
            index = {}
            for child in node.children:
                index.setdefault(child.text.split(" ", 1)[0], []).append(child)
            self._index[key] = index
        return index

    def children(self, node: ConfigNode, pattern: re.Pattern[str]) -> list[ConfigNode]:
        """Children of ``node`` whose text matches ``pattern`` (``re.search``), in device order.

        Large sections (the top level, big ACLs) are looked up by first word; small ones (an
        interface, a VTY) are cheaper to scan than to index.
        """
        word = first_word(pattern)
        if word is None or len(node.children) <= _SCAN_BELOW:
            candidates = node.children
        else:
            candidates = self._by_word(node).get(word, [])
        return [child for child in candidates if pattern.search(child.text)]

    def sections(self, path: Sequence[re.Pattern[str]], start: Located | None = None) -> list[Located]:
        """Sections reached by matching one header pattern per level, from ``start`` (the root)."""
        level = [start or Located(self.root)]
        for pattern in path:
            level = [
                Located(child, (*here.parents, here.node) if here.node is not self.root else ())
                for here in level
                for child in self.children(here.node, pattern)
            ]
        return level

    def lines(self, scope: Located, pattern: re.Pattern[str]) -> list[Located]:
        """Direct children of ``scope`` matching ``pattern``, located."""
        parents = (*scope.parents, scope.node) if scope.node is not self.root else ()
        return [Located(child, parents) for child in self.children(scope.node, pattern)]

    def walk(self) -> Iterator[Located]:
        """Every line, depth first, located."""
        stack: list[Located] = [Located(child) for child in reversed(self.root.children)]
        while stack:
            here = stack.pop()
            yield here
            parents = (*here.parents, here.node)
            stack.extend(Located(child, parents) for child in reversed(here.node.children))

    def search(self, pattern: re.Pattern[str]) -> list[Located]:
        """Every line at any depth matching ``pattern``, in device order (indexed by first word)."""
        if self._all is None:
            self._all = {}
            top: tuple[ConfigNode, ...] = ()
            stack = [(child, top) for child in reversed(self.root.children)]
            while stack:
                node, parents = stack.pop()
                self._all.setdefault(node.text.split(" ", 1)[0], []).append((node, parents))
                if node.children:
                    inner = (*parents, node)
                    stack.extend((child, inner) for child in reversed(node.children))
        word = first_word(pattern)
        if word is None:
            every = (Located(n, p) for group in self._all.values() for n, p in group)
            return sorted(
                (h for h in every if pattern.search(h.text)), key=lambda h: self.line_number(h) or 0
            )
        return [Located(n, p) for n, p in self._all.get(word, []) if pattern.search(n.text)]

    @property
    def top(self) -> Located:
        return Located(self.root)

    # -- evidence ----------------------------------------------------------------------------------
    def line_number(self, located: Located) -> int | None:
        """1-based line of a located node: each header is searched after its parent's line."""
        if self._lines is None:
            self._lines = {}
            for number, raw in enumerate(self.text.splitlines(), start=1):
                self._lines.setdefault(raw.strip(), []).append(number)
        after = 0
        for node in (*located.parents, located.node):
            numbers = self._lines.get(node.text, ())
            at = bisect_right(numbers, after)
            if at == len(numbers):
                return None
            after = numbers[at]
        return after

    def evidence(self, located: Located) -> Evidence:
        """A redacted evidence line with its line number and section."""
        return Evidence(
            redact(located.text),
            self.line_number(located),
            tuple(redact(t) for t in located.section_texts()),
        )
