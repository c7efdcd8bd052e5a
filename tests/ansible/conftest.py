"""A twin of part of the county for the Ansible front's tests, started once per test module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ansible_twin import EGOVNET, AnsibleTwin, lab_up_args, worker_offset

from egovnet.inventory import load_inventory
from egovnet.lab.control import LabClient


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[AnsibleTwin]:
    run_dir = tmp_path_factory.mktemp("ansible-twin")
    up = subprocess.run(
        lab_up_args(run_dir, worker_offset()),
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    log = run_dir / "lab.log"
    assert up.returncode == 0, up.stdout + up.stderr + (log.read_text() if log.exists() else "")
    try:
        overlay = run_dir / "inventory"
        yield AnsibleTwin(run_dir, overlay, repo, load_inventory(overlay), LabClient(run_dir))
    finally:
        subprocess.run([EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=repo, timeout=60, check=False)
