"""``egovnet_ipv6`` switches dual stack on per device: derived addresses, OSPFv3, routes, ACL, RA guard."""

from __future__ import annotations

import ipaddress
from functools import cache

import pytest
from hier_config import HConfig
from render_helpers import GOLDEN_HOSTS, parse, section

from egovnet.inventory import Inventory, addressing
from egovnet.platforms import PLATFORMS
from egovnet.render import Renderer

V6_ON = {"egovnet_ipv6": True}


def _ipv6_tokens(text: str) -> list[str]:
    found = []
    for token in text.split():
        try:
            if ipaddress.ip_interface(token).version == 6:
                found.append(token)
        except ValueError:
            continue
    return found


def _has(config: HConfig, header: str, line: str) -> bool:
    node = config.get_child(equals=header)
    return node is not None and node.get_child(equals=line) is not None


def test_link_addresses_equal_the_plan_at_both_ends(county: Inventory, renderer: Renderer) -> None:
    @cache
    def config(name: str) -> HConfig:
        return parse(county.devices[name].platform, renderer.render(name, V6_ON))

    checked = 0
    for link in county.links:
        ends = [link.a_device, link.b_device]
        if (
            link.a_ipv4 is None
            or link.b_ipv4 is None
            or not all(e and PLATFORMS[county.devices[e].platform].dialect for e in ends)
        ):
            continue
        if link.a_device in ("qm-core-01", "qm-core-02") and link.b_device in ("qm-core-01", "qm-core-02"):
            continue  # bundled: checked on the Eth-Trunk below
        a6, b6 = addressing.link_addresses(county.plan, link.a_ipv4, link.b_ipv4)
        for device, interface, address in (
            (link.a_device, link.a_interface, a6),
            (link.b_device, link.b_interface, b6),
        ):
            assert device is not None and interface is not None
            assert _has(config(device), f"interface {interface}", f"ipv6 address {str(address).upper()}"), (
                f"{device} {interface} lacks {address}"
            )
            checked += 1
    assert checked > 400

    trunk = section(config("qm-core-02"), "interface Eth-Trunk1")
    first = min(
        (lk for lk in county.links if lk.a_device == "qm-core-02" and lk.b_device == "qm-core-01"),
        key=lambda lk: lk.index,
    )
    assert first.a_ipv4 is not None and first.b_ipv4 is not None
    expected = addressing.link_addresses(county.plan, first.a_ipv4, first.b_ipv4)[0]
    assert f"ipv6 address {str(expected).upper()}" in trunk


@pytest.mark.parametrize("platform", sorted(GOLDEN_HOSTS))
def test_loopback_acl_mirror_and_routing(county: Inventory, renderer: Renderer, platform: str) -> None:
    host = GOLDEN_HOSTS[platform]
    device = county.devices[host]
    text = renderer.render(host, V6_ON)
    loopback = str(addressing.loopback(county.plan, device.mgmt_ipv4)).upper()
    assert f" ipv6 address {loopback}\n" in text
    assert loopback.endswith("/128")
    for source in ("10.98.0.13", "10.98.0.14"):
        mirrored = addressing.loopback(county.plan, ipaddress.IPv4Address(source)).ip
        assert str(mirrored).upper() in text
    assert ("ipv6 router ospf 1" if platform == "cisco_ios" else "\nospfv3 1\n") in text


def test_township_uplinks_run_ospfv3_in_the_township_area(county: Inventory, renderer: Renderer) -> None:
    township = county.sites["jinzipai"]
    area = str(ipaddress.IPv4Address(township.number))
    node = parse("h3c_comware7", renderer.render("jinzipai-tn-01", V6_ON))
    core = parse("huawei_vrp8", renderer.render("qm-core-01", V6_ON))
    assert f"ospfv3 1 area {area}" in section(node, "interface Ten-GigabitEthernet1/0/25")
    assert f"ospfv3 1 area {area}" in section(core, "interface 10GE1/0/3")
    backup = section(node, "interface Ten-GigabitEthernet1/0/26")
    assert "ospfv3 cost 1000" in backup and "ospf cost 1000" in backup


def test_village_keeps_an_ipv6_floating_default_via_its_5g_cpe(county: Inventory, renderer: Renderer) -> None:
    link = next(
        lk for lk in county.links if lk.a_device == "qishan-v01-sw-01" and lk.b_device == "qishan-v01-cpe-01"
    )
    assert link.a_ipv4 is not None and link.b_ipv4 is not None
    _, cpe6 = addressing.link_addresses(county.plan, link.a_ipv4, link.b_ipv4)
    text = renderer.render("qishan-v01-sw-01", V6_ON)
    assert f"ipv6 route-static :: 0 {str(cpe6.ip).upper()} preference 200 track nqa admin fiveg" in text
    config = parse("huawei_vrp5", text)
    assert "nd raguard role host" in section(config, "interface GigabitEthernet0/0/2")


def test_ipv6_off_renders_no_ipv6_at_all(county: Inventory, renderer: Renderer) -> None:
    for name, device in county.devices.items():
        if not PLATFORMS[device.platform].dialect:
            continue
        text = renderer.render(name)
        assert _ipv6_tokens(text) == [], name
        for word in (
            "ospfv3",
            "ipv6 router",
            "ipv6 route",
            "ipv6 address",
            "raguard",
            "acl ipv6",
            "ipv6 enable",
        ):
            assert word not in text, f"{name}: {word}"
        on = renderer.render(name, V6_ON)
        assert len(_ipv6_tokens(on)) > 0, name
