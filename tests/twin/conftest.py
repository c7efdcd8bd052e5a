"""A twin of one township slice of the county, started once per test worker through the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from child_processes import detached_twin, worker_offset

SLICE = "tw_qishan:qm-core-*:qm-5gagg-01"


@dataclass(frozen=True)
class RunningTwin:
    run_dir: Path
    overlay: Path
    ssh_port: int
    snmp_port: int


@pytest.fixture(scope="session")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[RunningTwin]:
    run_dir = tmp_path_factory.mktemp("twin")
    offset = worker_offset()
    ssh_port, snmp_port = 22022 + offset, 16161 + offset
    ports = ("--ssh-port", str(ssh_port), "--snmp-port", str(snmp_port))
    with detached_twin(repo, run_dir, "--limit", SLICE, *ports) as overlay:
        yield RunningTwin(run_dir, overlay, ssh_port, snmp_port)
