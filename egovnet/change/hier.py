"""Per-dialect hier_config 3.7 rules: (running, intended) -> remediation and rollback command lines.

hier_config's drivers know negation and little else for VRP and Comware, so each dialect here is a
driver subclass whose rules are typed data (``MatchRule``, ``IdempotentCommandsRule``,
``NegationSubRule``, ``OrderingRule``, ``PerLineSubRule``) plus four egovnet rule kinds hier_config
lacks, each applied by a few lines of code:

* **device defaults** (:attr:`DialectRules.defaults`): what a device prints but nobody configures
  (``interface NULL0``, the ``aaa`` default schemes, ``snmp-agent local-engineid``); left alone
  unless the intended config names them, so a remediation never tries to ``undo`` them;
* **implicit lines** (:attr:`DialectRules.implicit`): intended lines that restate a default
  (``undo telnet server enable``) and that many releases do not print; compared on neither side, so
  their absence is not drift, while the non-default form (``telnet server enable``) is still negated;
* **secrets** (:attr:`DialectRules.secrets`): values the device prints salted or encrypted
  (``cipher %^%#...``, ``$c$3$...``, IOS type 7); both sides are compared masked and the remediation
  is unmasked back to the intended line, so a present secret is converged and a missing one is pushed;
  rotating a secret is therefore an explicit operation, not drift;
* **write-only lines** (:attr:`DialectRules.write_only`): accepted but never printed (IOS
  ``snmp-server user``); kept out of the comparison and pushed right after their anchor line.

Why the idempotent rules matter: without them a changed description, address, NTP server option or
timeout is remediated as ``undo <old>`` then ``<new>``, which on a live uplink means a window without
an address; with them it is one in-place command. A changed *value* that names an object (an NTP
server's address, a loghost) is a different object and is still removed and added.

Example (VRP)::

    >>> running = "sysname A\\n#\\ninterface GigabitEthernet0/0/1\\n description old\\n#\\nreturn\\n"
    >>> intended = "sysname A\\n#\\ninterface GigabitEthernet0/0/1\\n description new\\n#\\nreturn\\n"
    >>> remediation("huawei_vrp5", running, intended)
    ['interface GigabitEthernet0/0/1', 'description new', 'quit']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from hier_config import HConfig, HConfigChild, WorkflowRemediation, get_hconfig
from hier_config.models import (
    IdempotentCommandsRule,
    MatchRule,
    NegationSubRule,
    OrderingRule,
    PerLineSubRule,
)
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverBase, HConfigDriverRules
from hier_config.platforms.hp_comware5.driver import HConfigDriverHPComware5
from hier_config.platforms.huawei_vrp.driver import HConfigDriverHuaweiVrp

from egovnet.platforms import platform as lookup_platform

#: What a masked secret looks like on both sides of a comparison.
MASK = "******"

Lineage = tuple[MatchRule, ...]


def _rx(pattern: str) -> MatchRule:
    return MatchRule(re_search=pattern)


def _sw(prefix: str | tuple[str, ...]) -> MatchRule:
    return MatchRule(startswith=prefix)


def _idem(*lineage: MatchRule) -> IdempotentCommandsRule:
    return IdempotentCommandsRule(match_rules=lineage)


def _neg(lineage: Lineage, search: str, replace: str) -> NegationSubRule:
    return NegationSubRule(match_rules=lineage, search=search, replace=replace)


def _order(weight: int, *lineage: MatchRule) -> OrderingRule:
    return OrderingRule(match_rules=lineage, weight=weight)


@dataclass(frozen=True)
class SecretRule:
    """A secret the device prints in a form that cannot be predicted: masked on both sides."""

    search: str
    replace: str


@dataclass(frozen=True)
class WriteOnlyRule:
    """A top-level line the device never prints; pushed right after its (top-level) anchor line.

    Attributes:
        line: prefix of the write-only line.
        anchor: prefix of the printed line it belongs to (pushed whenever the anchor is).
    """

    line: str
    anchor: str


@dataclass(frozen=True)
class DialectRules:
    """Everything egovnet adds to hier_config for one dialect (see the module docstring)."""

    driver: type[HConfigDriverBase]
    defaults: tuple[Lineage, ...] = ()
    implicit: tuple[Lineage, ...] = ()
    secrets: tuple[SecretRule, ...] = ()
    write_only: tuple[WriteOnlyRule, ...] = ()
    push_rewrites: tuple[PerLineSubRule, ...] = ()


# -- VRP (V5 and V8) ----------------------------------------------------------------------------
_BLOCK_SEPARATOR = "#"


def _dedent_blocks(text: str, drop: re.Pattern[str]) -> str:
    """VRP/Comware print global commands indented by one space inside ``#`` blocks.

    hier_config would read `` sysname X`` after an ``interface`` block as a child of that interface,
    so each ``#``-delimited block is dedented by its first line's indentation; ``#`` at column 0
    separates blocks, indented `` #`` lines (VRP V8 sub-blocks) are dropped with the other noise.
    """
    lines: list[str] = []
    base: int | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip()
        if not stripped:
            continue
        if line == _BLOCK_SEPARATOR:
            base = None
            continue
        if drop.match(line):
            continue
        indent = len(line) - len(stripped)
        if base is None:
            base = indent
        lines.append(" " * max(indent - base, 0) + stripped)
    return "\n".join(lines)


#: Printed, never configured: header comments, the trailer, and the sub-block separators.
_VRP_NOISE = re.compile(r"^(!.*|return|\s+#.*)$")
_COMWARE_NOISE = re.compile(r"^(!.*|return|\s+#.*|\s*version \d.*)$")

_VRP_IDEMPOTENT = [
    _idem(_sw("sysname ")),
    _idem(_sw("clock timezone ")),
    _idem(_sw("header login ")),
    _idem(_sw("interface "), _sw("description ")),
    _idem(_sw("interface "), _rx(r"^(ip address) \S+ \S+$")),
    _idem(_sw("interface "), _sw("ospf cost ")),
    _idem(_sw("interface "), _sw("ospfv3 cost ")),
    _idem(_sw("interface "), _sw("port link-type ")),
    _idem(_sw("interface "), _sw("port default vlan ")),
    _idem(_sw("interface "), _sw("mode lacp")),
    _idem(_sw("interface "), _rx(r"^(ospfv3 \d+) area ")),
    _idem(_sw("interface "), _rx(r"^vrrp vrid (\d+) priority ")),
    _idem(_sw("aaa"), _rx(r"^local-user (\S+) password ")),
    _idem(_sw("aaa"), _rx(r"^local-user (\S+) privilege level ")),
    _idem(_sw("aaa"), _rx(r"^local-user (\S+) level ")),
    _idem(_sw("aaa"), _rx(r"^local-user (\S+) service-type ")),
    _idem(_sw("aaa"), _rx(r"^local-user (\S+) state ")),
    _idem(_sw("aaa"), _sw("local-aaa-user wrong-password ")),
    _idem(_sw("aaa"), _sw("local-aaa-user password policy "), _sw("password expire ")),
    _idem(_sw("aaa"), _sw("local-aaa-user password policy "), _sw("password history record number ")),
    _idem(_rx(r"^(ospf \d+)")),
    _idem(_rx(r"^(ospf \d+)"), _sw("default-route-advertise")),
    _idem(_rx(r"^(ospfv3 \d+)"), _sw("router-id ")),
    _idem(_rx(r"^ntp-service unicast-server (\S+)")),
    _idem(_sw("ntp-service source-interface ")),
    _idem(_rx(r"^ntp-service authentication-keyid (\d+) ")),
    _idem(_rx(r"^ntp-service reliable authentication-keyid ")),
    _idem(_rx(r"^info-center loghost (\S+)")),
    _idem(_rx(r"^snmp-agent group v3 (\S+) ")),
    _idem(_rx(r"^snmp-agent usm-user v3 (\S+) group ")),
    _idem(_rx(r"^snmp-agent usm-user v3 (\S+) authentication-mode ")),
    _idem(_rx(r"^snmp-agent usm-user v3 (\S+) privacy-mode ")),
    _idem(_rx(r"^snmp-agent target-host trap address udp-domain (\S+) ")),
    _idem(_sw("snmp-agent trap source ")),
    _idem(_sw("snmp-agent sys-info contact ")),
    _idem(_sw("snmp-agent sys-info location ")),
    _idem(_sw("ssh server cipher ")),
    _idem(_sw("ssh server hmac ")),
    _idem(_sw("ssh server key-exchange ")),
    _idem(_sw("ssh server acl ")),
    _idem(_sw("ssh ipv6 server acl ")),
    _idem(_sw("ssh server authentication-retries ")),
    _idem(_rx(r"^ssh user (\S+) authentication-type ")),
    _idem(_rx(r"^ssh user (\S+) service-type ")),
    _idem(_rx(r"^(ip route-static \S+ \S+ \S+)")),
    _idem(_rx(r"^(ipv6 route-static \S+ \S+ \S+)")),
    _idem(_sw("user-interface "), _sw("idle-timeout ")),
    _idem(_sw("user-interface "), _sw("authentication-mode ")),
    _idem(_sw("user-interface "), _rx(r"^(acl(?: ipv6)?) \S+ inbound$")),
    _idem(_sw("nqa test-instance "), _sw("destination-address ")),
    _idem(_sw("nqa test-instance "), _sw("frequency ")),
    _idem(_sw("nqa test-instance "), _sw("probe-count ")),
    _idem(_rx(r"^(hrp interface \S+) ")),
    _idem(_rx(r"^(observe-port \d+) ")),
]

_VRP_NEGATION = [
    _neg((_sw("aaa"), _sw("local-user ")), r"^undo local-user (\S+) .*$", r"undo local-user \1"),
    _neg(
        (_rx(r"^snmp-agent usm-user v3 \S+ (authentication|privacy)-mode "),),
        r"^(undo snmp-agent usm-user v3 \S+ \S+-mode).*$",
        r"\1",
    ),
    _neg(
        (_sw("ntp-service authentication-keyid "),), r"^(undo ntp-service authentication-keyid \d+).*$", r"\1"
    ),
    _neg((_sw("ntp-service unicast-server "),), r"^(undo ntp-service unicast-server \S+).*$", r"\1"),
    _neg((_rx(r"^ipv?6? ?route-static "),), r"^(undo ip(?:v6)? route-static \S+ \S+ \S+).*$", r"\1"),
    _neg((_sw("header login "),), r"^(undo header login).*$", r"\1"),
    _neg((_sw("user-interface "), _sw("idle-timeout ")), r"^(undo idle-timeout).*$", r"\1"),
    _neg((_sw("interface "), _sw("ospf cost ")), r"^(undo ospf cost).*$", r"\1"),
    _neg((_sw("interface "), _sw("ospfv3 cost ")), r"^(undo ospfv3 cost).*$", r"\1"),
    _neg((_sw("hrp interface "),), r"^(undo hrp interface \S+).*$", r"\1"),
    _neg((_sw("observe-port "),), r"^(undo observe-port \d+).*$", r"\1"),
]

_VRP_ORDER = [
    # IPv6 on, ACLs, probes and the OSPFv3 process before the interfaces that use them; off last.
    _order(-20, _rx(r"^ipv6$")),
    _order(-10, _sw(("acl number ", "acl ipv6 number ", "nqa test-instance "))),
    _order(-5, _rx(r"^ospfv3 \d+")),
    _order(10, _rx(r"^undo (ipv6|ospfv3 \d+)$")),
    _order(10, _sw(("undo acl ", "undo nqa ", "undo interface Eth-Trunk"))),
    _order(-10, _sw("interface "), _sw(("undo portswitch", "undo eth-trunk"))),
    # Mirroring: the observe port exists before a port mirrors to it, and goes after the last one stops.
    _order(-10, _sw("observe-port ")),
    _order(10, _sw("undo observe-port ")),
    # Hot standby: the heartbeat (on an addressed port) before HRP is enabled; disabled before removed.
    _order(5, _sw("hrp interface ")),
    _order(6, _rx(r"^hrp enable$")),
    _order(-6, _rx(r"^undo hrp enable$")),
    _order(-5, _sw("undo hrp interface ")),
]


class HConfigDriverEgovnetVrp(HConfigDriverHuaweiVrp):
    """Huawei VRP V5 and V8 (``undo`` negation, ``quit`` exits) with egovnet's rules.

    Adds idempotent commands, negation forms VRP accepts, creation/removal order and the parsing
    of blocks printed with indented global commands.
    """

    @staticmethod
    def config_preprocessor(config_text: str) -> str:
        return _dedent_blocks(config_text, _VRP_NOISE)

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        base = HConfigDriverHuaweiVrp._instantiate_rules()
        return base.model_copy(
            update={
                "idempotent_commands": [*base.idempotent_commands, *_VRP_IDEMPOTENT],
                "negation_sub": [*base.negation_sub, *_VRP_NEGATION],
                "ordering": [*base.ordering, *_VRP_ORDER],
            }
        )


# -- Comware 7 -----------------------------------------------------------------------------------
_COMWARE_IDEMPOTENT = [
    _idem(_sw("sysname ")),
    _idem(_sw("clock timezone ")),
    _idem(_sw("header login ")),
    _idem(_sw("interface "), _sw("description ")),
    _idem(_sw("interface "), _rx(r"^(ip address) \S+ \S+$")),
    _idem(_sw("interface "), _sw("port link-mode ")),
    _idem(_sw("interface "), _sw("port access vlan ")),
    _idem(_sw("interface "), _sw("ospf cost ")),
    _idem(_sw("interface "), _sw("ospfv3 cost ")),
    _idem(_sw("interface "), _rx(r"^(ospfv3 \d+) area ")),
    _idem(_sw("interface "), _sw("link-aggregation mode ")),
    _idem(_sw("interface "), _rx(r"^vrrp vrid (\d+) priority ")),
    _idem(_sw("local-user "), _sw("password hash ")),
    _idem(_sw("local-user "), _sw("service-type ")),
    _idem(_sw("line "), _sw("idle-timeout ")),
    _idem(_sw("line "), _sw("authentication-mode ")),
    _idem(_sw("line "), _sw("protocol inbound ")),
    _idem(_sw("password-control length ")),
    _idem(_sw("password-control aging ")),
    _idem(_sw("password-control history ")),
    _idem(_sw("password-control composition ")),
    _idem(_sw("password-control login-attempt ")),
    _idem(_rx(r"^(ospf \d+)")),
    _idem(_rx(r"^(ospf \d+)"), _sw("default-route-advertise")),
    _idem(_rx(r"^(ospfv3 \d+)"), _sw("router-id ")),
    _idem(_rx(r"^ntp-service unicast-server (\S+)")),
    _idem(_sw("ntp-service source ")),
    _idem(_rx(r"^ntp-service authentication-keyid (\d+) ")),
    _idem(_rx(r"^ntp-service reliable authentication-keyid ")),
    _idem(_rx(r"^info-center loghost (\S+)")),
    _idem(_rx(r"^snmp-agent group v3 (\S+) ")),
    _idem(_rx(r"^snmp-agent usm-user v3 (\S+) ")),
    _idem(_rx(r"^snmp-agent target-host trap address udp-domain (\S+) ")),
    _idem(_sw("snmp-agent trap source ")),
    _idem(_sw("ssh server acl ")),
    _idem(_sw("ssh server ipv6 acl ")),
    _idem(_sw("ssh2 algorithm cipher ")),
    _idem(_sw("ssh2 algorithm mac ")),
    _idem(_rx(r"^(ip route-static \S+ \S+ \S+)")),
    _idem(_rx(r"^(ipv6 route-static \S+ \S+ \S+)")),
    _idem(_rx(r"^(track \d+) ")),
    _idem(_rx(r"^nqa schedule (\S+ \S+) ")),
    _idem(_sw("nqa entry "), _sw("type "), _sw("destination ip ")),
    _idem(_sw("nqa entry "), _sw("type "), _sw("frequency ")),
]

_COMWARE_NEGATION = [
    _neg((_sw("interface "), _sw("description ")), r"^undo description .*$", "undo description"),
    _neg((_sw("snmp-agent usm-user v3 "),), r"^(undo snmp-agent usm-user v3 \S+).*$", r"\1"),
    _neg(
        (_sw("ntp-service authentication-keyid "),), r"^(undo ntp-service authentication-keyid \d+).*$", r"\1"
    ),
    _neg((_sw("ntp-service unicast-server "),), r"^(undo ntp-service unicast-server \S+).*$", r"\1"),
    _neg((_rx(r"^ipv?6? ?route-static "),), r"^(undo ip(?:v6)? route-static \S+ \S+ \S+).*$", r"\1"),
    _neg((_sw("header login "),), r"^(undo header login).*$", r"\1"),
    _neg((_sw("line "), _sw("idle-timeout ")), r"^(undo idle-timeout).*$", r"\1"),
    _neg((_sw("interface "), _sw("ospf cost ")), r"^(undo ospf cost).*$", r"\1"),
    _neg((_sw("interface "), _sw("ospfv3 cost ")), r"^(undo ospfv3 cost).*$", r"\1"),
    _neg((_sw("password-control "),), r"^(undo password-control \S+).*$", r"\1"),
]

_COMWARE_ORDER = [
    _order(-10, _sw(("acl ", "nqa entry ", "nqa schedule "))),
    _order(-5, _rx(r"^ospfv3 \d+")),
    _order(10, _rx(r"^undo ospfv3 \d+$")),
    _order(-5, _sw("track ")),
    _order(10, _sw(("undo acl ", "undo nqa ", "undo track ", "undo interface Route-Aggregation"))),
    _order(-10, _sw("interface "), _sw("port link-mode ")),
]


class HConfigDriverEgovnetComware(HConfigDriverHPComware5):
    """H3C Comware 7: hier_config's Comware 5 driver (``undo`` only) with ``quit`` exits and rules."""

    @staticmethod
    def config_preprocessor(config_text: str) -> str:
        return _dedent_blocks(config_text, _COMWARE_NOISE)

    def sectional_exit(self, config: HConfigChild) -> str | None:
        result = super().sectional_exit(config)
        return "quit" if result == "exit" else result

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        return HConfigDriverRules(
            per_line_sub=[PerLineSubRule(search=r"^\s*[#!].*", replace="")],
            idempotent_commands=_COMWARE_IDEMPOTENT,
            negation_sub=_COMWARE_NEGATION,
            ordering=_COMWARE_ORDER,
        )


