"""What the engine needs to know to drive each CLI dialect, as data.

The engine reads these records and never compares vendor names itself: which command prints the
running configuration, how to enter and leave configuration mode without netmiko's 2-second
config-mode probe, how to save (and, on VRP V8, commit), what an error looks like, how to ping and
recognise success, and which printed lines are volatile (timestamps) and must not count as drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from egovnet.platforms import platform as lookup_platform


@dataclass(frozen=True)
class DeviceDialect:
    """Engine-side facts about one CLI dialect.

    Attributes:
        name: dialect name (vrp5, vrp8, comware7, ios).
        show_running / show_saved: commands printing the running and the startup configuration.
        enter_config / config_prompt: command into configuration mode and a regex of its prompt.
        exit_config / exec_prompt: command back to the exec view and a regex of that prompt.
        save: (command, expect-regex, answer-or-None) dialogue that saves the configuration.
        commit: the commit command where changes go to a candidate first (VRP V8), else ``None``.
        discard: how to throw a half-entered candidate away (VRP V8 ``clear configuration candidate``).
        error: regex of a line the device prints when it refuses a command.
        ping_v4 / ping_v6: ping command templates; ``ping_ok`` a regex whose match means success.
        volatile: regexes of running-config lines that change by themselves (timestamps, byte counts).
        logout: the exec command that ends the session.
        one_by_one: regex of config lines sent alone, each waiting for the config prompt (netmiko
            would otherwise turn off echo verification for the whole batch and wait ~2 s per line:
            its ``bypass_commands`` default, ``^banner .*$``, on IOS).
    """

    name: str
    show_running: str
    show_saved: str
    enter_config: str
    config_prompt: str
    exit_config: str
    exec_prompt: str
    save: tuple[tuple[str, str, str | None], ...]
    commit: str | None
    discard: tuple[str, ...]
    error: str
    ping_v4: str
    ping_v6: str
    ping_ok: str
    volatile: tuple[str, ...] = ()
    logout: str = "quit"
    one_by_one: str | None = None

    def is_error(self, output: str) -> str | None:
        """The first error line in ``output``, or ``None``."""
        match = re.search(self.error, output, re.M)
        return match.group(0).strip() if match else None


#: VRP V5 is the base record: VRP V8 and Comware 7 (H3C's CLI descends from Huawei's VRP) share its
#: views, prompts and ``display`` commands, so they are written as their differences from it.
_VRP5 = DeviceDialect(
    name="vrp5",
    show_running="display current-configuration",
    show_saved="display saved-configuration",
    enter_config="system-view",
    config_prompt=r"\[[^\]]+\]\s*$",
    exit_config="return",
    exec_prompt=r"<[^>]+>\s*$",
    save=(("save", r"\[Y/N\]|[Cc]ontinue\?", "y"),),
    commit=None,
    discard=(),
    error=r"^\s*Error:.*$",
    ping_v4="ping -c 3 {address}",
    ping_v6="ping ipv6 -c 3 {address}",
    ping_ok=r"\s0\.00% packet loss",
)

DIALECTS: dict[str, DeviceDialect] = {
    d.name: d
    for d in (
        _VRP5,
        replace(
            _VRP5,
            name="vrp8",
            config_prompt=r"\[[~*][^\]]+\]\s*$",
            commit="commit",
            discard=("clear configuration candidate",),
            volatile=(r"^!Last configuration was updated at .*$",),
        ),
        replace(
            _VRP5,
            name="comware7",
            save=(("save force", r"[>\]]\s*$", None),),
            error=r"^\s*% (Unrecognized|Incomplete|Ambiguous|Wrong|Too many).*$",
            ping_ok=r"\s0\.0% packet loss",
        ),
        DeviceDialect(
            name="ios",
            show_running="show running-config",
            show_saved="show startup-config",
            enter_config="configure terminal",
            config_prompt=r"\(config[^)]*\)#\s*$",
            exit_config="end",
            exec_prompt=r"[^\s(]+#\s*$",
            save=(("write memory", r"#\s*$", None),),
            commit=None,
            discard=(),
            error=r"^% (Invalid|Incomplete|Ambiguous).*$",
            ping_v4="ping {address} repeat 3",
            ping_v6="ping ipv6 {address} repeat 3",
            ping_ok=r"Success rate is 100 percent",
            volatile=(
                r"^! (Last configuration change|NVRAM config last updated) at .*$",
                r"^Current configuration : \d+ bytes$",
            ),
            logout="exit",
            one_by_one=r"^banner ",
        ),
    )
}


def dialect_of(platform_name: str) -> DeviceDialect:
    """The dialect of an inventory platform; a platform without CLI is an error naming it."""
    dialect = lookup_platform(platform_name).dialect
    if dialect is None:
        raise ValueError(f"platform {platform_name!r} has no CLI dialect (it is managed over SNMP only)")
    return DIALECTS[dialect]


def has_cli(platform_name: str) -> bool:
    """Whether egovnet configures devices of this platform over a CLI."""
    try:
        return lookup_platform(platform_name).dialect is not None
    except KeyError:
        return False


def stable_text(dialect: DeviceDialect, config: str) -> str:
    """``config`` without volatile lines, for comparing a restored config with its backup."""
    if not dialect.volatile:
        return config
    pattern = re.compile("|".join(dialect.volatile))
    return "\n".join(line for line in config.splitlines() if not pattern.match(line))
