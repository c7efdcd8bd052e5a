"""The poller against net-snmp's own agent: ifTable read by pysnmp equals ``snmpbulkwalk``'s (v2c and
v3 authPriv), health says why a device does not answer, and an agent restart yields no bogus rate."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from monitor_rig import free_port
from netsnmp import V2C, V3, V3_SHA256, Snmpd, bulkwalk

from egovnet.monitor.metrics import Snapshot, Status
from egovnet.monitor.plan import PollPlan, load_plan
from egovnet.monitor.poller import Poller
from egovnet.monitor.snmp import Endpoint, SnmpAuth, SnmpClient, oid_of
from egovnet.monitor.targets import Target
from egovnet.monitor.walk import collect

IF_TABLE = "1.3.6.1.2.1.2.2.1"
COUNTER_COLUMNS = set(range(10, 21))  # ifInOctets .. ifOutErrors: they move between two walks


@pytest.fixture(scope="module")
def snmpd() -> Iterator[Snmpd]:
    with Snmpd(free_port()) as agent:
        yield agent


@pytest.fixture(scope="module")
def plan(repo: Path) -> PollPlan:
    return load_plan(repo / "monitors" / "poll-plan.yml")


def _target(plan: PollPlan, port: int, auth: SnmpAuth, name: str = "snmpd") -> Target:
    profile = plan.profile_for("linux", "nms")
    assert profile is not None
    labels = {"device": name, "site": "county_dc", "level": "county", "role": "nms", "platform": "linux"}
    return Target(name, profile, Endpoint(name, "127.0.0.1", port, auth, 2.0, 1), labels)


@pytest.mark.parametrize(
    ("auth", "native"),
    [(V2C, True), (V2C, False), (V3, True), (V3, False), (V3_SHA256, True), (V3_SHA256, False)],
    ids=[
        "v2c-native-codec",
        "v2c-pysnmp",
        "v3-sha-aes-native-codec",
        "v3-sha-aes-pysnmp",
        "v3-sha256-aes-native-codec",
        "v3-sha256-aes-pysnmp",
    ],
)
def test_iftable_equals_snmpbulkwalk(snmpd: Snmpd, auth: SnmpAuth, native: bool) -> None:
    columns = [oid_of(f"{IF_TABLE}.{c}") for c in range(1, 23)]

    async def ours() -> dict[tuple[int, ...], object]:
        client = SnmpClient(native_v2c=native, native_v3=native)
        client.register([Endpoint("snmpd", "127.0.0.1", snmpd.port, auth)])
        try:
            result = await collect(client, "snmpd", [], columns, 60)
        finally:
            client.close()
        return {
            column + index: value for column, rows in result.columns.items() for index, value in rows.items()
        }

    before = bulkwalk(snmpd.port, auth, IF_TABLE)
    polled = asyncio.run(ours())
    after = bulkwalk(snmpd.port, auth, IF_TABLE)
    assert set(polled) == set(before) == set(after) and len(polled) >= 22 * 2
    for oid, value in polled.items():
        if oid[len(oid_of(IF_TABLE))] in COUNTER_COLUMNS:
            assert before[oid] <= value <= after[oid], oid  # type: ignore[operator]
        else:
            assert value == before[oid] == after[oid], oid


def test_poller_reads_snmpd_through_the_linux_profile(snmpd: Snmpd, plan: PollPlan) -> None:
    def has_rate(snapshot: Snapshot) -> bool:
        device = snapshot.devices["snmpd"]
        rows = device.tables.get("interface", [])
        rated = any("if_in_bits_per_second" in r.values for r in rows if r.labels.get("ifname") == "lo")
        return rated or "above_ceiling" in device.health.discards

    async def cycles() -> list[Snapshot]:
        # A rate needs two samples whose sysUpTime differs; snmpd caches its tables for a few seconds,
        # so on a loaded machine a later cycle may be needed (bounded: at most four).
        poller = Poller(plan, [_target(plan, snmpd.port, V3)])
        try:
            snapshots = [await poller.cycle()]
            for _ in range(3):
                await asyncio.sleep(1.5)
                snapshots.append(await poller.cycle())
                if has_rate(snapshots[-1]):
                    break
            return [snapshots[0], snapshots[-1]]
        finally:
            poller.close()

    first, second = asyncio.run(cycles())
    device = second.devices["snmpd"]
    assert device.up and device.health.varbinds > 0 and not device.health.restarted
    walked = bulkwalk(snmpd.port, V3, "1.3.6.1.2.1.31.1.1.1.1")
    names = {oid[-1]: value.decode() for oid, value in walked.items() if isinstance(value, bytes)}
    assert {r.labels["ifindex"]: r.labels["ifname"] for r in device.tables["interface"]} == {
        str(index): name for index, name in names.items()
    }
    lo = next(r for r in device.tables["interface"] if r.labels["ifname"] == "lo")
    assert lo.values["if_oper_status"] == 1
    rate = lo.values.get("if_in_bits_per_second")
    # lo claims 10 Mb/s; on a host whose loopback carries more (twins of other tests), the rate is
    # discarded as above its ceiling instead of exported. Either way it is never negative or absurd.
    assert (rate is not None and 0 <= rate <= 11e6) or "above_ceiling" in device.health.discards
    assert device.scalars["sys_uptime_seconds"] > 0 and device.info["sys_object_id"].startswith(
        "1.3.6.1.4.1.8072"
    )
    in_use = sum(1 for r in device.tables["interface"] if r.values["if_oper_status"] == 1)
    assert first.devices["snmpd"].health.discards == {"first_sample": 4 * in_use}  # 4 counters per port


def test_health_names_the_reason(snmpd: Snmpd, plan: PollPlan) -> None:
    wrong_key = SnmpAuth(3, "", V3.user, "sha", "not-the-key-1", "aes128", V3.priv_key)
    targets = [
        _target(plan, snmpd.port, SnmpAuth(2, "not-the-community"), "bad-community"),
        _target(plan, snmpd.port, wrong_key, "bad-key"),
        _target(plan, free_port(), V2C, "nobody-home"),
    ]

    async def cycle() -> Snapshot:
        poller = Poller(plan, targets)
        try:
            return await poller.cycle()
        finally:
            poller.close()

    devices = asyncio.run(cycle()).devices
    assert devices["bad-community"].health.status is Status.TIMEOUT
    assert "community" in devices["bad-community"].health.reason
    assert devices["bad-key"].health.status is Status.AUTH_ERROR
    assert "wrong digest" in devices["bad-key"].health.reason  # snmpd's usmStatsWrongDigests report
    assert devices["nobody-home"].health.status is Status.TIMEOUT


def test_agent_restart_gives_no_negative_or_absurd_rate(plan: PollPlan) -> None:
    with Snmpd(free_port()) as agent:

        async def cycles() -> list[Snapshot]:
            poller = Poller(plan, [_target(plan, agent.port, V2C)])
            try:
                snapshots = [await poller.cycle()]
                await asyncio.sleep(1.2)
                snapshots.append(await poller.cycle())
                agent.restart()  # sysUpTime starts again; the kernel's interface counters do not
                snapshots.append(await poller.cycle())
                await asyncio.sleep(1.2)
                snapshots.append(await poller.cycle())
                return snapshots
            finally:
                poller.close()

        snapshots = asyncio.run(cycles())
    devices = [s.devices["snmpd"] for s in snapshots]
    assert [d.health.restarted for d in devices] == [False, False, True, False]
    assert devices[2].health.discards.get("agent_restart", 0) > 0
    for device in devices:
        for row in device.tables["interface"]:
            for metric in ("if_in_bits_per_second", "if_out_bits_per_second", "if_in_errors_per_second"):
                if metric in row.values:
                    speed = row.values.get("if_high_speed_mbps") or 10_000
                    assert 0 <= row.values[metric] <= speed * 1e6 * 1.1, (metric, row)
    assert not any("if_in_bits_per_second" in r.values for r in devices[2].tables["interface"])
    assert any("if_in_bits_per_second" in r.values for r in devices[3].tables["interface"])
