"""``egovnet probe`` commands in process: passive over a capture, status with its HTML report,
the gateway table check, and an active dry run that sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

from traffic import ATTACKS, Lan
from typer.testing import CliRunner

from egovnet.cli import main as cli
from egovnet.probes import craft


def _run(*args: str) -> str:
    done = CliRunner().invoke(cli.app, list(args))
    assert done.exit_code == 0, done.output + repr(done.exception)
    return done.stdout


def test_passive_capture_then_status(lan: Lan, tmp_path: Path, qimen_path: Path, repo: Path) -> None:
    frames = ATTACKS["ARP spoofing with replies"][0](lan) + ATTACKS["telnet to a device"][0](lan)
    capture = craft.write_pcap(tmp_path / "c.pcap", sorted(frames))
    state = str(tmp_path / "state")
    common = ["-i", str(qimen_path), "--gateways", str(repo / "monitors" / "probe-gateways.yml")]
    result = json.loads(
        _run(
            "probe",
            "passive",
            "--pcap",
            str(capture),
            "--site",
            lan.site,
            "--state-dir",
            state,
            "--json",
            *common,
        )
    )
    assert sorted(f["rule"] for f in result["findings"]) == ["NET-ARP-001", "NET-MGMT-001"]
    assert result["stats"]["frames"] == len(frames) and len(result["alerts"]) == 2
    html = tmp_path / "report.html"
    status = json.loads(_run("probe", "status", "--state-dir", state, "--html", str(html), "--json"))
    assert status["last_run"]["source"] == str(capture)
    assert {("site", lan.site), ("zone", "management")} <= {(s["kind"], s["key"]) for s in status["scores"]}
    page = html.read_text(encoding="utf-8")
    assert "NET-ARP-001" in page and "NET-MGMT-001" in page
    assert "no open findings" not in _run("probe", "status", "--state-dir", state)


def test_passive_needs_exactly_one_source(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli.app, ["probe", "passive", "--state-dir", str(tmp_path)])
    assert done.exit_code == 2 and "exactly one" in done.output


def test_gateway_table_check(qimen_path: Path, repo: Path) -> None:
    output = repo / "monitors" / "probe-gateways.yml"
    assert "up to date" in _run(
        "probe", "gateways", "-i", str(qimen_path), "--check", "--output", str(output)
    )


def test_active_dry_run_sends_nothing(qimen_path: Path, tmp_path: Path) -> None:
    result = json.loads(
        _run("probe", "active", "-i", str(qimen_path), "--limit", "qishan-v01-sw-01", "--dry-run", "--json")
    )
    planned = result["planned"]
    assert len(planned) == 8 + 2 and all("10.98.1.5" in line for line in planned)
    assert not (tmp_path / "probes.sqlite").exists()
