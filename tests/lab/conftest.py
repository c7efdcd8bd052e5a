"""Fixtures for the twin's SSH CLI tests (helpers live in ``cli_twin``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cli_twin import PASSWORD, PORT, USERNAME, Lab, LoopThread, free_block, topology

from egovnet.lab.cli import build_network
from egovnet.lab.ssh_server import start_ssh


@pytest.fixture(scope="session")
def ssh_loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def cli_lab(ssh_loop: LoopThread) -> Iterator[Lab]:
    """A fresh twin per test module."""
    specs, links = topology(free_block())
    network = build_network(specs, links)
    ssh = ssh_loop.run(start_ssh(network, USERNAME, PASSWORD, port=PORT))
    yield Lab(network, ssh, ssh_loop)
    ssh_loop.run(ssh.stop())
