"""The probe's rules as data: one row per kind of finding, with its severity and standard ids.

A detector or an active check names the rule it fires; everything the NOC needs to route, rank and
explain the alert (ATT&CK technique, MLPS 2.0 clause, category, remediation) comes from this table,
so the ids are written once and a new detector cannot forget one. ATT&CK ids follow the Enterprise
matrix (T1557.002 ARP cache poisoning, T1557.003 DHCP spoofing, T1046 network service discovery,
...); MLPS clauses are GB/T 22239-2019 level-3 items (research note security.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "major", "minor", "warning", "info"]

#: Severity order, most severe first (index = rank); also the situation score's weights.
SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """One kind of finding.

    Attributes:
        id: stable rule id (``NET-RA-001``); part of every fingerprint, never reused.
        name: one-line English name.
        detector: the detector or active check that fires it.
        category: ``probe.passive.l2``, ``probe.passive.l3``, ``probe.active``.
        severity: default severity (a detector may raise or lower one finding).
        attack: ATT&CK technique ids.
        mlps: GB/T 22239-2019 clauses the finding is evidence for.
        remediation: what the NOC engineer does about it.
    """

    id: str
    name: str
    detector: str
    category: str
    severity: Severity
    attack: tuple[str, ...]
    mlps: tuple[str, ...]
    remediation: str


_L2 = "probe.passive.l2"
_L3 = "probe.passive.l3"
_ACTIVE = "probe.active"
_RA_FIX = "enable RA guard (nd raguard / ipv6 nd raguard) with role host on access ports; locate the MAC"
_DHCP_FIX = "enable DHCP snooping with trusted uplinks only; locate the MAC (display mac-address)"
_ARP_FIX = "enable dynamic ARP inspection / arp anti-attack on the access VLAN; locate the MAC"
_MGMT_FIX = (
    "disable the cleartext service (undo telnet server enable, undo http server enable); use SSH/SNMPv3"
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("NET-RA-001", "Rogue IPv6 router advertisement", "ra", _L2, "critical", ("T1557",),
             ("8.1.3.3b",), _RA_FIX),
        Rule("NET-RA-002", "IPv6 router advertisement flood", "ra", _L2, "major", ("T1498", "T1557"),
             ("8.1.3.3b",), _RA_FIX),
        Rule("NET-RA-003", "Router advertisement hidden behind IPv6 extension headers or fragments", "ra",
             _L2, "major", ("T1557",), ("8.1.3.3b",), _RA_FIX + "; drop fragmented ND (RFC 6980)"),
        Rule("NET-DHCP6-001", "Rogue DHCPv6 server", "dhcp6", _L2, "critical", ("T1557.003",),
             ("8.1.3.3b",), _DHCP_FIX + " (DHCPv6 snooping / dhcpv6 guard)"),
        Rule("NET-ARP-001", "ARP spoofing of a gateway", "arp", _L2, "critical", ("T1557.002",),
             ("8.1.3.3b",), _ARP_FIX),
        Rule("NET-ARP-002", "IP address changed or flip-flopped between MAC addresses", "arp", _L2, "major",
             ("T1557.002",), ("8.1.3.3b",), _ARP_FIX),
        Rule("NET-ARP-003", "One MAC address claims several IP addresses", "arp", _L2, "major",
             ("T1557.002",), ("8.1.3.3b",), _ARP_FIX),
        Rule("NET-ARP-004", "ARP scan", "arp", _L2, "minor", ("T1018",), ("8.1.3.3b",),
             "find the scanning host; allow-list NMS discovery in monitors/probes.yml"),
        Rule("NET-ARP-005", "Ethernet source differs from the ARP sender address", "arp", _L2, "minor",
             ("T1557.002",), ("8.1.3.3b",), _ARP_FIX),
        Rule("NET-DHCP-001", "Rogue DHCP server", "dhcp", _L2, "critical", ("T1557.003",), ("8.1.3.3b",),
             _DHCP_FIX),
        Rule("NET-MGMT-001", "Telnet to a network device", "cleartext", _L3, "major", ("T1040",),
             ("8.1.4.1c",), _MGMT_FIX),
        Rule("NET-MGMT-002", "HTTP management of a network device", "cleartext", _L3, "major", ("T1040",),
             ("8.1.4.1c",), _MGMT_FIX),
        Rule("NET-MGMT-003", "FTP to a network device", "cleartext", _L3, "major", ("T1040",),
             ("8.1.4.1c",), _MGMT_FIX + "; copy files with SFTP/SCP"),
        Rule("NET-MGMT-004", "TFTP transfer with a network device", "cleartext", _L3, "major",
             ("T1602.002",), ("8.1.4.1c",), "move configuration transfers to SFTP/SCP"),
        Rule("NET-MGMT-005", "SNMPv1/v2c to a network device", "cleartext", _L3, "minor", ("T1602.001",),
             ("8.1.4.1c",), "move polling to SNMPv3 authPriv and remove v1/v2c communities"),
        Rule("NET-MGMT-006", "SNMP with a default community to a network device", "cleartext", _L3,
             "critical", ("T1602.001",), ("8.1.4.1c", "8.1.4.1a"),
             "remove the default community (undo snmp-agent community ...); use SNMPv3 authPriv"),
        Rule("NET-SCAN-001", "Port scan", "scan", _L3, "major", ("T1046",), ("8.1.3.3b",),
             "find the scanning host; allow-list approved scanners in monitors/probes.yml"),
        Rule("NET-SCAN-002", "Address scan", "scan", _L3, "major", ("T1046",), ("8.1.3.3b",),
             "find the scanning host; allow-list approved scanners in monitors/probes.yml"),
        Rule("NET-DNS-001", "DNS query for an indicator of compromise", "dns_ioc", _L3, "critical",
             ("T1071.004",), ("8.1.3.3b", "8.1.3.4"), "isolate the client and check it for malware"),
        Rule("NET-DNS-002", "DNS tunnelling", "dns_tunnel", _L3, "major", ("T1572", "T1071.004"),
             ("8.1.3.3b",), "isolate the client; sinkhole the domain at the county resolver"),
        Rule("ACT-EXPO-001", "Management service reachable from a zone the access matrix forbids",
             "exposure", _ACTIVE, "major", ("T1021",), ("8.1.3.2a", "8.1.4.1c"),
             "restrict the service with an ACL on the VTY / SNMP agent to the management sources"),
        Rule("ACT-EXPO-002", "Cleartext management service answers", "exposure", _ACTIVE, "major",
             ("T1040", "T1021"), ("8.1.4.1c",), _MGMT_FIX),
        Rule("ACT-SNMP-001", "Device answers a default SNMP community", "snmp_default", _ACTIVE, "critical",
             ("T1602.001",), ("8.1.4.1a", "8.1.4.1c"),
             "remove the default community (undo snmp-agent community ...); use SNMPv3 authPriv"),
        Rule("ACT-SNMP-002", "Device answers SNMPv1/v2c", "snmp_default", _ACTIVE, "minor", ("T1602.001",),
             ("8.1.4.1c",), "remove v1/v2c communities; use SNMPv3 authPriv"),
        Rule("ACT-RAG-001", "RA guard lets a router advertisement through", "ra_guard", _ACTIVE, "major",
             ("T1557",), ("8.1.3.3b",), _RA_FIX + "; also drop RAs with extension headers (RFC 7113)"),
        Rule("ACT-DHCP-001", "Rogue DHCP server answers a discover", "dhcp_sweep", _ACTIVE, "critical",
             ("T1557.003",), ("8.1.3.3b",), _DHCP_FIX),
        Rule("ACT-FW-001", "Traffic the access policy denies is delivered", "fw_policy", _ACTIVE, "major",
             ("T1021",), ("8.1.3.2a", "8.1.3.2b"), "add the deny rule on the zone firewall / ACL"),
        Rule("ACT-FW-002", "Traffic the access policy allows is blocked", "fw_policy", _ACTIVE, "warning",
             (), ("8.1.3.2a",), "check the firewall policy against the approved access matrix"),
    )
}  # fmt: skip


def rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` (KeyError names the unknown id)."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown probe rule {rule_id!r}") from None