# -- Cisco IOS -----------------------------------------------------------------------------------
_IOS_IDEMPOTENT = [
    _idem(_sw("hostname ")),
    _idem(_sw("clock timezone ")),
    _idem(_sw("ip domain name ")),
    _idem(_sw("banner login ")),
    _idem(_sw("security passwords min-length ")),
    _idem(_sw("login block-for ")),
    _idem(_sw("logging buffered ")),
    _idem(_sw("logging source-interface ")),
    _idem(_rx(r"^logging host (\S+)")),
    _idem(_rx(r"^username (\S+) ")),
    _idem(_sw("ip ssh version ")),
    _idem(_sw("ip ssh time-out ")),
    _idem(_sw("ip ssh server algorithm encryption ")),
    _idem(_sw("ip ssh server algorithm mac ")),
    _idem(_sw("interface "), _sw("ip ospf cost ")),
    _idem(_sw("interface "), _sw("ipv6 ospf cost ")),
    _idem(_sw("interface "), _rx(r"^(ipv6 ospf \d+) area ")),
    _idem(_sw("interface "), _sw("switchport access vlan ")),
    _idem(_sw("interface "), _rx(r"^channel-group \d+ mode ")),
    _idem(_sw("interface "), _rx(r"^vrrp (\d+) priority ")),
    _idem(_sw("router ospf "), _sw("router-id ")),
    _idem(_sw("ipv6 router ospf "), _sw("router-id ")),
    _idem(_rx(r"^ntp server (\S+)")),
    _idem(_sw("ntp source ")),
    _idem(_rx(r"^ntp authentication-key (\d+) ")),
    _idem(_rx(r"^snmp-server group (\S+) v3 ")),
    _idem(_rx(r"^snmp-server host (\S+) ")),
    _idem(_sw("snmp-server trap-source ")),
    _idem(_rx(r"^(ip route \S+ \S+ \S+)")),
    _idem(_rx(r"^(ipv6 route \S+ \S+)")),
    _idem(_rx(r"^(track \d+) ")),
    _idem(_rx(r"^ip sla schedule (\d+) ")),
    _idem(_sw("ip sla "), _sw("icmp-echo ")),
    _idem(_sw("ip sla "), _sw("frequency ")),
    _idem(_sw("line "), _sw("exec-timeout ")),
    _idem(_sw("line "), _sw("transport input ")),
    _idem(_sw("line "), _rx(r"^(access-class) \S+ in$")),
    _idem(_sw("line "), _rx(r"^(ipv6 access-class) \S+ in$")),
]

