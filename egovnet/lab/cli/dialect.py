"""The dialect contract and the engine code every dialect shares.

A dialect is data (prompts, error strings, negation word, config keywords, section patterns,
interface-name tables) plus a command table of small handlers. :class:`Dialect` turns that into
behaviour: it routes a typed line to an operational command or to the configuration editor,
expands abbreviations, applies output pipes and formats errors with the caret under the first
word the device could not place. Vendor modules subclass it and never re-implement the engine.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from egovnet.lab.cli import confedit, ifnames
from egovnet.lab.cli.grammar import Failure, Grammar, Token, expand_words, keyword_tree, pick, tokenize
from egovnet.lab.cli.pipes import split_pipe
from egovnet.lab.cli.session import CliSession, Question, Reply, Result, View
from egovnet.lab.config_tree import ConfigNode, parse_config
from egovnet.lab.model import DeviceSpec, LabDevice

Handler = Callable[[CliSession, dict[str, str]], Result]


class ConfigTextError(ValueError):
    """A configuration text the dialect cannot load; ``line`` is 1-based, ``reason`` says why."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


class CommandError(Exception):
    """Raised by handlers and config checks; rendered as the dialect's error with a caret.

    Attributes:
        kind: ``unrecognized``, ``ambiguous``, ``incomplete`` or ``wrong`` (bad parameter).
        word: index of the offending word in the typed line (``None``: the last word).
    """

    def __init__(self, kind: str, word: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.word = word


@dataclass(frozen=True)
class Command:
    """One operational command: its pattern, the view kinds it exists in, and its handler."""

    pattern: str
    kinds: frozenset[str]
    handler: Handler


@dataclass(frozen=True)
class SectionRule:
    """A config line that opens a sub-view (``interface X``, ``aaa``, ``line vty 0 4``).

    ``top_level`` sections are always created at the root: typing one inside another section
    leaves that section first, as the devices do. A nested section with ``parents`` belongs to the
    nearest enclosing section whose header matches (``area`` to ``ospf``/``ospfv3``): typed deeper
    (in a sibling ``area`` view), the views above that parent are left first; typed where no such
    parent is open, the line is unrecognized.
    """

    pattern: re.Pattern[str]
    top_level: bool = True
    parents: re.Pattern[str] | None = None


def keywords(text: str) -> tuple[str, ...]:
    """Comma-separated keyword paths (``"sysname, ip address, snmp-agent sys-info"``) as a tuple.

    Dialects list dozens of config keywords; a compact text keeps those tables readable.
    """
    return tuple(" ".join(item.split()) for item in text.replace("\n", ",").split(",") if item.strip())


def sections(*patterns: str, top_level: bool = True, parents: str | None = None) -> tuple[SectionRule, ...]:
    compiled = re.compile(parents) if parents is not None else None
    return tuple(SectionRule(re.compile(p), top_level, compiled) for p in patterns)


class Dialect:
    """Base class of the four CLI dialects; subclasses set the class attributes and handlers."""

    name = ""
    initial_kind = "user"
    default_hostname = ""
    pipe_names: tuple[str, ...] = ("include", "exclude", "begin", "count")
    config_vocabulary: tuple[str, ...] = ()
    global_prefixes: tuple[str, ...] = ()
    global_lines: tuple[str, ...] = ()
    unshown_prefixes: tuple[str, ...] = ()
    section_rules: tuple[SectionRule, ...] = ()
    short_types: tuple[tuple[str, str], ...] = ()
    logical_types: tuple[str, ...] = ()
    config_headers: tuple[str, ...] = ()
    config_trailer = ""
    rules = confedit.EditRules("undo")
    errors: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._grammars: dict[str, Grammar[Handler]] = {}
        for command in self.commands():
            for kind in command.kinds:
                self._grammars.setdefault(kind, Grammar()).add(command.pattern, command.handler)
        self._config_tree = keyword_tree((*self.config_vocabulary, self.rules.negation))

    # ----------------------------------------------------------------- to be provided by dialects
    def commands(self) -> Sequence[Command]:
        """The operational command table."""
        return ()

    def prompt(self, s: CliSession) -> str:
        raise NotImplementedError

    def banner(self, s: CliSession) -> str:
        return ""

    def base_config(self, spec: DeviceSpec) -> ConfigNode:
        raise NotImplementedError

    def render_tree(self, device: LabDevice, tree: ConfigNode) -> str:
        """``tree`` printed as the device prints a configuration (header, separators, trailer)."""
        raise NotImplementedError

    def interrupt(self, s: CliSession) -> Reply:
        """Ctrl-Z."""
        return Reply()

    def sys_description(self, spec: DeviceSpec) -> list[str]:
        """What LLDP neighbours show as this device's system description."""
        return [f"{spec.vendor} {spec.model}"]

    def lldp_port_id(self, name: str) -> str:
        """How this device names its own port in the LLDP Port ID it advertises."""
        return name

    # ----------------------------------------------------------------- hooks with defaults
    def edit_tree(self, s: CliSession) -> ConfigNode:
        """Where config lines go; commit-model dialects return their candidate."""
        return s.device.running

    def edit_rules(self, spec: DeviceSpec) -> confedit.EditRules:
        """The editing rules of a device (a dialect may vary them by hardware model)."""
        return self.rules

    def ordered(self, tree: ConfigNode, spec: DeviceSpec) -> ConfigNode:
        """``tree`` sorted into the device's print order (base configurations end with this)."""
        return confedit.canonical(tree, self.edit_rules(spec))

    def session_closed(self, s: CliSession) -> None:
        """Forget per-session state when the client disconnects."""

    def parse_config_text(self, text: str) -> ConfigNode:
        """Parse a configuration as this dialect prints it (separator-delimited blocks)."""
        return confedit.canonical(parse_blocks(text, self.separator()), self.rules)

    def render_config(self, device: LabDevice, tree: ConfigNode) -> str:
        """A configuration as the device prints it (``display current-configuration`` and friends).

        A device booted from a stored text (:class:`~egovnet.lab.model.LoadedConfig`) prints that
        text verbatim while ``tree`` is still what was loaded: a rendering of the parsed tree could
        differ from the original in order, spacing or timestamps, and ``egovnet backup`` against the
        twin must give back the very files the twin was started from.
        """
        loaded = device.loaded
        if loaded is not None and tree == loaded.tree:
            return loaded.text
        return self.render_tree(device, tree)

    def check_config_text(self, text: str) -> None:
        """Raise :class:`ConfigTextError` at the first line this dialect could not have printed.

        The parser itself accepts any indented text, so a truncated backup, one from another vendor
        or a hand edit gone wrong would boot a device with a silently different configuration. A
        printed configuration is comment and separator lines, the dialect's header lines, commands
        whose first keyword (after the negation) the dialect knows, and the trailer as its last line.
        """
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            control = next((ch for ch in line if (ord(ch) < 32 and ch != "\t") or ord(ch) == 127), None)
            if control is not None:
                raise ConfigTextError(number, f"control character U+{ord(control):04X}")
            words = line.split()
            if not words or self._printed_not_typed(line):
                continue
            keyword = words[1] if words[0] == self.rules.negation and len(words) > 1 else words[0]
            if keyword not in self._config_tree:
                raise ConfigTextError(number, f"unknown {self.name} configuration command {line.strip()!r}")
        last = max((i for i, line in enumerate(lines, start=1) if line.strip()), default=0)
        if not last or lines[last - 1].strip() != self.config_trailer:
            raise ConfigTextError(
                max(last, 1), f"the configuration does not end with {self.config_trailer!r} (truncated?)"
            )

    def separator(self) -> str:
        return "#"

    def _printed_not_typed(self, line: str) -> bool:
        """Separator, comment, header and trailer lines of a printed configuration (not commands)."""
        stripped = line.strip()
        return (
            stripped.startswith((self.separator(), "!"))
            or line.startswith(self.config_headers)
            or stripped == self.config_trailer
        )

    def check_line(self, s: CliSession, words: list[str]) -> None:
        """Reject config lines with bad parameters (raise :class:`CommandError`)."""
        if words[:2] in (["ip", "address"], ["ipv6", "address"]):
            _check_address(words)

    # ----------------------------------------------------------------- engine
    def error(self, s: CliSession, kind: str, column: int) -> str:
        """The device's error text for ``kind``, with the caret line where the dialect has one."""
        message = self.errors.get(kind, self.errors.get("unrecognized", "Error"))
        if "^" not in message:
            return message
        return " " * (len(s.typed_prompt) + column) + "^\n" + message

    def dispatch(self, s: CliSession, line: str, indent: int = 0) -> Result:
        """Run one stripped command line in the session's current view."""
        command, pipe, pipe_error = split_pipe(line, self.pipe_names)
        if pipe_error is not None:
            return self.error(s, pipe_error, line.index("|") + 2)
        tokens = tokenize(command)
        if not tokens:
            return Reply()
        grammar = self._grammars.get(s.view.kind, Grammar())
        try:
            if s.in_config and (
                self._sequence_number(s, tokens[0]) or self._is_config_line(tokens[0], grammar)
            ):
                return self.config_line(s, tokens, indent)
            match = grammar.match(tokens)
            if isinstance(match, Failure):
                return self.error(s, match.kind, match.column)
            result = match.handler(s, match.args)
        except CommandError as exc:
            index = len(tokens) - 1 if exc.word is None else min(exc.word, len(tokens) - 1)
            return self.error(s, exc.kind, tokens[index].column)
        if pipe is not None:
            if isinstance(result, str):
                return pipe.apply(result)
            if isinstance(result, Reply):
                result.text = pipe.apply(result.text)
        return result

    def _is_config_line(self, first: Token, grammar: Grammar[Handler]) -> bool:
        operational = grammar.first_words()
        words = dict.fromkeys(operational | set(self._config_tree))
        keyword, ambiguous = pick(words, first.text)
        if keyword is None:
            raise CommandError("ambiguous" if ambiguous else "unrecognized", 0)
        return keyword not in operational

    def _sequence_number(self, s: CliSession, first: Token) -> bool:
        """Whether ``first`` is an entry's sequence number in a sequenced section (IOS ACLs)."""
        path = s.view.path
        sequenced = self.edit_rules(s.device.spec).sequenced
        return first.text.isdigit() and bool(path) and any(re.search(p, path[-1]) for p in sequenced)

    def config_line(self, s: CliSession, tokens: list[Token], indent: int = 0) -> Reply:
        """Apply one configuration line to the session's edit tree."""
        words = [token.text for token in tokens]
        negated = pick(self._config_tree, words[0])[0] == self.rules.negation
        body = words[1:] if negated else words
        offset = 1 if negated else 0
        number: list[str] = []
        if body and self._sequence_number(s, Token(body[0], 0)):
            number, body, offset = body[:1], body[1:], offset + 1
            if not body and negated:
                rules = self.edit_rules(s.device.spec)
                confedit.negate(confedit.section(s.edit_tree(), s.view.path, rules), number[0], rules)
                return Reply()
        if not body:
            raise CommandError("incomplete")
        expanded, bad = expand_words(self._config_tree, body)
        expanded = [*number, *expanded]
        if bad is not None:
            raise CommandError("unrecognized", bad + offset)
        try:
            if not negated:
                self.check_line(s, expanded)
        except CommandError as exc:
            raise CommandError(exc.kind, None if exc.word is None else exc.word + offset) from None
        text = " ".join(expanded)
        if not negated and text.startswith(self.unshown_prefixes):
            return Reply()  # accepted, but the device never prints it (IOS `snmp-server user`)
        if s.flags.get("file_mode") and indent == 0 and s.view.kind == "section":
            s.reset_to("system")
        if s.view.path and self.is_global(text):
            s.reset_to("system")
        rule = self.section_rule(text)
        header = self.section_header(s, text, offset)
        tree = s.edit_tree()
        if header is not None and header[1] and s.view.path:
            s.reset_to("system")
        if rule is not None and rule.parents is not None:
            self._to_parent(s, rule.parents, offset)
        path = s.view.path
        rules = self.edit_rules(s.device.spec)
        if header is not None and not negated:
            confedit.section(tree, (*path, header[0]), rules)
            s.push(View("section", (*path, header[0])))
            return Reply()
        parent = confedit.section(tree, path, rules)
        if negated:
            confedit.negate(parent, header[0] if header else text, rules)
        else:
            confedit.set_line(parent, text, rules)
        return Reply()

    @staticmethod
    def _to_parent(s: CliSession, parents: re.Pattern[str], offset: int) -> None:
        """Leave the views below the nearest open section matching ``parents`` (see SectionRule)."""
        path = s.view.path
        depth = next((i for i in range(len(path) - 1, -1, -1) if parents.search(path[i])), None)
        if depth is None:
            raise CommandError("unrecognized", offset)
        while len(s.view.path) > depth + 1:
            s.pop()

    def is_global(self, text: str) -> bool:
        """Lines that only exist in system view: typed in a sub-view, they leave it first.

        ``global_prefixes`` match keyword prefixes; ``global_lines`` match whole lines (VRP's bare
        ``ipv6`` is global, ``ipv6 enable`` belongs to an interface).
        """
        words = text.split()
        return text in self.global_lines or any(
            words[: len(p.split())] == p.split() for p in self.global_prefixes
        )

    def section_rule(self, text: str) -> SectionRule | None:
        """The rule of the section ``text`` opens, if it opens one."""
        return next((rule for rule in self.section_rules if rule.pattern.match(text)), None)

    def section_header(self, s: CliSession, text: str, offset: int = 0) -> tuple[str, bool] | None:
        """(canonical header, top_level) when ``text`` opens a section."""
        for rule in self.section_rules:
            if rule.pattern.match(text):
                if text.split(maxsplit=1)[0] == "interface":
                    return f"interface {self.interface_name(s, text.split(None, 1)[1], 1 + offset)}", True
                return text, rule.top_level
        return None

    def interface_name(self, s: CliSession, typed: str, word: int | None = None) -> str:
        """Resolve a typed interface name or raise a ``wrong`` parameter error."""
        resolved = ifnames.resolve(
            typed.replace(" ", ""), known_interfaces(s), self.logical_types, self.short_types
        )
        if resolved is None:
            raise CommandError("wrong", word)
        return resolved

    def short(self, name: str) -> str:
        return ifnames.abbreviate(name, self.short_types)

    def confirm(self, text: str, yes: Callable[[], Result], no: Result = "") -> Question:
        """A ``[Y/N]`` question; anything but ``y``/``yes`` takes the ``no`` branch, as on devices."""

        def answer(line: str) -> Result:
            return yes() if line.lower() in ("y", "yes") else no

        return Question(text, answer)


def known_interfaces(s: CliSession) -> list[str]:
    """Ports from the inventory plus interfaces present in the running or edited config."""
    names = [port.name for port in s.device.spec.ports]
    for tree in (s.device.running, s.device.candidate or ConfigNode()):
        for node in tree.children_starting("interface "):
            name = node.text.split(None, 1)[1]
            if name not in names:
                names.append(name)
    return names


def parse_blocks(text: str, separator: str) -> ConfigNode:
    """Parse configuration text block by block.

    Separator lines (``#``, ``!``) end a block. Comware indents its global lines by one space,
    so each block is dedented by its first line's indentation before parsing; this keeps a
    global line from being read as a child of the section printed just before it.
    """
    root = ConfigNode()
    block: list[str] = []

    def flush() -> None:
        lines = [line for line in block if line.strip()]
        if lines:
            indent = len(lines[0]) - len(lines[0].lstrip())
            dedented = [line[indent:] if not line[:indent].strip() else line.lstrip() for line in lines]
            root.children.extend(parse_config("\n".join(dedented)).children)
        block.clear()

    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith(separator) or stripped.startswith("!"):
            flush()
            continue
        block.append(raw.rstrip())
    flush()
    return root


def _check_address(words: list[str]) -> None:
    """``ip address A M|len`` / ``ipv6 address X/len``: reject what the device would reject.

    Keyword forms (``ip address dhcp``, ``dhcp-alloc``, ``unnumbered``, ``ipv6 address auto``)
    are accepted as they are; only literal addresses are checked.
    """
    if len(words) < 3:
        raise CommandError("incomplete")
    if words[2][:1].isalpha() and ":" not in words[2]:
        return
    try:
        if words[0] == "ip":
            if len(words) < 4:
                raise CommandError("incomplete")
            ipaddress.IPv4Interface(f"{words[2]}/{words[3]}")
        elif "/" in words[2]:
            ipaddress.IPv6Interface(words[2])
        else:
            ipaddress.IPv6Address(words[2])
    except ValueError:
        raise CommandError("wrong", 2) from None
