"""Offline audits: a directory of backups in all four dialects, no device contacted; and the county's
intended configurations, which the security baseline templates must pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_rig import FOUR_DIALECTS
from casegen import base_text
from typer.testing import CliRunner, Result

from egovnet.audit import audit, load_policies, read_directory
from egovnet.audit.detect import detect_dialect
from egovnet.audit.snapshot import Snapshot
from egovnet.cli.main import app
from egovnet.inventory import Inventory
from egovnet.platforms import PLATFORMS
from egovnet.render import Renderer


@pytest.mark.parametrize("dialect", ["vrp5", "vrp8", "comware7", "ios"])
def test_dialect_detected_from_the_text(dialect: str) -> None:
    assert detect_dialect(base_text(dialect)) == dialect


def test_not_a_configuration() -> None:
    assert detect_dialect("hello\nworld\n") is None


def _cli(*args: str, cwd: Path) -> Result:
    """``egovnet audit ...`` in-process (the same typer app the console script runs)."""
    return CliRunner().invoke(app, ["audit", *args], catch_exceptions=False)


def test_offline_audit_of_four_dialects(
    backups_dir: Path, small_path: Path, tmp_path: Path, repo: Path
) -> None:
    out = tmp_path / "out"
    reports = [
        "--junit",
        str(out / "audit.xml"),
        "--sarif",
        str(out / "audit.sarif"),
        "--html",
        str(out / "audit.html"),
    ]
    options = ["-i", str(small_path), "--offline", str(backups_dir), "--state-dir", str(tmp_path / "state")]
    result = _cli(*options, "--json", *reports, cwd=repo)
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["mode"] == "offline"
    assert run["devices"] == {
        **{device: PLATFORMS_OF[device] for device in FOUR_DIALECTS},
        "stray-sw": "vrp5",  # not in the inventory: dialect detected from the text
    }
    baseline_fail = {
        (f["entity"], f["rule"])
        for f in run["findings"]
        if f["status"] == "FAIL" and f["policy"] == "baseline"
    }
    assert baseline_fail == {
        ("stray-sw", "BL-MGMT-01"),
        ("stray-sw", "BL-SNMP-01"),
        ("stray-sw", "BL-LOG-02"),
    }
    telnet = next(f for f in run["findings"] if f["entity"] == "stray-sw" and f["rule"] == "BL-MGMT-01")
    lines = {e["text"]: e.get("line") for e in telnet["evidence"]}
    assert lines["telnet server enable"] is not None and telnet["artifact"] == "stray-sw.cfg"
    community = next(f for f in run["findings"] if f["entity"] == "stray-sw" and f["rule"] == "BL-SNMP-01")
    assert [e["text"] for e in community["evidence"]] == ["snmp-agent community read cipher ****** acl 2000"]
    assert "Secret1" not in result.stdout  # never a secret in the findings
    for device in FOUR_DIALECTS:
        assert any(f["entity"] == device and f["policy"] == "baseline" for f in run["findings"])
    assert {p.name for p in out.iterdir()} == {"audit.xml", "audit.sarif", "audit.html"}
    assert len(list((tmp_path / "state" / "audits").glob("*.json"))) == 1


PLATFORMS_OF = {
    "alpha-v01-sw-01": "huawei_vrp5",
    "core-01": "huawei_vrp8",
    "alpha-tn-01": "h3c_comware7",
    "alpha-v02-sw-01": "cisco_ios",
}


def test_fail_on_sets_the_exit_status(
    backups_dir: Path, small_path: Path, tmp_path: Path, repo: Path
) -> None:
    common = ("-i", str(small_path), "--offline", str(backups_dir), "--no-save", "-p", "baseline")
    assert _cli(*common, "--fail-on", "critical", cwd=repo).exit_code == 1
    (backups_dir / "stray-sw.cfg").unlink()
    assert _cli(*common, "--fail-on", "info", cwd=repo).exit_code == 0
    assert _cli(*common, "--fail-on", "sometimes", cwd=repo).exit_code == 2


def test_offline_errors(small_path: Path, tmp_path: Path, repo: Path) -> None:
    assert _cli("-i", str(small_path), "--offline", str(tmp_path / "missing"), cwd=repo).exit_code == 2
    assert _cli("-i", str(small_path), "--offline", str(tmp_path), "-p", "nosuch", cwd=repo).exit_code == 2


def test_read_directory_maps_files_by_name_or_hostname(backups_dir: Path, small: Inventory) -> None:
    (backups_dir / "renamed.txt").write_text(
        base_text("ios").replace("hostname fx-ios-sw", "hostname dept-edu-sw-01")
    )
    snapshots = read_directory(backups_dir, small)
    assert snapshots["dept-edu-sw-01"].source.endswith("renamed.txt")  # type: ignore[union-attr]
    assert snapshots["dept-edu-sw-01"].dialect == "vrp5"  # the inventory's platform wins over the text
    assert "README" not in " ".join(snapshots)


def _rendered(county: Inventory, overrides: dict[str, object] | None) -> dict[str, Snapshot]:
    renderer = Renderer(county)
    names = [n for n, d in county.devices.items() if PLATFORMS[d.platform].dialect]
    return {
        n: Snapshot(n, PLATFORMS[county.devices[n].platform].dialect, renderer.render(n, overrides))
        for n in names
    }


#: Rules the intended configurations can only give REVIEW on (no configuration can prove them).
REVIEW_ONLY = {"BL-AAA-02", "BL-ACCT-02", "BL-AUDIT-01", "BL-LOG-04", "BL-PWD-02"}


@pytest.mark.slow
def test_intended_county_configs_pass_the_baseline_and_ipv6(county: Inventory, secret_env: None) -> None:
    """Every CLI device of the county, rendered (dual stack on), audited offline: no FAIL from the
    device baseline or IPv6 readiness; REVIEW only where a configuration cannot prove the rule."""
    snapshots = _rendered(county, {"egovnet_ipv6": True})
    run = audit(load_policies(["baseline", "ipv6"]), snapshots, county, mode="offline")
    fails = [(f.rule, f.entity, f.message) for f in run.findings if f.status == "FAIL"]
    assert fails == []
    assert {f.rule for f in run.findings if f.status == "REVIEW"} <= REVIEW_ONLY
    assert len(run.devices) == len(snapshots) > 200
