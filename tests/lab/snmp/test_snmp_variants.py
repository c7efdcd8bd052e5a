"""Variant A (an engine per device) against variant B (one shared engine), and agent start-up rules."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import pytest
from snmp_twin import CREDENTIALS, PORT, V3, AgentThread, build_twin, get

from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.snmp import start_snmp
from egovnet.lab.snmp.agent import per_device_engine_id

ENGINE_ID = "1.3.6.1.6.3.10.2.1.1.0"
ENGINE_ID_OID = (1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0)


@pytest.fixture(scope="module")
def variant_a() -> Iterator[AgentThread]:
    """A second twin, served with one engine per device on another port."""
    runner = AgentThread(build_twin(), port=PORT + 100, engine_per_device=True)
    yield runner
    runner.stop()


def test_variant_b_shares_one_engine_id(agent: AgentThread) -> None:
    ids = {get(device, ENGINE_ID)[ENGINE_ID_OID] for device in ("core-01", "olt-01")}
    assert ids == {agent.lab.engine_id("core-01")}


def test_variant_a_has_an_engine_id_per_device(variant_a: AgentThread) -> None:
    port = variant_a.port
    for device in ("core-01", "olt-01", "cpe-01"):
        served = get(device, ENGINE_ID, "1.3.6.1.2.1.1.5.0", auth=V3, port=port)
        expected_id = per_device_engine_id(variant_a.network.devices[device])
        assert served == {ENGINE_ID_OID: expected_id, (1, 3, 6, 1, 2, 1, 1, 5, 0): device.encode()}
        assert variant_a.lab.engine_id(device) == expected_id
    all_ids = {per_device_engine_id(d) for d in variant_a.network.devices.values()}
    assert len(all_ids) == len(variant_a.network.devices)


def test_only_loopback_addresses_are_served(twin: LabNetwork) -> None:
    outside = twin.devices["olt-01"]
    stray = LabDevice(replace(outside.spec, name="stray", address="192.0.2.10"), outside.running.copy())
    network = LabNetwork([stray], [])
    with pytest.raises(ValueError, match=r"outside 127\.0\.0\.0/8"):
        asyncio.run(start_snmp(network, CREDENTIALS, PORT + 200))


def test_a_taken_address_is_reported_with_the_device_name(agent: AgentThread, twin: LabNetwork) -> None:
    with pytest.raises(OSError, match=r"core-01: cannot bind 127\.77\.0\.1"):
        asyncio.run(start_snmp(twin, CREDENTIALS, PORT))
