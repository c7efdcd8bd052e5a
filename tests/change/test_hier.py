"""hier_config rules per dialect: circular round trips, in-place changes, noise, secrets, defaults.

Round trips follow hier_config's own ``tests/circular`` idea: running + remediation must equal
intended, intended + rollback must equal running, and intended against itself needs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hier_config import HConfig
from render_secrets import HASHES, SECRETS  # host variables, in each platform's hash format

from egovnet.change.hier import MASK, is_converged, remediation, rollback, rules_for, workflow
from egovnet.inventory import Inventory, load_inventory
from egovnet.render import render

NEGATION = {"huawei_vrp5": "undo ", "huawei_vrp8": "undo ", "h3c_comware7": "undo ", "cisco_ios": "no "}
EXIT = {"huawei_vrp5": "quit", "huawei_vrp8": "quit", "h3c_comware7": "quit", "cisco_ios": "exit"}


def _paths(config: HConfig) -> set[tuple[str, ...]]:
    return {tuple(child.path()) for child in config.all_children()}


# -- circular round trips on rendered configs with realistic drift -----------------------------------
@dataclass(frozen=True)
class Drift:
    """An older config of a host: rendered with other settings, then edited like a device drifts."""

    host: str
    overrides: dict[str, object]
    edit: Callable[[str], str]


def _replace(*pairs: tuple[str, str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        return text

    return edit


DRIFTS = {
    "huawei_vrp5": Drift(
        "qishan-v01-sw-01",
        {"egovnet_ipv6": False, "egovnet_idle_timeout": 10, "egovnet_banner": "Old banner"},
        _replace(
            (" description to qishan-tn-01 XGigabitEthernet0/0/3", " description old uplink"),
            ("ip address 10.99.0.62 255.255.255.252", "ip address 10.99.0.70 255.255.255.252"),
            ("info-center loghost 10.98.0.13\n", ""),
            ("#\nreturn", "#\ntelnet server enable\nsnmp-agent community read cipher %^%#Ab1%^%#\n#\nreturn"),
            (
                "aaa\n",
                "aaa\n local-user admin password irreversible-cipher $1a$x$y$\n"
                " local-user admin privilege level 15\n",
            ),
            (" shutdown\n", " description spare\n"),
        ),
    ),
    "huawei_vrp8": Drift(
        "qm-core-01",
        {"egovnet_ipv6": False, "egovnet_backup_ospf_cost": 500},
        _replace(
            ("vrrp vrid 10 priority 120", "vrrp vrid 10 priority 110"),
            (
                "ntp-service unicast-server 10.98.0.13 authentication-keyid 1",
                "ntp-service unicast-server 10.98.0.99 authentication-keyid 1",
            ),
            ("#\nreturn", "#\ninterface NULL0\n#\nsnmp-agent local-engineid 800007DB03ABCDEF\n#\nreturn"),
        ),
    ),
    "h3c_comware7": Drift(
        "jinzipai-v01-sw-01",
        {"egovnet_ipv6": False, "egovnet_lockout_minutes": 5, "egovnet_admin_user": "oldadmin"},
        _replace(
            ("description to jinzipai-tn-01 Ten-GigabitEthernet1/0/3", "description uplink"),
            (
                "ip route-static 0.0.0.0 0 10.99.1.81 track 1 preference 200",
                "ip route-static 0.0.0.0 0 10.99.1.81 preference 100",
            ),
            ("#\nreturn", "#\n telnet server enable\n#\nreturn"),
        ),
    ),
    "cisco_ios": Drift(
        "dept-xianwei-sw-01",
        {"egovnet_ipv6": False, "egovnet_idle_timeout": 10},
        _replace(
            ("ip address 10.99.7.214 255.255.255.252", "ip address 10.99.7.218 255.255.255.252"),
            ("logging host 10.98.0.14\n", "logging host 10.98.0.15\n"),
            ("no ip http server\n", "ip http server\n"),
            ("!\nend", "!\nline vty 16 31\n transport input telnet\n!\nend"),
        ),
    ),
}


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def _render(county: Inventory, platform: str, host: str, overrides: dict[str, object]) -> str:
    variables = {
        **SECRETS,
        "egovnet_admin_password_hash": HASHES[platform],
        "egovnet_ipv6": True,
        **overrides,
    }
    return render(county, host, variables)


@pytest.mark.parametrize("platform", sorted(DRIFTS))
def test_circular_round_trip(county: Inventory, platform: str) -> None:
    drift = DRIFTS[platform]
    intended = _render(county, platform, drift.host, {})
    running = drift.edit(_render(county, platform, drift.host, drift.overrides))
    assert not is_converged(platform, running, intended)

    flow, _, _ = workflow(platform, running, intended)
    assert flow.remediation_config.children
    after = flow.running_config.future(flow.remediation_config)
    assert _paths(after) == _paths(flow.generated_config)
    restored = flow.generated_config.future(flow.rollback_config)
    assert _paths(restored) == _paths(flow.running_config)

    assert remediation(platform, intended, intended) == []
    assert is_converged(platform, intended, intended)
    lines = remediation(platform, running, intended)
    assert lines and all(MASK not in line and line == line.strip() for line in lines)
    assert rollback(platform, running, intended)


# -- in-place changes --------------------------------------------------------------------------------
@dataclass(frozen=True)
class InPlace:
    running: str
    intended: str
    expected: list[str]


IN_PLACE = {
    "huawei_vrp5": InPlace(
        "#\nsysname R1\n#\nntp-service unicast-server 10.98.0.14 authentication-keyid 1\n#\n"
        "interface XGigabitEthernet0/0/1\n undo portswitch\n description to old 1/0/1\n"
        " ip address 10.99.0.62 255.255.255.252\n#\nuser-interface vty 0 4\n idle-timeout 10 0\n#\nreturn\n",
        "#\nsysname R2\n#\nntp-service unicast-server 10.98.0.14 authentication-keyid 2\n#\n"
        "interface XGigabitEthernet0/0/1\n undo portswitch\n description to new 1/0/2\n"
        " ip address 10.99.0.70 255.255.255.252\n#\nuser-interface vty 0 4\n idle-timeout 5 0\n#\nreturn\n",
        [
            "sysname R2",
            "ntp-service unicast-server 10.98.0.14 authentication-keyid 2",
            "interface XGigabitEthernet0/0/1",
            "description to new 1/0/2",
            "ip address 10.99.0.70 255.255.255.252",
            "quit",
            "user-interface vty 0 4",
            "idle-timeout 5 0",
            "quit",
        ],
    ),
    "h3c_comware7": InPlace(
        "#\n sysname R1\n#\ninterface Ten-GigabitEthernet1/0/25\n port link-mode route\n description to old\n"
        " ip address 10.99.1.78 255.255.255.252\n#\nline vty 0 63\n idle-timeout 10 0\n#\n"
        " ntp-service unicast-server 10.98.0.14 authentication-keyid 1\n#\nreturn\n",
        "#\n sysname R2\n#\ninterface Ten-GigabitEthernet1/0/25\n port link-mode route\n description to new\n"
        " ip address 10.99.1.82 255.255.255.252\n#\nline vty 0 63\n idle-timeout 5 0\n#\n"
        " ntp-service unicast-server 10.98.0.14 authentication-keyid 2\n#\nreturn\n",
        [
            "sysname R2",
            "interface Ten-GigabitEthernet1/0/25",
            "description to new",
            "ip address 10.99.1.82 255.255.255.252",
            "quit",
            "line vty 0 63",
            "idle-timeout 5 0",
            "quit",
            "ntp-service unicast-server 10.98.0.14 authentication-keyid 2",
        ],
    ),
    "cisco_ios": InPlace(
        "!\nhostname R1\n!\ninterface GigabitEthernet1/0/25\n description to old\n no switchport\n"
        " ip address 10.99.7.210 255.255.255.252\n!\nntp server 10.98.0.14 key 1\n!\n"
        "line vty 0 4\n exec-timeout 10 0\n!\nend\n",
        "!\nhostname R2\n!\ninterface GigabitEthernet1/0/25\n description to new\n no switchport\n"
        " ip address 10.99.7.218 255.255.255.252\n!\nntp server 10.98.0.14 key 2\n!\n"
        "line vty 0 4\n exec-timeout 5 0\n!\nend\n",
        [
            "hostname R2",
            "interface GigabitEthernet1/0/25",
            "description to new",
            "ip address 10.99.7.218 255.255.255.252",
            "exit",
            "ntp server 10.98.0.14 key 2",
            "line vty 0 4",
            "exec-timeout 5 0",
            "exit",
        ],
    ),
}
IN_PLACE["huawei_vrp8"] = IN_PLACE["huawei_vrp5"]


@pytest.mark.parametrize("platform", sorted(IN_PLACE))
def test_in_place_changes_do_not_negate_the_old_line(platform: str) -> None:
    case = IN_PLACE[platform]
    lines = remediation(platform, case.running, case.intended)
    assert lines == case.expected
    assert not [line for line in lines if line.startswith(NEGATION[platform])]
    assert rollback(platform, case.running, case.intended)[0] in case.running


def test_vrp_without_idempotent_rules_would_undo_then_add() -> None:
    """The baseline the rules improve on: hier_config's stock VRP driver negates the old description."""
    from hier_config import Platform, WorkflowRemediation, get_hconfig

    case = IN_PLACE["huawei_vrp5"]
    stock = WorkflowRemediation(
        get_hconfig(Platform.HUAWEI_VRP, case.running), get_hconfig(Platform.HUAWEI_VRP, case.intended)
    )
    assert any(line.strip() == "undo description" for line in stock.remediation_config.dump_simple())
    assert "undo description" not in remediation("huawei_vrp5", case.running, case.intended)


