"""The whole county renders, on all four platforms, fast, into configs the change engine can read."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from render_helpers import parse, section

from egovnet.change.hier import is_converged
from egovnet.inventory import Inventory
from egovnet.platforms import PLATFORMS
from egovnet.render import Renderer, capabilities, render_all
from egovnet.render.dialect import load_dialect, templates_root

CLI_PLATFORMS = ("huawei_vrp5", "huawei_vrp8", "h3c_comware7", "cisco_ios")
HOSTNAME = {
    "huawei_vrp5": "sysname",
    "huawei_vrp8": "sysname",
    "h3c_comware7": "sysname",
    "cisco_ios": "hostname",
}


def _cli_devices(county: Inventory) -> list[str]:
    return sorted(n for n, d in county.devices.items() if PLATFORMS[d.platform].dialect)


def test_every_cli_device_renders_quickly(county: Inventory, secret_env: None) -> None:
    started = time.perf_counter()
    configs = render_all(county)
    elapsed = time.perf_counter() - started

    assert sorted(configs) == _cli_devices(county)
    platforms = Counter(county.devices[name].platform for name in configs)
    assert set(platforms) == set(CLI_PLATFORMS)
    assert sum(platforms.values()) > 200
    assert elapsed < 10, f"rendering {len(configs)} devices took {elapsed:.1f}s"
    for name, text in configs.items():
        platform = county.devices[name].platform
        dialect = load_dialect(templates_root(), platform)
        assert text.endswith(f"{dialect.separator}\n{dialect.footer}\n"), name
        assert parse(platform, text).get_child(equals=f"{HOSTNAME[platform]} {name}") is not None, name


def test_every_cli_device_renders_dual_stack(county: Inventory, renderer: Renderer) -> None:
    for name in _cli_devices(county):
        text = renderer.render(name, {"egovnet_ipv6": True})
        assert "ospfv3" in text or "ipv6 router ospf" in text, name


@pytest.mark.parametrize("platform", CLI_PLATFORMS)
def test_rendered_config_is_converged_with_itself(
    county: Inventory, renderer: Renderer, platform: str
) -> None:
    """What we render must read back as exactly itself: no noise, no duplicate sections."""
    for name in _cli_devices(county):
        if county.devices[name].platform == platform:
            text = renderer.render(name, {"egovnet_ipv6": True})
            assert is_converged(platform, text, text), name


@pytest.mark.parametrize("platform", CLI_PLATFORMS)
def test_capabilities_in_render_order(platform: str) -> None:
    assert capabilities(platform) == ("base", "interfaces", "redundancy", "ipv6", "security", "wireless_5g")
    for name in capabilities(platform):
        assert (templates_root() / platform / f"{name}.j2").is_file()


def test_unused_ports_are_shut_and_link_ports_described(county: Inventory, renderer: Renderer) -> None:
    config = parse("huawei_vrp5", renderer.render("qishan-v01-sw-01"))
    assert section(config, "interface GigabitEthernet0/0/5") == ["shutdown"]
    assert section(config, "interface GigabitEthernet0/0/2") == [
        "description to qishan-v01-ap-01 GE0",
        "port link-type access",
        "port default vlan 10",
    ]
