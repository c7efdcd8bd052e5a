"""netmiko 4.8 against the twin: commands, config sets, save, VRP8 commit (devsim.md §1)."""

from __future__ import annotations

import pytest
from cli_twin import Lab

from egovnet.lab.config_tree import ConfigNode


def _section(tree: ConfigNode, header: str) -> list[str]:
    node = tree.child(header)
    assert node is not None, f"{header!r} missing from the configuration"
    return [child.text for child in node.children]


@pytest.mark.parametrize(
    ("name", "command", "expected"),
    [
        ("HW5", "dis cur | inc sysname", "sysname HW5"),
        ("HW8", "display current-configuration | include sysname", "sysname HW8"),
        ("H3C7", "display current-configuration | include sysname", " sysname H3C7"),
        ("ISR1", "show running-config | inc hostname", "hostname ISR1"),
    ],
)
def test_send_command_reads_the_model(cli_lab: Lab, name: str, command: str, expected: str) -> None:
    conn = cli_lab.netmiko(name)
    try:
        assert conn.send_command(command) == expected
        assert conn.base_prompt == name
    finally:
        conn.disconnect()


@pytest.mark.parametrize(
    ("name", "interface", "commands", "saved_line"),
    [
        (
            "HW5",
            "GigabitEthernet0/0/3",
            ["interface GigabitEthernet0/0/3", "description netmiko-vrp5", "quit"],
            "description netmiko-vrp5",
        ),
        (
            "H3C7",
            "GigabitEthernet1/0/3",
            ["interface GigabitEthernet1/0/3", "description netmiko-cmw", "quit"],
            "description netmiko-cmw",
        ),
        (
            "ISR1",
            "GigabitEthernet0/2",
            ["interface GigabitEthernet0/2", "description netmiko-ios", "no shutdown", "exit"],
            "description netmiko-ios",
        ),
    ],
)
def test_config_set_and_save(
    cli_lab: Lab, name: str, interface: str, commands: list[str], saved_line: str
) -> None:
    device = cli_lab.device(name)
    conn = cli_lab.netmiko(name)
    try:
        output = conn.send_config_set(commands)
        assert "Error" not in output and "Invalid" not in output
        assert saved_line in _section(device.running, f"interface {interface}")
        assert saved_line not in _section(device.saved, f"interface {interface}")
        assert not conn.check_config_mode()
        conn.save_config()
    finally:
        conn.disconnect()
    assert saved_line in _section(device.saved, f"interface {interface}")
    assert device.saved == device.running
    if name == "ISR1":
        assert "shutdown" not in _section(device.running, f"interface {interface}")


def test_vrp8_config_set_then_commit(cli_lab: Lab) -> None:
    device = cli_lab.device("HW8")
    conn = cli_lab.netmiko("HW8")
    try:
        output = conn.send_config_set(["interface 10GE1/0/3", "description netmiko-vrp8"])
        assert "[*HW8-10GE1/0/3]" in output
        assert "description netmiko-vrp8" not in _section(device.running, "interface 10GE1/0/3")
        assert device.candidate is not None
        assert "description netmiko-vrp8" in _section(device.candidate, "interface 10GE1/0/3")
        commit_output = conn.commit()
        assert "Failed" not in commit_output
        assert "description netmiko-vrp8" in _section(device.running, "interface 10GE1/0/3")
        assert conn.find_prompt() == "<HW8>"
        conn.save_config()
    finally:
        conn.disconnect()
    assert device.candidate is None
    assert device.saved == device.running


def test_error_pattern_stops_a_bad_config_set(cli_lab: Lab) -> None:
    from netmiko.exceptions import ConfigInvalidException

    conn = cli_lab.netmiko("ISR1")
    try:
        with pytest.raises(ConfigInvalidException, match="Invalid input detected"):
            conn.send_config_set(
                ["interface GigabitEthernet0/2", "frobnicate now"], error_pattern=r"% Invalid input"
            )
    finally:
        conn.disconnect()
