"""Build a fixture configuration: a base configuration of a dialect plus a small mutation.

Each case in ``fixtures/cases.yml`` names a base (``fixtures/base/<base>.cfg``) and edits it the way
an engineer would at the console: add lines, add lines inside a section, remove lines or whole
sections, rewrite lines. A mutation that edits nothing is an error, so a case can never silently
test the unmodified base.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
BASES = FIXTURES / "base"
_TRAILERS = ("return", "end")


def base_text(name: str) -> str:
    return (BASES / f"{name}.cfg").read_text(encoding="utf-8")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _add(lines: list[str], new: list[str], separator: str) -> list[str]:
    at = len(lines)
    while at > 0 and lines[at - 1].strip() in (*_TRAILERS, ""):
        at -= 1
    return [*lines[:at], separator, *new, *lines[at:]]


def _add_in(lines: list[str], header: str, new: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line.strip() == header:
            pad = " " * (_indent(line) + 1)
            return [*lines[: index + 1], *(pad + n for n in new), *lines[index + 1 :]]
    raise AssertionError(f"no section {header!r} in the base configuration")


def _drop(lines: list[str], header: re.Pattern[str]) -> list[str]:
    result: list[str] = []
    skip_deeper: int | None = None
    for line in lines:
        if skip_deeper is not None and line.strip() and _indent(line) > skip_deeper:
            continue
        skip_deeper = None
        if header.search(line.strip()):
            skip_deeper = _indent(line)
            continue
        result.append(line)
    return result


def mutate(text: str, case: dict[str, Any], separator: str) -> str:
    """``text`` with the case's ``remove``, ``drop``, ``replace``, ``add_in`` and ``add`` applied."""
    lines = text.splitlines()
    original = list(lines)
    for pattern in case.get("remove", []):
        lines = [line for line in lines if not re.search(pattern, line.strip())]
    for pattern in case.get("drop", []):
        lines = _drop(lines, re.compile(pattern))
    for pattern, replacement in case.get("replace", []):
        lines = [re.sub(pattern, replacement, line) for line in lines]
    for header, new in case.get("add_in", {}).items():
        lines = _add_in(lines, header, new)
    if case.get("add"):
        lines = _add(lines, list(case["add"]), separator)
    assert lines != original, f"case {case} does not change its base"
    return "\n".join(lines) + "\n"
