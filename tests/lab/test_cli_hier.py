"""hier_config 3.7 remediation pushed over SSH converges: a second plan is empty (DESIGN.md).

For each dialect: read the running configuration over SSH, derive an intended configuration
(change a description, add a loopback, add and remove global lines), let
``WorkflowRemediation`` plan the commands, push them with netmiko (VRP8 also commits), read the
configuration again and plan once more — nothing may be left to do.

hier_config's ``HP_COMWARE5`` driver cannot load Comware 7 text as printed (``#`` separator lines
collide as duplicate children and global lines are indented by one space), so the test uses the
small driver subclass an engine would: it drops separators and dedents global blocks first.
"""

from __future__ import annotations

from typing import Any

import pytest
from cli_twin import Lab
from hier_config import Platform, WorkflowRemediation, get_hconfig
from hier_config.child import HConfigChild
from hier_config.platforms.driver_base import HConfigDriverBase
from hier_config.platforms.hp_comware5.driver import HConfigDriverHPComware5
from hier_config.root import HConfig


class Comware7Driver(HConfigDriverHPComware5):
    """HP_COMWARE5 plus the Comware 7 text layout (separators, indented global lines) and
    ``quit`` as the sectional exit (Comware has no ``exit`` in system view)."""

    def sectional_exit(self, config: HConfigChild) -> str | None:
        result = super().sectional_exit(config)
        return "quit" if result == "exit" else result

    @staticmethod
    def config_preprocessor(config_text: str) -> str:
        lines: list[str] = []
        in_block_of_globals = False
        for line in config_text.splitlines():
            if line.strip() == "#":
                in_block_of_globals = True
                continue
            if in_block_of_globals and line.startswith(" ") and not line.startswith("  "):
                lines.append(line[1:])
                continue
            in_block_of_globals = False
            lines.append(line)
        return "\n".join(lines)


PLATFORMS: dict[str, Platform | HConfigDriverBase] = {
    "HW5": Platform.HUAWEI_VRP,
    "HW8": Platform.HUAWEI_VRP,
    "H3C7": Comware7Driver(),
    "ISR1": Platform.CISCO_IOS,
}
SHOW = {
    "HW5": "display current-configuration",
    "HW8": "display current-configuration",
    "H3C7": "display current-configuration",
    "ISR1": "show running-config",
}
EDITS = {
    # (old text, new text) replacements that turn running into intended
    "HW5": [
        ("interface GigabitEthernet0/0/3\n", "interface GigabitEthernet0/0/3\n description hier-vrp5\n"),
        (
            "interface NULL0\n",
            "interface NULL0\n#\ninterface LoopBack9\n ip address 10.255.9.5 255.255.255.255\n",
        ),
        (
            "snmp-agent sys-info location Qimen county data centre\n",
            "snmp-agent sys-info contact noc@qimen\n",
        ),
    ],
    "HW8": [
        ("interface 10GE1/0/3\n", "interface 10GE1/0/3\n description hier-vrp8\n"),
        (
            "interface NULL0\n",
            "interface NULL0\n#\ninterface LoopBack9\n ip address 10.255.9.8 255.255.255.255\n",
        ),
        ("lldp enable\n", ""),
    ],
    "H3C7": [
        ("interface GigabitEthernet1/0/3\n", "interface GigabitEthernet1/0/3\n description hier-cmw7\n"),
        (
            "interface NULL0\n",
            "interface NULL0\n#\ninterface LoopBack9\n ip address 10.255.9.7 255.255.255.255\n",
        ),
        (
            " snmp-agent sys-info version v2c v3\n",
            " snmp-agent sys-info version v2c v3\n#\n ntp-service enable\n",
        ),
    ],
    "ISR1": [
        (
            "interface GigabitEthernet0/2\n shutdown\n",
            "interface GigabitEthernet0/2\n description hier-ios\n",
        ),
        ("lldp run\n", "lldp run\n!\ninterface Loopback9\n ip address 10.255.9.1 255.255.255.255\n"),
        ("ip ssh version 2\n", ""),
    ],
}


def _push(conn: Any, name: str, commands: list[str]) -> str:
    """Apply with netmiko; on Huawei enter/leave system-view with explicit patterns, which
    skips netmiko's 2-second config-mode probes (devsim.md §1.2)."""
    errors = r"Error:|% Invalid|% Unrecognized|% Incomplete"
    if name not in ("HW5", "HW8"):
        return str(conn.send_config_set(commands, error_pattern=errors))
    output = conn.send_command("system-view", expect_string=r"\]")
    output += conn.send_config_set(
        commands, enter_config_mode=False, exit_config_mode=False, error_pattern=errors
    )
    if name == "HW8":
        output += conn.send_command("commit", expect_string=r"\]")
    output += conn.send_command("return", expect_string=r">")
    return str(output)


def _plan(name: str, running: str, intended: str) -> HConfig:
    workflow = WorkflowRemediation(
        get_hconfig(PLATFORMS[name], running), get_hconfig(PLATFORMS[name], intended)
    )
    return workflow.remediation_config


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_remediation_converges(cli_lab: Lab, name: str) -> None:
    conn = cli_lab.netmiko(name)
    try:
        running = conn.send_command(SHOW[name])
        intended = running
        for old, new in EDITS[name]:
            assert old in intended, f"{old!r} not in the running configuration of {name}"
            intended = intended.replace(old, new, 1)
        commands = [
            line.strip() for line in _plan(name, running, intended).dump_simple(sectional_exiting=True)
        ]
        assert len(commands) >= 5, commands
        output = _push(conn, name, commands)
        after = conn.send_command(SHOW[name])
    finally:
        conn.disconnect()
    assert "Error" not in output
    assert after != running
    assert str(_plan(name, after, intended)) == ""
    loopback = "Loopback9" if name == "ISR1" else "LoopBack9"
    state = {st.name: st for st in cli_lab.network.interface_states(cli_lab.device(name))}
    assert state[loopback].oper_up and str(state[loopback].ipv4[0].ip).startswith("10.255.9.")
