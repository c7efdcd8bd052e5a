"""Run one demo step: a real command as a subprocess, its output to a log, a progress bar on screen.

Every step of ``make demo`` is a command an engineer could type (``egovnet lab up``,
``ansible-playbook playbooks/site.yml``...), so the demo runs exactly those and proves they work
together. Their output goes to ``<out>/logs/NN-<step>.log``; the screen shows one bar per step,
advanced by what the output says (Ansible's per-host results, egovnet's ``progress:`` lines), or the
elapsed time for short steps. A step that fails stops the demo with the tail of its log.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from egovnet.cli.progress import LINE_PREFIX, PROGRESS_ENV

#: Parses one output line; returns (done, total) when the line moves the bar, else None.
Counter = Callable[[str], tuple[int, int | None] | None]


class StepError(RuntimeError):
    """A step exited with a status it does not allow; the message names the step, log and tail."""


@dataclass
class Step:
    """One command of the demo.

    Attributes:
        key: short name, used for the log file.
        title: what the step does, in Chinese and English.
        argv: the command.
        counter: makes the progress bar move (``None``: elapsed time only).
        total: the bar's length when known beforehand.
        ok_codes: exit statuses that are not a failure (``egovnet monitor once`` exits 1 when a device
            does not answer, which the demo shows rather than hides).
    """

    key: str
    title: str
    argv: Sequence[str]
    counter: Counter | None = None
    total: int | None = None
    ok_codes: frozenset[int] = frozenset({0})
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepResult:
    """What a step did: exit status, seconds, and where its output is."""

    step: Step
    returncode: int
    seconds: float
    log: Path

    def output(self) -> str:
        """The step's whole output (stdout and stderr interleaved)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


_PROGRESS_LINE = re.compile(rf"^{re.escape(LINE_PREFIX)} .* (\d+)/(\d+)\s*$")


def egovnet_progress(line: str) -> tuple[int, int | None] | None:
    """Counter for egovnet commands run with ``EGOVNET_PROGRESS=lines``."""
    match = _PROGRESS_LINE.match(line)
    return (int(match.group(1)), int(match.group(2))) if match else None


class AnsibleHosts:
    """Counter for ``ansible-playbook``: hosts that finished a task whose name matches ``task``."""

    _TASK = re.compile(r"^TASK \[(?P<name>.*)\] \*+")
    _RESULT = re.compile(r"^(ok|changed|failed|fatal|skipping): \[(?P<host>[^\]]+)\]")

    def __init__(self, task: str) -> None:
        self.task = re.compile(task)
        self.inside = False
        self.hosts: set[str] = set()

    def __call__(self, line: str) -> tuple[int, int | None] | None:
        header = self._TASK.match(line)
        if header:
            self.inside = bool(self.task.search(header.group("name")))
            return None
        result = self._RESULT.match(line) if self.inside else None
        if result is None:
            return None
        self.hosts.add(result.group("host"))
        return len(self.hosts), None


class Runner:
    """Runs steps in order under one rich console, numbering their logs."""

    def __init__(self, out: Path, console: Console, cwd: Path) -> None:
        self.logs = out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.console = console
        self.cwd = cwd
        self.number = 0
        self.results: list[StepResult] = []

    def run(self, step: Step) -> StepResult:
        """Run ``step``; raise :class:`StepError` when its exit status is not allowed."""
        self.number += 1
        log = self.logs / f"{self.number:02d}-{step.key}.log"
        env = {
            **os.environ,
            PROGRESS_ENV: "lines",
            "PYTHONUNBUFFERED": "1",
            "ANSIBLE_NOCOLOR": "1",
            "COLUMNS": "200",  # tables in the logs as wide as they need, not truncated
            **step.env,
        }
        started = time.monotonic()
        columns = (
            SpinnerColumn(),
            TextColumn(f"[bold]{self.number:>2}[/] {step.title}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with (
            log.open("w", encoding="utf-8") as sink,
            Progress(*columns, console=self.console) as progress,
        ):
            sink.write("$ " + " ".join(step.argv) + "\n")
            task = progress.add_task(step.key, total=step.total)
            with subprocess.Popen(
                list(step.argv),
                cwd=self.cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
            ) as process:
                assert process.stdout is not None
                for line in process.stdout:
                    sink.write(line)
                    moved = step.counter(line) if step.counter else None
                    if moved is not None:
                        done, total = moved
                        progress.update(task, completed=done, total=total or step.total or done)
                returncode = process.wait()
            if returncode in step.ok_codes:
                progress.update(
                    task, total=progress.tasks[0].total or 1, completed=progress.tasks[0].total or 1
                )
        result = StepResult(step, returncode, time.monotonic() - started, log)
        self.results.append(result)
        if returncode not in step.ok_codes:
            tail = "\n".join(result.output().splitlines()[-30:])
            raise StepError(f"step {self.number} ({step.title}) exited {returncode}; log {log}\n{tail}")
        return result
