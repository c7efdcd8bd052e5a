"""Fixtures of the audit tests: policies, the rule catalogue, a private copy of the small inventory,
the county with its render secrets, and a digital twin on the audit tests' own ports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from casegen import base_text, mutate

from egovnet.audit.model import Policy, Rule
from egovnet.audit.policies import load_policies
from egovnet.inventory import Inventory, load_inventory

EGOVNET = str(Path(sys.executable).with_name("egovnet"))

#: Secrets the county's credentials.yml and the renderer look up (test values, device hash formats).
SECRET_ENV = {
    "EGOVNET_SNMP_USER": "nmsuser",
    "EGOVNET_SNMP_AUTH_KEY": "Auth-Key-0123",
    "EGOVNET_SNMP_PRIV_KEY": "Priv-Key-4567",
    "EGOVNET_NTP_KEY": "Ntp-Key-89ab",
    "EGOVNET_ADMIN_HASH_HUAWEI_VRP5": "$1c$salt0001$0123456789abcdefghijklmnopqrstuvwxyz$",
    "EGOVNET_ADMIN_HASH_HUAWEI_VRP8": "$1c$salt0002$0123456789abcdefghijklmnopqrstuvwxyz$",
    "EGOVNET_ADMIN_HASH_H3C_COMWARE7": "$h$6$salt0003$0123456789abcdefghijklmnopqrstuvwxyz==",
    "EGOVNET_ADMIN_HASH_CISCO_IOS": "$9$salt0004salt04$0123456789abcdefghijklmnopqrstuvwxyzABCDE",
}


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


@pytest.fixture(scope="session")
def secret_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRET_ENV.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


# -- the twin ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditTwin:
    run_dir: Path
    overlay: Path
    devices: tuple[str, ...]


#: One CLI device per dialect, and the village and department sites they serve.
TWIN_DEVICES = ("qm-dagg-01", "qishan-v01-sw-01", "jinzipai-v01-sw-01", "dept-xianwei-sw-01")


def worker_offset() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0


@pytest.fixture(scope="module")
def audit_twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[AuditTwin]:
    """The four devices served over SSH/SNMP on 127.x, ports 25022/19161 + the xdist worker number."""
    run_dir = tmp_path_factory.mktemp("audit-twin")
    offset = worker_offset()
    up = subprocess.run(
        [
            EGOVNET,
            "lab",
            "up",
            "--detach",
            "--limit",
            ":".join(TWIN_DEVICES),
            "--run-dir",
            str(run_dir),
            "--ssh-port",
            str(25022 + offset),
            "--snmp-port",
            str(19161 + offset),
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert up.returncode == 0, up.stdout + up.stderr
    try:
        yield AuditTwin(run_dir, run_dir / "inventory", TWIN_DEVICES)
    finally:
        subprocess.run([EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=repo, timeout=60, check=False)


# -- a directory of backups in all four dialects ------------------------------------------------------
#: Small-inventory device -> base configuration of its dialect (fixtures/base).
FOUR_DIALECTS = {
    "alpha-v01-sw-01": "vrp5",
    "core-01": "vrp8",
    "alpha-tn-01": "comware7",
    "alpha-v02-sw-01": "ios",
}


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
