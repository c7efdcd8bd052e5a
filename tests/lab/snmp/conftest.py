"""Fixtures of the SNMP agent tests: the hand-built twin (``snmp_twin.build_twin``) and its agent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from snmp_twin import AgentThread, build_twin

from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabNetwork


@pytest.fixture(scope="session")
def twin() -> LabNetwork:
    """The hand-built twin (shared; tests that change it restore it with ``restore_twin``)."""
    return build_twin()


@pytest.fixture(scope="session")
def agent(twin: LabNetwork) -> Iterator[AgentThread]:
    """The SNMP agent serving ``twin`` on 127.77.0.x:PORT."""
    runner = AgentThread(twin)
    yield runner
    runner.stop()


@pytest.fixture
def restore_twin(agent: AgentThread) -> Iterator[LabNetwork]:
    """The twin, with running configs, faults and cut links restored after the test."""
    network = agent.network
    saved: dict[str, ConfigNode] = {name: device.running.copy() for name, device in network.devices.items()}
    yield network

    def undo() -> None:
        for name, device in network.devices.items():
            device.running = saved[name]
            device.faults.clear()
        network.link_down.clear()

    agent.run(undo)