@pytest.mark.parametrize("platform", sorted(NEGATION))
def test_a_different_ntp_server_is_replaced_not_edited(platform: str) -> None:
    line = {
        "huawei_vrp5": "ntp-service unicast-server {} authentication-keyid 1",
        "huawei_vrp8": "ntp-service unicast-server {} authentication-keyid 1",
        "h3c_comware7": "ntp-service unicast-server {} authentication-keyid 1",
        "cisco_ios": "ntp server {} key 1",
    }[platform]
    lines = remediation(platform, line.format("10.98.0.13") + "\n", line.format("10.98.0.12") + "\n")
    assert lines[0].startswith(NEGATION[platform]) and "10.98.0.13" in lines[0]
    assert lines[1] == line.format("10.98.0.12")
    assert len(lines) == 2


# -- what devices print but nobody configures ----------------------------------------------------------
VRP_DEVICE_TEXT = """!Software Version V200R021C10SPC600
!Last configuration was updated at 2024-05-29 19:32:26+00:00
#
 sysname SW1
#
 info-center loghost 10.98.0.14
 info-center loghost 10.98.0.13
#
aaa
 authentication-scheme default
  authentication-mode local
 domain default_admin
  authentication-scheme default
 local-user netadmin privilege level 15
#
interface NULL0
#
interface XGigabitEthernet0/0/1
 undo portswitch
 description to TN
 #
#
 snmp-agent local-engineid 800007DB03ABCDEF
#
return
"""
VRP_INTENDED = """#
sysname SW1
#
aaa
 local-user netadmin privilege level 15
#
interface XGigabitEthernet0/0/1
 undo portswitch
 description to TN
#
info-center loghost 10.98.0.14
info-center loghost 10.98.0.13
#
undo telnet server enable
#
return
"""
IOS_DEVICE_TEXT = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at 10:00:00 CST Mon Mar 3 2025
!
version 15.2
no service pad
service timestamps log datetime msec localtime show-timezone
!
hostname SW1
!
boot-start-marker
boot-end-marker
!
spanning-tree mode rapid-pvst
spanning-tree extend system-id
!
interface GigabitEthernet1/0/1
 description to TN
