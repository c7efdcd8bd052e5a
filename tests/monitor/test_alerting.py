"""Alert rules over synthetic cycles: durations, grouping by entity, ``unless``, absence, restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from egovnet.alerts import AlertStore
from egovnet.monitor.alerting import Rule, RuleEngine, load_rules, render
from egovnet.monitor.metrics import DeviceMetrics, Health, Row, Snapshot, Status, catalog
from egovnet.monitor.plan import PollPlan, load_plan

LINK = "sw-01:GE0/0/1--tn-01:XGE0/0/3"


@pytest.fixture(scope="module")
def plan(repo: Path) -> PollPlan:
    return load_plan(repo / "monitors" / "poll-plan.yml")


@pytest.fixture(scope="module")
def rules(repo: Path) -> list[Rule]:
    return load_rules(yaml.safe_load((repo / "monitors" / "alerts.yml").read_text(encoding="utf-8"))["rules"])


def _device(name: str, ifname: str, oper: int, admin: int = 1, up: bool = True) -> DeviceMetrics:
    labels = {
        "device": name,
        "site": "qishan_v01",
        "level": "village",
        "role": "access",
        "platform": "huawei_vrp5",
    }
    row = Row(
        {
            "ifindex": "1",
            "ifname": ifname,
            "link": LINK,
            "link_role": "primary",
            "peer": "x",
            "peer_interface": "y",
        },
        {"if_oper_status": float(oper), "if_admin_status": float(admin)},
    )
    health = Health(Status.UP if up else Status.TIMEOUT, "" if up else "no response")
    return DeviceMetrics(name, "huawei_vrp", labels, health, tables={"interface": [row]} if up else {})


def _cycle(plan: PollPlan, number: int, *devices: DeviceMetrics) -> Snapshot:
    return Snapshot(number, 1000.0 + number, 1.0, {d.device: d for d in devices}, catalog(plan))


def _link_events(engine: RuleEngine, snapshot: Snapshot) -> list[tuple[str, str]]:
    return [
        (e["status"], e["severity"]) for e in engine.publish(snapshot) if e["rule"]["id"] == "NET-LINK-DOWN"
    ]


def test_link_down_fires_on_the_second_cycle_once_for_both_ends(
    plan: PollPlan, rules: list[Rule], tmp_path: Path
) -> None:
    engine = RuleEngine(rules, AlertStore(tmp_path / "alerts.db"))
    ends = [("sw-01", "GE0/0/1"), ("tn-01", "XGE0/0/3")]
    assert _link_events(engine, _cycle(plan, 1, *(_device(n, i, 1) for n, i in ends))) == []
    assert _link_events(engine, _cycle(plan, 2, *(_device(n, i, 2) for n, i in ends))) == []
    assert _link_events(engine, _cycle(plan, 3, *(_device(n, i, 2) for n, i in ends))) == [
        ("firing", "major")
    ]
    assert _link_events(engine, _cycle(plan, 4, *(_device(n, i, 2) for n, i in ends))) == []  # an update
    (alert,) = [a for a in engine.store.alerts() if a["rule"]["id"] == "NET-LINK-DOWN"]
    assert alert["entity"] == {"type": "link", "id": LINK, "site": "qishan_v01"} and alert["count"] == 2
    assert len(alert["evidence"]["series"]) == 2  # both ends seen down
    assert _link_events(engine, _cycle(plan, 5, *(_device(n, i, 1) for n, i in ends))) == [
        ("resolved", "major")
    ]


def test_admin_down_is_a_change_not_an_outage(plan: PollPlan, rules: list[Rule], tmp_path: Path) -> None:
    engine = RuleEngine(rules, AlertStore(tmp_path / "alerts.db"))
    for number in range(1, 5):
        assert _link_events(engine, _cycle(plan, number, _device("sw-01", "GE0/0/1", 2, admin=2))) == []


def test_unreachable_device_holds_its_alerts_until_stale(plan: PollPlan, tmp_path: Path) -> None:
    rule = Rule(
        id="NET-LINK-DOWN",
        name="n",
        severity="major",
        metric="egovnet_if_oper_status{link!=}",
        condition="!= 1",
        entity="{link}",
        summary="s",
        stale_cycles=3,
    )
    engine = RuleEngine([rule], AlertStore(tmp_path / "alerts.db"))
    assert _link_events(engine, _cycle(plan, 1, _device("sw-01", "GE0/0/1", 2))) == [("firing", "major")]
    for number in (2, 3):  # the device stops answering: no data, the alert stays
        assert _link_events(engine, _cycle(plan, number, _device("sw-01", "GE0/0/1", 2, up=False))) == []
    assert _link_events(engine, _cycle(plan, 4, _device("sw-01", "GE0/0/1", 2, up=False))) == [
        ("resolved", "major")
    ]
    (resolved,) = engine.store.alerts(include_resolved=True)
    assert "no data for 3 cycles" in resolved["evidence"]["resolved_because"]


def test_pending_state_survives_a_monitor_restart(plan: PollPlan, rules: list[Rule], tmp_path: Path) -> None:
    path = tmp_path / "alerts.db"
    first = RuleEngine(rules, AlertStore(path))
    assert _link_events(first, _cycle(plan, 1, _device("sw-01", "GE0/0/1", 2))) == []  # pending
    first.store.close()
    second = RuleEngine(rules, AlertStore(path))  # restarted monitor
    assert _link_events(second, _cycle(plan, 2, _device("sw-01", "GE0/0/1", 2))) == [("firing", "major")]
    second.store.close()
    third = RuleEngine(rules, AlertStore(path))
    assert _link_events(third, _cycle(plan, 3, _device("sw-01", "GE0/0/1", 2))) == []  # not again


def test_unreachable_rule_and_severity_by_level(plan: PollPlan, rules: list[Rule], tmp_path: Path) -> None:
    engine = RuleEngine(rules, AlertStore(tmp_path / "alerts.db"))
    core = _device("core-01", "10GE1/0/1", 1, up=False)
    core.labels["level"] = "county"
    events = []
    for number in (1, 2):
        events += [
            e
            for e in engine.publish(_cycle(plan, number, core))
            if e["rule"]["id"] == "MON-DEVICE-UNREACHABLE"
        ]
    (event,) = events
    assert event["severity"] == "critical" and event["entity"]["id"] == "core-01"
    assert "timeout" in event["summary"]


def test_templates_tolerate_missing_labels() -> None:
    assert render("{device} {ifname} {value:.0f} %", {"device": "sw"}, 93.4) == "sw  93 %"
    assert render("{nothing:.1f}", {}, 1.0) == ""


def test_rules_file_errors_are_caught_at_load() -> None:
    base = {"id": "X", "name": "x", "severity": "major", "entity": "{device}", "summary": "s"}
    with pytest.raises(ValueError):
        load_rules([{**base, "metric": "m", "condition": "is bad"}])
    with pytest.raises(ValueError):
        load_rules([{**base, "metric": "m{a~b}", "condition": "== 1"}])
    with pytest.raises(ValueError, match="twice"):
        load_rules([{**base, "metric": "m", "condition": "== 1"}] * 2)
