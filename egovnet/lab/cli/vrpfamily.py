"""Behaviour Huawei VRP (V5, V8) and H3C Comware share.

The three dialects descend from one CLI design: ``<host>`` user view, ``system-view`` into
``[host]``, ``quit`` one level up, ``return`` (or Ctrl-Z) back to the user view, ``undo`` as the
negation, ``display`` commands available in every view, ``#``-separated configuration ending in
``return``. This module holds that shared skeleton; the vendor modules add their renderers and
messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from egovnet.lab.cli import files, oper
from egovnet.lab.cli.dialect import Command, CommandError, Dialect
from egovnet.lab.cli.session import CliSession, Question, Reply, Result, View
from egovnet.lab.cli.text import clock
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabDevice

ALL = frozenset({"user", "system", "section"})
CONFIG = frozenset({"system", "section"})
USER = frozenset({"user"})


class VrpFamily(Dialect):
    """Shared skeleton; subclasses provide renderers and vendor messages."""

    system_view_message = ""
    global_indent = ""
    config_trailer = "return"
    startup_file = "vrpcfg.zip"
    view_labels: ClassVar[dict[str, str]] = {"user-interface": "ui"}

    # ----------------------------------------------------------------- views and prompts
    def prompt_marker(self, s: CliSession) -> str:
        """Text between ``[`` and the host name (VRP8 shows ``~``/``*``)."""
        return ""

    def prompt(self, s: CliSession) -> str:
        host = s.device.hostname()
        if s.view.kind == "user":
            return f"<{host}>"
        labels = [self.label(header) for header in s.view.path]
        return f"[{self.prompt_marker(s)}{'-'.join([host, *labels])}]"

    def label(self, header: str) -> str:
        """The view name shown in the prompt for a section header."""
        words = header.split()
        if words[0] == "interface":
            return words[1]
        prefix = self.view_labels.get(words[0])
        if prefix is not None and len(words) >= 3:
            # user-interface vty 0 4 -> ui-vty0-4, line vty 0 63 -> line-vty0-63
            kind = "console" if words[1] == "con" and words[0] == "user-interface" else words[1]
            if words[2].isdigit():
                return "-".join([prefix, kind + words[2], *words[3:]])
            return "-".join([prefix, *words[1:]])
        return "-".join(words)

    def leave_config(self, s: CliSession, then: Reply) -> Result:
        """Go from a config view back to the user view (VRP8 asks about uncommitted changes)."""
        s.reset_to("user")
        return then

    def interrupt(self, s: CliSession) -> Reply:
        if s.in_config:
            result = self.leave_config(s, Reply())
            if isinstance(result, Question):
                s.pending = result
                return Reply(result.text, prompt=False)
            return Reply()
        return Reply()

    # ----------------------------------------------------------------- command table
    def commands(self) -> Sequence[Command]:
        return [
            Command("system-view", USER, self._system_view),
            Command("quit", ALL, self._quit),
            Command("return", CONFIG, lambda s, a: self.leave_config(s, Reply())),
            Command("display current-configuration", ALL, self._display_current),
            Command("display saved-configuration", ALL, self._display_saved),
            Command("display this", CONFIG, self._display_this),
            Command("display clock", ALL, self._display_clock),
            Command("save", ALL, self.save),
            Command("save <file>", ALL, self.save_file),
            Command("dir", ALL, lambda s, a: self.render_dir(s, "")),
            Command("dir <path...>", ALL, lambda s, a: self.render_dir(s, a["path"])),
            Command("delete <path...>", USER, self._delete),
            Command("ping <args...>", ALL, self._ping),
            Command("display version", ALL, lambda s, a: "\n".join(self.render_version(s))),
            Command("display interface", ALL, lambda s, a: self.render_interfaces(s, None)),
            Command("display interface <name...>", ALL, self._display_one_interface),
            Command("display interface brief", ALL, lambda s, a: "\n".join(self.render_brief(s))),
            Command("display ip interface", ALL, lambda s, a: "\n".join(self.render_ip(s))),
            Command("display ip interface brief", ALL, lambda s, a: "\n".join(self.render_ip_brief(s))),
            Command("display ipv6 interface", ALL, lambda s, a: "\n".join(self.render_ipv6(s))),
            Command("display ipv6 interface brief", ALL, lambda s, a: "\n".join(self.render_ipv6_brief(s))),
        ]

    # ----------------------------------------------------------------- renderers (per vendor)
    def render_version(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_interface(self, s: CliSession, name: str) -> list[str]:
        raise NotImplementedError

    def render_brief(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_ip(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_ip_brief(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_ipv6(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_ipv6_brief(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    def render_dir(self, s: CliSession, path: str) -> str:
        raise NotImplementedError

    def render_ping(self, s: CliSession, target: str, ok: bool, count: int, size: int, v6: bool) -> str:
        raise NotImplementedError

    def save(self, s: CliSession, args: dict[str, str]) -> Result:
        raise NotImplementedError

    def save_file(self, s: CliSession, args: dict[str, str]) -> Result:
        raise NotImplementedError

    def config_header(self, device: LabDevice) -> list[str]:
        """Comment lines printed before the configuration."""
        return []

    # ----------------------------------------------------------------- configuration text
    def is_section(self, node: ConfigNode) -> bool:
        return bool(node.children) or any(rule.pattern.match(node.text) for rule in self.section_rules)

    def render_tree(self, device: LabDevice, tree: ConfigNode) -> str:
        lines = self.config_header(device)
        previous: tuple[str, bool] | None = None
        for node in tree.children:
            section = self.is_section(node)
            first = node.text.split()[0]
            if previous is None or section or previous[1] or previous[0] != first:
                lines.append("#")
            lines.append(("" if section else self.global_indent) + node.text)
            lines.extend(" " * (depth + 1) + child.text for depth, child in node.walk())
            previous = (first, section)
        lines.extend(["#", "return"])
        return "\n".join(lines)

    def parse_config_text(self, text: str) -> ConfigNode:
        body = [line for line in text.splitlines() if line.strip() != "return"]
        return super().parse_config_text("\n".join(body))

    def store_startup(self, s: CliSession) -> None:
        """``save``: running becomes the saved configuration, also written to flash."""
        s.device.saved = s.device.running.copy()
        text = self.render_config(s.device, s.device.saved) + "\n"
        files.write_file(s.device, self.startup_file, text.encode())

    # ----------------------------------------------------------------- handlers
    def _system_view(self, s: CliSession, args: dict[str, str]) -> Result:
        s.push(View("system"))
        return self.system_view_message

    def _quit(self, s: CliSession, args: dict[str, str]) -> Result:
        if s.view.kind == "user":
            return Reply(prompt=False, close=True)
        if s.view.kind == "system":
            return self.leave_config(s, Reply())
        s.pop()
        return Reply()

    def _display_current(self, s: CliSession, args: dict[str, str]) -> Result:
        return self.render_config(s.device, s.device.running)

    def _display_saved(self, s: CliSession, args: dict[str, str]) -> Result:
        return self.render_config(s.device, s.device.saved)

    def _display_this(self, s: CliSession, args: dict[str, str]) -> Result:
        tree = s.edit_tree()
        if not s.view.path:
            return self.render_config(s.device, tree)
        node = tree
        for header in s.view.path:
            node = node.child(header) or ConfigNode(header)
        lines = ["#", node.text, *(" " * (d + 1) + c.text for d, c in node.walk()), "#", "return"]
        return "\n".join(lines)

    def _display_clock(self, s: CliSession, args: dict[str, str]) -> Result:
        return f"{clock()}\n{clock(fmt='%A')}\nTime Zone(UTC) : UTC"

    def _display_one_interface(self, s: CliSession, args: dict[str, str]) -> Result:
        return self.render_interfaces(s, self.interface_name(s, args["name"], 2))

    def render_interfaces(self, s: CliSession, only: str | None) -> str:
        names = [st.name for st in oper.states(s) if only is None or st.name == only]
        lines: list[str] = []
        for name in names:
            lines.extend([*self.render_interface(s, name), ""])
        return "\n".join(lines).rstrip("\n")

    def _delete(self, s: CliSession, args: dict[str, str]) -> Result:
        words = [w for w in args["path"].split() if not w.startswith("/")]
        quiet = "/quiet" in args["path"].split()
        name = files.flash_name(words[-1]) if words else None
        if name is None:
            raise CommandError("incomplete" if not words else "wrong")
        if name not in s.device.files:
            return "Error: File can't be found in the directory."

        def remove() -> Result:
            files.delete_file(s.device, name)
            return f"Info: Deleting file flash:/{name}...succeeded."

        if quiet:
            return remove()
        return self.confirm(f"Delete flash:/{name}? [Y/N]:", remove, "Info: Delete canceled.")

    def _ping(self, s: CliSession, args: dict[str, str]) -> Result:
        words = args["args"].split()
        v6 = bool(words) and words[0].lower() == "ipv6"
        if v6:
            words = words[1:]
        options = {"-c": 5, "-s": 56}
        target = ""
        index = 0
        while index < len(words):
            word = words[index]
            if word in ("-c", "-s") and index + 1 < len(words) and words[index + 1].isdigit():
                options[word] = int(words[index + 1])
                index += 2
            elif word.startswith("-") and index + 1 < len(words):
                index += 2  # -a source, -t timeout, -vpn-instance x: accepted, not modelled
            else:
                target = word
                index += 1
        ok = oper.ping(s, target) if target else None
        if ok is None:
            raise CommandError("incomplete" if not target else "wrong")
        return self.render_ping(s, target, ok, options["-c"], options["-s"], v6)
