"""V6-DS-01 (dual stack on routed uplinks) per dialect: which interfaces are uplinks comes from the
small inventory, what they carry from the configuration; (rule, case) table."""

from __future__ import annotations

import pytest

from egovnet.audit.checks.uplinks import UplinkDualStackCheck
from egovnet.audit.engine import device_context
from egovnet.audit.model import Rule
from egovnet.audit.snapshot import Snapshot
from egovnet.inventory import Inventory

V4 = {
    "alpha-v01-sw-01": [("XGigabitEthernet0/0/1", "10.99.0.14 255.255.255.252")],
    "alpha-v02-sw-01": [("GigabitEthernet1/0/25", "10.99.0.18 255.255.255.252")],
    "core-02": [("100GE1/0/1", "10.99.0.2 255.255.255.252"), ("10GE1/0/1", "10.99.0.9 255.255.255.252")],
    "alpha-tn-01": [
        ("Ten-GigabitEthernet1/0/25", "10.99.0.6 255.255.255.252"),
        ("Ten-GigabitEthernet1/0/26", "10.99.0.10 255.255.255.252"),
        ("Ten-GigabitEthernet1/0/1", "10.99.0.13 255.255.255.252"),
        ("Ten-GigabitEthernet1/0/2", "10.99.0.17 255.255.255.252"),
    ],
}
DIALECT = {"alpha-v01-sw-01": "vrp5", "alpha-v02-sw-01": "ios", "core-02": "vrp8", "alpha-tn-01": "comware7"}


def config(device: str, v6: bool = True, enable: bool = True, skip: int = -1) -> str:
    dialect = DIALECT[device]
    lines = []
    for index, (name, address) in enumerate(V4[device]):
        lines.append(f"interface {name}")
        if v6 and enable and dialect.startswith("vrp"):
            lines.append(" ipv6 enable")
        lines.append(f" ip address {address}")
        if v6 and index != skip:
            lines.append(f" ipv6 address 2001:DB8:1001:{index + 1:X}::2/64")
        lines.append("#" if dialect != "ios" else "!")
    return "\n".join(lines) + "\n"


CASES = [
    (device, label, text, status)
    for device in V4
    for label, text, status in (
        ("dual-stack", config(device), "PASS"),
        ("IPv4 only", config(device, v6=False), "FAIL"),
        ("one uplink missing IPv6", config(device, skip=0), "FAIL"),
    )
] + [
    ("core-02", "VRP without ipv6 enable", config("core-02", enable=False), "FAIL"),
    ("alpha-v01-sw-01", "VRP without ipv6 enable", config("alpha-v01-sw-01", enable=False), "FAIL"),
    (
        "core-02",
        "address on the Eth-Trunk",
        "interface 100GE1/0/1\n eth-trunk 1\n#\ninterface Eth-Trunk1\n ipv6 enable\n ip address 10.99.0.2 "
        "255.255.255.252\n ipv6 address 2001:DB8:1001:1::2/64\n#\n" + config("core-02").split("#\n", 1)[1],
        "PASS",
    ),
]


@pytest.mark.parametrize(
    ("device", "label", "text", "status"), CASES, ids=[f"{DIALECT[c[0]]}-{c[1]}" for c in CASES]
)
def test_dual_stack_uplinks(
    rules: dict[str, Rule], small: Inventory, device: str, label: str, text: str, status: str
) -> None:
    check = rules["V6-DS-01"].check
    assert isinstance(check, UplinkDualStackCheck)
    outcome = check.evaluate(device_context(device, Snapshot(device, DIALECT[device], text), small))
    assert outcome.status == status, (outcome.message, outcome.evidence)
    assert outcome.evidence


def test_unknown_device_is_review(rules: dict[str, Rule], small: Inventory) -> None:
    check = rules["V6-DS-01"].check
    assert isinstance(check, UplinkDualStackCheck)
    context = device_context("stray", Snapshot("stray", "vrp5", config("alpha-v01-sw-01")), small)
    assert check.evaluate(context).status == "REVIEW"
