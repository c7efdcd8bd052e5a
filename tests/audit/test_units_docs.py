"""The nightly schedule and the docs: systemd units that systemd accepts and that call options the
CLI has, and a rule catalogue in docs/audit.md that is the one the policies generate."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer.main

from egovnet.audit.catalogue import embedded, markdown
from egovnet.audit.policies import load_policies
from egovnet.cli.audit_cmd import app

UNITS = Path(__file__).resolve().parents[2] / "scripts" / "systemd"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_service_calls_existing_audit_options() -> None:
    service = _unit("egovnet-audit.service")
    command = shlex.split(service["Service"]["ExecStart"])
    assert command[0].endswith("/egovnet") and command[1] == "audit"
    known = {opt for param in typer.main.get_command(app).params for opt in param.opts + param.secondary_opts}
    used = [word for word in command[2:] if word.startswith("--")]
    assert used and set(used) <= known, set(used) - known
    assert service["Service"]["Type"] == "oneshot"


def test_timer_runs_nightly_and_catches_up() -> None:
    timer = _unit("egovnet-audit.timer")["Timer"]
    assert timer["OnCalendar"].startswith("*-*-*")
    assert timer["Persistent"] == "true" and timer["Unit"] == "egovnet-audit.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    for unit in ("egovnet-audit.service", "egovnet-audit.timer"):
        shutil.copy(UNITS / unit, tmp_path / unit)
    result = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            str(tmp_path / "egovnet-audit.timer"),
            str(tmp_path / "egovnet-audit.service"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line and "/opt/egovnet" not in line
    ]
    assert problems == []


def test_docs_rule_catalogue_is_current() -> None:
    """Regenerate with: egovnet audit rules --markdown (between the markers of docs/audit.md)."""
    assert embedded(DOCS.read_text(encoding="utf-8")) == markdown(load_policies())


def test_policy_counts() -> None:
    counts = {p.name: len(p.rules) for p in load_policies()}
    assert counts["baseline"] >= 25
    assert set(counts) == {"baseline", "firewall", "ids", "ipv6", "redundancy", "bandwidth", "coverage"}
