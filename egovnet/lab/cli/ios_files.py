"""Cisco IOS file system and configuration-archive commands NAPALM's ios driver relies on.

The driver's merge/commit/rollback is a file workflow (captured in devsim.md §3.2): it copies
``merge_config.txt`` by SCP, checks it with ``dir`` and ``verify /md5``, compares with ``show
archive config incremental-diffs``, then ``copy running-config flash:/rollback_config.txt``,
``copy flash:/merge_config.txt running-config`` and ``configure replace flash:/... force``.
Copy prompts are skipped once ``file prompt quiet`` is configured, as on the device.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from egovnet.lab.cli import files
from egovnet.lab.cli.dialect import CommandError, Dialect
from egovnet.lab.cli.session import CliSession, Question, Reply, Result, View
from egovnet.lab.cli.text import clock, md5_hex
from egovnet.lab.config_tree import ConfigNode

RUNNING = ("running-config", "system:running-config", "system:/running-config")
STARTUP = ("startup-config", "nvram:startup-config", "nvram:/startup-config")


def _missing(path: str) -> str:
    return f"%Error opening {path} (No such file or directory)"


def tree_additions(base: ConfigNode, new: ConfigNode, depth: int = 0) -> list[str]:
    """Lines of ``new`` that would change ``base`` (with their section headers), indented.

    A ``no X`` line counts only when ``base`` has something it would remove, as in IOS's
    incremental diff.
    """
    lines: list[str] = []
    for node in new.children:
        words = node.text.split()
        if words[:1] == ["no"] and not node.children:
            target = words[1:]
            if any(child.text.split()[: len(target)] == target for child in base.children):
                lines.append(" " * depth + node.text)
            continue
        present = base.child(node.text)
        if present is None:
            lines.append(" " * depth + node.text)
            lines.extend(" " * (depth + 1 + d) + c.text for d, c in node.walk())
        else:
            nested = tree_additions(present, node, depth + 1)
            if nested:
                lines += [" " * depth + node.text, *nested]
    return lines


class IosFiles(Dialect):
    """``dir``, ``verify``, ``copy``, ``more``, ``delete``, ``configure replace``, ``show archive``."""

    def quiet(self, s: CliSession) -> bool:
        return s.device.running.child("file prompt quiet") is not None

    def save_startup(self, s: CliSession) -> str:
        s.device.saved = s.device.running.copy()
        return "Building configuration...\n[OK]"

    def _ask(self, s: CliSession, text: str, action: Callable[[], Result]) -> Result:
        """A copy prompt the operator confirms with Enter (skipped once ``file prompt quiet``)."""
        if self.quiet(s):
            return action()
        return Question(text, lambda line: action())

    def dir(self, s: CliSession, path: str) -> str:
        target = path or "flash:/"
        name = files.flash_name(target)
        if not target.lower().startswith(("flash:", "/")):
            return f"%Error opening {target} (No such device)"
        names = sorted(s.device.files) if name is None else [name]
        if name is not None and name not in s.device.files:
            return _missing(f"flash:/{name}")
        heading = "flash:/" if name is None else f"flash:/{name}"
        rows = [
            f"{i:>5}  -rw-  {len(s.device.files[n]):>11}  "
            f"{clock(files.mtime(s.device, n), '%b %d %Y %H:%M:%S')} +00:00  {n}"
            for i, n in enumerate(names, start=1)
        ]
        return "\n".join(
            [
                f"Directory of {heading}",
                "",
                *rows,
                "",
                f"{files.CAPACITY} bytes total ({files.free_bytes(s.device)} bytes free)",
            ]
        )

    def verify_md5(self, s: CliSession, path: str) -> str:
        name = files.flash_name(path)
        if name is None or name not in s.device.files:
            return _missing(path)
        digest = md5_hex(s.device.files[name])
        return f"{'.' * 40}Done!\nverify /md5 ({path}) = {digest}"

    def more(self, s: CliSession, path: str) -> str:
        name = files.flash_name(path)
        if name is None or name not in s.device.files:
            return _missing(path)
        return s.device.files[name].decode(errors="replace").rstrip("\n")

    def delete(self, s: CliSession, words: list[str]) -> Result:
        paths = [w for w in words if not w.startswith("/")]
        if not paths:
            raise CommandError("incomplete")
        name = files.flash_name(paths[-1])
        if name is None or name not in s.device.files:
            return _missing(paths[-1])

        def remove() -> Result:
            files.delete_file(s.device, name)
            return ""

        if self.quiet(s) or "/force" in words:
            return remove()
        return Question(
            f"Delete filename [{name}]? ",
            lambda line: Question(f"Delete flash:/{name}? [confirm]", lambda answer: remove()),
        )

    def copy(self, s: CliSession, source: str, target: str) -> Result:
        started = time.monotonic()
        src, dst = source.lower(), target.lower()
        if src in RUNNING and dst in STARTUP:
            return self._ask(s, "Destination filename [startup-config]? ", lambda: self.save_startup(s))
        if src in RUNNING or src in STARTUP:
            tree = s.device.running if src in RUNNING else s.device.saved
            name = files.flash_name(target)
            if name is None:
                raise CommandError("wrong", 2)
            data = (self.render_file(s, tree) + "\n").encode()
            dest: str = name

            def write() -> Result:
                files.write_file(s.device, dest, data)
                return _copied(len(data), started)

            return self._ask(s, f"Destination filename [{name}]? ", write)
        if src == "null:":
            name = files.flash_name(target)
            if name is None:
                raise CommandError("wrong", 2)
            files.write_file(s.device, name, b"")
            return ""
        name = files.flash_name(source)
        if name is None:
            raise CommandError("wrong", 1)
        if name not in s.device.files:
            return _missing(source)
        data = s.device.files[name]
        if dst in RUNNING:
            return self._ask(
                s, "Destination filename [running-config]? ", lambda: self.merge_file(s, data, started)
            )
        target_name = files.flash_name(target)
        if target_name is None:
            raise CommandError("wrong", 2)
        files.write_file(s.device, target_name, data)
        return _copied(len(data), started)

    def render_file(self, s: CliSession, tree: ConfigNode) -> str:
        """A configuration as ``copy running-config flash:`` writes it (no show header)."""
        raise NotImplementedError

    def merge_file(self, s: CliSession, data: bytes, started: float) -> str:
        """``copy <file> running-config``: each line runs as if typed in global configuration."""
        if s.device.faults.reject_commit:
            return (
                "%Error copying to running-config: configuration rejected by the device\n"
                "% Invalid input detected at '^' marker."
            )
        errors = apply_lines(s, data.decode(errors="replace"))
        return "\n".join([*errors, _copied(len(data), started)])

    def replace(self, s: CliSession, words: list[str]) -> Result:
        paths = [w for w in words if ":" in w]
        if not paths:
            raise CommandError("incomplete")
        name = files.flash_name(paths[0])
        if name is None or name not in s.device.files:
            return _missing(paths[0])

        def run() -> Result:
            if s.device.faults.reject_commit:
                return (
                    "Total number of passes: 0\n"
                    "Rollback aborted: %Error: Configuration replace failed, running-config unchanged"
                )
            s.device.running = self.parse_config_text(s.device.files[name].decode(errors="replace"))
            return "Total number of passes: 1\nRollback Done"

        if "force" in [w.lower() for w in words]:
            return run()
        return self.confirm(
            "This will apply all necessary additions and deletions\n"
            "to replace the current running configuration with the\n"
            "contents of the specified configuration file, which is\n"
            "assumed to be a complete configuration, not a partial\n"
            "configuration. Enter Y if you are sure you want to proceed. ? [no]: ",
            run,
            "",
        )

    def incremental_diffs(self, s: CliSession, path: str) -> str:
        name = files.flash_name(path)
        if name is None or name not in s.device.files:
            return _missing(path)
        merge = self.parse_config_text(s.device.files[name].decode(errors="replace"))
        added = tree_additions(s.device.running, merge)
        if not added:
            return "!List of Commands:\nend\n!No changes were found"
        return "\n".join(["!List of Commands:", *added, "end"])

    def differences(self, s: CliSession, words: list[str]) -> str:
        trees: list[ConfigNode] = []
        for path in words[:2]:
            if path.lower() in RUNNING:
                trees.append(s.device.running)
                continue
            name = files.flash_name(path)
            if name is None or name not in s.device.files:
                return _missing(path)
            trees.append(self.parse_config_text(s.device.files[name].decode(errors="replace")))
        if len(trees) == 1:
            trees.insert(0, s.device.running)
        if len(trees) < 2:
            raise CommandError("incomplete")
        added = tree_additions(trees[0], trees[1])
        removed = tree_additions(trees[1], trees[0])
        if not added and not removed:
            return "!Contextual Config Diffs:\n!No changes were found"
        return "\n".join(
            ["!Contextual Config Diffs:", *("+" + line for line in added), *("-" + line for line in removed)]
        )

    def archive(self, s: CliSession) -> str:
        if s.device.running.child("archive") is None:
            return " Archive feature not enabled"
        return (
            "The maximum archive configurations allowed is 10.\n"
            "There are currently 0 archive configurations saved.\n"
            f"The next archive file will be named flash:{s.device.hostname()}-1\n"
            " Archive #  Name"
        )


def apply_lines(s: CliSession, text: str) -> list[str]:
    """Run configuration text line by line in a scratch session on the same device.

    Indentation decides nesting the way IOS reads a file: an unindented line after a section
    returns to global configuration. Returns the error output of rejected lines.
    """
    scratch = CliSession(
        s.network,
        s.device,
        s.dialect,
        s.username,
        views=[View("enable"), View("system")],
        flags={"file_mode": True},
    )
    errors: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped == "end":
            break
        result = scratch.execute(raw.rstrip())
        if isinstance(result, Reply) and "%" in result.text:
            errors.append(result.text)
    return errors


def _copied(size: int, started: float) -> str:
    elapsed = max(time.monotonic() - started, 0.001)
    return f"{size} bytes copied in {elapsed:.3f} secs ({int(size / elapsed)} bytes/sec)"
