"""The model reads each device's interface configuration once per configuration, and pings stay exact.

``LabDevice.interface_config`` is cached on the running tree's lines and ``LabNetwork.owner_of`` reads
that configuration instead of every interface's derived state (a ping on the whole county went from
about 0.45 s to a few hundredths). The answers must be the ones derived state gives, and an edit made
in place (a typed command) must be seen at once.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from cli_twin import topology

from egovnet.configparse import read_interface_config
from egovnet.inventory import load_inventory
from egovnet.lab.cli import CliSession, build_network, dialect_for
from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.runtime import build_network as build_county

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _owners_from_states(network: LabNetwork) -> dict[Address, LabDevice]:
    """Who answers each address, worked out from the derived interface state of every device."""
    owners: dict[Address, LabDevice] = {}
    for device in network.devices.values():
        if device.faults.device_down:
            continue
        for state in network.interface_states(device):
            if state.oper_up:
                for address in [*state.ipv4, *state.ipv6]:
                    owners.setdefault(address.ip, device)
    return owners


def _configured(network: LabNetwork) -> set[Address]:
    return {
        address.ip
        for device in network.devices.values()
        for conf in device.interface_config().values()
        for address in [*conf.ipv4, *conf.ipv6]
    }


@pytest.fixture
def ring() -> LabNetwork:
    specs, links = topology("127.66.253")
    return build_network(specs, links)


def test_in_place_edits_are_seen_at_once(ring: LabNetwork) -> None:
    device = ring.devices["HW5"]
    dialect = dialect_for(device)
    assert dialect is not None
    first = device.interface_config()
    first.clear()  # a caller's copy: the cache is not affected
    assert device.interface_config() == read_interface_config(device.running, "vrp5") != {}
    session = CliSession(ring, device, dialect)
    for line in ("system-view", "interface LoopBack7", "ip address 10.250.7.7 32", "return"):
        session.handle(line)
    loop = device.interface_config()["LoopBack7"]
    assert loop.ipv4 == [ipaddress.IPv4Interface("10.250.7.7/32")]
    assert ring.owner_of(ipaddress.IPv4Address("10.250.7.7")) is device
    for line in ("system-view", "interface LoopBack7", "shutdown", "return"):
        session.handle(line)
    assert device.interface_config()["LoopBack7"].shutdown
    assert ring.owner_of(ipaddress.IPv4Address("10.250.7.7")) is None


def test_owners_and_faults_agree_with_derived_state_on_the_ring(ring: LabNetwork) -> None:
    addresses = _configured(ring) | {ipaddress.IPv4Address("10.250.250.250")}
    assert any(a.version == 6 for a in addresses)
    for fault in (None, ("HW5", "GigabitEthernet0/0/1"), ("ISR1", "device")):
        if fault is not None and fault[1] == "device":
            ring.devices[fault[0]].faults.device_down = True
        elif fault is not None:
            ring.set_link_down(*fault)
        expected = _owners_from_states(ring)
        assert {a: ring.owner_of(a) for a in addresses} == {a: expected.get(a) for a in addresses}


def test_owners_agree_with_derived_state_on_the_county(qimen_path: Path) -> None:
    county = build_county(load_inventory(qimen_path))
    expected = _owners_from_states(county)
    sample = sorted(_configured(county), key=str)[::7]  # every 7th address: about two hundred
    assert len(sample) > 100
    assert {a: county.owner_of(a) for a in sample} == {a: expected.get(a) for a in sample}
