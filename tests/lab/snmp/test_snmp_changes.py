"""Changes to the live model (config edits, counters, reboots) are visible over SNMP at once."""

from __future__ import annotations

import time

from snmp_twin import AgentThread, get, walk

from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabNetwork

IF_ADMIN, IF_OPER = "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8"
LLDP_REM_SYSNAME = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 9)


def ifindex(network: LabNetwork, device: str, name: str) -> int:
    index: int = network.devices[device].ifindex[name]
    return index


def add_line(network: LabNetwork, device: str, section: str, line: str) -> None:
    """What ``system-view`` + ``interface X`` + ``line`` does to the running config."""
    network.devices[device].running.ensure(section).children.append(ConfigNode(line))


def test_shutdown_takes_the_link_down_on_both_ends(agent: AgentThread, restore_twin: LabNetwork) -> None:
    core = ifindex(restore_twin, "core-01", "GE1/0/1")
    agg = ifindex(restore_twin, "agg-01", "GigabitEthernet1/0/1")
    core_before = get("core-01", f"{IF_ADMIN}.{core}", f"{IF_OPER}.{core}")
    assert list(core_before.values()) == [1, 1]
    assert any(value == b"agg-01" for _, value in walk("core-01", "1.0.8802.1.1.2.1.4.1.1.9"))

    agent.run(add_line, restore_twin, "core-01", "interface GE1/0/1", "shutdown")

    assert list(get("core-01", f"{IF_ADMIN}.{core}", f"{IF_OPER}.{core}").values()) == [2, 2]
    assert list(get("agg-01", f"{IF_ADMIN}.{agg}", f"{IF_OPER}.{agg}").values()) == [1, 2]
    # LLDP ages the neighbour out on both sides
    assert not any(value == b"agg-01" for _, value in walk("core-01", "1.0.8802.1.1.2.1.4.1.1.9"))
    assert not any(value == b"core-01" for _, value in walk("agg-01", "1.0.8802.1.1.2.1.4.1.1.9"))
    # the address stays configured but is no longer usable: ipAddressStatus inaccessible(4)
    status = get("core-01", "1.3.6.1.2.1.4.34.1.7.1.4.10.99.0.1")
    assert list(status.values()) == [4]


def test_new_ipv6_address_adds_a_row(agent: AgentThread, restore_twin: LabNetwork) -> None:
    index = ifindex(restore_twin, "rtr-01", "GigabitEthernet0/1")
    # 2001:db8:99:4::2 = 20 01 0d b8 00 99 00 04 00 00 00 00 00 00 00 02
    row = "1.3.6.1.2.1.4.34.1.3.2.16.32.1.13.184.0.153.0.4.0.0.0.0.0.0.0.2"
    assert list(get("rtr-01", row).values()) == ["noSuchInstance"]

    agent.run(
        add_line, restore_twin, "rtr-01", "interface GigabitEthernet0/1", "ipv6 address 2001:db8:99:4::2/64"
    )

    assert list(get("rtr-01", row).values()) == [index]
    prefixes = walk("rtr-01", "1.3.6.1.2.1.4.34.1.5.2.16.32.1.13.184.0.153.0.4")
    assert {value for _, value in prefixes} == {
        (1, 3, 6, 1, 2, 1, 4, 32, 1, 5, index, 2, 16, 32, 1, 13, 184, 0, 153, 0, 4, *[0] * 8, 64)
    }


def test_vrp_needs_ipv6_enable_like_the_device(agent: AgentThread, restore_twin: LabNetwork) -> None:
    """On VRP an ``ipv6 address`` without ``ipv6 enable`` is inert; the MIB must agree with the model."""
    row = "1.3.6.1.2.1.4.34.1.3.2.16.32.1.13.184.0.153.0.2.0.0.0.0.0.0.0.1"  # 2001:db8:99:2::1
    agent.run(add_line, restore_twin, "core-01", "interface GE1/0/2", "ipv6 address 2001:db8:99:2::1/64")
    assert list(get("core-01", row).values()) == ["noSuchInstance"]
    agent.run(add_line, restore_twin, "core-01", "interface GE1/0/2", "ipv6 enable")
    assert list(get("core-01", row).values()) == [ifindex(restore_twin, "core-01", "GE1/0/2")]


def test_sysname_and_location_follow_the_config(agent: AgentThread, restore_twin: LabNetwork) -> None:
    def rename() -> None:
        running = restore_twin.devices["agg-01"].running
        running.remove_where(lambda node: node.text.startswith(("sysname ", "snmp-agent sys-info location ")))
        running.children += [
            ConfigNode("sysname agg-01-new"),
            ConfigNode("snmp-agent sys-info location rack 7"),
        ]

    agent.run(rename)
    values = get("agg-01", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0")
    assert list(values.values()) == [b"agg-01-new", b"rack 7"]
    # ... and the neighbour's LLDP table shows the new name too
    assert b"agg-01-new" in [value for _, value in walk("core-01", "1.0.8802.1.1.2.1.4.1.1.9")]


def test_hc_counters_grow_and_counter32_wraps(agent: AgentThread, restore_twin: LabNetwork) -> None:
    device = restore_twin.devices["core-01"]
    index = device.ifindex["GE1/0/1"]  # 10G link, up
    hc, c32 = f"1.3.6.1.2.1.31.1.1.1.6.{index}", f"1.3.6.1.2.1.2.2.1.10.{index}"
    first = get("core-01", hc)
    time.sleep(0.3)
    second = get("core-01", hc)
    assert next(iter(second.values())) > next(iter(first.values())) > 0

    # Put the interface's octet count just below 2^32 (the model keeps the running total privately);
    # 10 Gb/s at a few percent crosses 2^32 within milliseconds.
    def near_wrap() -> None:
        device.counter("GE1/0/1", 10000, True)
        device._counters["GE1/0/1"].in_octets = 2**32 - 1

    agent.run(near_wrap)
    time.sleep(0.2)
    both = get("core-01", hc, c32)  # one PDU: one snapshot of the counter
    hc_value, c32_value = (both[tuple(int(x) for x in name.split("."))] for name in (hc, c32))
    assert hc_value >= 2**32
    assert c32_value == hc_value % 2**32
    assert c32_value < 2**31  # it wrapped round, it did not saturate


def test_reboot_restarts_uptime_and_counters(agent: AgentThread, restore_twin: LabNetwork) -> None:
    device = restore_twin.devices["olt-01"]
    index = device.ifindex["0/9/0"]
    agent.run(setattr, device, "boot_time", device.boot_time - 1000)
    get("olt-01", f"1.3.6.1.2.1.31.1.1.1.6.{index}")  # the traffic model starts counting at the first read
    time.sleep(0.2)
    before = get("olt-01", "1.3.6.1.2.1.1.3.0", f"1.3.6.1.2.1.31.1.1.1.6.{index}")
    time.sleep(0.1)
    agent.run(device.reboot)
    after = get("olt-01", "1.3.6.1.2.1.1.3.0", f"1.3.6.1.2.1.31.1.1.1.6.{index}")
    uptime_before, octets_before = before.values()
    uptime_after, octets_after = after.values()
    assert uptime_before >= 100_000 > uptime_after
    assert octets_after < octets_before
