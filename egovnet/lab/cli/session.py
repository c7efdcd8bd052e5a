"""One CLI session on one simulated device: the view stack, dialogs and fault hooks.

The SSH front-end feeds whole lines (after its echo loop) into :meth:`CliSession.handle` and
writes back what comes out. Everything vendor-specific is asked of the session's
:class:`~egovnet.lab.cli.dialect.Dialect`; this module only knows that sessions move between
views, that some commands ask a question and take the next line as the answer, and that injected
faults (rejected commands, dropped sessions, a device that went down) apply to every dialect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabDevice, LabNetwork

if TYPE_CHECKING:
    from egovnet.lab.cli.dialect import Dialect

CONFIG_KINDS = frozenset({"system", "section"})


class View(NamedTuple):
    """Where the session is: ``user``, ``enable`` (IOS privileged), ``system`` or ``section``.

    ``path`` holds the configuration section headers from the root (``("interface X",)``).
    """

    kind: str
    path: tuple[str, ...] = ()


@dataclass
class Reply:
    """What to send back for one line.

    Attributes:
        text: output lines separated by ``\\n`` (the SSH layer turns them into CRLF).
        prompt: print the prompt afterwards (off for questions, which wait on the same line).
        close: end the session once the text is sent.
    """

    text: str = ""
    prompt: bool = True
    close: bool = False


@dataclass
class Question:
    """A confirmation dialog: ``text`` is printed without a prompt, the next line is the answer."""

    text: str
    answer: Callable[[str], Result]
    echo: bool = True


Result = Reply | Question | str


@dataclass
class CliSession:
    """State of one login: views, pending question, per-session flags and counters."""

    network: LabNetwork
    device: LabDevice
    dialect: Dialect
    username: str = "admin"
    views: list[View] = field(default_factory=list)
    pending: Question | None = None
    commands: int = 0
    flags: dict[str, object] = field(default_factory=dict)
    typed_prompt: str = ""
    dropped: bool = False

    def __post_init__(self) -> None:
        if not self.views:
            self.views = [View(self.dialect.initial_kind)]

    @property
    def view(self) -> View:
        return self.views[-1]

    @property
    def in_config(self) -> bool:
        return self.view.kind in CONFIG_KINDS

    @property
    def echo(self) -> bool:
        """Whether typed characters are echoed (not while a password is asked for)."""
        return self.pending is None or self.pending.echo

    def prompt(self) -> str:
        return self.dialect.prompt(self)

    def banner(self) -> str:
        return self.dialect.banner(self)

    def edit_tree(self) -> ConfigNode:
        """The tree config commands change (the candidate on commit-model dialects)."""
        return self.dialect.edit_tree(self)

    def push(self, view: View) -> None:
        self.views.append(view)

    def pop(self) -> View:
        """Leave the current view; the bottom view is never removed."""
        if len(self.views) > 1:
            return self.views.pop()
        return self.views[-1]

    def reset_to(self, kind: str) -> None:
        """Drop views down to the lowest one of ``kind`` (``return``, ``end``)."""
        for index, view in enumerate(self.views):
            if view.kind == kind:
                del self.views[index + 1 :]
                return

    def handle(self, line: str) -> Reply | Question:
        """Process one line typed by the client, applying the injected faults."""
        self.typed_prompt = "" if self.pending is not None else self.prompt()
        if self.pending is not None:
            question, self.pending = self.pending, None
            return self._settle(question.answer(line.strip()))
        stripped = line.strip()
        if not stripped:
            return Reply()
        faults = self.device.faults
        if faults.device_down or (
            faults.drop_after_commands is not None and self.commands >= faults.drop_after_commands
        ):
            self.dropped = True
            return Reply(prompt=False, close=True)
        self.commands += 1
        for pattern in faults.reject_commands:
            if _matches(pattern, stripped):
                return Reply(self.dialect.error(self, "unrecognized", len(line) - len(line.lstrip())))
        return self.execute(line)

    def execute(self, line: str) -> Reply | Question:
        """Run one command without fault hooks (also used to apply configuration files)."""
        indent = len(line) - len(line.lstrip())
        return self._settle(self.dialect.dispatch(self, line.strip(), indent))

    def interrupt(self) -> Reply:
        """Ctrl-Z: drop any question and leave configuration the dialect's way."""
        self.pending = None
        return self.dialect.interrupt(self)

    def close(self) -> None:
        """The client went away: let the dialect discard what only lived in this session."""
        self.dialect.session_closed(self)

    def _settle(self, result: Result) -> Reply | Question:
        if isinstance(result, str):
            return Reply(result)
        if isinstance(result, Question):
            self.pending = result
        return result


def _matches(pattern: str, line: str) -> bool:
    """Fault patterns are regular expressions; invalid ones are taken literally."""
    try:
        return re.search(pattern, line) is not None
    except re.error:
        return pattern in line
