"""Output filters after ``|``: include, exclude, begin, section, count.

Every dialect offers the same filters under the same names (the set differs a little), and
clients depend on them: NAPALM runs ``display current-configuration | inc sysname`` and
``show running-config | inc ip scp server enable``. Patterns are regular expressions, as on the
devices; a pattern that is not a valid expression is matched literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from egovnet.lab.cli.grammar import pick


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(re.escape(pattern))


def _include(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    return [line for line in lines if rx.search(line)]


def _exclude(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    return [line for line in lines if not rx.search(line)]


def _begin(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    for index, line in enumerate(lines):
        if rx.search(line):
            return lines[index:]
    return []


def _section(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    """Matching top-level lines with everything indented under them."""
    result: list[str] = []
    keep = False
    for line in lines:
        if line and not line[0].isspace():
            keep = bool(rx.search(line))
        elif not keep and rx.search(line):
            result.append(line)
            continue
        if keep:
            result.append(line)
    return result


def _count(lines: list[str], rx: re.Pattern[str]) -> list[str]:
    return [f"Number of matching lines: {len(_include(lines, rx))}"]


FILTERS: dict[str, Callable[[list[str], re.Pattern[str]], list[str]]] = {
    "include": _include,
    "exclude": _exclude,
    "begin": _begin,
    "section": _section,
    "count": _count,
}


@dataclass(frozen=True)
class Pipe:
    """One parsed ``| <filter> <pattern>``."""

    name: str
    pattern: str

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        return "\n".join(FILTERS[self.name](lines, _compile(self.pattern)))


def split_pipe(line: str, names: Sequence[str]) -> tuple[str, Pipe | None, str | None]:
    """Split ``cmd | inc x`` into the command and the filter.

    Returns ``(command, pipe, error)``; ``error`` is ``"unrecognized"`` or ``"incomplete"`` when
    the text after ``|`` is not a filter of this dialect.
    """
    if " |" not in line and not line.startswith("|"):
        return line, None, None
    command, _, tail = line.partition("|")
    words = tail.split(None, 1)
    if not words:
        return command.rstrip(), None, "incomplete"
    name, _ambiguous = pick({n: None for n in names}, words[0])
    if name is None:
        return command.rstrip(), None, "unrecognized"
    if len(words) < 2:
        return command.rstrip(), None, "incomplete"
    return command.rstrip(), Pipe(name, words[1].strip()), None
