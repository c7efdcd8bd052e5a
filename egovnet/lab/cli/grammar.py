"""Keyword grammar with unique-prefix abbreviation, shared by every dialect.

Network CLIs accept any unambiguous prefix of each keyword (``dis cur`` for ``display
current-configuration``, ``sh ip int br``) and point a caret at the first word they cannot place.
A dialect declares its commands as short patterns; this module turns them into a keyword tree
and matches typed lines against it, returning either the handler with its arguments or the
kind and column of the error, so that every dialect reports errors the same way.

Pattern syntax: plain words are keywords, ``<name>`` takes one word, ``<name...>`` takes the rest
of the line (at least one word).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

H = TypeVar("H")


@dataclass(frozen=True)
class Token:
    """One word of a command line and the column where it starts."""

    text: str
    column: int


def tokenize(line: str) -> list[Token]:
    """Split on blanks, remembering columns (for the caret under an error)."""
    tokens: list[Token] = []
    column = 0
    for word in line.split(" "):
        if word:
            tokens.append(Token(word, column))
        column += len(word) + 1
    return tokens


@dataclass
class _Node(Generic[H]):
    keywords: dict[str, _Node[H]] = field(default_factory=dict)
    arg: tuple[str, bool, _Node[H]] | None = None  # (name, takes_rest, next node)
    handler: H | None = None


@dataclass(frozen=True)
class Match(Generic[H]):
    """A complete command: its handler, its arguments, and the full keywords it expanded to."""

    handler: H
    args: dict[str, str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Failure:
    """Why a line did not match: ``unrecognized``, ``ambiguous`` or ``incomplete``, at a column."""

    kind: str
    column: int
    index: int


class Grammar(Generic[H]):
    """A keyword tree for one command view."""

    def __init__(self) -> None:
        self._root: _Node[H] = _Node()

    def add(self, pattern: str, handler: H) -> None:
        """Register ``pattern`` (see module docstring) with ``handler``."""
        node = self._root
        for word in pattern.split():
            if word.startswith("<"):
                rest = word.endswith("...>")
                name = word.strip("<>.")
                if node.arg is None:
                    node.arg = (name, rest, _Node())
                elif node.arg[0] != name or node.arg[1] != rest:
                    raise ValueError(f"conflicting argument {word!r} in {pattern!r}")
                node = node.arg[2]
            else:
                node = node.keywords.setdefault(word.lower(), _Node())
        if node.handler is not None:
            raise ValueError(f"duplicate command pattern {pattern!r}")
        node.handler = handler

    def first_words(self) -> set[str]:
        """The keywords a line in this view may start with."""
        return set(self._root.keywords)

    def match(self, tokens: list[Token]) -> Match[H] | Failure:
        """Match ``tokens`` against the tree, abbreviations included."""
        node = self._root
        args: dict[str, str] = {}
        words: list[str] = []
        for index, token in enumerate(tokens):
            keyword, ambiguous = pick(node.keywords, token.text)
            if keyword is not None:
                node = node.keywords[keyword]
                words.append(keyword)
                continue
            if node.arg is not None:
                name, rest, following = node.arg
                if rest:
                    args[name] = " ".join(t.text for t in tokens[index:])
                    words.append(args[name])
                    node = following
                    break
                args[name] = token.text
                words.append(token.text)
                node = following
                continue
            kind = "ambiguous" if ambiguous else "unrecognized"
            return Failure(kind, token.column, index)
        if node.handler is None:
            end = tokens[-1].column + len(tokens[-1].text) if tokens else 0
            return Failure("incomplete", end, len(tokens))
        return Match(node.handler, args, tuple(words))


def pick(keywords: Mapping[str, object], typed: str) -> tuple[str | None, bool]:
    """The keyword ``typed`` abbreviates: exact match first, else the unique prefix match."""
    lowered = typed.lower()
    if lowered in keywords:
        return lowered, False
    candidates = [word for word in keywords if word.startswith(lowered)]
    if len(candidates) == 1:
        return candidates[0], False
    return None, len(candidates) > 1


_Tree = dict[str, "_Tree"]


def keyword_tree(vocabulary: Iterable[str]) -> _Tree:
    """Nested keyword dictionary of space-separated keyword paths."""
    tree: _Tree = {}
    for path in vocabulary:
        level = tree
        for word in path.split():
            level = level.setdefault(word, {})
    return tree


def expand_words(tree: _Tree, words: list[str]) -> tuple[list[str], int | None]:
    """Expand abbreviated config keywords along known keyword paths.

    ``tree`` comes from :func:`keyword_tree` over paths such as ``ip address`` or ``snmp-agent
    sys-info``. Words are expanded while they uniquely abbreviate a known next keyword; the first
    word must be known, everything after the known path is kept verbatim (arguments). Returns the
    words and the index of the first word that could not be placed (``None`` when acceptable).
    """
    result: list[str] = []
    level = tree
    for index, word in enumerate(words):
        keyword, _ambiguous = pick(level, word)
        if keyword is None:
            if index == 0:
                return words, 0
            result.extend(words[index:])
            return result, None
        result.append(keyword)
        level = level[keyword]
    return result, None
