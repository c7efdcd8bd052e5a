"""Injected faults (``LabDevice.faults``) as real clients experience them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from cli_twin import PASSWORD, PORT, USERNAME, Lab
from napalm import get_network_driver
from napalm.base.exceptions import MergeConfigException
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)


@pytest.fixture(autouse=True)
def heal(cli_lab: Lab) -> Iterator[None]:
    yield
    for device in cli_lab.network.devices.values():
        device.faults.clear()


def test_auth_failure_rejects_valid_credentials(cli_lab: Lab) -> None:
    cli_lab.device("HW5").faults.auth_failure = True
    with pytest.raises(NetmikoAuthenticationException):
        cli_lab.netmiko("HW5")
    cli_lab.device("HW5").faults.auth_failure = False
    conn = cli_lab.netmiko("HW5")
    try:
        assert conn.find_prompt() == "<HW5>"
    finally:
        conn.disconnect()


def test_device_down_refuses_and_drops(cli_lab: Lab) -> None:
    device = cli_lab.device("ISR1")
    conn = cli_lab.netmiko("ISR1")
    device.faults.device_down = True
    with pytest.raises(ReadTimeout):
        conn.send_command("show version", read_timeout=2)
    with pytest.raises(OSError, match="closed"):
        conn.send_command("show version", read_timeout=2)
    assert conn.is_alive() is False
    with pytest.raises(NetmikoTimeoutException):
        cli_lab.netmiko("ISR1")


def test_slow_replies_are_delayed(cli_lab: Lab) -> None:
    conn = cli_lab.netmiko("H3C7")
    try:
        started = time.monotonic()
        fast = conn.send_command("display current-configuration | include sysname")
        fast_time = time.monotonic() - started
        cli_lab.device("H3C7").faults.slow_ms = 400
        started = time.monotonic()
        slow = conn.send_command("display current-configuration | include sysname", read_timeout=20)
        slow_time = time.monotonic() - started
    finally:
        cli_lab.device("H3C7").faults.slow_ms = 0
        conn.disconnect()
    assert slow == fast == " sysname H3C7"
    assert slow_time >= 0.4 > fast_time


def test_session_dropped_after_n_commands(cli_lab: Lab) -> None:
    conn = cli_lab.netmiko("HW8")
    try:
        # counted per session from login: netmiko's `screen-length 0 temporary` was the first
        cli_lab.device("HW8").faults.drop_after_commands = 2
        first = conn.send_command("display esn")
        assert first == f"ESN of slot 0: {cli_lab.device('HW8').spec.serial}"
        with pytest.raises(ReadTimeout):
            conn.send_command("display esn", read_timeout=2)
        assert conn.is_alive() is False
    finally:
        conn.disconnect()


def test_rejected_commands_get_the_dialect_error(cli_lab: Lab) -> None:
    cli_lab.device("HW5").faults.reject_commands = [r"^display version"]
    cli_lab.device("H3C7").faults.reject_commands = [r"^snmp-agent sys-info"]
    vrp = cli_lab.netmiko("HW5")
    cmw = cli_lab.netmiko("H3C7")
    try:
        # the caret sits under the first rejected word, counted from the start of the prompt
        assert vrp.send_command("display version") == (
            "     ^\nError: Unrecognized command found at '^' position."
        )
        assert vrp.send_command("display esn").startswith("ESN of slot 0:")
        with pytest.raises(ConfigInvalidException, match="% Unrecognized"):
            cmw.send_config_set(["snmp-agent sys-info contact blocked"], error_pattern=r"% Unrecognized")
    finally:
        vrp.disconnect()
        cmw.disconnect()
    assert cli_lab.device("H3C7").running.child("snmp-agent sys-info contact blocked") is None


def test_vrp8_commit_rejected(cli_lab: Lab) -> None:
    device = cli_lab.device("HW8")
    before = device.running.copy()
    device.faults.reject_commit = True
    conn = cli_lab.netmiko("HW8")
    try:
        conn.send_command("system-view", expect_string=r"\]")
        conn.send_config_set(
            ["interface 10GE1/0/4", "description never-committed"],
            enter_config_mode=False,
            exit_config_mode=False,
        )
        output = conn.send_command("commit", expect_string=r"\]")
        assert "Failed to generate committed config" in output
        assert conn.find_prompt() == "[*HW8-10GE1/0/4]"
        question = conn.send_command("return", expect_string=r"\[Y\(yes\)/N\(no\)/C\(cancel\)\]")
        assert "Uncommitted configurations found" in question
        conn.send_command("n", expect_string=r"<HW8>")
    finally:
        conn.disconnect()
    assert device.running == before
    assert device.candidate is None


def test_ios_copy_to_running_rejected(cli_lab: Lab) -> None:
    device = cli_lab.device("ISR1")
    before = device.running.copy()
    device.faults.reject_commit = True
    napalm = get_network_driver("ios")(
        cli_lab.host("ISR1"), USERNAME, PASSWORD, optional_args={"secret": PASSWORD, "port": PORT}
    )
    napalm.open()
    try:
        napalm.load_merge_candidate(config="interface GigabitEthernet0/2\n description rejected\nend\n")
        with pytest.raises(MergeConfigException, match="Invalid input detected"):
            napalm.commit_config()
    finally:
        device.faults.reject_commit = False
        napalm.close()
    assert device.running == before
