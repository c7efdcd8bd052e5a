"""One CLI session to one device, over netmiko, driven by the dialect data.

Why not netmiko's ``send_config_set`` with its defaults: on Huawei it probes config mode with a 2-second
timed read before and after every batch (devsim.md §1.2), so a 10-line change takes ~9 s. Entering and
leaving configuration mode here waits for the dialect's prompt regex instead, and the batch itself is
sent with ``enter_config_mode=False, exit_config_mode=False`` and the dialect's error pattern.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from netmiko import ConnectHandler

from egovnet.devices.dialects import DeviceDialect, dialect_of
from egovnet.platforms import platform as lookup_platform


class DeviceCommandError(RuntimeError):
    """The device refused a command; the message carries the command and the device's error line."""


@dataclass(frozen=True)
class Target:
    """Where and how to reach a device (from the Nornir host / the inventory)."""

    name: str
    platform: str
    host: str
    port: int
    username: str
    password: str
    secret: str | None = None
    timeout: float = 20.0


class DeviceSession:
    """An open CLI session; use as a context manager."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.dialect: DeviceDialect = dialect_of(target.platform)
        platform = lookup_platform(target.platform)
        params: dict[str, Any] = {
            "device_type": platform.netmiko,
            "host": target.host,
            "port": target.port,
            "username": target.username,
            "password": target.password,
            "timeout": target.timeout,
            "conn_timeout": target.timeout,
            "auth_timeout": target.timeout,
            "banner_timeout": target.timeout,
            "fast_cli": True,
            "allow_agent": False,
            "use_keys": False,
        }
        if target.secret:
            params["secret"] = target.secret
        if platform.netmiko == "hp_comware":
            params["global_cmd_verify"] = True  # Comware desyncs under load without it (devsim.md §1.2)
        self.conn: Any = ConnectHandler(**params)
        if platform.netmiko == "cisco_ios" and not self.conn.check_enable_mode():
            self.conn.enable()

    def __enter__(self) -> DeviceSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Log out and disconnect (errors on a dead session are ignored: it is gone either way).

        Every method leaves the device in the exec view, so netmiko's own cleanup, which first
        probes for configuration mode (a 2-second timed read on Huawei), is replaced by the
        dialect's logout command.
        """
        with contextlib.suppress(OSError, EOFError, AttributeError):
            self.conn.write_channel(self.dialect.logout + self.conn.RETURN)
        self.conn.cleanup = lambda command="": None
        with contextlib.suppress(OSError, EOFError):
            self.conn.disconnect()

    def command(self, line: str, expect: str | None = None, timeout: float = 60.0) -> str:
        """Run an exec command and return its output."""
        output: str = self.conn.send_command(line, expect_string=expect, read_timeout=timeout)
        return output

    def running_config(self) -> str:
        """The running configuration exactly as the device prints it."""
        return self.command(self.dialect.show_running, timeout=120.0)

    def saved_config(self) -> str:
        """The startup configuration as the device prints it."""
        return self.command(self.dialect.show_saved, timeout=120.0)

    def _prompt_command(self, line: str, prompt: str) -> str:
        output: str = self.conn.send_command(
            line, expect_string=prompt, strip_prompt=False, strip_command=False, read_timeout=60.0
        )
        return output

    def configure(self, lines: Sequence[str]) -> str:
        """Enter configuration mode, send ``lines``, leave it; raise on the first refused line.

        On VRP V8 the lines land in the candidate: call :meth:`commit`. A refused line leaves the
        device in configuration mode; the caller restores it (and VRP V8 discards the candidate).
        """
        d = self.dialect
        output = self._prompt_command(d.enter_config, d.config_prompt)
        try:
            for alone, batch in _batches(lines, d.one_by_one):
                if alone:
                    reply = self._prompt_command(batch[0], d.config_prompt)
                    if d.is_error(reply):
                        raise DeviceCommandError(f"{batch[0]}: {d.is_error(reply)}")
                    output += reply
                    continue
                output += str(
                    self.conn.send_config_set(
                        batch,
                        enter_config_mode=False,
                        exit_config_mode=False,
                        error_pattern=d.error,
                        read_timeout=60.0,
                        bypass_commands="",
                    )
                )
        except Exception as exc:  # netmiko raises ConfigInvalidException with the output
            self._leave_config()
            raise DeviceCommandError(f"{self.target.name}: {d.is_error(str(exc)) or exc}") from exc
        if d.commit is None:
            output += self._leave_config()
        return output

    def _leave_config(self) -> str:
        d = self.dialect
        out = ""
        for line in d.discard:
            out += self._prompt_command(line, d.config_prompt)
        out += self._prompt_command(d.exit_config, rf"{d.exec_prompt}|\[Y\(yes\)/N\(no\)/C\(cancel\)\]")
        if "[Y(yes)/N(no)/C(cancel)]" in out:
            out += self._prompt_command("n", d.exec_prompt)
        return out

    def commit(self) -> str:
        """Commit the candidate (VRP V8); raise when the device refuses, leaving nothing half-done."""
        d = self.dialect
        if d.commit is None:
            return ""
        output = self._prompt_command(d.commit, d.config_prompt)
        error = d.is_error(output) or ("Failed to generate committed config" in output and output)
        if error:
            self._leave_config()
            raise DeviceCommandError(f"{self.target.name}: commit refused: {str(error).strip()}")
        output += self._prompt_command(d.exit_config, d.exec_prompt)
        return output

    def save(self) -> str:
        """Save the running configuration to startup (answering the dialect's confirmation)."""
        output = ""
        for line, expect, answer in self.dialect.save:
            output += self._prompt_command(line, rf"{expect}|{self.dialect.exec_prompt}")
            if answer is not None and re.search(expect, output):
                output += self._prompt_command(answer, self.dialect.exec_prompt)
        error = self.dialect.is_error(output)
        if error:
            raise DeviceCommandError(f"{self.target.name}: save refused: {error}")
        return output

    def ping(self, address: str) -> bool:
        """Ping from the device; IPv6 when ``address`` contains a colon."""
        template = self.dialect.ping_v6 if ":" in address else self.dialect.ping_v4
        output = self.command(template.format(address=address), timeout=60.0)
        return re.search(self.dialect.ping_ok, output) is not None


def _batches(lines: Sequence[str], one_by_one: str | None) -> list[tuple[bool, list[str]]]:
    """Split ``lines`` into runs sent as one batch and lines sent alone (``(alone, lines)``)."""
    result: list[tuple[bool, list[str]]] = []
    for line in lines:
        alone = one_by_one is not None and re.search(one_by_one, line) is not None
        if alone or not result or result[-1][0]:
            result.append((alone, [line]))
        else:
            result[-1][1].append(line)
    return result
