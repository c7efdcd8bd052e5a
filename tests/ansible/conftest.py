"""A twin of part of the county for the Ansible front's tests, started once per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ansible_twin import AnsibleTwin, lab_up_options
from child_processes import detached_twin, worker_offset

from egovnet.inventory import load_inventory
from egovnet.lab.control import LabClient


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[AnsibleTwin]:
    run_dir = tmp_path_factory.mktemp("ansible-twin")
    with detached_twin(repo, run_dir, *lab_up_options(worker_offset())) as overlay:
        yield AnsibleTwin(run_dir, overlay, repo, load_inventory(overlay), LabClient(run_dir))
