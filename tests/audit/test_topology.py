"""Redundancy, bandwidth and coverage rules over inventories and state snapshots, as (rule, case) tables.

The small test inventory (core pair, township ``alpha`` dual-homed to both cores, two single-homed
villages, one single-homed department) is copied and edited per case; state comes from hand-made
snapshots, as a live run would produce them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from egovnet.audit.engine import audit
from egovnet.audit.model import Policy, Rule
from egovnet.audit.results import Finding
from egovnet.audit.snapshot import InterfaceState, Neighbor, Snapshot
from egovnet.inventory import Inventory, load_inventory

Edit = Callable[[dict[str, Any]], None]


def _hosts(data: dict[str, Any]) -> dict[str, Any]:
    """Every host mapping of the small inventory's hosts.yml, by name."""
    found: dict[str, Any] = {}

    def walk(group: dict[str, Any]) -> None:
        found.update(group.get("hosts") or {})
        for child in (group.get("children") or {}).values():
            walk(child or {})

    walk(data["all"])
    return found


def edited(small_copy: Path, edit: Edit) -> Inventory:
    path = small_copy / "hosts.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(_hosts(data))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_inventory(small_copy)


def drop_backup(hosts: dict[str, Any]) -> None:
    hosts["alpha-tn-01"]["uplinks"] = [u for u in hosts["alpha-tn-01"]["uplinks"] if u["role"] != "backup"]


def run_rule(rule: Rule, inventory: Inventory, snapshots: dict[str, Snapshot] | None = None) -> list[Finding]:
    policy = Policy(name="t", title={"zh": "测试", "en": "test"}, rules=[rule])  # type: ignore[arg-type]
    snapshots = snapshots or {}
    run = audit(
        [policy], snapshots, inventory, mode="live" if snapshots else "offline", scope=list(inventory.devices)
    )
    return run.findings


def one(findings: list[Finding], entity: str) -> Finding:
    matches = [f for f in findings if f.entity == entity]
    assert len(matches) == 1, [f.entity for f in findings]
    return matches[0]


def evidence(finding: Finding) -> str:
    return "\n".join(e.text for e in finding.evidence)


# -- redundancy -----------------------------------------------------------------------------------------
def test_dual_homed_township_has_no_single_point_of_failure(rules: dict[str, Rule], small: Inventory) -> None:
    finding = one(run_rule(rules["RED-SPOF-01"], small), "alpha")
    assert finding.status == "PASS", finding.message


def test_removing_the_backup_link_names_the_single_point_of_failure(
    rules: dict[str, Rule], small_copy: Path
) -> None:
    inventory = edited(small_copy, drop_backup)
    finding = one(run_rule(rules["RED-SPOF-01"], inventory), "alpha")
    assert finding.status == "FAIL"
    text = evidence(finding)
    assert "single point of failure: core-01 (core)" in text
    assert "single link to the core: alpha-tn-01 Ten-GigabitEthernet1/0/25 -- core-01 10GE1/0/1" in text
    homed = one(run_rule(rules["RED-HOME-01"], inventory), "alpha-tn-01")
    assert homed.status == "FAIL" and "single-homed" in homed.message


def test_single_homed_village_and_department(rules: dict[str, Rule], small: Inventory) -> None:
    village = one(run_rule(rules["RED-SPOF-02"], small), "alpha_v01")
    assert village.status == "FAIL"
    assert "alpha-tn-01" in village.message
    department = one(run_rule(rules["RED-SPOF-01"], small), "dept_edu")
    assert department.status == "FAIL" and "core-01" in department.message


def test_a_second_uplink_clears_the_village(rules: dict[str, Rule], small_copy: Path) -> None:
    def second_uplink(hosts: dict[str, Any]) -> None:
        hosts["alpha-v01-sw-01"]["uplinks"].append(
            {
                "interface": "XGigabitEthernet0/0/2",
                "peer": "core-02",
                "peer_interface": "10GE1/0/9",
                "speed": 1000,
                "medium": "fibre",
                "role": "backup",
                "ipv4": "10.99.0.26/30",
                "peer_ipv4": "10.99.0.25/30",
            }
        )

    inventory = edited(small_copy, second_uplink)
    assert one(run_rule(rules["RED-SPOF-02"], inventory), "alpha_v01").status == "PASS"


