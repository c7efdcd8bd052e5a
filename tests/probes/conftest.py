"""Fixtures of the probe tests: the county's gateway table and one village LAN."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from traffic import Lan

from egovnet.inventory import Inventory
from egovnet.probes.gateways import GatewayTable, build_gateways


@pytest.fixture(scope="session")
def gateways(county: Inventory) -> GatewayTable:
    return build_gateways(county)


@pytest.fixture(scope="session")
def lan(county: Inventory, gateways: GatewayTable) -> Lan:
    return Lan(county, gateways, "qishan_v01")
