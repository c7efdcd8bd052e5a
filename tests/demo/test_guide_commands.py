"""The user guide and the systemd units only name commands and options the CLI has.

Every ``egovnet ...`` line in the README's and docs/guide.md's code blocks, and every ``ExecStart=`` of
scripts/systemd, is resolved against the real click command tree: a renamed option breaks this test,
not an engineer's night.
"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from egovnet.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "guide.md"]
UNITS = sorted((ROOT / "scripts" / "systemd").glob("*.service"))


def _doc_commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for block in re.findall(r"```sh\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            for line in block.splitlines():
                for part in re.split(r"&&|\|\|", line.split("#", 1)[0]):
                    words = part.strip()
                    if words.startswith("egovnet "):
                        found.append((doc.name, words))
    return found


def _unit_commands() -> list[tuple[str, str]]:
    found = []
    for unit in UNITS:
        parser = configparser.RawConfigParser(strict=False)
        parser.read(unit, encoding="utf-8")
        command = parser["Service"]["ExecStart"]
        found.append((unit.name, "egovnet " + command.split("/egovnet ", 1)[1]))
    return found


def _check(line: str) -> None:
    words = shlex.split(line)[1:]
    command: Any = typer.main.get_command(app)
    while hasattr(command, "list_commands") and words and not words[0].startswith("-"):
        sub = command.get_command(command.context_class(command), words[0])
        if sub is None:
            break  # an argument (a host name), not a sub-command
        command, words = sub, words[1:]
    known = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}
    used = {w.split("=", 1)[0] for w in words if w.startswith("-")}
    assert used <= known, f"{line!r}: unknown {sorted(used - known)} (known {sorted(known)})"


@pytest.mark.parametrize(("where", "line"), _doc_commands() + _unit_commands())
def test_documented_command_exists(where: str, line: str) -> None:
    _check(line)


def test_the_guide_covers_what_the_issue_names() -> None:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    for topic in ("Vault", "SNMPv3", "systemd", "syslog", "Alertmanager", "--from-backups", "egovnet report"):
        assert topic in guide, topic
    assert len(_doc_commands()) >= 15  # the parser found the code blocks
