"""The alert object and its durable store: lifecycle, deduplication, outbox cursors, restarts."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from alert_rig import record

from egovnet.alerts import AlertRecord, AlertStore, fingerprint, publish
from egovnet.alerts.model import SEVERITY_NUM, uuid7

CANONICAL_FIELDS = {
    "schema",
    "id",
    "fingerprint",
    "dedup_key",
    "status",
    "severity",
    "severity_num",
    "rule",
    "source",
    "entity",
    "summary",
    "description",
    "remediation",
    "first_seen",
    "last_seen",
    "count",
    "ends_at",
    "evidence",
    "labels",
    "links",
}


@pytest.fixture
def store(tmp_path: Path) -> AlertStore:
    return AlertStore(tmp_path / "alerts.db")


def test_fingerprint_rests_on_identity_not_time() -> None:
    first, later = record("sw-01"), record("sw-01", evidence={"count": 9}, summary="other words")
    assert first.fingerprint == later.fingerprint == fingerprint("TEST-RULE", "sw-01")
    assert record("sw-02").fingerprint != first.fingerprint
    assert record("sw-01", scope="vlan20").fingerprint != first.fingerprint
    assert AlertRecord.model_validate({**first.model_dump(), "fingerprint": "given"}).fingerprint == "given"


def test_event_ids_are_time_ordered_uuid7() -> None:
    ids = [uuid7() for _ in range(200)]
    assert all(
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids
    )
    assert len(set(ids)) == 200 and [i[:13] for i in ids] == sorted(i[:13] for i in ids)


def test_lifecycle_firing_update_resolve_refire(store: AlertStore) -> None:
    (fired,) = store.apply([record("sw-01")])
    assert set(fired) == CANONICAL_FIELDS and fired["schema"] == "noc-alert/1"
    assert fired["status"] == "firing" and fired["count"] == 1 and fired["ends_at"] is None
    assert fired["severity_num"] == SEVERITY_NUM["major"] and fired["dedup_key"] == fired["fingerprint"]
    assert store.apply([record("sw-01"), record("sw-01")]) == []  # the same alert again: no new event
    (current,) = store.alerts()
    assert current["count"] == 3 and current["first_seen"] == fired["first_seen"]
    assert store.apply([record("sw-02", status="resolved")]) == []  # never fired: nothing to resolve
    (resolved,) = store.apply([record("sw-01", status="resolved")])
    assert resolved["status"] == "resolved" and resolved["count"] == 3 and resolved["ends_at"] is not None
    assert store.alerts() == [] and len(store.alerts(include_resolved=True)) == 1
    (again,) = store.apply([record("sw-01")])
    assert again["count"] == 1 and again["first_seen"] > fired["first_seen"]  # a new episode
    assert [e.payload["status"] for e in store.events()] == ["firing", "resolved", "firing"]


def test_complete_batches_resolve_what_they_no_longer_report(store: AlertStore) -> None:
    store.apply([record("sw-01"), record("sw-02"), record("sw-09", source="probe")])
    events = store.apply([record("sw-02")], complete_for="test")
    assert [(e["entity"]["id"], e["status"]) for e in events] == [("sw-01", "resolved")]
    assert {a["entity"]["id"] for a in store.alerts()} == {"sw-02", "sw-09"}  # another component's stays


def test_each_sink_has_its_own_cursor_and_new_sinks_join_at_the_slowest(store: AlertStore) -> None:
    store.apply([record("sw-00")])
    store.register_sink("a")  # the outbox's first sink: it gets what was published before it
    assert [p.payload["entity"]["id"] for p in store.pending("a")] == ["sw-00"]
    store.delivered("a", [store.pending("a")[0].seq])
    store.apply([record("sw-01"), record("sw-02")])
    store.delivered("a", [store.pending("a")[0].seq])
    store.register_sink("b")  # joins where "a" stands: pending events yes, delivered history no
    store.apply([record("sw-03")])
    assert [p.payload["entity"]["id"] for p in store.pending("a")] == ["sw-02", "sw-03"]
    assert [p.payload["entity"]["id"] for p in store.pending("b")] == ["sw-02", "sw-03"]
    store.delivered("a", [p.seq for p in store.pending("a", limit=1)])
    assert store.backlog("a") == 1 and store.backlog("b") == 2
    state = store.failed("b", "connection refused", time.time() + 5)
    assert state.attempts == 1 and state.last_error == "connection refused"
    store.dead("b", [p.seq for p in store.pending("b")], "HTTP 400")
    assert store.backlog("b") == 0 and store.deliveries("b")[-1][1] == "dead"
    assert store.sink_state("b").attempts == 0


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "alerts.db"
    first = AlertStore(path)
    first.register_sink("noc")
    first.apply([record("sw-01"), record("sw-02")])
    first.delivered("noc", [first.pending("noc")[0].seq])
    first.close()
    second = AlertStore(path)
    assert [p.payload["entity"]["id"] for p in second.pending("noc")] == ["sw-02"]
    assert second.apply([record("sw-01")]) == [] and second.alerts()[0]["count"] == 2
    second.close()


def test_publish_api_takes_plain_dicts(tmp_path: Path) -> None:
    alerts_file = tmp_path / "alerts.yml"
    alerts_file.write_text("sinks:\n  - {name: file, type: jsonl, path: feed.jsonl}\n")
    observation = {
        "status": "firing",
        "severity": "critical",
        "rule": "SEC-TELNET",
        "entity": "qishan-tn-01",
        "summary": "telnet is enabled",
        "evidence": {"config_lines": ["telnet server enable"]},
        "labels": {"vendor": "huawei"},
        "source": "audit",
    }
    events = publish([observation], store=tmp_path / "alerts.db", deliver=True, config=alerts_file)
    assert [e["rule"]["id"] for e in events] == ["SEC-TELNET"]
    assert events[0]["source"]["component"] == "audit" and events[0]["severity_num"]["syslog"] == 2
    feed = (tmp_path / "feed.jsonl").read_text().splitlines()
    assert len(feed) == 1 and '"SEC-TELNET"' in feed[0]
    resolved = publish(
        [], store=tmp_path / "alerts.db", complete_for="audit", deliver=True, config=alerts_file
    )
    assert [e["status"] for e in resolved] == ["resolved"]
    assert len((tmp_path / "feed.jsonl").read_text().splitlines()) == 2
    with pytest.raises(ValueError, match="severity"):
        publish([{**observation, "severity": "urgent"}], store=tmp_path / "alerts.db")


def test_prune_forgets_old_history_but_never_pending_events(store: AlertStore) -> None:
    store.register_sink("noc")
    store.apply([record("sw-01"), record("sw-02")])
    store.apply([record("sw-01", status="resolved")])
    first = store.pending("noc", limit=2)
    store.delivered("noc", [p.seq for p in first])
    later = time.time() + 10 * 86400
    assert store.prune(keep_days=1, now=later) == 2  # the two delivered events
    assert [p.payload["status"] for p in store.pending("noc")] == ["resolved"]  # still waiting: kept
    assert [a["entity"]["id"] for a in store.alerts(include_resolved=True)] == ["sw-02"]
