"""Huawei VRP V5 (S-series campus switches, AR routers): netmiko ``huawei``, napalm ``huawei_vrp``.

Differences from VRP8 that clients depend on: the ``display version`` product string
``(S5720 V200R011C10SPC500)`` that napalm-huawei-vrp's ``\\(S\\S+\\s+(V\\S+)\\)`` parses, and the
``display lldp neighbor brief`` column order ``Local Intf / Neighbor Dev / Neighbor Intf /
Exptime`` with padded columns (napalm's regex needs whitespace after the last number).
Configuration changes apply to the running configuration at once.
"""

from __future__ import annotations

from egovnet.lab.cli import oper
from egovnet.lab.cli.huawei import Huawei
from egovnet.lab.cli.ifnames import abbreviate
from egovnet.lab.cli.registry import peer_port_id
from egovnet.lab.cli.session import CliSession
from egovnet.lab.cli.text import clock, row, uptime_vrp


class Vrp5(Huawei):
    """VRP V5 dialect."""

    name = "vrp5"
    vrp_number = "5.170"
    short_types = (
        ("XGigabitEthernet", "XGE"),
        ("GigabitEthernet", "GE"),
        ("MultiGE", "MultiGE"),
        ("Ethernet", "Eth"),
    )

    def banner(self, s: CliSession) -> str:
        return (
            "\nInfo: The max number of VTY users is 5, and the number\n"
            "      of current VTY users on line is 1.\n"
            f"      The current login time is {clock()}.\n"
        )

    def render_version(self, s: CliSession) -> list[str]:
        spec = s.device.spec
        kind = "Router" if spec.model.upper().startswith("AR") else "Routing Switch"
        up = uptime_vrp(s.device.uptime())
        board = f"{self.series(spec)}-MPU"
        return [
            "Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {self.vrp_number} ({self.series(spec)} {self.os_version(spec)})",
            "Copyright (C) 2000-2021 HUAWEI TECH CO., LTD",
            f"HUAWEI {spec.model} {kind} uptime is {up}",
            "",
            f"{board} 0(Master) : uptime is {up}",
            "DDR             Memory Size : 1024    M bytes",
            "FLASH           Memory Size : 512     M bytes",
            "Pcb      Version : VER B",
            "BootROM  Version : 020b.0001",
            "BootLoad Version : 020b.0001",
            "CPLD     Version : 0107",
            f"Software Version : VRP (R) Software, Version {self.vrp_number} ({self.os_version(spec)})",
            "FLASH    Version : 0000.0000",
        ]

    def render_lldp_brief(self, s: CliSession) -> list[str]:
        rows = ["Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)"]
        for neighbor in oper.neighbors(s):
            port = abbreviate(peer_port_id(neighbor.device, neighbor.port), self.short_types)
            rows.append(
                row((self.short(neighbor.local), 17), (neighbor.device.hostname(), 25), (port, 26), (104, 10))
            )
        return rows