_IOS_NEGATION = [
    _neg((_sw("ntp authentication-key "),), r"^(no ntp authentication-key \d+).*$", r"\1"),
    _neg((_sw("banner "),), r"^(no banner \S+).*$", r"\1"),
    _neg((_sw("username "),), r"^(no username \S+).*$", r"\1"),
    _neg((_sw("line "), _sw("exec-timeout ")), r"^(no exec-timeout).*$", r"\1"),
]

_IOS_ORDER = [
    _order(-10, _sw(("ip access-list ", "ipv6 access-list ", "ip sla "))),
    _order(-5, _sw("track ")),
    _order(10, _sw(("no ip access-list ", "no ipv6 access-list ", "no ip sla ", "no track "))),
    _order(-20, _sw("interface "), _sw("no switchport")),
]


class HConfigDriverEgovnetIOS(HConfigDriverCiscoIOS):
    """Cisco IOS: hier_config's IOS driver with egovnet's idempotent, negation and ordering rules."""

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        base = HConfigDriverCiscoIOS._instantiate_rules()
        return base.model_copy(
            update={
                "idempotent_commands": [*base.idempotent_commands, *_IOS_IDEMPOTENT],
                "negation_sub": [*base.negation_sub, *_IOS_NEGATION],
                "ordering": [*base.ordering, *_IOS_ORDER],
            }
        )


