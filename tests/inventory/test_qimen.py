"""The Qimen inventory models the county as the five-year plan describes it."""

from __future__ import annotations

import ipaddress
from collections import Counter
from pathlib import Path

import pytest

from egovnet.inventory import Inventory, addressing, load_inventory

TOWNS = [
    "祁山镇",
    "小路口镇",
    "金字牌镇",
    "平里镇",
    "历口镇",
    "闪里镇",
    "安凌镇",
    "凫峰镇",
    "塔坊镇",
    "新安镇",
]
XIANG = ["大坦乡", "柏溪乡", "祁红乡", "溶口乡", "芦溪乡", "渚口乡", "古溪乡", "箬坑乡"]


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def test_townships_villages_communities_departments(county: Inventory) -> None:
    townships = [s for s in county.sites.values() if s.level == "township"]
    assert sorted(s.name_zh for s in townships) == sorted(TOWNS + XIANG)
    units = Counter(s.unit for s in county.sites.values() if s.level == "village")
    assert units == {"administrative_village": 152, "community": 5}
    assert sum(1 for s in county.sites.values() if s.level == "department") == 50
    qishan = county.sites["qishan"]
    assert qishan.area == "urban"
    assert all(
        county.sites[s.township or ""].id == "qishan" for s in county.sites.values() if s.unit == "community"
    )


def test_population_matches_the_2020_census(county: Inventory) -> None:
    villages = [s for s in county.sites.values() if s.level == "village"]
    assert sum(s.population or 0 for s in villages) == 145_644
    assert sum(s.population or 0 for s in villages if s.area == "urban") == 74_438


def test_county_level_devices(county: Inventory) -> None:
    roles = Counter(d.role for d in county.devices.values() if county.site_of(d.name).level == "county")
    assert roles["core"] == 2 and roles["egress"] == 2 and roles["firewall"] == 2
    assert roles["ids"] == 1 and roles["probe"] >= 1 and roles["bastion"] == 1 and roles["nms"] == 1
    egress = [link for link in county.links if link.external]
    assert len(egress) == 2 and all(link.speed_mbps == 10_000 for link in egress)
    assert {d.platform for d in county.devices.values() if d.role == "core"} == {"huawei_vrp8"}


def test_every_township_is_dual_homed_to_the_core_at_1g(county: Inventory) -> None:
    nodes = [d for d in county.devices.values() if d.role == "township_node"]
    assert len(nodes) == 18
    for node in nodes:
        up = [link for link in county.links_of(node.name) if link.b_device in ("qm-core-01", "qm-core-02")]
        assert sorted(link.role for link in up) == ["backup", "primary"], node.name
        assert {link.b_device for link in up} == {"qm-core-01", "qm-core-02"}, node.name
        assert all(link.speed_mbps == 1000 for link in up), node.name


def test_every_village_has_an_access_device_and_most_a_5g_backup(county: Inventory) -> None:
    villages = [s for s in county.sites.values() if s.unit == "administrative_village"]
    with_cpe = 0
    for site in villages:
        roles = {county.devices[d].role for d in site.devices}
        assert "access" in roles, site.id
        with_cpe += "cpe_5g" in roles
    assert with_cpe / len(villages) > 0.75


def test_vendor_mix(county: Inventory) -> None:
    by_role = {(d.role, d.platform) for d in county.devices.values()}
    assert ("core", "huawei_vrp8") in by_role
    assert {("township_node", "huawei_vrp5"), ("township_node", "h3c_comware7")} <= by_role
    assert ("access", "cisco_ios") in by_role
    assert len(county.websites) == 51


def test_ipv6_plan_is_inside_the_county_prefix_and_unique(county: Inventory) -> None:
    plan = county.plan
    prefixes = {addressing.site_prefix(plan, s.number) for s in county.sites.values()}
    assert len(prefixes) == len(county.sites)
    assert all(p.subnet_of(plan.ipv6.county_prefix) and p.prefixlen == 56 for p in prefixes)
    links = [addressing.link_prefix(plan, link.a_ipv4.network) for link in county.links if link.a_ipv4]
    assert len(set(links)) == len(links)
    assert all(p.subnet_of(plan.ipv6.county_prefix) for p in links)
    assert not any(p.overlaps(s) for p in links[:50] for s in prefixes)
    loops = {addressing.loopback(plan, d.mgmt_ipv4) for d in county.devices.values()}
    assert len(loops) == len(county.devices)


def test_ipv6_prefixes_do_not_move_when_a_site_is_added(county: Inventory) -> None:
    plan = county.plan
    before = {s.id: addressing.site_prefix(plan, s.number) for s in county.sites.values()}
    new_number = max(s.number for s in county.sites.values()) + 1
    added = addressing.site_prefix(plan, new_number)
    assert added not in before.values()
    after = {s.id: addressing.site_prefix(plan, s.number) for s in county.sites.values()}
    assert before == after
    assert addressing.site_prefix(plan, 1) == ipaddress.IPv6Network("2001:db8:1002:100::/56")


def test_link_addresses_mirror_ipv4(county: Inventory) -> None:
    link = next(link for link in county.links if link.a_device == "qishan-tn-01" and link.role == "primary")
    assert link.a_ipv4 is not None and link.b_ipv4 is not None
    a6, b6 = addressing.link_addresses(county.plan, link.a_ipv4, link.b_ipv4)
    assert a6.network == b6.network and a6 != b6
    assert int(b6.ip) - int(b6.network.network_address) == 1  # the core end has the lower IPv4 address
