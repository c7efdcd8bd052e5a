"""Fixtures for the renderer: the county's renderer (secrets in the environment), an inventory copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from egovnet.inventory import Inventory
from egovnet.render import Renderer


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