# -- the dialect table ---------------------------------------------------------------------------
_VRP = DialectRules(
    driver=HConfigDriverEgovnetVrp,
    defaults=(
        (_rx(r"^interface (NULL0|Vlanif1)$"),),
        (_sw("snmp-agent local-engineid "),),
        (_sw("snmp-agent protocol source-status "),),
        (_sw(("authentication-profile name ", "dot1x-access-profile name ", "mac-access-profile name ")),),
        (_sw(("portal-access-profile name ", "free-rule-template name ", "radius-server template default")),),
        (
            _rx(
                r"^(diffserv domain default|drop-profile default|pki realm default|ops|domain default_admin)$"
            ),
        ),
        (_rx(r"^(ssh server-source|http server-source|telnet server-source) "),),
        (
            _sw("aaa"),
            _sw(("authentication-scheme ", "authorization-scheme ", "accounting-scheme ", "domain ")),
        ),
        (_sw("user-interface maximum-vty "),),
    ),
    implicit=(
        (_rx(r"^undo (telnet( ipv6)? server|http server|http secure-server|ftp( ipv6)? server) enable$"),),
        (_rx(r"^hrp auto-sync$"),),
    ),
    secrets=(
        SecretRule(
            r"^(snmp-agent usm-user v3 \S+ (?:authentication|privacy)-mode \S+) cipher \S+$",
            rf"\1 cipher {MASK}",
        ),
        SecretRule(
            r"^(ntp-service authentication-keyid \d+ authentication-mode \S+) cipher \S+$",
            rf"\1 cipher {MASK}",
        ),
    ),
)

