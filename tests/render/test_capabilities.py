"""Each capability renders on its own and does its job: redundancy, 5G backup, security baseline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest
from hier_config import HConfig
from render_helpers import GOLDEN_HOSTS, parse, section

from egovnet.inventory import Inventory
from egovnet.platforms import PLATFORMS
from egovnet.render import Renderer, applicable


@pytest.fixture(scope="module")
def configs(county: Inventory, renderer: Renderer) -> dict[str, str]:
    return {n: renderer.render(n) for n, d in county.devices.items() if PLATFORMS[d.platform].dialect}


@pytest.mark.parametrize("platform", sorted(GOLDEN_HOSTS))
def test_one_capability_renders_alone(renderer: Renderer, platform: str) -> None:
    host = GOLDEN_HOSTS[platform]
    security = renderer.render(host, capability="security")
    full = renderer.render(host)
    assert not re.search(r"^interface ", security, re.MULTILINE)
    assert set(security.splitlines()) <= set(full.splitlines())
    assert len(security.splitlines()) < len(full.splitlines()) / 3


def test_wireless_5g_applies_exactly_where_a_cpe_hangs(county: Inventory, renderer: Renderer) -> None:
    with_cpe = {
        end
        for link in county.links
        for end, peer in ((link.a_device, link.b_device), (link.b_device, link.a_device))
        if end
        and peer
        and county.devices[peer].role == "cpe_5g"
        and county.devices[end].role in ("access", "wlc")
    }
    assert len(with_cpe) == 130
    for name, device in county.devices.items():
        if PLATFORMS[device.platform].dialect:
            assert applicable(renderer.context(name), "wireless_5g") == (name in with_cpe), name


@pytest.mark.parametrize(
    ("host", "platform", "expected"),
    [
        (
            "qishan-v01-sw-01",
            "huawei_vrp5",
            ["ip route-static 0.0.0.0 0.0.0.0 10.99.0.65 preference 200 track nqa admin fiveg"],
        ),
        (
            "jinzipai-v01-sw-01",
            "h3c_comware7",
            [
                "track 1 nqa entry admin fiveg reaction 1",
                "nqa schedule admin fiveg start-time now lifetime forever",
                "ip route-static 0.0.0.0 0 10.99.1.81 track 1 preference 200",
            ],
        ),
    ],
)
def test_5g_cpe_is_a_tracked_floating_backup(
    renderer: Renderer, host: str, platform: str, expected: list[str]
) -> None:
    text = renderer.render(host, capability="wireless_5g")
    config = parse(platform, text)
    for line in expected:
        assert config.get_child(equals=line) is not None, line
    probe_route = [
        c.text
        for c in config.children
        if re.match(r"ip route-static 10\.99\.\S+ (255.255.255.255|32) ", c.text)
    ]
    assert len(probe_route) == 1, "the probe target must be pinned onto the CPE path"


def test_backup_links_cost_more_at_both_ends(county: Inventory, renderer: Renderer) -> None:
    checked = 0
    for link in county.links:
        if link.role != "backup" or link.a_ipv4 is None or not link.b_device:
            continue
        ends = [(link.a_device, link.a_interface), (link.b_device, link.b_interface)]
        if not all(PLATFORMS[county.devices[d].platform].dialect for d, _ in ends):
            continue
        for device, interface in ends:
            platform = county.devices[device].platform
            cost = "ip ospf cost 1000" if platform == "cisco_ios" else "ospf cost 1000"
            assert cost in section(_parsed(renderer, device), f"interface {interface}"), (device, interface)
            checked += 1
    assert checked > 100


@cache
def _parsed(renderer: Renderer, host: str) -> HConfig:
    return parse(renderer.inventory.devices[host].platform, renderer.render(host))


def test_core_pair_bundle_and_vrrp(renderer: Renderer) -> None:
    core1, core2 = _parsed(renderer, "qm-core-01"), _parsed(renderer, "qm-core-02")
    trunk1 = section(core1, "interface Eth-Trunk1")
    assert "description to qm-core-02 Eth-Trunk1" in trunk1 and "mode lacp-static" in trunk1
    assert "ip address 10.99.0.1 255.255.255.252" in trunk1
    for member in ("interface 100GE1/0/1", "interface 100GE1/0/2"):
        assert "eth-trunk 1" in section(core1, member) and "eth-trunk 1" in section(core2, member)
    lan1, lan2 = section(core1, "interface Vlanif10"), section(core2, "interface Vlanif10")
    assert "vrrp vrid 10 virtual-ip 10.100.1.1" in lan1 and "vrrp vrid 10 virtual-ip 10.100.1.1" in lan2
    assert "vrrp vrid 10 priority 120" in lan1 and not any("priority" in line for line in lan2)
    assert "vrrp vrid 100 virtual-ip 10.98.0.254" in section(core2, "interface Vlanif100")


def test_egress_originates_the_default_and_the_backup_costs_more(renderer: Renderer) -> None:
    primary, backup = _parsed(renderer, "qm-egress-01"), _parsed(renderer, "qm-egress-02")
    assert primary.get_child(equals="ip route-static 0.0.0.0 0.0.0.0 10.99.255.1") is not None
    assert "default-route-advertise" in section(primary, "ospf 1 router-id 10.98.0.3")
    assert "default-route-advertise cost 1000" in section(backup, "ospf 1 router-id 10.98.0.4")


def test_5g_gateway_returns_traffic_to_every_village_behind_a_cpe(
    county: Inventory, renderer: Renderer
) -> None:
    text = renderer.render("qm-5gagg-01", capability="redundancy")
    for name, device in county.devices.items():
        if device.role == "access" and any(
            county.devices.get(link.b_device or "") and county.devices[link.b_device or ""].role == "cpe_5g"
            for link in county.links
            if link.a_device == name
        ):
            assert f"ip route-static {device.mgmt_ipv4} 255.255.255.255 " in text, name
            lan = county.site_of(name).lan_ipv4
            assert f"ip route-static {lan.network_address} {lan.netmask} " in text, name


# -- the MLPS 2.0 device baseline (research/security.md 1.2) over the whole county --------------------
@dataclass(frozen=True)
class Baseline:
    """Rule id -> regex that must match, and rule id -> regex that must not, in every config."""

    present: dict[str, str]
    absent: dict[str, str]


VRP_COMMON = {
    "MGMT-02 SSH server": r"^stelnet server enable$",
    "MGMT-03 VTY SSH only": r"^user-interface vty 0 4\n(?: .*\n)* protocol inbound ssh$",
    "ACL-01 VTY ACL": r"^user-interface vty 0 4\n acl 2000 inbound$",
    "AUTH-01 idle timeout": r"^ idle-timeout ([1-9]|10) 0$",
    "AUTH-02 AAA login": r"^user-interface vty 0 4\n(?: .*\n)* authentication-mode aaa$",
    "AUTH-04 aging": r"^  password expire ([1-9]|[1-8]\d|90)$",
    "AUTH-05 irreversible hash": r"^ local-user \S+ password irreversible-cipher \$1",
    "SNMP-02 v3 only": r"^snmp-agent sys-info version v3$",
    "SNMP-02 authPriv": r"^snmp-agent group v3 \S+ privacy ",
    "LOG-01 two loghosts": r"^info-center loghost \d+\.\d+\.\d+\.\d+\ninfo-center loghost \d",
    "NTP-02 authentication": r"^ntp-service authentication enable$",
    "SVC-01 telnet off": r"^undo telnet server enable$",
    "SVC-01 HTTP off": r"^undo http server enable$",
    "BANNER-01": r'^header login information ".+"$',
}
VRP_FORBIDDEN = {
    "MGMT-01 telnet": r"^\s*telnet server enable",
    "SNMP-01 community": r"snmp-agent community",
    "SNMP-02 v1/v2c": r"sys-info version .*v(1|2c)",
    "AUTH-05 plain": r"password (cipher|simple) ",
    "ACCT-01 default account": r"local-user (admin|huawei) ",
    "AUTH-01 never": r"idle-timeout 0 0",
}
BASELINES = {
    "huawei_vrp5": Baseline(
        {
            **VRP_COMMON,
            "AUTH-03 lockout": r"^ local-aaa-user wrong-password retry-interval \d+ retry-time [1-5] ",
        },
        VRP_FORBIDDEN,
    ),
    "huawei_vrp8": Baseline(
        {**VRP_COMMON, "AUTH-03 lockout": r"^ local-user \S+ state block fail-times [1-5] interval \d+$"},
        VRP_FORBIDDEN,
    ),
    "h3c_comware7": Baseline(
        {
            "MGMT-02 SSH server": r"^ ssh server enable$",
            "MGMT-03 VTY SSH only": r"^line vty 0 63\n(?: .*\n)* protocol inbound ssh$",
            "ACL-01 SSH ACL": r"^ ssh server acl 2000$",
            "AUTH-01 idle timeout": r"^ idle-timeout ([1-9]|10) 0$",
            "AUTH-02 scheme login": r"^line vty 0 63\n authentication-mode scheme$",
            "AUTH-03 lockout": r"^ password-control login-attempt [1-5] exceed lock-time \d+$",
            "AUTH-04 complexity": r"^ password-control composition type-number [3-4] ",
            "AUTH-05 hash": r"^ password hash \$h\$",
            "SNMP-02 v3 only": r"^ snmp-agent sys-info version v3$",
            "SNMP-02 authPriv": r"^ snmp-agent group v3 \S+ privacy ",
            "LOG-01 two loghosts": r"^ info-center loghost \d+\.\d+\.\d+\.\d+\n info-center loghost \d",
            "NTP-02 authentication": r"^ ntp-service authentication enable$",
            "SVC-01 HTTP off": r"^ undo ip http enable$",
            "BANNER-01": r"^ header login %.+%$",
        },
        {
            "MGMT-01 telnet": r"^\s*telnet server enable",
            "SNMP-01 community": r"snmp-agent community",
            "AUTH-05 plain": r"password (cipher|simple) ",
            "ACCT-01 default account": r"^local-user admin ",
        },
    ),
    "cisco_ios": Baseline(
        {
            "MGMT-02 SSHv2": r"^ip ssh version 2$",
            "MGMT-03 VTY SSH only": r"^line vty 0 4\n(?: .*\n)* transport input ssh$",
            "ACL-01 VTY ACL": r"^line vty 0 4\n access-class MGMT in$",
            "AUTH-01 idle timeout": r"^ exec-timeout ([1-9]|10) 0$",
            "AUTH-02 AAA": r"^aaa new-model$",
            "AUTH-03 lockout": r"^login block-for \d+ attempts [1-5] within \d+$",
            "AUTH-05 secret 9": r"^username \S+ privilege 15 secret 9 ",
            "AUDIT-01 config log": r"^archive\n log config\n  logging enable$",
            "SNMP-02 authPriv": r"^snmp-server group \S+ v3 priv ",
            "LOG-01 two loghosts": r"^logging host \d+\.\d+\.\d+\.\d+\nlogging host \d",
            "NTP-02 authentication": r"^ntp authenticate$",
            "SVC-01 HTTP off": r"^no ip http server$",
            "BANNER-01": r"^banner login \^C.+\^C$",
        },
        {
            "MGMT-01 telnet": r"transport input (all|telnet)",
            "SNMP-01 community": r"snmp-server community",
            "AUTH-05 plain": r"(password 0|enable password)",
            "ACCT-01 default account": r"^username (cisco|admin) ",
            "SVC-01 HTTP": r"^ip http (secure-)?server",
        },
    ),
}


@pytest.mark.parametrize("platform", sorted(BASELINES))
def test_security_baseline_holds_for_every_device(
    county: Inventory, configs: dict[str, str], platform: str
) -> None:
    baseline = BASELINES[platform]
    hosts = [n for n in configs if county.devices[n].platform == platform]
    assert hosts
    for host in hosts:
        text = configs[host]
        for rule, pattern in baseline.present.items():
            assert re.search(pattern, text, re.MULTILINE), f"{host}: {rule} not satisfied"
        for rule, pattern in baseline.absent.items():
            assert not re.search(pattern, text, re.MULTILINE), f"{host}: {rule} violated"
