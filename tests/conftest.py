"""Shared fixtures: the county inventory (its path, and loaded once per worker), the small test
inventory, and the render secrets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from render_secrets import SECRET_ENV

from egovnet.inventory import Inventory, load_inventory

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


@pytest.fixture(scope="session")
def county(qimen_path: Path) -> Inventory:
    """The county inventory, loaded once per test worker; tests read it and never change it (a module
    that needs a private one defines its own ``county``)."""
    return load_inventory(qimen_path)


@pytest.fixture(scope="session")
def secret_env() -> Iterator[None]:
    """The secrets the county's credentials.yml looks up, in the environment for the whole session."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRET_ENV.items():
            patch.setenv(name, value)
        yield
