"""``report.json`` holds the records' own figures: each section is compared with the store it was read
from, opened here through the engines' APIs, and with what the test did to the twin."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from report_rig import CUT_DEVICE, PROBED_SITE, Records

from egovnet.alerts import AlertStore, state_path
from egovnet.audit.graph import describe_link
from egovnet.audit.store import RunStore
from egovnet.monitor.history import History
from egovnet.probes.score import current
from egovnet.probes.store import FindingStore


@pytest.fixture(scope="module")
def doc(records: Records) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((records.out / "report.json").read_text(encoding="utf-8"))
    assert data["format"] == "egovnet-report/1"
    return data


def test_indicators_are_the_snapshot_rows_with_the_history_trend(
    records: Records, doc: dict[str, Any]
) -> None:
    snapshot = json.loads((records.state / "monitor" / "snapshot.json").read_text(encoding="utf-8"))
    section = doc["indicators"]
    assert section["available"] and section["cycle"] == snapshot["cycle"]
    assert (
        section["devices"] == len(snapshot["devices"]) == 6
        and section["answered"] == snapshot["counts"]["up"]
    )
    rows = section["rows"]
    assert [{k: v for k, v in r.items() if not k.startswith("trend")} for r in rows] == snapshot["indicators"]
    assert section["met"] == sum(r["met"] is True for r in snapshot["indicators"])
    assert section["measured"] == sum(r["met"] is not None for r in snapshot["indicators"])
    history = History(records.state / "monitor" / "history.db")
    try:
        for row in rows:
            assert row["trend"] == [value for _, value, _ in history.trend(row["id"], 20)]
        assert [c["id"] for c in section["cycles"]] == [c["id"] for c in reversed(history.cycles(20))]
    finally:
        history.close()
    village = next(r for r in rows if r["id"] == "extranet_coverage_village")
    assert village["value"] == 50.0 and village["pulling_down"] == ["alpha_v02"]  # the cut uplink
    assert len(village["trend"]) == 2


def test_topology_shows_the_cut_link_and_the_single_points_of_failure(
    records: Records, doc: dict[str, Any]
) -> None:
    section = doc["topology"]
    assert section["link_states"]
    down = [link for link in section["links"] if link["state"] == "down"]
    assert [link["description"] for link in down] == [describe_link(records.cut)]
    assert section["counts"]["down_links"] == 1
    edges = {(e["a"], e["b"]): e for e in section["edges"]}
    assert edges["alpha", "alpha_v02"]["state"] == "down" and edges["alpha", "alpha_v02"]["spof"]
    assert {e["state"] for k, e in edges.items() if k != ("alpha", "alpha_v02")} == {"up"}
    # every device answers: no site is down, although one village has lost its only uplink
    assert {n["id"]: n["state"] for n in section["nodes"]}["alpha_v02"] == "up"
    assert section["counts"]["sites_down"] == 0
    # the same single points of failure the audit found (RED-SPOF rules fail on the sites behind them)
    assert section["spof_devices"] == ["alpha-tn-01", "core-01"]
    assert {n["id"] for n in section["nodes"] if n["spof"]} == {"alpha", "county_dc"}
    run = RunStore(records.state).load("latest")
    audited = {f.entity for f in run.findings if f.rule.startswith("RED-SPOF") and f.status == "FAIL"}
    assert {n["id"] for n in section["nodes"] if n["failure_points"]} == audited
    assert section["counts"]["spof_links"] == 3 == sum(link["spof"] for link in section["links"])


def test_ipv6_is_the_saved_status_record(records: Records, doc: dict[str, Any]) -> None:
    record = json.loads((records.state / "ipv6" / "status.json").read_text(encoding="utf-8"))
    assert record == records.ipv6_printed  # `ipv6 status --json` prints what it saves
    assert record["format"] == "egovnet-ipv6-status/1" and record["at"] > 0 and record["limit"] is None
    assert set(record["sites"]) == {"county_dc", "alpha", "alpha_v01", "alpha_v02", "dept_edu"}
    section = doc["ipv6"]
    assert section["available"] and section["at"] == record["at"]
    assert {s["site"]: s["state"] for s in section["sites"]} == record["sites"]
    assert section["devices"] == len(record["devices"]) == 6
    assert section["counts"] == dict(Counter(record["sites"].values()))


def test_audit_counts_equal_the_latest_run(records: Records, doc: dict[str, Any]) -> None:
    run = RunStore(records.state).load("latest")
    section = doc["audit"]
    assert section["run_id"] == run.id and section["counts"] == run.counts()
    assert section["devices"] == len(run.devices) == 6
    for row in section["policies"]:
        mine = [f for f in run.findings if f.policy == row["policy"]]
        assert row["counts"] == {s: sum(f.status == s for f in mine) for s in ("FAIL", "REVIEW", "PASS")}
    assert sum(p["counts"]["FAIL"] for p in section["policies"]) == run.counts()["FAIL"]
    for site in section["sites"]:
        mine = [f for f in run.findings if (f.site or "(no site)") == site["site"]]
        assert site["counts"] == {s: sum(f.status == s for f in mine) for s in ("FAIL", "REVIEW", "PASS")}
        failing = {f.rule for f in mine if f.status != "PASS"}
        assert {r["rule"] for r in site["rules"]} == failing
    assert section["trend"][-1] == {"id": run.id, "counts": run.counts()}
    assert (records.out / "audit.html").is_file() and section["html"] == "audit.html"


def test_alerts_are_the_firing_alerts_of_the_store(records: Records, doc: dict[str, Any]) -> None:
    store = AlertStore(state_path(records.state))
    try:
        firing = store.alerts()
    finally:
        store.close()
    section = doc["alerts"]
    assert section["firing"] == len(firing) == len(section["rows"])
    assert sorted(r["fingerprint"] for r in section["rows"]) == sorted(a["fingerprint"] for a in firing)
    assert section["by_severity"] == dict(Counter(a["severity"] for a in firing))
    assert section["by_component"] == dict(Counter(a["source"]["component"] for a in firing))
    link = [r for r in section["rows"] if r["rule"] == "NET-LINK-DOWN"]
    assert len(link) == 1 and CUT_DEVICE in link[0]["entity"]


def test_probes_are_the_store_scores_and_open_findings(records: Records, doc: dict[str, Any]) -> None:
    store = FindingStore(records.state)
    section = doc["probes"]
    scores = current(store)
    assert [(s["kind"], s["key"], s["score"], s["open"]) for s in section["scores"]] == [
        (s.kind, s.key, s.score, s.open) for s in scores
    ]
    sites = [s for s in scores if s.kind == "site"]
    lowest = min(sites, key=lambda s: s.score)
    assert section["headline"] == {"key": lowest.key, "score": lowest.score, "level": lowest.level}
    assert lowest.key == PROBED_SITE and lowest.score < 90
    assert {f["rule"] for f in section["findings"]} == {"NET-RA-001", "NET-MGMT-001"}
    assert {f["fingerprint"] for f in section["findings"]} == {
        f.fingerprint for f in store.findings("firing")
    }
    assert section["at"] == store.last_run()["at"]  # type: ignore[index]
