"""Golden key lines per platform, checked on the parsed config (so nesting is checked too)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from render_helpers import GOLDEN_HOSTS, parse, section
from render_secrets import SECRET_ENV

from egovnet.render import Renderer


@dataclass(frozen=True)
class Golden:
    """What one host's config must contain: top-level lines, section children, forbidden lines."""

    top: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]
    absent: tuple[str, ...] = field(default=())


AUTH, PRIV, NTP = (
    SECRET_ENV["EGOVNET_SNMP_AUTH_KEY"],
    SECRET_ENV["EGOVNET_SNMP_PRIV_KEY"],
    SECRET_ENV["EGOVNET_NTP_KEY"],
)

GOLDEN = {
    "huawei_vrp5": Golden(
        top=(
            "sysname qishan-v01-sw-01",
            "stelnet server enable",
            "undo telnet server enable",
            "snmp-agent sys-info version v3",
            "snmp-agent group v3 egovnet-ro privacy read-view egovnet-view acl 2000",
            f"snmp-agent usm-user v3 nmsuser authentication-mode sha cipher {AUTH}",
            f"snmp-agent usm-user v3 nmsuser privacy-mode aes128 cipher {PRIV}",
            "ntp-service authentication enable",
            f"ntp-service authentication-keyid 1 authentication-mode hmac-sha256 cipher {NTP}",
            "ntp-service unicast-server 10.98.0.14 authentication-keyid 1",
            "ntp-service unicast-server 10.98.0.13 authentication-keyid 1",
            "info-center loghost 10.98.0.14",
            "info-center loghost 10.98.0.13",
        ),
        sections={
            "interface XGigabitEthernet0/0/1": (
                "undo portswitch",
                "description to qishan-tn-01 XGigabitEthernet0/0/3",
                "ip address 10.99.0.62 255.255.255.252",
            ),
            "user-interface vty 0 4": (
                "acl 2000 inbound",
                "authentication-mode aaa",
                "idle-timeout 5 0",
                "protocol inbound ssh",
            ),
        },
        absent=(r"^\s*telnet server enable", r"snmp-agent community", r"protocol inbound (all|telnet)"),
    ),
    "huawei_vrp8": Golden(
        top=(
            "sysname qm-dagg-01",
            "stelnet server enable",
            "undo telnet server enable",
            "undo telnet ipv6 server enable",
            "snmp-agent sys-info version v3",
            f"snmp-agent usm-user v3 nmsuser authentication-mode sha cipher {AUTH}",
            f"snmp-agent usm-user v3 nmsuser privacy-mode aes128 cipher {PRIV}",
            "ntp-service unicast-server 10.98.0.14 authentication-keyid 1",
            "ntp-service unicast-server 10.98.0.13 authentication-keyid 1",
            "info-center loghost 10.98.0.14",
            "info-center loghost 10.98.0.13",
        ),
        sections={
            "interface 100GE1/0/1": (
                "undo portswitch",
                "description to qm-core-01 100GE1/0/3",
                "ip address 10.99.0.30 255.255.255.252",
            ),
            "interface 100GE1/0/2": (
                "undo portswitch",
                "description to qm-core-02 100GE1/0/4",
                "ip address 10.99.0.34 255.255.255.252",
                "ospf cost 1000",
            ),
            "user-interface vty 0 4": (
                "acl 2000 inbound",
                "authentication-mode aaa",
                "idle-timeout 5 0",
                "protocol inbound ssh",
            ),
        },
        absent=(r"^\s*telnet server enable", r"snmp-agent community"),
    ),
    "h3c_comware7": Golden(
        top=(
            "sysname jinzipai-v01-sw-01",
            "ssh server enable",
            "ssh server acl 2000",
            "undo telnet server enable",
            "snmp-agent sys-info version v3",
            "snmp-agent group v3 egovnet-ro privacy read-view egovnet-view acl 2000",
            f"snmp-agent usm-user v3 nmsuser egovnet-ro simple authentication-mode sha {AUTH} "
            f"privacy-mode aes128 {PRIV}",
            "ntp-service authentication enable",
            f"ntp-service authentication-keyid 1 authentication-mode hmac-sha-256 simple {NTP}",
            "ntp-service unicast-server 10.98.0.14 authentication-keyid 1",
            "ntp-service unicast-server 10.98.0.13 authentication-keyid 1",
            "info-center loghost 10.98.0.14",
            "info-center loghost 10.98.0.13",
        ),
        sections={
            "interface Ten-GigabitEthernet1/0/25": (
                "port link-mode route",
                "description to jinzipai-tn-01 Ten-GigabitEthernet1/0/3",
                "ip address 10.99.1.78 255.255.255.252",
            ),
            "line vty 0 63": (
                "authentication-mode scheme",
                "user-role network-operator",
                "protocol inbound ssh",
                "idle-timeout 5 0",
            ),
        },
        absent=(r"^\s*telnet server enable", r"snmp-agent community", r"version v1|v2c"),
    ),
    "cisco_ios": Golden(
        top=(
            "hostname dept-xianwei-sw-01",
            "ip ssh version 2",
            "no ip http server",
            "snmp-server group egovnet-ro v3 priv read egovnet-view access MGMT",
            f"snmp-server user nmsuser egovnet-ro v3 auth sha {AUTH} priv aes 128 {PRIV} access MGMT",
            f"ntp authentication-key 1 md5 {NTP}",
            "ntp authenticate",
            "ntp server 10.98.0.14 key 1",
            "ntp server 10.98.0.13 key 1",
            "logging host 10.98.0.14",
            "logging host 10.98.0.13",
        ),
        sections={
            "interface GigabitEthernet1/0/25": (
                "description to qm-dagg-01 10GE1/0/1",
                "no switchport",
                "ip address 10.99.7.210 255.255.255.252",
            ),
            "line vty 0 4": ("access-class MGMT in", "exec-timeout 5 0", "transport input ssh"),
            "line vty 5 15": ("access-class MGMT in", "exec-timeout 5 0", "transport input ssh"),
        },
        absent=(r"transport input (all|telnet)", r"snmp-server community", r"^ip http server"),
    ),
}


@pytest.mark.parametrize("platform", sorted(GOLDEN))
def test_golden_lines(renderer: Renderer, platform: str) -> None:
    golden = GOLDEN[platform]
    text = renderer.render(GOLDEN_HOSTS[platform])
    config = parse(platform, text)
    for line in golden.top:
        assert config.get_child(equals=line) is not None, f"{platform}: missing {line!r}"
    for header, children in golden.sections.items():
        assert section(config, header) == list(children), f"{platform}: {header}"
    for pattern in golden.absent:
        assert not re.search(pattern, text, re.MULTILINE), f"{platform}: forbidden {pattern!r} rendered"


@pytest.mark.parametrize("platform", sorted(GOLDEN))
def test_management_address_and_admin_hash(renderer: Renderer, platform: str) -> None:
    host = GOLDEN_HOSTS[platform]
    text = renderer.render(host)
    mgmt = renderer.inventory.devices[host].mgmt_ipv4
    assert f"ip address {mgmt} 255.255.255.255" in text
    admin_hash = SECRET_ENV[f"EGOVNET_ADMIN_HASH_{platform.upper()}"]
    hash_lines = [line for line in text.splitlines() if admin_hash in line]
    assert len(hash_lines) == 1 and "netadmin" in text