def _lldp(device: str, seen: list[tuple[str, str, str]]) -> Snapshot:
    return Snapshot(device, "comware7", interfaces={}, lldp=[Neighbor(*n) for n in seen])


def test_a_planned_link_lldp_does_not_see_counts_as_missing(rules: dict[str, Rule], small: Inventory) -> None:
    snapshots = {
        "alpha-tn-01": _lldp("alpha-tn-01", [("XGE1/0/25", "core-01", "10GE1/0/1")]),
        "core-02": _lldp("core-02", [("100GE1/0/1", "core-01", "100GE1/0/1")]),
        "core-01": _lldp(
            "core-01", [("10GE1/0/1", "alpha-tn-01", "XGE1/0/25"), ("100GE1/0/1", "core-02", "x")]
        ),
    }
    spof = one(run_rule(rules["RED-SPOF-01"], small, snapshots), "alpha")
    assert spof.status == "FAIL" and "core-01" in spof.message
    lldp = one(run_rule(rules["RED-LLDP-01"], small, snapshots), "alpha-tn-01")
    assert lldp.status == "FAIL"
    assert (
        "planned, not seen by LLDP: alpha-tn-01 Ten-GigabitEthernet1/0/26 -- core-02 10GE1/0/1"
        in evidence(lldp)
    )
    assert one(run_rule(rules["RED-LLDP-01"], small, snapshots), "core-02").status == "FAIL"
    assert one(run_rule(rules["RED-LLDP-01"], small, snapshots), "core-01").status == "PASS"


def test_an_unplanned_lldp_neighbour_fails(rules: dict[str, Rule], small: Inventory) -> None:
    snapshots = {
        "alpha-v01-sw-01": _lldp("alpha-v01-sw-01", [("XGigabitEthernet0/0/1", "alpha-tn-01", "x")]),
        "dept-edu-sw-01": _lldp("dept-edu-sw-01", [("XGigabitEthernet0/0/9", "alpha-v01-sw-01", "y")]),
    }
    finding = one(run_rule(rules["RED-LLDP-01"], small, snapshots), "dept-edu-sw-01")
    assert finding.status == "FAIL" and "not in the plan" in evidence(finding)


def test_lldp_is_review_offline(rules: dict[str, Rule], small: Inventory) -> None:
    snapshots = {"core-01": Snapshot("core-01", "vrp8", "sysname core-01\n")}
    policy = Policy(name="t", title={"zh": "测试", "en": "test"}, rules=[rules["RED-LLDP-01"]])  # type: ignore[arg-type]
    run = audit([policy], snapshots, small, mode="offline")
    assert one(run.findings, "core-01").status == "REVIEW"


HA_CASES: list[tuple[str, Edit, str, str]] = [
    ("core pair linked", lambda h: None, "PASS", "paired with core-02"),
    ("one-sided ha_peer", lambda h: h["core-01"].update(ha_peer="core-02"), "FAIL", "does not name core-01"),
    (
        "partner elsewhere",
        lambda h: (
            h["core-01"].update(ha_peer="dept-edu-sw-01"),
            h["dept-edu-sw-01"].update(ha_peer="core-01"),
        ),
        "FAIL",
        "stands at dept_edu",
    ),
    (
        "no peer link",
        lambda h: h["core-02"].update(uplinks=[]),
        "FAIL",
        "no direct link",
    ),
]


@pytest.mark.parametrize(("case", "edit", "status", "text"), HA_CASES, ids=[c[0] for c in HA_CASES])
def test_ha_pairs(
    rules: dict[str, Rule], small_copy: Path, case: str, edit: Edit, status: str, text: str
) -> None:
    inventory = edited(small_copy, edit)
    finding = one(run_rule(rules["RED-HA-01"], inventory), "core-01")
    assert finding.status == status
    assert text in finding.message or text in evidence(finding)


def test_cores_without_an_ids_tap_fail(rules: dict[str, Rule], small: Inventory, county: Inventory) -> None:
    assert one(run_rule(rules["IDS-TAP-01"], small), "core-01").status == "FAIL"
    finding = one(run_rule(rules["IDS-TAP-01"], county), "qm-core-01")
    assert finding.status == "PASS" and "qm-ids-01" in evidence(finding)


