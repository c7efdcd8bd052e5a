"""Fixtures of the monitor tests: the whole county as a twin (once per test worker) and its model.

The twin runs detached through the real ``egovnet lab up`` on SSH port 26022 and SNMP port 20161
plus the pytest-xdist worker number. ``model`` is the same county built in-process from the same
inventory (not served): expected values are computed from it by hand, never by the monitor's code.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parents[1] / "alerts"))  # the receivers in alert_rig.py
from monitor_rig import EGOVNET, SNMP_PORT, SSH_PORT, Twin, worker_offset

from egovnet.inventory import Inventory, load_inventory
from egovnet.lab.control import LabClient
from egovnet.lab.model import LabNetwork
from egovnet.lab.runtime import build_network


@pytest.fixture(scope="session")
def county(qimen_path: Path) -> Inventory:
    """The county inventory (the source of truth the twin and the monitor both read)."""
    return load_inventory(qimen_path)


@pytest.fixture(scope="session")
def model(county: Inventory) -> LabNetwork:
    """The county twin's model, in-process, fault-free (for hand-computed expectations)."""
    return build_network(county)


@pytest.fixture(scope="session")
def county_twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[Twin]:
    """The whole county served over SNMP (and SSH) on 127.x addresses."""
    run_dir = tmp_path_factory.mktemp("county-twin")
    offset = worker_offset()
    up = subprocess.run(
        [
            EGOVNET,
            "lab",
            "up",
            "--detach",
            "--run-dir",
            str(run_dir),
            "--ssh-port",
            str(SSH_PORT + offset),
            "--snmp-port",
            str(SNMP_PORT + offset),
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    log = run_dir / "lab.log"
    assert up.returncode == 0, up.stdout + up.stderr + (log.read_text() if log.exists() else "")
    lab = LabClient(run_dir)
    try:
        yield Twin(run_dir, run_dir / "inventory", SNMP_PORT + offset, lab)
    finally:
        subprocess.run([EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=repo, timeout=60, check=False)


@pytest.fixture(scope="session")
def overlay(county_twin: Twin) -> Inventory:
    """The county inventory pointed at the twin (addresses, lab credentials, SNMP port)."""
    return load_inventory(county_twin.overlay)


@pytest.fixture
def healed(county_twin: Twin) -> Iterator[Twin]:
    """The twin, with every fault cleared after the test (tests share one twin per worker)."""
    try:
        yield county_twin
    finally:
        county_twin.lab.heal()
