"""The poll plan: generated from the profiles, committed, and consistent with the inventory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from egovnet.cli import monitor_cmd
from egovnet.inventory import Inventory, load_inventory
from egovnet.monitor.plan import PlanError, build_plan, generate, load_plan, max_varbinds
from egovnet.monitor.profiles import load_intent


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def test_regenerating_the_plan_gives_no_diff(repo: Path) -> None:
    committed = (repo / "monitors" / "poll-plan.yml").read_text(encoding="utf-8")
    assert generate(repo / "monitors" / "profiles") == committed, "run `egovnet monitor generate`"


def test_every_inventory_device_has_exactly_one_profile(repo: Path, county: Inventory) -> None:
    plan = load_plan(repo / "monitors" / "poll-plan.yml")
    unpolled = {"huawei_fitap", "h3c_fitap", "website"}
    for device in county.devices.values():
        profile = plan.profile_for(device.platform, device.role)
        assert profile is not None, f"{device.name}: no profile for {device.platform}/{device.role}"
        assert profile.poll == (device.platform not in unpolled), device.name
    vrp_fw = plan.profile_for("huawei_vrp5", "firewall")
    vrp_tn = plan.profile_for("huawei_vrp5", "township_node")
    assert vrp_fw is not None and vrp_fw.name == "huawei_firewall"  # the role-specific profile wins
    assert vrp_tn is not None and vrp_tn.name == "huawei_vrp"


def test_vendor_limits_become_varbind_budgets(repo: Path) -> None:
    plan = load_plan(repo / "monitors" / "poll-plan.yml")
    budgets = {p.name: p.max_varbinds for p in plan.profiles if p.poll}
    assert budgets["h3c_comware"] == max_varbinds(1500) < budgets["huawei_vrp"] == max_varbinds(12000)
    assert all(1 <= b <= 200 for b in budgets.values())


def _intent_copy(repo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "profiles"
    shutil.copytree(repo / "monitors" / "profiles", target)
    return target


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "modules.yml",
            lambda d: d["modules"]["system"]["scalars"].append(
                {"metric": "cpu_load_percent", "object": "x", "oid": "1.3.6.1.4.1.1.1.0", "type": "gauge"}
            ),
            "metric cpu_load_percent defined twice",
        ),
        (
            "modules.yml",
            lambda d: d["modules"]["system"]["scalars"].append(
                {"metric": "again", "object": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "type": "gauge"}
            ),
            "OID 1.3.6.1.2.1.1.3.0 polled twice",
        ),
        (
            "modules.yml",
            lambda d: d["modules"]["if_mib"]["tables"][0]["lookups"].append(
                {"label": "site", "object": "x", "oid": "1.3.6.1.4.1.1.2"}
            ),
            "label site is an inventory label",
        ),
        ("olt.yml", lambda d: d["modules"].append("no_such_module"), "unknown module no_such_module"),
        ("cpe_5g.yml", lambda d: d["match"]["platforms"].append("linux"), "both claim the same devices"),
    ],
)
def test_generator_refuses_inconsistent_intent(
    repo: Path, tmp_path: Path, file: str, change: object, message: str
) -> None:
    profiles = _intent_copy(repo, tmp_path)
    _edit(profiles / file, change)
    with pytest.raises(PlanError, match=message):
        build_plan(load_intent(profiles))


def test_intent_validation_names_the_file(repo: Path, tmp_path: Path) -> None:
    profiles = _intent_copy(repo, tmp_path)
    _edit(profiles / "linux.yml", lambda d: d.update(timeout_s=-1))
    with pytest.raises(ValueError, match=r"linux\.yml"):
        load_intent(profiles)


def test_a_stale_plan_fails_the_check(repo: Path, tmp_path: Path) -> None:
    monitors = tmp_path / "monitors"
    shutil.copytree(repo / "monitors" / "profiles", monitors / "profiles")
    text = (repo / "monitors" / "poll-plan.yml").read_text(encoding="utf-8")
    (monitors / "poll-plan.yml").write_text(
        text.replace("timeout_s: 2.0", "timeout_s: 9.0", 1), encoding="utf-8"
    )
    runner = CliRunner()
    env = {"EGOVNET_MONITORS": str(monitors)}
    stale = runner.invoke(monitor_cmd.app, ["generate", "--check"], env=env)
    assert stale.exit_code == 1 and "stale" in stale.output
    assert runner.invoke(monitor_cmd.app, ["generate"], env=env).exit_code == 0
    assert (monitors / "poll-plan.yml").read_text(encoding="utf-8") == text
    fresh = runner.invoke(monitor_cmd.app, ["generate", "--check"], env=env)
    assert fresh.exit_code == 0 and "up to date" in fresh.output