_COMWARE = DialectRules(
    driver=HConfigDriverEgovnetComware,
    defaults=(
        (_rx(r"^interface NULL0$"),),
        (_rx(r"^vlan 1$"),),
        (_sw("snmp-agent local-engineid "),),
        (_sw(("line class ", "radius scheme system", "domain system", "domain default enable system")),),
        (
            _sw(
                (
                    "role name level-",
                    "user-group system",
                    "scheduler logfile size ",
                    "irf ",
                    "system-working-mode ",
                )
            ),
        ),
        (_rx(r"^(password-recovery enable|lldp global enable|stp global enable)$"),),
        (_rx(r"^undo copyright-info enable$"),),
    ),
    implicit=((_rx(r"^undo (telnet server enable|ip http enable|ip https enable|ftp server enable)$"),),),
    secrets=(
        SecretRule(
            r"^(snmp-agent usm-user v3 \S+ \S+) (?:simple|cipher) "
            r"(authentication-mode \S+) \S+ (privacy-mode \S+) \S+",
            rf"\1 cipher \2 {MASK} \3 {MASK}",
        ),
        SecretRule(
            r"^(ntp-service authentication-keyid \d+ authentication-mode \S+) (?:simple|cipher) \S+$",
            rf"\1 cipher {MASK}",
        ),
    ),
)

