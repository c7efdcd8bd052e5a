"""`egovnet verify failover` on the twin: a 5G-backed village survives, a single-homed site does not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from egovnet.inventory import load_inventory
from egovnet.verify.failover import FailoverError, plan_drill

EGOVNET = str(Path(sys.executable).with_name("egovnet"))


def _failover(twin, site: str) -> tuple[int, dict[str, object]]:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [
            EGOVNET,
            "verify",
            "failover",
            "--site",
            site,
            "-i",
            str(twin.overlay),
            "--twin",
            str(twin.run_dir),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return out.returncode, json.loads(out.stdout[out.stdout.index("{") :])


def test_village_with_a_5g_backup_fails_over(twin) -> None:  # type: ignore[no-untyped-def]
    inventory = load_inventory(twin.overlay)
    assert any(inventory.devices[d].role == "cpe_5g" for d in inventory.sites["qishan_v01"].devices)
    code, result = _failover(twin, "qishan_v01")
    assert code == 0 and result["ok"] is True
    assert result["baseline"] and result["during"] and result["restored"]
    assert any("5g" in str(b) for b in result["backups"])  # type: ignore[attr-defined]
    status = json.loads(
        subprocess.run(
            [EGOVNET, "lab", "status", "--json", "--run-dir", str(twin.run_dir)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert status["faults"] == {}  # the primary was restored


def test_single_homed_community_is_reported(twin) -> None:  # type: ignore[no-untyped-def]
    code, result = _failover(twin, "qishan_c01")
    assert (
        code == 1 and result["baseline"] is True and result["during"] is False and result["restored"] is True
    )
    assert result["backups"] == []


def test_unknown_site_is_refused(qimen_path: Path) -> None:
    with pytest.raises(FailoverError, match="site 'nowhere' does not exist"):
        plan_drill(load_inventory(qimen_path), "nowhere")
