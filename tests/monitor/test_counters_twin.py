"""Counter32 wraps and an agent reboot on the twin's own SNMP agent (in-process, on a free port).

The county core's 100G links carry 0.25 to 4 GB/s in the twin's traffic model, so their 32-bit
ifInOctets wrap every few seconds while ifHCInOctets does not: the wrap-corrected 32-bit rate must
equal the 64-bit rate exactly. A reboot (uptime and counters restart) must yield no rate at all for
one cycle, never a negative or absurd one.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from monitor_rig import free_port

from egovnet.inventory import Inventory
from egovnet.lab.model import LabNetwork
from egovnet.lab.runtime import build_network
from egovnet.lab.snmp import SnmpCredentials, SnmpLab, start_snmp
from egovnet.monitor.plan import load_plan
from egovnet.monitor.poller import Poller
from egovnet.monitor.rates import Clock, interval, rate
from egovnet.monitor.snmp import Endpoint, SnmpAuth, SnmpClient, oid_of
from egovnet.monitor.targets import Target
from egovnet.monitor.walk import collect

CREDENTIALS = SnmpCredentials("wrap-test-ro", "wrap", "authpass-123", "privpass-123")
IN_OCTETS, HC_IN_OCTETS = oid_of("1.3.6.1.2.1.2.2.1.10"), oid_of("1.3.6.1.2.1.31.1.1.1.6")
IF_SPEED_MBPS = oid_of("1.3.6.1.2.1.31.1.1.1.15")
UPTIME = oid_of("1.3.6.1.2.1.1.3.0")


class Agent:
    """The twin's SNMP agent on its own loop in a thread (the way ``egovnet lab up`` runs it)."""

    def __init__(self, network: LabNetwork, port: int) -> None:
        self.network = network
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.lab: SnmpLab = self.call(start_snmp(network, CREDENTIALS, port))

    def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def reboot(self, device: str) -> None:
        async def power_cycle() -> None:
            self.network.devices[device].reboot()

        self.call(power_cycle())

    def stop(self) -> None:
        async def close() -> None:
            self.lab.close()

        self.call(close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def agent(county: Inventory) -> Iterator[Agent]:
    running = Agent(build_network(county, "qm-core-*:qm-dagg-*"), free_port())
    yield running
    running.stop()


def _endpoint(agent: Agent, name: str) -> Endpoint:
    address = agent.network.devices[name].spec.address
    return Endpoint(name, address, agent.port, SnmpAuth(2, CREDENTIALS.community), 3.0, 1)


def test_counter32_wrap_gives_the_hc_rate(agent: Agent) -> None:
    async def sample(client: SnmpClient) -> tuple[Clock, dict[tuple[int, ...], tuple[int, int, int]]]:
        got = await collect(client, "qm-core-01", [UPTIME], [IN_OCTETS, HC_IN_OCTETS, IF_SPEED_MBPS], 200)
        rows = {
            index: (int(low), int(got.columns[HC_IN_OCTETS][index]), int(got.columns[IF_SPEED_MBPS][index]))  # type: ignore[arg-type]
            for index, low in got.columns[IN_OCTETS].items()
        }
        return Clock(int(got.scalars[UPTIME]), time.time()), rows  # type: ignore[arg-type]

    async def until_wrap() -> tuple[int, int]:
        client = SnmpClient()
        client.register([_endpoint(agent, "qm-core-01")])
        wraps = checked = 0
        try:
            clock, rows = await sample(client)
            for _ in range(40):  # bounded: at most ~20 s
                await asyncio.sleep(0.5)
                now, later = await sample(client)
                elapsed = interval(clock, now)
                for index, (low, high, speed) in later.items():
                    old_low, old_high, _ = rows[index]
                    if speed < 100_000 or high == old_high:
                        continue
                    ceiling = speed * 1e6 / 8
                    r32 = rate(old_low, low, 32, elapsed, ceiling=ceiling).value
                    r64 = rate(old_high, high, 64, elapsed, ceiling=ceiling).value
                    assert r64 is not None and r64 > 0
                    assert low == high % 2**32  # the 32-bit column is the low half of the same count
                    if high - old_high < 2**32:  # at most one wrap between the samples
                        assert r32 == pytest.approx(r64)
                        checked += 1
                        wraps += (high >> 32) != (old_high >> 32)
                    else:  # aliased (more than one wrap): lower, never negative or above the line rate
                        assert r32 is None or 0 <= r32 < r64
                clock, rows = now, later
                if wraps >= 2:
                    break
        finally:
            client.close()
        return wraps, checked

    wraps, checked = asyncio.run(until_wrap())
    assert wraps >= 1 and checked > wraps


def test_reboot_discards_one_cycle_of_rates(agent: Agent, repo: Path) -> None:
    plan = load_plan(repo / "monitors" / "poll-plan.yml")
    profile = plan.profile_for("huawei_vrp8", "core")
    assert profile is not None
    spec = agent.network.devices["qm-core-02"].spec
    labels = {
        "device": spec.name,
        "site": spec.site_id,
        "level": "county",
        "role": "core",
        "platform": spec.platform,
    }
    target = Target(spec.name, profile, _endpoint(agent, spec.name), labels)

    async def cycles() -> list[Any]:
        poller = Poller(plan, [target])
        try:
            result = [await poller.cycle()]
            for step in range(3):
                await asyncio.sleep(1.0)
                if step == 1:
                    await asyncio.to_thread(agent.reboot, spec.name)
                result.append(await poller.cycle())
            return result
        finally:
            poller.close()

    devices = [s.devices[spec.name] for s in asyncio.run(cycles())]
    assert [d.health.restarted for d in devices] == [False, False, True, False]
    for device in devices:
        assert device.up
        for row in device.tables["interface"]:
            for metric in ("if_in_bits_per_second", "if_out_bits_per_second"):
                if metric in row.values:
                    assert 0 <= row.values[metric] <= row.values["if_high_speed_mbps"] * 1e6 * 1.1
    rated = [sum("if_in_bits_per_second" in r.values for r in d.tables["interface"]) for d in devices]
    assert rated[0] == 0 and rated[1] > 0 and rated[2] == 0 and rated[3] == rated[1]
    assert devices[2].health.discards["agent_restart"] == 4 * rated[1]
