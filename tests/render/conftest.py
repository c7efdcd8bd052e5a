"""Fixtures for the renderer: the county, secrets in the environment, and parsed configs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_helpers import SECRET_ENV

from egovnet.inventory import Inventory, load_inventory
from egovnet.render import Renderer


@pytest.fixture(scope="session")
def secret_env() -> Iterator[None]:
    """The secrets the county's credentials.yml looks up, for the whole session."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRET_ENV.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="session")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


@pytest.fixture(scope="session")
def renderer(county: Inventory, secret_env: None) -> Renderer:
    return Renderer(county)


@pytest.fixture
def small_copy(small_path: Path, qimen_path: Path, tmp_path: Path) -> Path:
    """A private copy of the small test inventory, with the county's services and credentials.

    Tests add host variables to it; the shared inventories are never modified.
    """
    target = tmp_path / "small"
    shutil.copytree(small_path, target)
    for name in ("services.yml", "credentials.yml"):
        shutil.copy(qimen_path / "group_vars" / "all" / name, target / "group_vars" / "all" / name)
    return target
