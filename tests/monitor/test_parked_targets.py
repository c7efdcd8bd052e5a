"""Devices a twin's overlay parks are outside the poll, as if ``--limit`` had left them out.

A slice of the county (``lab up --limit``) parks every other device on 127.254.x.y; polling them only
reported the rest of the county as down (hundreds of alerts, every other site "down" on the dashboard).
Against the county inventory nothing is parked, and devices no profile polls keep their reason.
"""

from __future__ import annotations

from pathlib import Path

from egovnet.inventory import load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.overlay import is_parked, parked_address, served
from egovnet.monitor import paths
from egovnet.monitor.plan import load_plan
from egovnet.monitor.targets import build_targets

COUNTY = Path(__file__).resolve().parents[2] / "inventories" / "qimen"


def test_nothing_is_parked_in_the_county_inventory_and_aps_keep_their_reason() -> None:
    county = load_inventory(COUNTY)
    names = select_hosts(county, "tw_qishan")
    assert served(county, names) == names
    _, unpolled = build_targets(county, load_plan(paths.plan_file()), ["qishan-ap-01"])
    assert [u.name for u in unpolled] == ["qishan-ap-01"]
    assert unpolled[0].reason.startswith("reported by its wireless controller")


def test_a_parked_device_is_recognised_by_its_address() -> None:
    county = load_inventory(COUNTY)
    device = county.devices["qishan-tn-01"]
    parked = device.model_copy(update={"host": parked_address(str(device.mgmt_ipv4))})
    assert not is_parked(device) and is_parked(parked)