_IOS = DialectRules(
    driver=HConfigDriverEgovnetIOS,
    defaults=(
        (_rx(r"^(boot-start-marker|boot-end-marker|ip cef|redundancy|control-plane)$"),),
        (_rx(r"^ip forward-protocol nd$"),),
        (
            _sw(
                (
                    "spanning-tree ",
                    "vlan internal allocation ",
                    "license ",
                    "diagnostic ",
                    "system mtu ",
                    "memory ",
                )
            ),
        ),
        (_sw(("crypto pki ", "enable secret ", "enable password ", "errdisable ")),),
        (_rx(r"^interface Vlan1$"),),
    ),
    implicit=((_rx(r"^no (ip http server|ip http secure-server|service pad)$"),),),
    secrets=(SecretRule(r"^(ntp authentication-key \d+ \S+) \S+(?: \d+)?$", rf"\1 {MASK}"),),
    write_only=(WriteOnlyRule(line="snmp-server user ", anchor="snmp-server group "),),
    push_rewrites=(
        # `show running-config` prints a banner's ETX delimiter as "^C"; typed, "^" would be the delimiter.
        PerLineSubRule(search=r"^(banner \S+) \^C(.*)\^C$", replace=r"\1 #\2#"),
    ),
)

RULES: dict[str, DialectRules] = {"vrp5": _VRP, "vrp8": _VRP, "comware7": _COMWARE, "ios": _IOS}


