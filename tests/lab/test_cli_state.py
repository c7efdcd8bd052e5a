"""Operational state over SSH follows the shared model: link state on both ends, ping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cli_twin import Lab


@pytest.fixture(scope="module")
def conns(cli_lab: Lab) -> Iterator[dict[str, Any]]:
    opened = {name: cli_lab.netmiko(name) for name in ("HW5", "H3C7", "ISR1")}
    yield opened
    for conn in opened.values():
        conn.disconnect()


def _comware_link(conn: Any, interface: str) -> tuple[str, str]:
    lines = conn.send_command(f"display interface {interface}").splitlines()
    state = next(line for line in lines if line.startswith("Current state:")).split(": ", 1)[1]
    protocol = next(line for line in lines if line.startswith("Line protocol state:")).split(": ", 1)[1]
    return state, protocol


def test_shutdown_takes_both_ends_down(cli_lab: Lab, conns: dict[str, Any]) -> None:
    ios, cmw = conns["ISR1"], conns["H3C7"]
    assert _comware_link(cmw, "GigabitEthernet1/0/2") == ("UP", "UP")
    ios.send_config_set(["interface GigabitEthernet0/0", "shutdown"])
    try:
        assert _comware_link(cmw, "GigabitEthernet1/0/2") == ("DOWN", "DOWN")
        assert "GigabitEthernet0/0 is administratively down, line protocol is down" in ios.send_command(
            "show interfaces GigabitEthernet0/0"
        )
        neighbors = cmw.send_command("display lldp neighbor-information list")
        assert "ISR1" not in neighbors and "HW8" in neighbors
        brief = cmw.send_command("dis int br | include ^GE1/0/2")
        assert brief.split()[:3] == ["GE1/0/2", "DOWN", "DOWN"]
    finally:
        ios.send_config_set(["interface GigabitEthernet0/0", "no shutdown"])
    assert _comware_link(cmw, "GigabitEthernet1/0/2") == ("UP", "UP")
    assert "ISR1" in cmw.send_command("display lldp neighbor-information list")


def test_ping_follows_reachability(cli_lab: Lab, conns: dict[str, Any]) -> None:
    network = cli_lab.network
    vrp, ios, cmw = conns["HW5"], conns["ISR1"], conns["H3C7"]

    assert network.reachable("HW5", "10.99.0.9")
    out = vrp.send_command("ping 10.99.0.9")
    assert "5 packet(s) received" in out and "0.00% packet loss" in out

    assert not network.reachable("HW5", "10.200.0.1")
    out = vrp.send_command("ping -c 3 10.200.0.1")
    assert "3 packet(s) transmitted" in out and "100.00% packet loss" in out and "Request time out" in out

    out = vrp.send_command("ping ipv6 2001:db8:0:4::2")
    assert network.reachable("HW5", "2001:db8:0:4::2") and "0.00% packet loss" in out
    assert not network.reachable("ISR1", "2001:db8:0:4::9")
    assert "Success rate is 0 percent (0/5)" in ios.send_command("ping ipv6 2001:db8:0:4::9")

    assert "Success rate is 100 percent (5/5)" in ios.send_command("ping 10.99.0.6")
    ios.send_config_set(["interface GigabitEthernet0/0", "shutdown"])
    try:
        # the address on the far end of the cut link is gone, the rest of H3C7 answers via the ring
        assert not network.reachable("ISR1", "10.99.0.9")
        assert "Success rate is 0 percent (0/5)" in ios.send_command("ping 10.99.0.9")
        assert "Success rate is 100 percent (5/5)" in ios.send_command("ping 10.99.0.6")
        out = cmw.send_command("ping 10.99.0.10")
        assert "5 packet(s) transmitted, 0 packet(s) received, 100.0% packet loss" in out
    finally:
        ios.send_config_set(["interface GigabitEthernet0/0", "no shutdown"])
    out = cmw.send_command("ping 10.99.0.10")
    assert "5 packet(s) transmitted, 5 packet(s) received, 0.0% packet loss" in out


def test_sysname_change_renames_the_prompt_and_lldp(cli_lab: Lab, conns: dict[str, Any]) -> None:
    cmw = conns["H3C7"]
    cmw.send_config_set(["sysname H3C7-renamed"], exit_config_mode=True)
    try:
        assert cmw.find_prompt() == "<H3C7-renamed>"
        assert cli_lab.device("H3C7").hostname() == "H3C7-renamed"
        assert "H3C7-renamed" in conns["ISR1"].send_command("show lldp neighbors detail")
    finally:
        cmw.send_config_set(["sysname H3C7"])
    assert cmw.find_prompt() == "<H3C7>"
