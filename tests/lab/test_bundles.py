"""Aggregated links (Eth-Trunk, Bridge-Aggregation, Port-channel): layer 3 lives on the aggregate.

The county's two core switches are joined by two 100GE ports bundled into Eth-Trunk1 with the
addresses on the trunk; an IPv6 migration gate between them must pass once both trunks are
dual-stack (the twin used to look for addresses on the member ports and found none).
"""

from __future__ import annotations

import pytest

from egovnet.configparse import interfaces_from_text, parse_printed
from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork, LinkSpec, PortSpec


def _core(name: str, index: int, trunk_v6: bool) -> LabDevice:
    spec = DeviceSpec(
        name,
        "huawei_vrp8",
        "core",
        "Huawei",
        "CE6881-48S6CQ",
        f"SN{index}",
        "V200R020C10SPC600",
        f"127.77.0.{index}",
        f"10.98.0.{index}/24",
        tuple(PortSpec(f"100GE1/0/{n}", 100000, f"00:e0:fc:00:0{index}:0{n}") for n in (1, 2)),
    )
    v6 = f" ipv6 enable\n ipv6 address 2001:DB8:1001::{index}/64\n" if trunk_v6 else ""
    text = (
        f"sysname {name}\n#\ninterface Eth-Trunk1\n undo portswitch\n"
        f" ip address 10.99.0.{index} 255.255.255.252\n{v6} mode lacp-static\n#\n"
        "interface 100GE1/0/1\n eth-trunk 1\n#\ninterface 100GE1/0/2\n eth-trunk 1\n#\n"
        f"interface LoopBack0\n ipv6 enable\n ipv6 address 2001:DB8:1000::{index}/128\n#\nreturn\n"
    )
    return LabDevice(spec, parse_printed(text))


def _pair(v6_on_a: bool = True, v6_on_b: bool = True) -> LabNetwork:
    links = [
        LinkSpec("core-a", f"100GE1/0/{n}", "core-b", f"100GE1/0/{n}", 100000, "fibre", "peer")
        for n in (1, 2)
    ]
    return LabNetwork([_core("core-a", 1, v6_on_a), _core("core-b", 2, v6_on_b)], links)


def test_ipv6_over_a_dual_stack_trunk() -> None:
    network = _pair()
    assert network.reachable("core-b", "2001:db8:1000::1")
    assert network.reachable("core-a", "10.99.0.2")


def test_trunk_without_ipv6_does_not_carry_it() -> None:
    network = _pair(v6_on_b=False)
    assert not network.reachable("core-b", "2001:db8:1000::1")
    assert network.reachable("core-b", "10.99.0.1")


def test_one_member_down_keeps_the_trunk_two_down_cut_it() -> None:
    network = _pair()
    network.set_link_down("core-a", "100GE1/0/1")
    assert network.reachable("core-b", "2001:db8:1000::1")
    network.set_link_down("core-a", "100GE1/0/2")
    assert not network.reachable("core-b", "2001:db8:1000::1")


@pytest.mark.parametrize(
    ("dialect", "member", "bundle"),
    [
        ("vrp5", "interface GigabitEthernet0/0/1\n eth-trunk 2\n", "Eth-Trunk2"),
        ("vrp8", "interface 100GE1/0/1\n eth-trunk 1\n", "Eth-Trunk1"),
        (
            "comware7",
            "interface GigabitEthernet1/0/1\n port link-aggregation group 3\n",
            "Bridge-Aggregation3",
        ),
        ("ios", "interface GigabitEthernet0/1\n channel-group 4 mode active\n", "Port-channel4"),
    ],
)
def test_membership_is_read_per_dialect(dialect: str, member: str, bundle: str) -> None:
    (conf,) = interfaces_from_text(member, dialect).values()
    assert conf.bundle == bundle
