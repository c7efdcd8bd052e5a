"""Progress of long commands: a bar on a terminal, plain lines for a program that drives the command.

A person at a terminal sees a rich progress bar on stderr. ``make demo`` and schedulers run the same
commands with their output captured, where a bar is noise; with ``EGOVNET_PROGRESS=lines`` the
command writes one line per step instead (``progress: <label> <done>/<total>``), which the caller
turns into its own bar (``egovnet.demo``). Commands never print progress to stdout, so ``--json``
output stays clean either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from egovnet.cli.common import err_console

#: Environment variable that selects plain progress lines (value ``lines``).
PROGRESS_ENV = "EGOVNET_PROGRESS"
#: The prefix of a plain progress line; :mod:`egovnet.demo.runner` parses it.
LINE_PREFIX = "progress:"


def plain_lines() -> bool:
    """Whether the caller asked for plain progress lines."""
    return os.environ.get(PROGRESS_ENV) == "lines"


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[], None]]:
    """Yield ``advance()``; each call marks one of ``total`` units done."""
    if plain_lines():
        done = 0

        def advance_line() -> None:
            nonlocal done
            done += 1
            sys.stderr.write(f"{LINE_PREFIX} {label} {done}/{total}\n")
            sys.stderr.flush()

        sys.stderr.write(f"{LINE_PREFIX} {label} 0/{total}\n")
        sys.stderr.flush()
        yield advance_line
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)
