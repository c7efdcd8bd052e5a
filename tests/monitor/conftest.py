"""Fixtures of the monitor tests: the whole county as a twin (once per test worker) and its model.

The twin runs detached through the real ``egovnet lab up`` on SSH port 26022 and SNMP port 20161
plus the pytest-xdist worker number. ``model`` is the same county built in-process from the same
inventory (not served): expected values are computed from it by hand, never by the monitor's code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parents[1] / "alerts"))  # the receivers in alert_rig.py
from child_processes import detached_twin, worker_offset
from monitor_rig import SNMP_PORT, SSH_PORT, Twin

from egovnet.inventory import Inventory, load_inventory
from egovnet.lab.control import LabClient
from egovnet.lab.model import LabNetwork
from egovnet.lab.runtime import build_network


@pytest.fixture(scope="session")
def model(county: Inventory) -> LabNetwork:
    """The county twin's model, in-process, fault-free (for hand-computed expectations)."""
    return build_network(county)


@pytest.fixture(scope="session")
def county_twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[Twin]:
    """The whole county served over SNMP (and SSH) on 127.x addresses."""
    run_dir = tmp_path_factory.mktemp("county-twin")
    offset = worker_offset()
    ports = ("--ssh-port", str(SSH_PORT + offset), "--snmp-port", str(SNMP_PORT + offset))
    with detached_twin(repo, run_dir, *ports) as overlay:
        yield Twin(run_dir, overlay, SNMP_PORT + offset, LabClient(run_dir))


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
