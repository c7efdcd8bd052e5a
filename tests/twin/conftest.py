"""A twin of one township slice of the county, started once per test worker through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from twin_tools import worker_offset

EGOVNET = str(Path(sys.executable).with_name("egovnet"))
SLICE = "tw_qishan:qm-core-*:qm-5gagg-01"


@dataclass(frozen=True)
class RunningTwin:
    run_dir: Path
    overlay: Path
    ssh_port: int
    snmp_port: int


@pytest.fixture(scope="session")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[RunningTwin]:
    run_dir = tmp_path_factory.mktemp("twin")
    offset = worker_offset()
    ssh_port, snmp_port = 22022 + offset, 16161 + offset
    up = subprocess.run(
        [
            EGOVNET,
            "lab",
            "up",
            "--detach",
            "--limit",
            SLICE,
            "--run-dir",
            str(run_dir),
            "--ssh-port",
            str(ssh_port),
            "--snmp-port",
            str(snmp_port),
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert up.returncode == 0, up.stdout + up.stderr + (run_dir / "lab.log").read_text()
    yield RunningTwin(run_dir, run_dir / "inventory", ssh_port, snmp_port)
    subprocess.run([EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=repo, timeout=60, check=False)
