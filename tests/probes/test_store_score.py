"""Findings storage, lifecycle, situation score with trend, alert mapping and the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from traffic import ATTACKS, Lan, rogue_ra, run

from egovnet.alerts import AlertStore, state_path
from egovnet.probes.findings import Entity, FindingBook
from egovnet.probes.report import html_page
from egovnet.probes.runner import record
from egovnet.probes.score import current
from egovnet.probes.store import FindingStore


def _book(lan: Lan, tmp_path: Path, scenario: str) -> FindingBook:
    return run(tmp_path, ATTACKS[scenario][0](lan), lan.context(), scenario.replace(" ", "-"))


def test_merge_adds_counts_and_keeps_first_seen(lan: Lan, tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    book = run(tmp_path, rogue_ra(lan), lan.context())
    store.merge(book, now=100.0)
    (again,) = store.merge(book, now=200.0)
    assert again.count == 6 and again.status == "firing" and again.updated_at == 200.0
    assert len(store.findings()) == 1


def test_passive_findings_resolve_after_a_quiet_period(lan: Lan, tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    store.merge(_book(lan, tmp_path, "rogue RA"), now=1000.0)
    assert store.resolve_quiet({"ra": 600.0}, now=1500.0) == []
    assert len(store.resolve_quiet({"ra": 600.0}, now=1700.0)) == 1
    (done,) = store.findings("resolved")
    assert done.doc["status"] == "resolved"


def test_active_findings_resolve_when_the_next_run_passes(tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    book = FindingBook(scope="zone:management")
    entity = Entity("device", "qishan-v01-sw-01", site="qishan_v01", zone="management")
    book.report("ACT-EXPO-002", entity, 1.0, "telnet answers")
    store.merge(book, now=1.0)
    assert store.resolve_passed(["exposure"], ["other-device"], []) == []
    assert len(store.resolve_passed(["exposure"], ["qishan-v01-sw-01"], [])) == 1


def test_score_per_site_and_zone_with_trend(lan: Lan, tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    record(store, FindingBook(scope="site:qishan_v01"), "passive", "empty", {}, sites=[lan.site])
    record(store, _book(lan, tmp_path, "ARP spoofing with replies"), "passive", "a.pcap", {})
    scores = {(s.kind, s.key): s for s in current(store)}
    site = scores[("site", lan.site)]
    # one critical finding seen 5 times: 100 - 25 * (1 + log10 5)
    assert site.score == pytest.approx(57.5) and site.open == 1 and site.level.startswith("危险")
    assert site.history == (100.0, 57.5) and site.trend == pytest.approx(-42.5) and site.arrow == "↓"
    record(store, _book(lan, tmp_path, "telnet to a device"), "passive", "b.pcap", {})
    scores = {(s.kind, s.key): s for s in current(store)}
    device_site = lan.county.devices[
        next(n for n, d in lan.county.devices.items() if str(d.mgmt_ipv4) == lan.devices[1])
    ].site
    assert scores[("site", device_site)].score == pytest.approx(90.0)  # one major finding, count 1
    assert scores[("zone", "management")].score == pytest.approx(90.0)
    assert scores[("zone", "lan")].open == 1 and scores[("site", lan.site)].trend == 0.0


def test_findings_reach_the_alert_feed_as_noc_alerts(lan: Lan, tmp_path: Path) -> None:
    state = tmp_path / "state"
    book = _book(lan, tmp_path, "rogue DHCP")
    outcome = record(FindingStore(state), book, "passive", "x.pcap", {})
    (event,) = outcome.alerts
    finding = book.by_rule("NET-DHCP-001")[0]
    assert event["schema"] == "noc-alert/1" and event["status"] == "firing"
    assert event["fingerprint"] == event["dedup_key"] == finding.fingerprint
    assert event["rule"]["id"] == "NET-DHCP-001" and event["rule"]["attack"] == ["T1557.003"]
    assert event["source"]["component"] == "probe-dhcp" and event["severity_num"]["syslog"] == 2
    assert event["evidence"]["samples"] and event["evidence"]["events"] == 2
    json.dumps(event)
    again = record(FindingStore(state), book, "passive", "x.pcap", {})
    assert again.alerts == [], "a repeated finding updates its alert, it raises no new one"
    (alert,) = AlertStore(state_path(state)).alerts()
    assert alert["count"] == 2 and alert["fingerprint"] == finding.fingerprint


def test_resolved_findings_resolve_their_alerts(tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    book = FindingBook(scope="zone:management")
    book.report("ACT-SNMP-001", Entity("device", "sw-1"), 1.0, "answers public")
    first = record(store, book, "active", "x", {}, covered={"snmp_default": ["sw-1"]})
    outcome = record(
        store, FindingBook(scope="zone:management"), "active", "x", {}, covered={"snmp_default": ["sw-1"]}
    )
    assert len(outcome.resolved) == 1 and [e["status"] for e in outcome.alerts] == ["resolved"]
    assert outcome.alerts[0]["fingerprint"] == first.alerts[0]["fingerprint"] and outcome.alerts[0]["ends_at"]


def test_html_report_escapes_attacker_controlled_text(tmp_path: Path) -> None:
    store = FindingStore(tmp_path / "state")
    book = FindingBook()
    book.report("NET-DNS-001", Entity("host", "10.0.0.1", site="x"), 1.0, "<script>alert(1)</script>.evil")
    record(store, book, "passive", "x", {})
    page = html_page(current(store), store.findings())
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "态势感知" in page