def rules_for(platform: str) -> DialectRules:
    """The rules of an inventory platform (``huawei_vrp5`` ...); refuses platforms without a CLI."""
    dialect = lookup_platform(platform).dialect
    if dialect is None or dialect not in RULES:
        raise ValueError(f"platform {platform!r} has no CLI dialect to remediate")
    return RULES[dialect]


# -- preparing both sides ------------------------------------------------------------------------
@dataclass
class Prepared:
    """A parsed config with egovnet's rules applied, and what is needed to undo the masking."""

    config: HConfig
    originals: dict[tuple[str, ...], str] = field(default_factory=dict)
    write_only: list[str] = field(default_factory=list)


def _matches(child: HConfigChild, lineage: Lineage) -> bool:
    return child.is_lineage_match(lineage)


def prepare(platform: str, text: str) -> Prepared:
    """Parse device text (running or intended) and apply masking, implicit and write-only rules."""
    rules = rules_for(platform)
    prepared = Prepared(get_hconfig(rules.driver(), text))
    for child in tuple(prepared.config.all_children()):
        if any(_matches(child, lineage) for lineage in rules.implicit):
            child.delete()
            continue
        for secret in rules.secrets:
            masked = re.sub(secret.search, secret.replace, child.text)
            if masked != child.text:
                prepared.originals[(*tuple(child.path())[:-1], masked)] = child.text
                child.text = masked
    for child in tuple(prepared.config.children):
        if any(child.text.startswith(rule.line) for rule in rules.write_only):
            prepared.write_only.append(child.text)
            child.delete()
    return prepared