!
interface Vlan1
 no ip address
 shutdown
!
end
"""
IOS_INTENDED = """!
no service pad
service timestamps log datetime msec localtime show-timezone
!
hostname SW1
!
interface GigabitEthernet1/0/1
 description to TN
!
end
"""
COMWARE_DEVICE_TEXT = """#
 version 7.1.070, Release 6530P03
#
 sysname SW1
#
 password-recovery enable
#
vlan 1
#
interface NULL0
#
interface Ten-GigabitEthernet1/0/25
 port link-mode route
 description to TN
#
line class vty
 user-role network-operator
#
 snmp-agent
 snmp-agent local-engineid 800063A280ABCDEF
#
return
"""
COMWARE_INTENDED = """#
 sysname SW1
#
interface Ten-GigabitEthernet1/0/25
 port link-mode route
 description to TN
#
 snmp-agent
#
 undo telnet server enable
#
return
"""


@pytest.mark.parametrize(
    ("platform", "device", "intended"),
    [
        ("huawei_vrp5", VRP_DEVICE_TEXT, VRP_INTENDED),
        ("huawei_vrp8", VRP_DEVICE_TEXT, VRP_INTENDED),
        ("cisco_ios", IOS_DEVICE_TEXT, IOS_INTENDED),
        ("h3c_comware7", COMWARE_DEVICE_TEXT, COMWARE_INTENDED),
    ],
)
def test_device_noise_and_defaults_are_not_drift(platform: str, device: str, intended: str) -> None:
    assert remediation(platform, device, intended) == []
    assert is_converged(platform, device, intended)


def test_indented_globals_are_top_level_not_children_of_the_previous_section() -> None:
    _, run, _ = workflow("huawei_vrp5", VRP_DEVICE_TEXT, VRP_INTENDED)
    interface = run.config.get_child(equals="interface XGigabitEthernet0/0/1")
    assert interface is not None
    assert [c.text for c in interface.children] == ["undo portswitch", "description to TN"]
    assert run.config.get_child(equals="info-center loghost 10.98.0.13") is not None


# -- negation, implicit defaults, factory accounts ----------------------------------------------------
def test_non_default_forms_are_negated_while_implicit_defaults_are_not_required() -> None:
    running = "#\nsysname SW1\n#\ntelnet server enable\nhttp server enable\n#\nreturn\n"
    intended = "#\nsysname SW1\n#\nundo telnet server enable\nundo http server enable\n#\nreturn\n"
    assert remediation("huawei_vrp5", running, intended) == [
        "undo telnet server enable",
        "undo http server enable",
    ]
    assert rollback("huawei_vrp5", running, intended) == ["telnet server enable", "http server enable"]
    assert is_converged("huawei_vrp5", "#\nsysname SW1\n#\nreturn\n", intended)


def test_factory_account_is_removed_with_one_command() -> None:
    running = (
        "aaa\n local-user admin password irreversible-cipher $1a$x$y$\n local-user admin privilege level 15\n"
        " local-user admin service-type telnet ssh\n local-user netadmin privilege level 15\n"
    )
    intended = "aaa\n local-user netadmin privilege level 15\n"
    assert remediation("huawei_vrp5", running, intended) == ["aaa", "undo local-user admin", "quit"]


def test_sectional_exits_and_nested_sections() -> None:
    running = "aaa\n local-aaa-user password policy administrator\n  password expire 0\n"
    intended = "aaa\n local-aaa-user password policy administrator\n  password expire 90\n"
    assert remediation("huawei_vrp5", running, intended) == [
        "aaa",
        "local-aaa-user password policy administrator",
        "password expire 90",
        "quit",
        "quit",
    ]
    ios = remediation("cisco_ios", "", "archive\n log config\n  logging enable\n")
    assert ios == ["archive", "log config", "logging enable", "exit", "exit"]


# -- secrets ------------------------------------------------------------------------------------------
SECRET_CASES = {
    "huawei_vrp5": (
        "snmp-agent usm-user v3 nms authentication-mode sha cipher Plain-Key-1\n",
        "snmp-agent usm-user v3 nms authentication-mode sha cipher %^%#Zk1;eT.@pQ%^%#\n",
        "undo snmp-agent usm-user v3 nms authentication-mode",
    ),
    "h3c_comware7": (
        " snmp-agent usm-user v3 nms egovnet-ro simple authentication-mode sha Plain-Key-1"
        " privacy-mode aes128 Priv-2\n",
        " snmp-agent usm-user v3 nms egovnet-ro cipher authentication-mode sha $c$3$AAAA=="
        " privacy-mode aes128 $c$3$BB==\n",
        "undo snmp-agent usm-user v3 nms",
    ),
    "cisco_ios": (
        "ntp authentication-key 1 md5 Plain-Key-1\n",
        "ntp authentication-key 1 md5 104D000A0618 7\n",
        "no ntp authentication-key 1",
    ),
}


@pytest.mark.parametrize("platform", sorted(SECRET_CASES))
def test_secrets_compare_masked_and_push_unmasked(platform: str) -> None:
    intended, printed, negation = SECRET_CASES[platform]
    assert is_converged(platform, printed, intended)
    assert remediation(platform, "", intended) == [intended.strip()]
    assert rollback(platform, printed, intended) == []
    assert remediation(platform, printed, "") == [negation]


def test_ios_snmp_user_is_write_only_and_follows_its_group() -> None:
    group = "snmp-server group egovnet-ro v3 priv read egovnet-view access MGMT"
    user = "snmp-server user nms egovnet-ro v3 auth sha Key-1 priv aes 128 Key-2 access MGMT"
    intended = f"{group}\n{user}\nsnmp-server trap-source Loopback0\n"
    assert is_converged("cisco_ios", f"{group}\nsnmp-server trap-source Loopback0\n", intended)
    assert remediation("cisco_ios", "", intended) == [group, user, "snmp-server trap-source Loopback0"]


def test_ios_banner_is_pushed_with_a_typable_delimiter() -> None:
    intended = "banner login ^CAuthorized access only^C\n!\n"
    assert remediation("cisco_ios", "", intended) == ["banner login #Authorized access only#"]
    assert is_converged("cisco_ios", "banner login ^CAuthorized access only^C\n!\nend\n", intended)


def test_platforms_without_a_cli_are_refused() -> None:
    with pytest.raises(ValueError, match="cpe_5g"):
        rules_for("cpe_5g")
    assert re.fullmatch(r"HConfigDriverEgovnet\w+", rules_for("huawei_vrp8").driver.__name__)
    assert rules_for("huawei_vrp8") is rules_for("huawei_vrp5")
