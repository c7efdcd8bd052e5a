"""``egovnet inventory check`` and ``--version`` as an engineer runs them (a real subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

EGOVNET = str(Path(sys.executable).with_name("egovnet"))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EGOVNET, *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False)


def test_version(repo: Path) -> None:
    out = _run("--version", cwd=repo)
    assert out.returncode == 0 and out.stdout.startswith("egovnet 0.")


def test_check_prints_the_county_summary(repo: Path) -> None:
    out = _run("inventory", "check", cwd=repo)  # ansible.cfg names inventories/qimen
    assert out.returncode == 0, out.stderr
    assert "inventory OK" in out.stdout and "580 devices" in out.stdout and "145,644 residents" in out.stdout
    assert "Links by medium" in out.stdout


def test_check_json(repo: Path) -> None:
    out = _run("inventory", "check", "inventories/qimen", "--json", cwd=repo)
    data = json.loads(out.stdout)
    assert data["valid"] is True
    assert data["sites_by_level"] == {"county": 1, "department": 50, "township": 18, "village": 157}
    assert data["townships_by_kind"] == {"town": 10, "xiang": 8}
    assert data["links_by_medium"]["5g"] == data["devices_by_role"]["cpe_5g"]


def test_broken_inventory_exits_2_with_every_error_and_no_traceback(
    tmp_path: Path, small_path: Path, repo: Path
) -> None:
    target = tmp_path / "broken"
    shutil.copytree(small_path, target)
    hosts = target / "hosts.yml"
    text = hosts.read_text(encoding="utf-8")
    text = text.replace("platform: huawei_vrp8", "platform: junos", 1).replace("10.98.1.3", "10.98.1.2")
    hosts.write_text(text, encoding="utf-8")
    out = _run("inventory", "check", str(target), cwd=repo)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert "2 inventory error(s)" in out.stderr
    assert "hosts.yml" in out.stderr and "unknown platform 'junos'" in out.stderr
    assert "management address 10.98.1.2 is already used by alpha-v01-sw-01" in out.stderr
    js = _run("inventory", "check", str(target), "--json", cwd=repo)
    assert js.returncode == 2
    errors = json.loads(js.stdout)["errors"]
    assert {e["reason"].split(" (")[0] for e in errors} >= {"unknown platform 'junos'"}
    assert all(set(e) == {"file", "key", "reason"} for e in errors)


def test_missing_inventory_path(repo: Path) -> None:
    out = _run("inventory", "check", "inventories/nowhere", cwd=repo)
    assert out.returncode == 2 and "inventory path does not exist" in out.stderr