def _prune_defaults(platform: str, running: HConfig, intended: HConfig) -> None:
    """Drop device-default lines from running unless the intended config names them."""
    for lineage in rules_for(platform).defaults:
        for child in tuple(running.get_children_deep(lineage)):
            if _find(intended, tuple(child.path())) is None:
                child.delete()


def _find(config: HConfig, path: tuple[str, ...]) -> HConfigChild | None:
    node: HConfig | HConfigChild | None = config
    for text in path:
        node = node.get_child(equals=text) if node is not None else None
    return node if isinstance(node, HConfigChild) else None


def workflow(platform: str, running: str, intended: str) -> tuple[WorkflowRemediation, Prepared, Prepared]:
    """hier_config's workflow over both sides prepared with egovnet's rules."""
    run, want = prepare(platform, running), prepare(platform, intended)
    _prune_defaults(platform, run.config, want.config)
    return WorkflowRemediation(run.config, want.config), run, want


# -- flat command lines ----------------------------------------------------------------------------
def _flatten(node: HConfig | HConfigChild, originals: dict[tuple[str, ...], str]) -> Iterator[str]:
    seen: set[str] = set()
    for child in sorted(node.children):
        text = originals.get(tuple(child.path()), child.text)
        if text in seen:  # several removed lines can negate to one command (`undo local-user X`)
            continue
        seen.add(text)
        yield text
        if child.children:
            yield from _flatten(child, originals)
            if exit_text := child.sectional_exit:
                yield exit_text


def _commands(
    platform: str, config: HConfig, originals: dict[tuple[str, ...], str], extra: list[str]
) -> list[str]:
    rules = rules_for(platform)
    lines: list[str] = []
    for line in _flatten(config, originals):
        lines.append(line)
        if extra and any(line.startswith(rule.anchor) for rule in rules.write_only):
            lines += extra
    for rewrite in rules.push_rewrites:
        lines = [re.sub(rewrite.search, rewrite.replace, line) for line in lines]
    leaked = [line for line in lines if MASK in line]
    if leaked:
        raise ValueError(f"masked secret would be pushed: {leaked[0].split()[0]} ... (no rule to unmask it)")
    return lines


def remediation(platform: str, running_text: str, intended_text: str) -> list[str]:
    """Commands that turn ``running`` into ``intended``, flat with sectional exits (for netmiko)."""
    flow, run, want = workflow(platform, running_text, intended_text)
    originals = {**run.originals, **want.originals}
    return _commands(platform, flow.remediation_config, originals, want.write_only)


def rollback(platform: str, running_text: str, intended_text: str) -> list[str]:
    """Commands that restore ``running`` after ``intended`` has been applied."""
    flow, run, want = workflow(platform, running_text, intended_text)
    originals = {**want.originals, **run.originals}
    return _commands(platform, flow.rollback_config, originals, [])


def is_converged(platform: str, running: str, intended: str) -> bool:
    """True when the device already prints what is intended (nothing left to remediate)."""
    flow, _, _ = workflow(platform, running, intended)
    return not flow.remediation_config.children
