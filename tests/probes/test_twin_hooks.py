"""The twin's pieces the active checks need: telnet follows the configuration, and plain-text SNMP
communities in a device's configuration are accepted by that device only."""

from __future__ import annotations

import pytest

from egovnet.lab.config_tree import parse_config
from egovnet.lab.model import DeviceSpec, LabDevice, PortSpec
from egovnet.lab.snmp.communities import ConfiguredCommunities, configured_communities
from egovnet.lab.telnet_server import _strip_commands, telnet_enabled
from egovnet.probes import craft


def _device(platform: str, config: str) -> LabDevice:
    spec = DeviceSpec(
        name="sw-1", platform=platform, role="access", vendor="Huawei", model="S5735-L24T4X-A1",
        serial="1", os_version="1", address="127.77.9.1", mgmt_ipv4="10.98.9.1",
        ports=(PortSpec("GigabitEthernet0/0/1", 1000, "00:e0:fc:00:00:01"),),
    )  # fmt: skip
    return LabDevice(spec, parse_config(config))


@pytest.mark.parametrize(
    ("platform", "config", "enabled"),
    [
        ("huawei_vrp5", "sysname sw-1\nstelnet server enable\n", False),
        ("huawei_vrp5", "sysname sw-1\ntelnet server enable\n", True),
        ("huawei_vrp8", "telnet server enable\n", True),
        ("h3c_comware7", "telnet server enable\n", True),
        ("cisco_ios", "line vty 0 4\n transport input ssh\n", False),
        ("cisco_ios", "line vty 0 4\n transport input telnet ssh\n", True),
        ("cisco_ios", "line vty 5 15\n transport input all\n", True),
        ("cpe_5g", "telnet server enable\n", False),  # no CLI: nothing to serve
    ],
)
def test_telnet_follows_the_running_configuration(platform: str, config: str, enabled: bool) -> None:
    assert telnet_enabled(_device(platform, config)) is enabled


def test_plain_text_communities_only() -> None:
    device = _device(
        "huawei_vrp5",
        "snmp-agent community read cipher %^%#0123%^%#\n"
        "snmp-agent community read public\n"
        "snmp-agent community write simple private\n"
        "snmp-server community ios-ro RO 10\n",
    )
    assert configured_communities(device) == {"public", "private", "ios-ro"}


def test_a_device_accepts_only_its_own_communities() -> None:
    gate = ConfiguredCommunities("lab-ro")
    open_device = _device("huawei_vrp5", "snmp-agent community read public\n")
    closed_device = _device("huawei_vrp5", "snmp-agent community read cipher %^%#x%^%#\n")
    public = craft.snmp_request("public", 1)
    assert gate.admit(open_device, public) and not gate.admit(closed_device, public)
    assert gate.admit(closed_device, craft.snmp_request("lab-ro", 1))
    assert gate.admit(closed_device, bytes.fromhex("303e020103") + bytes(59))  # v3: the USM decides


def test_telnet_commands_are_stripped_from_input() -> None:
    assert _strip_commands(bytes([255, 253, 1, 255, 250, 24, 0, 255, 240]) + b"admin\r\n") == b"admin\r\n"