# -- bandwidth ------------------------------------------------------------------------------------------
def _state(device: str, name: str, up: bool, speed: int | None) -> Snapshot:
    return Snapshot(device, "comware7", interfaces={name: InterfaceState(name, True, up, speed)}, lldp=[])


SPEED_CASES = [
    ("at tier", True, 1000, "PASS"),
    ("above tier", True, 10000, "PASS"),
    ("below tier", True, 100, "FAIL"),
    ("down", False, 1000, "FAIL"),
    ("no speed reported", True, None, "REVIEW"),
]


@pytest.mark.parametrize(("case", "up", "speed", "status"), SPEED_CASES, ids=[c[0] for c in SPEED_CASES])
def test_township_uplink_speed(
    rules: dict[str, Rule], small: Inventory, case: str, up: bool, speed: int | None, status: str
) -> None:
    snapshots = {"alpha-tn-01": _state("alpha-tn-01", "Ten-GigabitEthernet1/0/25", up, speed)}
    finding = one(run_rule(rules["BW-TWN-01"], small, snapshots), "alpha-tn-01:Ten-GigabitEthernet1/0/25")
    assert finding.status == status, finding.message


def test_link_speed_offline_is_review_unless_planned_too_slow(
    rules: dict[str, Rule], small_copy: Path
) -> None:
    inventory = load_inventory(small_copy)
    assert (
        one(run_rule(rules["BW-TWN-01"], inventory), "alpha-tn-01:Ten-GigabitEthernet1/0/26").status
        == "REVIEW"
    )
    slow = edited(small_copy, lambda h: h["alpha-tn-01"]["uplinks"][1].update(speed=100))
    finding = one(run_rule(rules["BW-TWN-01"], slow), "alpha-tn-01:Ten-GigabitEthernet1/0/26")
    assert finding.status == "FAIL" and "planned at 100 Mb/s" in finding.message


def test_county_uplinks_tier(rules: dict[str, Rule], county: Inventory) -> None:
    findings = run_rule(rules["BW-CTY-01"], county)
    assert {f.entity for f in findings} >= {"qm-egress-01:10GE0/1/0", "qm-fw-01:XGigabitEthernet1/0/0"}
    assert all(f.status == "REVIEW" for f in findings)  # planned at tier, no state offline
    assert not any(f.entity.startswith("qishan") for f in findings)


# -- coverage -------------------------------------------------------------------------------------------
COVERAGE_CASES = [
    ("AP port up", "COV-AP-01", "GigabitEthernet0/0/2", True, "PASS"),
    ("AP port down", "COV-AP-01", "GigabitEthernet0/0/2", False, "FAIL"),
    ("CPE port up", "COV-5G-01", "GigabitEthernet0/0/24", True, "PASS"),
    ("CPE port down", "COV-5G-01", "GigabitEthernet0/0/24", False, "FAIL"),
]


@pytest.mark.parametrize(
    ("case", "rule_id", "port", "up", "status"), COVERAGE_CASES, ids=[c[0] for c in COVERAGE_CASES]
)
def test_village_coverage(
    rules: dict[str, Rule], county: Inventory, case: str, rule_id: str, port: str, up: bool, status: str
) -> None:
    snapshot = Snapshot(
        "qishan-v01-sw-01", "vrp5", interfaces={port: InterfaceState(port, True, up, 1000)}, lldp=[]
    )
    policy = Policy(name="t", title={"zh": "测试", "en": "test"}, rules=[rules[rule_id]])  # type: ignore[arg-type]
    run = audit([policy], {"qishan-v01-sw-01": snapshot}, county, mode="live", scope=["qishan-v01-sw-01"])
    finding = one(run.findings, "qishan_v01")
    assert finding.status == status, finding.message


def test_village_without_cpe_fails_and_offline_is_review(rules: dict[str, Rule], county: Inventory) -> None:
    policy = Policy(name="t", title={"zh": "测试", "en": "test"}, rules=[rules["COV-5G-01"]])  # type: ignore[arg-type]
    scope = ["anling-v02-sw-01", "qishan-v01-sw-01", "qishan-c01-sw-01"]
    run = audit([policy], {}, county, mode="offline", scope=scope)
    assert one(run.findings, "anling_v02").status == "FAIL"
    assert one(run.findings, "qishan_v01").status == "REVIEW"
    assert not [f for f in run.findings if f.entity == "qishan_c01"]  # an urban community: no 5G planned
