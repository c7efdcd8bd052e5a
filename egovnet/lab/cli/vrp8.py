"""Huawei VRP V8 (CE data-centre switches, NE routers): netmiko ``huawei_vrpv8``.

VRP8 edits a candidate configuration: config lines change nothing until ``commit``. The prompt
says which state the session is in (``[~HW8]`` clean, ``[*HW8]`` with uncommitted changes),
``return``/``quit`` with uncommitted changes ask ``[Y(yes)/N(no)/C(cancel)]`` (napalm looks for
"Uncommitted configurations"), and a refused commit prints "Failed to generate committed config",
the marker netmiko's ``commit()`` raises on. Each session has its own candidate, as on the device;
:attr:`LabDevice.candidate` shows the one being edited most recently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

from egovnet.lab.cli import confedit, oper
from egovnet.lab.cli.dialect import Command
from egovnet.lab.cli.huawei import Huawei
from egovnet.lab.cli.registry import peer_port_id
from egovnet.lab.cli.session import CliSession, Question, Reply, Result
from egovnet.lab.cli.text import cell, clock, config_changed_at, uptime_days
from egovnet.lab.cli.vrpfamily import CONFIG
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec, InterfaceState, LabDevice, _is_physical

COMMIT_FAILED = (
    "Error: The configuration failed to be committed.\n"
    "Failed to generate committed config, because the configuration database is locked."
)


class Vrp8(Huawei):
    """VRP V8 dialect with two-stage commit."""

    name = "vrp8"
    vrp_number = "8.180"
    short_types = (("GigabitEthernet", "GE"), ("XGigabitEthernet", "XGE"))
    system_view_message = "Enter system view, return user view with return command."

    #: Models that print every physical port's admin state, ``undo shutdown`` included (NetEngine
    #: routers); CloudEngine switches print only ``shutdown``.
    explicit_port_state_models = ("NE",)

    def explicit_port_state(self, spec: DeviceSpec) -> bool:
        return spec.model.upper().startswith(self.explicit_port_state_models)

    @cached_property
    def router_rules(self) -> confedit.EditRules:
        return replace(self.rules, explicit_negations=("shutdown",))

    def edit_rules(self, spec: DeviceSpec) -> confedit.EditRules:
        return self.router_rules if self.explicit_port_state(spec) else self.rules

    def base_config(self, spec: DeviceSpec) -> ConfigNode:
        root = super().base_config(spec)
        if self.explicit_port_state(spec):
            for node in root.children_starting("interface "):
                if _is_physical(node.text.split()[1]):
                    node.ensure("undo shutdown")
        return self.ordered(root, spec)

    # ----------------------------------------------------------------- candidate handling
    def _candidate(self, s: CliSession) -> ConfigNode | None:
        value = s.flags.get("candidate")
        return value if isinstance(value, ConfigNode) else None

    def dirty(self, s: CliSession) -> bool:
        candidate = self._candidate(s)
        return candidate is not None and candidate != s.device.running

    def edit_tree(self, s: CliSession) -> ConfigNode:
        candidate = self._candidate(s)
        if candidate is None:
            candidate = s.device.running.copy()
            s.flags["candidate"] = candidate
        s.device.candidate = candidate
        return candidate

    def _discard(self, s: CliSession) -> None:
        candidate = self._candidate(s)
        if candidate is not None and s.device.candidate is candidate:
            s.device.candidate = None
        s.flags.pop("candidate", None)

    def session_closed(self, s: CliSession) -> None:
        self._discard(s)

    def prompt_marker(self, s: CliSession) -> str:
        return "*" if self.dirty(s) else "~"

    def commit(self, s: CliSession) -> str | None:
        """Apply the candidate; returns the error text when the device refuses."""
        if s.device.faults.reject_commit:
            return COMMIT_FAILED
        candidate = self._candidate(s)
        if candidate is not None:
            s.device.running = candidate.copy()
            s.flags["last_commit"] = clock()
        self._discard(s)
        return None

    def leave_config(self, s: CliSession, then: Reply) -> Result:
        if not self.dirty(s):
            self._discard(s)
            s.reset_to("user")
            return then

        def answer(line: str) -> Result:
            choice = line.strip().lower()[:1]
            if choice == "y":
                error = self.commit(s)
                if error is not None:
                    return error
            elif choice == "n":
                self._discard(s)
            else:
                return Reply()
            s.reset_to("user")
            return then

        return Question(
            "Warning: Uncommitted configurations found. Are you sure to commit them before"
            " exiting? [Y(yes)/N(no)/C(cancel)]:",
            answer,
        )

    # ----------------------------------------------------------------- commands
    def commands(self) -> Sequence[Command]:
        return [
            *super().commands(),
            Command("commit", CONFIG, lambda s, a: self.commit(s) or ""),
            Command("commit comment <text...>", CONFIG, lambda s, a: self.commit(s) or ""),
            Command(
                "display configuration candidate",
                CONFIG,
                lambda s, a: self.render_config(s.device, s.edit_tree()),
            ),
        ]

    # ----------------------------------------------------------------- renderers
    def banner(self, s: CliSession) -> str:
        return (
            "\nInfo: The max number of VTY users is 21, the number of current VTY users online is 1, "
            "and total number of terminal users online is 1.\n"
            f"      The current login time is {clock()}+00:00.\n"
        )

    def os_version(self, spec: DeviceSpec) -> str:
        return spec.os_version or "V200R020C10SPC600"

    def config_header(self, device: LabDevice) -> list[str]:
        return [
            f"!Software Version {self.os_version(device.spec)}",
            f"!Last configuration was updated at {clock(config_changed_at(device, device.running))}+00:00",
        ]

    def state_title(self, st: InterfaceState) -> str:
        return f"{st.name} current state : {self.state_word(st)} (ifindex: {st.ifindex})"

    def render_version(self, s: CliSession) -> list[str]:
        spec = s.device.spec
        up = uptime_days(s.device.uptime())
        return [
            "Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {self.vrp_number} ({self.series(spec)} {self.os_version(spec)})",
            "Copyright (C) 2012-2021 Huawei Technologies Co., Ltd.",
            f"HUAWEI {spec.model} uptime is {up}",
            "",
            f"{spec.model}(Master) 1 : uptime is {up}",
            f"        StartupTime {clock(s.device.boot_time, '%Y/%m/%d   %H:%M:%S')}",
            "Memory    Size    : 4096 M bytes",
            "Flash     Size    : 2048 M bytes",
            f"{spec.model} version information",
            "1. PCB    Version : CEM48S6CQP04    VER A",
            "2. MAB    Version : 1",
            f"3. Board  Type    : {spec.model}",
            "4. CPLD1  Version : 102",
            "5. BIOS   Version : 205",
        ]

    def render_lldp_brief(self, s: CliSession) -> list[str]:
        rows = [
            "Local Interface         Exptime(s) Neighbor Interface      Neighbor Device",
            "-" * 79,
        ]
        for neighbor in oper.neighbors(s):
            port = peer_port_id(neighbor.device, neighbor.port)
            rows.append(f"{cell(neighbor.local, 24)}{104:>9}  {cell(port, 24)}{neighbor.device.hostname()}")
        return rows

    def ip_brief_legend(self) -> list[str]:
        return [
            "*down: administratively down",
            "!down: FIB overload down",
            "^down: standby",
            "(l): loopback",
            "(s): spoofing",
            "(d): Dampening Suppressed",
            "(E): E-Trunk down",
        ]

    def render_ipv6_brief(self, s: CliSession) -> list[str]:
        lines = [
            "*down: administratively down",
            "!down: FIB overload down",
            "(l): loopback",
            "(s): spoofing",
            "Interface                    Physical Protocol VPN",
        ]
        for st in oper.states(s):
            if st.ipv6:
                lines.append(
                    f"{cell(st.name, 29)}{cell(self.phy_word(st), 9)}{cell(self.proto_word(st), 9)}--"
                )
                lines += [f"[IPv6 Address/Prefix Length] {str(a.with_prefixlen).upper()}" for a in st.ipv6]
        return lines
