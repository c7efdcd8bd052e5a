"""``make demo``'s path, end to end, on a slice of the county: the core switches and one township.

The same ``egovnet demo`` the Makefile runs, through the real commands (twin, ansible-playbook,
egovnet audit/monitor/probe/report): every step must succeed, leave its record, and the dashboard
must be built from those records. The twin must be gone afterwards.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from child_processes import worker_offset

from egovnet.demo.capture import ATTACKS
from egovnet.devices.dialects import has_cli
from egovnet.inventory import load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.probes import scenarios

EGOVNET = str(Path(sys.executable).parent / "egovnet")
SLICE = "role_core:tw_rongkou"
TOWNSHIP = "rongkou"
RECAP = re.compile(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, repo: Path
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("demo")
    offset = worker_offset()
    args = [EGOVNET, "demo", "--limit", SLICE, "--township", TOWNSHIP, "--out", str(out)]
    args += ["--ssh-port", str(29022 + offset), "--snmp-port", str(23161 + offset)]
    args += ["--telnet-port", str(29122 + offset)]
    done = subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=900, check=False)
    return out, done


def _log(out: Path, key: str) -> str:
    (path,) = (out / "logs").glob(f"*-{key}.log")
    return path.read_text(encoding="utf-8")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_step_succeeds_and_the_demo_ends_with_the_dashboard(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, done = demo
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-6000:]
    keys = [p.name.split("-", 1)[1].removesuffix(".log") for p in sorted((out / "logs").glob("*.log"))]
    assert keys == [
        "lab-up", "site", "ipv6-wave", "ipv6-status", "audit", "monitor-1", "monitor-2",
        "probe-passive", "probe-active", "report", "lab-down",
    ]  # fmt: skip
    assert f"dashboard 态势大屏: {out / 'report' / 'index.html'}" in done.stdout
    assert "fibre_broadband_share" in done.stdout  # the indicator table is printed last


def test_site_yml_converged_every_served_cli_device(
    demo: tuple[Path, subprocess.CompletedProcess[str]], repo: Path
) -> None:
    out, _ = demo
    county = load_inventory(repo / "inventories" / "qimen")
    expected = {n for n in select_hosts(county, SLICE) if has_cli(county.devices[n].platform)}
    recap = {m.group(1): m.groups()[1:] for m in RECAP.finditer(_log(out, "site"))}
    assert set(recap) == expected
    assert all(r == ("1", "0", "0") for r in recap.values()), recap  # changed once, nothing failed


def test_the_township_wave_is_dual_stack_and_verified_by_the_devices(
    demo: tuple[Path, subprocess.CompletedProcess[str]], repo: Path
) -> None:
    out, _ = demo
    assert "Post-check gate - the device reaches the core over IPv6" in _log(out, "ipv6-wave")
    record = _json(out / "var" / "ipv6" / "status.json")
    county = load_inventory(repo / "inventories" / "qimen")
    township_sites = {s.id for s in county.sites.values() if s.township == TOWNSHIP}
    assert township_sites and all(record["sites"][s] == "verified" for s in township_sites), record["sites"]


def test_audit_monitor_and_probes_left_their_records(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = demo
    state = out / "var"
    assert len(list((state / "audits").glob("*.json"))) == 1
    assert _json(state / "monitor" / "snapshot.json")["indicators"]
    cycles = _json(out / "report" / "report.json")["indicators"]["cycles"]
    assert len(cycles) == 2 and all(c["answered"] > 0 for c in cycles)  # two cycles: rates and a trend
    passive = _log(out, "probe-passive")
    expected_rules = {scenarios.ATTACKS[name][1] for name in ATTACKS}
    assert expected_rules <= set(re.findall(r"NET-[A-Z0-9]+-\d+", passive)), passive
    active = _log(out, "probe-active")
    assert "--scope 127.0.0.0/8" in active.splitlines()[0] and "target(s)" in active, active


def test_the_dashboard_is_built_from_those_records(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = demo
    report = _json(out / "report" / "report.json")
    snapshot = _json(out / "var" / "monitor" / "snapshot.json")
    page = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert {r["id"]: r["value"] for r in report["indicators"]["rows"]} == {
        r["id"]: r["value"] for r in snapshot["indicators"]
    }
    assert report["audit"]["run_id"] == next((out / "var" / "audits").glob("*.json")).stem
    rules = {f["rule"] for f in report["probes"]["findings"]}
    assert {scenarios.ATTACKS[name][1] for name in ATTACKS} <= rules
    assert "<svg" in page and report["county"] in page


def test_the_twin_is_stopped(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = demo
    status = subprocess.run(
        [EGOVNET, "lab", "status", "--run-dir", str(out / "lab")], capture_output=True, text=True, check=False
    )
    assert status.returncode != 0, status.stdout
