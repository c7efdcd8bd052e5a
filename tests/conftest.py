"""Shared fixtures: the county inventory and the small test inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QIMEN = REPO / "inventories" / "qimen"
SMALL = REPO / "tests" / "inventory_data" / "small"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def qimen_path() -> Path:
    return QIMEN


@pytest.fixture(scope="session")
def small_path() -> Path:
    return SMALL
