"""The Nornir plugin and ansible-inventory must see the same county: hosts, groups and hostvars."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from nornir import InitNornir

ANSIBLE_INVENTORY = str(Path(sys.executable).with_name("ansible-inventory"))


@pytest.fixture(scope="module")
def ansible_view(qimen_path: Path, repo: Path) -> dict[str, Any]:
    env = {**os.environ, "ANSIBLE_CONFIG": str(repo / "ansible.cfg")}
    out = subprocess.run(
        [ANSIBLE_INVENTORY, "-i", str(qimen_path), "--list"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=repo,
    )
    assert "WARNING" not in out.stderr, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def nornir_view(qimen_path: Path) -> Any:
    return InitNornir(
        inventory={"plugin": "EgovnetInventory", "options": {"path": str(qimen_path)}},
        logging={"enabled": False},
    )


def test_same_hosts(ansible_view: dict[str, Any], nornir_view: Any) -> None:
    ansible_hosts = set(ansible_view["_meta"]["hostvars"])
    assert len(ansible_hosts) == 631
    assert set(nornir_view.inventory.hosts) == ansible_hosts


def test_same_hostvars_for_every_host(ansible_view: dict[str, Any], nornir_view: Any) -> None:
    hostvars = ansible_view["_meta"]["hostvars"]
    mismatched = [name for name, host in nornir_view.inventory.hosts.items() if host.data != hostvars[name]]
    assert mismatched == []
    core = nornir_view.inventory.hosts["qm-core-01"]
    assert core.hostname == "10.98.0.1" and core.platform == "huawei_vrpv8"
    assert core.get_connection_parameters("napalm").platform == "huawei_vrp"


def test_same_groups_and_memberships(ansible_view: dict[str, Any], nornir_view: Any) -> None:
    groups = {name: body for name, body in ansible_view.items() if name not in ("_meta", "all")}
    nornir_groups = nornir_view.inventory.groups
    for name, body in groups.items():
        assert name in nornir_groups, name
        members = {h for h, host in nornir_view.inventory.hosts.items() if host.has_parent_group(name)}
        direct = set(body.get("hosts", []))
        assert direct <= members, name
        assert set(body.get("children", [])) == {
            g for g, group in nornir_groups.items() if any(p.name == name for p in group.groups)
        }, name
    # empty groups (ungrouped) are the only ones ansible-inventory leaves out
    assert set(nornir_groups) - set(groups) <= {"ungrouped"}
    # a village host: site group, constructed platform/role/level groups, township via the site group
    host = nornir_view.inventory.hosts["qishan-v01-sw-01"]
    assert {g.name for g in host.groups} == {
        "site_qishan_v01",
        "platform_huawei_vrp5",
        "role_access",
        "level_village",
    }
    assert host.has_parent_group("tw_qishan") and host.has_parent_group("townships")
