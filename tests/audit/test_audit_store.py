"""Saved runs, ``audit diff`` (new / resolved / not re-audited FAILs) and the alerts they raise."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from egovnet.audit import AuditRun, Finding, RunStore, diff
from egovnet.audit.alerts import publish, record, records_for
from egovnet.audit.results import fingerprint
from egovnet.cli.main import app


def _run(run_id: str, *findings: tuple[str, str, str]) -> AuditRun:
    run = AuditRun(mode="offline", id=run_id, finished=1_800_000_000.0)
    run.rules = {
        "BL-MGMT-01": {
            "title": {"zh": "关闭 Telnet", "en": "Telnet server disabled"},
            "standards": {"mlps": ["8.1.4.1c"], "cis": ["1.2.2"], "stig": ["V-215845"], "mlps_unit": []},
            "remediation": {"vrp5": "undo telnet server enable"},
        }
    }
    run.findings = [
        Finding(
            "baseline", rule, status, "critical", entity, site="qishan", platform="huawei_vrp5", message="m"
        )  # type: ignore[arg-type]
        for rule, entity, status in findings
    ]
    return run


OLD = _run(
    "20260101T000000-aaaaaa",
    ("BL-MGMT-01", "sw-a", "FAIL"),
    ("BL-MGMT-01", "sw-b", "FAIL"),
    ("BL-MGMT-01", "sw-c", "FAIL"),
    ("BL-MGMT-01", "sw-d", "PASS"),
)
NEW = _run(
    "20260102T000000-bbbbbb",
    ("BL-MGMT-01", "sw-a", "FAIL"),
    ("BL-MGMT-01", "sw-b", "PASS"),
    ("BL-MGMT-01", "sw-d", "FAIL"),
    ("BL-MGMT-01", "sw-e", "FAIL"),
)


def test_diff_new_resolved_and_not_reaudited() -> None:
    changes = diff(OLD, NEW)
    assert sorted(f.entity for f in changes.new) == ["sw-d", "sw-e"]
    assert [f.entity for f in changes.resolved] == ["sw-b"]
    assert [f.entity for f in changes.still_failing] == ["sw-a"]
    assert [f.entity for f in changes.not_reaudited] == ["sw-c"]
    assert sorted(f.entity for f in diff(None, NEW).new) == ["sw-a", "sw-d", "sw-e"]


def test_fingerprint_is_stable_identity() -> None:
    assert (
        NEW.findings[0].fingerprint
        == OLD.findings[0].fingerprint
        == fingerprint("baseline", "BL-MGMT-01", "sw-a")
    )
    assert len(NEW.findings[0].fingerprint) == 16


def test_store_saves_and_finds_runs(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    with pytest.raises(LookupError):
        store.load("latest")
    store.save(OLD)
    store.save(NEW)
    assert store.ids() == [OLD.id, NEW.id]
    assert store.load("latest").id == NEW.id and store.load("previous").id == OLD.id
    assert store.load("20260101").id == OLD.id
    assert store.previous(NEW) is not None and store.previous(OLD) is None
    with pytest.raises(LookupError):
        store.load("2026")  # ambiguous prefix


def test_alert_records_for_new_persisting_and_resolved_fails() -> None:
    records = records_for(diff(OLD, NEW), NEW)
    assert [(r["entity"]["id"], r["status"]) for r in records] == [
        ("sw-d", "firing"),
        ("sw-e", "firing"),
        ("sw-a", "firing"),
        ("sw-b", "resolved"),
    ]
    first = records[0]
    assert first["fingerprint"] == fingerprint("baseline", "BL-MGMT-01", "sw-d")
    assert first["severity"] == "critical" and first["rule"]["mlps"] == ["8.1.4.1c"]
    assert first["rule"]["cis_stig"] == ["CIS 1.2.2", "STIG V-215845"]
    assert first["entity"] == {"type": "device", "id": "sw-d", "site": "qishan"}
    assert first["source"] == {"component": "audit"} and first["rule"]["category"] == "audit.baseline"
    assert (
        record(NEW.findings[0], NEW, "firing")["fingerprint"]
        == record(OLD.findings[0], OLD, "firing")["fingerprint"]
    )


def test_published_to_the_alert_outbox(tmp_path: Path) -> None:
    """The records are valid ``egovnet.alerts`` records: new FAILs fire once, repeats only refresh."""
    pytest.importorskip("egovnet.alerts")
    events = publish(records_for(diff(None, OLD), OLD), tmp_path)
    assert events is not None
    assert sorted((e["entity"]["id"], e["status"]) for e in events) == [
        ("sw-a", "firing"),
        ("sw-b", "firing"),
        ("sw-c", "firing"),
    ]
    assert all(e["schema"] == "noc-alert/1" for e in events)
    later = publish(records_for(diff(OLD, NEW), NEW), tmp_path)
    assert later is not None
    changed = {(e["entity"]["id"], e["status"]) for e in later}
    assert {("sw-d", "firing"), ("sw-e", "firing"), ("sw-b", "resolved")} <= changed
    assert ("sw-a", "firing") not in changed or all(
        e["count"] > 1 for e in later if e["entity"]["id"] == "sw-a"
    )


def test_publish_without_the_alert_feed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "egovnet.alerts", None)
    assert publish([{"status": "firing"}], tmp_path) is None


def _cli(*args: str) -> Result:
    """``egovnet audit ...`` in-process (the same typer app the console script runs)."""
    return CliRunner().invoke(app, ["audit", *args], catch_exceptions=False)


def test_cli_diff_list_show_rules(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.save(OLD)
    store.save(NEW)
    result = _cli("diff", "--state-dir", str(tmp_path), "--json")
    assert result.exit_code == 1  # new FAILs
    changes = json.loads(result.stdout)
    assert {f["entity"] for f in changes["new_fail"]} == {"sw-d", "sw-e"}
    assert _cli("diff", NEW.id, NEW.id, "--state-dir", str(tmp_path)).exit_code == 0
    assert _cli("diff", "nosuch", "--state-dir", str(tmp_path)).exit_code == 2
    listing = json.loads(_cli("list", "--state-dir", str(tmp_path), "--json").stdout)
    assert [r["id"] for r in listing] == [OLD.id, NEW.id]
    html = tmp_path / "old.html"
    assert _cli("show", OLD.id, "--state-dir", str(tmp_path), "--html", str(html)).exit_code == 0
    assert "sw-c" in html.read_text(encoding="utf-8")
    catalogue = json.loads(_cli("rules", "--json").stdout)
    assert len({r["id"] for r in catalogue}) == len(catalogue) >= 50
