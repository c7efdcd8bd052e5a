"""Fixtures of the audit tests: policies, the rule catalogue, a private copy of the small inventory,
and a digital twin on the audit tests' own ports (the county and its render secrets, ``secret_env``,
come from tests/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_rig import FOUR_DIALECTS, TWIN_DEVICES, AuditTwin
from casegen import base_text, mutate
from child_processes import detached_twin, worker_offset

from egovnet.audit.model import Policy, Rule
from egovnet.audit.policies import load_policies
from egovnet.inventory import Inventory, load_inventory


@pytest.fixture(scope="session")
def policies() -> list[Policy]:
    return load_policies()


@pytest.fixture(scope="session")
def rules(policies: list[Policy]) -> dict[str, Rule]:
    return {rule.id: rule for policy in policies for rule in policy.rules}


@pytest.fixture
def small_copy(small_path: Path, tmp_path: Path) -> Path:
    """A private copy of the small test inventory that a test may edit."""
    target = tmp_path / "small"
    shutil.copytree(small_path, target)
    return target


@pytest.fixture(scope="session")
def small(small_path: Path) -> Inventory:
    return load_inventory(small_path)


# -- the twin ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def audit_twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[AuditTwin]:
    """The four devices served over SSH/SNMP on 127.x, ports 25022/19161 + the xdist worker number."""
    run_dir = tmp_path_factory.mktemp("audit-twin")
    offset = worker_offset()
    ports = ("--ssh-port", str(25022 + offset), "--snmp-port", str(19161 + offset))
    with detached_twin(repo, run_dir, "--limit", ":".join(TWIN_DEVICES), *ports) as overlay:
        yield AuditTwin(run_dir, overlay, TWIN_DEVICES)


# -- a directory of backups in all four dialects ------------------------------------------------------
@pytest.fixture
def backups_dir(tmp_path: Path) -> Path:
    """The four compliant bases under inventory names, plus one insecure VRP V5 config the inventory
    does not know (``stray-sw.cfg``: dialect detected, telnet on, a community, one loghost)."""
    directory = tmp_path / "backups"
    directory.mkdir()
    for device, base in FOUR_DIALECTS.items():
        (directory / f"{device}.cfg").write_text(base_text(base), encoding="utf-8")
    insecure = {
        "add": ["telnet server enable", "snmp-agent community read cipher %^%#Secret1%^%# acl 2000"],
        "remove": ["^info-center loghost 192.0.2.13$"],
        "replace": [["^sysname fx-vrp5-sw$", "sysname stray-sw"]],
    }
    (directory / "stray-sw.cfg").write_text(mutate(base_text("vrp5"), insecure, "#"), encoding="utf-8")
    (directory / "README.md").write_text("not a configuration\n", encoding="utf-8")
    return directory
