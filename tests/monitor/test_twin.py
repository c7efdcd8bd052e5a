"""The monitor against the county twin: polled values equal the model, a cut link raises and clears an
alert, and the county's indicators equal the values worked out by hand from the inventory and specs.

Expected values come from ``model``, the same county built in-process from the same inventory, read
with the twin's own derivations (``egovnet.lab.snmp.kinds``, ``facts``) and plain loops over sites and
links: never with the monitor's code.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from monitor_rig import Twin

from egovnet.inventory import Inventory, Link
from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.snmp import kinds
from egovnet.lab.snmp.facts import resources
from egovnet.monitor.metrics import Snapshot
from egovnet.monitor.service import CycleResult, Monitor, Options

SLICE = "tw_qishan:qm-core-*"
WEIGHTS = {"lt100": 50, "from100to200": 100, "from200to500": 300, "from500to1000": 500, "ge1000": 1000}
RSRP_COVERAGE_DBM = -105
LAB_TIMEOUT_S, LAB_CONCURRENCY = 6.0, 16


def monitor_for(
    twin: Twin, overlay: Inventory, state: Path, limit: str | None, repo: Path, **extra: Any
) -> Monitor:
    """A monitor on the twin with its own state directory and a JSON-lines sink in it."""
    rules = yaml.safe_load((repo / "monitors" / "alerts.yml").read_text(encoding="utf-8"))["rules"]
    alerts = state / "alerts.yml"
    alerts.write_text(
        yaml.safe_dump({"rules": rules, "sinks": [{"name": "file", "type": "jsonl", "path": "feed.jsonl"}]})
    )
    # Other test workers share the machine: allow slow answers rather than report a busy twin as down.
    extra = {"timeout_s": LAB_TIMEOUT_S, "concurrency": LAB_CONCURRENCY, **extra}
    options = Options(twin.overlay, limit, state, alerts_file=alerts, **extra)
    return Monitor(options, overlay)


class Loop:
    """One event loop for a test: pysnmp binds its socket to the loop that opened it."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        self.monitors: list[Monitor] = []

    def append(self, monitor: Monitor) -> None:
        self.monitors.append(monitor)

    def close(self) -> None:
        for monitor in self.monitors:
            self.runner.run(monitor.close())
        self.runner.close()


def run_cycles(loop: Loop, monitor: Monitor, count: int, pause: float = 0.0) -> list[CycleResult]:
    async def go() -> list[CycleResult]:
        results = []
        for index in range(count):
            if index:
                await asyncio.sleep(pause)
            results.append(await monitor.cycle())
            await monitor.deliver()
        return results

    return loop.runner.run(go())


@pytest.fixture
def closing() -> Iterator[Loop]:
    loop = Loop()
    yield loop
    loop.close()


# --------------------------------------------------------------------------------------------------
def test_polled_values_equal_the_model(
    healed: Twin, overlay: Inventory, model: LabNetwork, tmp_path: Path, repo: Path, closing: Loop
) -> None:
    monitor = monitor_for(healed, overlay, tmp_path, SLICE, repo, deliver=False)
    closing.append(monitor)
    first, second = run_cycles(closing, monitor, 2, pause=2.0)
    snapshot = second.snapshot
    assert set(snapshot.devices) == {
        n for n in overlay.devices if n in model.devices and _in_slice(overlay, n)
    }
    assert all(d.up for d in snapshot.devices.values()), {
        d.device: d.health for d in snapshot.devices.values()
    }
    assert first.snapshot.varbinds > second.snapshot.varbinds  # the slow objects only in the first cycle
    checked_rates = 0
    for name, polled in snapshot.devices.items():
        device = model.devices[name]
        assert polled.info["sys_name"] == device.hostname()
        rows = {row.labels["ifname"]: row for row in polled.tables["interface"]}
        states = model.interface_states(device)
        assert sorted(rows) == sorted(s.name for s in states)
        for state in states:
            row = rows[state.name]
            assert row.labels["ifindex"] == str(state.ifindex)
            assert row.values["if_admin_status"] == (1 if state.admin_up else 2)
            assert row.values["if_oper_status"] == (1 if state.oper_up else 2)
            assert row.values["if_high_speed_mbps"] == state.speed_mbps
            if state.peer_device is not None:  # cabled inside the county: the inventory names the peer
                assert (row.labels["peer"], row.labels["peer_interface"]) == (
                    state.peer_device,
                    state.peer_interface,
                )
            if state.oper_up and "if_in_bits_per_second" in row.values:
                device.counter(state.name, state.speed_mbps, True)
                utilisation = device._counters[state.name].utilisation  # the model's traffic (internal)
                expected = state.speed_mbps * 1e6 * utilisation
                assert row.values["if_in_bits_per_second"] == pytest.approx(expected, rel=0.05)
                assert row.values["if_out_bits_per_second"] == pytest.approx(expected * 0.6, rel=0.05)
                assert row.values["if_in_utilisation_percent"] == pytest.approx(utilisation * 100, rel=0.05)
                checked_rates += 1
        load = resources(device)
        if "processor" not in polled.tables:  # CPEs: no HOST-RESOURCES in their profile
            _check_kind(model, device, polled.scalars, polled.tables)
            continue
        cpus = [r.values["cpu_load_percent"] for r in polled.tables["processor"]]
        assert cpus == list(load.cpu_loads)
        (ram,) = polled.tables["storage"]
        assert ram.values["storage_used_percent"] == pytest.approx(
            100 * load.memory_used_kib / load.memory_kib
        )
        _check_kind(model, device, polled.scalars, polled.tables)
    assert checked_rates > 30


def _in_slice(inventory: Inventory, name: str) -> bool:
    device = inventory.devices[name]
    return name.startswith("qm-core-") or inventory.sites[device.site].township == "qishan"


def _check_kind(
    model: LabNetwork, device: LabDevice, scalars: dict[str, float], tables: dict[str, Any]
) -> None:
    if device.spec.role == "wlc":
        aps = kinds.access_points(model, device)
        polled = {
            r.labels["ap"]: (r.labels["ap_site"], r.values["wlc_ap_up"], r.values["wlc_ap_clients"])
            for r in tables["access_point"]
        }
        assert polled == {ap.name: (ap.site, float(ap.online), float(ap.clients)) for ap in aps}
        assert scalars["wlc_clients"] == sum(ap.clients for ap in aps)
    if device.spec.platform == "cpe_5g":
        cell = kinds.cell(model, device, model.interface_states(device))
        assert (scalars["cpe_cell_up"], scalars["cpe_rsrp_dbm"]) == (float(cell.up), float(cell.rsrp_dbm))
        assert scalars["cpe_sinr_db"] == pytest.approx(cell.sinr_tenths_db / 10)
    if device.spec.platform == "huawei_smartax":
        cube = kinds.subscribers(device)
        subscribers = {
            (r.labels["area"], r.labels["technology"], r.labels["rate"]): r.values["olt_subscribers_by_class"]
            for r in tables["subscriber"]
        }
        assert subscribers == {key: float(count) for key, count in cube.items()}


# --------------------------------------------------------------------------------------------------
def test_cut_link_fires_within_two_cycles_and_resolves_after_heal(
    healed: Twin, overlay: Inventory, tmp_path: Path, repo: Path, closing: Loop
) -> None:
    monitor = monitor_for(healed, overlay, tmp_path, "qishan-tn-01:qishan-v0*:qm-core-01", repo)
    closing.append(monitor)
    link = next(
        link
        for link in overlay.links_of("qishan-v01-sw-01")
        if link.role == "primary" and link.a_device == "qishan-v01-sw-01"
    )
    link_name = f"{link.a_device}:{link.a_interface}--{link.b_device}:{link.b_interface}"

    def link_events(results: list[CycleResult]) -> list[str]:
        return [
            e["status"]
            for r in results
            for e in r.events
            if e["rule"]["id"] == "NET-LINK-DOWN" and e["entity"]["id"] == link_name
        ]

    assert link_events(run_cycles(closing, monitor, 1)) == []
    healed.lab.fault(link.a_device, "link-down", [link.a_interface])
    after_fault = run_cycles(closing, monitor, 2, pause=0.5)
    assert link_events(after_fault[:1]) == []  # pending: one cycle is not enough to page anyone
    assert link_events(after_fault[1:]) == ["firing"]  # within two cycles of the fault
    (event,) = [e for e in after_fault[1].events if e["entity"]["id"] == link_name]
    assert event["severity"] == "major" and event["entity"]["type"] == "link"
    assert {s["labels"]["device"] for s in event["evidence"]["series"]} == {link.a_device, link.b_device}
    assert "qishan-v01-sw-01" in event["summary"]
    healed.lab.heal()
    assert link_events(run_cycles(closing, monitor, 1)) == ["resolved"]
    feed = [json.loads(line) for line in (tmp_path / "alerts" / "feed.jsonl").read_text().splitlines()]
    assert [a["status"] for a in feed if a["entity"]["id"] == link_name] == ["firing", "resolved"]
    assert all(a["entity"]["id"] != link_name for a in monitor.store.alerts())


# --------------------------------------------------------------------------------------------------
def _answering(model: LabNetwork) -> dict[str, LabDevice]:
    return {name: d for name, d in model.devices.items() if not d.faults.device_down}


def _uplinks(county: Inventory, site: str) -> list[Link]:
    result = []
    for link in county.links:
        home = county.devices[link.a_device].site
        far = county.devices[link.b_device].site if link.b_device else None
        if home == site and far != home and link.role in ("primary", "backup"):
            result.append(link)
    return result


def _link_state(model: LabNetwork, link: Link) -> tuple[bool, int] | None:
    """(oper up, speed) read at the end the monitor reads: the site's end, else the far end."""
    answering = _answering(model)
    for device, ifname in ((link.a_device, link.a_interface), (link.b_device, link.b_interface)):
        if device in answering and ifname:
            state = next(s for s in model.interface_states(answering[device]) if s.name == ifname)
            return state.oper_up, state.speed_mbps
    return None


def _working_uplinks(county: Inventory, model: LabNetwork, site: str, min_speed: int = 0) -> list[Link]:
    working = []
    for link in _uplinks(county, site):
        state = _link_state(model, link)
        if state is not None and state[0] and state[1] >= min_speed:
            working.append(link)
    return working


def _aps_online(model: LabNetwork) -> set[str]:
    sites = set()
    for device in _answering(model).values():
        if device.spec.role == "wlc":
            sites |= {ap.site for ap in kinds.access_points(model, device) if ap.online}
    return sites


def expected_indicators(
    county: Inventory, model: LabNetwork, history: list[tuple[int, int]]
) -> dict[str, float]:
    """Every network indicator of the county worked out by hand; ``history``: (answered, polled) per level."""
    sites = county.sites.values()
    answering = _answering(model)
    online_ap_sites = _aps_online(model)
    result: dict[str, float] = {}

    def share(chosen: list[Any], passing: list[Any]) -> float:
        return 100.0 * len(passing) / len(chosen)

    cubes = [kinds.subscribers(d) for d in answering.values() if d.spec.platform == "huawei_smartax"]
    total = sum(sum(c.values()) for c in cubes)
    result["fibre_broadband_share"] = (
        100.0 * sum(n for c in cubes for k, n in c.items() if k[1] == "ftth") / total
    )
    for area in ("urban", "rural"):
        counts = [(k[2], n) for c in cubes for k, n in c.items() if k[0] == area]
        result[f"{area}_broadband_rate"] = sum(WEIGHTS[b] * n for b, n in counts) / sum(n for _, n in counts)

    villages = [s for s in sites if s.level == "village" and s.unit == "administrative_village"]
    covered = []
    for site in villages:
        for name in site.devices:
            device = answering.get(name)
            if device is not None and device.spec.role == "cpe_5g":
                cell = kinds.cell(model, device, model.interface_states(device))
                if cell.up and cell.rsrp_dbm >= RSRP_COVERAGE_DBM:
                    covered.append(site)
                    break
    result["g5_village_coverage"] = share(villages, covered)

    def connected(site: Any) -> bool:
        return bool(_working_uplinks(county, model, site.id))

    schools = [s for s in sites if s.level in ("township", "village") and "school" in s.kinds]
    result["smart_school_coverage"] = share(
        schools, [s for s in schools if connected(s) and s.id in online_ap_sites]
    )
    scenic = [s for s in sites if "scenic_spot" in s.kinds]
    result["smart_scenic_spot_coverage"] = share(
        scenic, [s for s in scenic if connected(s) and s.id in online_ap_sites]
    )

    for indicator, levels, roles in (
        ("extranet_coverage_county", ("county", "department"), ("core", "access")),
        ("extranet_coverage_township", ("township",), ("township_node",)),
        ("extranet_coverage_village", ("village",), ("access",)),
    ):
        chosen = [s for s in sites if s.level in levels]
        ok = [
            s
            for s in chosen
            if connected(s) and any(n in answering and answering[n].spec.role in roles for n in s.devices)
        ]
        result[indicator] = share(chosen, ok)
    county_sites = [s for s in sites if s.level == "county"]
    result["county_bandwidth_10g"] = share(
        county_sites, [s for s in county_sites if _working_uplinks(county, model, s.id, 10_000)]
    )
    townships = [s for s in sites if s.level == "township"]
    result["township_bandwidth_1g"] = share(
        townships, [s for s in townships if _working_uplinks(county, model, s.id, 1_000)]
    )
    nodes = [
        d
        for d in answering.values()
        if d.spec.role
        in ("core", "egress", "firewall", "gw_5g", "aggregation", "township_node", "wlc", "access")
    ]
    with_v6 = [
        d for d in nodes if any(not a.ip.is_link_local for s in model.interface_states(d) for a in s.ipv6)
    ]
    result["ipv6_enabled_nodes"] = share(nodes, with_v6)
    homed = [s for s in sites if s.level in ("township", "village")]
    dual = []
    for site in homed:
        working = _working_uplinks(county, model, site.id)
        if len(working) >= 2 and len({link.b_device or link.external for link in working}) >= 2:
            dual.append(site)
    result["dual_homed_sites"] = share(homed, dual)
    result["wireless_coverage"] = share(homed, [s for s in homed if s.id in online_ap_sites])
    for indicator, (answered, polled) in zip(
        ("availability_county", "availability_township", "availability_village"), history, strict=True
    ):
        result[indicator] = 100.0 * answered / polled
    return result


def _availability_sample(model: LabNetwork) -> list[tuple[int, int]]:
    sample = []
    for levels in (("county", "department"), ("township",), ("village",)):
        devices = [d for d in model.devices.values() if d.spec.site_level in levels]
        sample.append((sum(not d.faults.device_down for d in devices), len(devices)))
    return sample


def _values(result: CycleResult) -> dict[str, float]:
    """Measured indicator values (indicators without data are left out)."""
    return {r.indicator.id: r.value for r in result.indicators if r.value is not None}


def test_county_indicators_equal_the_hand_computation_and_follow_faults(
    healed: Twin,
    overlay: Inventory,
    county: Inventory,
    model: LabNetwork,
    tmp_path: Path,
    repo: Path,
    closing: Loop,
) -> None:
    # The whole county twice: through the native v2c codec (the v3 path is covered above), cheaper.
    monitor = monitor_for(healed, overlay, tmp_path, None, repo, deliver=False, snmp_version=2)
    closing.append(monitor)
    (before,) = run_cycles(closing, monitor, 1)
    assert all(d.up for d in before.snapshot.devices.values())
    history = _availability_sample(model)
    expected = expected_indicators(county, model, history)
    measured = _values(before)
    assert {k: round(measured[k], 6) for k in expected} == {k: round(v, 6) for k, v in expected.items()}
    assert {r.indicator.id for r in before.indicators if r.value is None} == {
        "gov_data_catalogue",
        "gov_data_sharing",
        "gov_systems_cloud",
    }

    # A covered village's CPE powers off; a school village's AP drops off its controller.
    cpe = next(
        d
        for d in model.devices.values()
        if d.spec.role == "cpe_5g"
        and county.sites[d.spec.site_id].unit == "administrative_village"
        and kinds.cell(model, d, model.interface_states(d)).rsrp_dbm >= RSRP_COVERAGE_DBM
    )
    ap = next(
        d
        for d in county.devices.values()
        if d.role == "ap" and {"school", "scenic_spot"} <= set(county.sites[d.site].kinds)
    )
    assert ap.managed_by is not None
    try:
        model.devices[cpe.name].faults.device_down = True
        model.devices[ap.managed_by].faults.aps_down.add(ap.name)
        healed.lab.fault(cpe.name, "device-down")
        healed.lab.fault(ap.managed_by, "ap-down", [ap.name])
        (after,) = run_cycles(closing, monitor, 1)
        second = _availability_sample(model)
        history = [(a + b, n + m) for (a, n), (b, m) in zip(history, second, strict=True)]
        expected_after = expected_indicators(county, model, history)
    finally:
        model.devices[cpe.name].faults.clear()
        model.devices[ap.managed_by].faults.clear()
    measured_after = _values(after)
    assert {k: round(measured_after[k], 6) for k in expected_after} == {
        k: round(v, 6) for k, v in expected_after.items()
    }
    results = {r.indicator.id: r for r in after.indicators}
    villages = sum(1 for s in county.sites.values() if s.unit == "administrative_village")
    assert measured_after["g5_village_coverage"] == pytest.approx(
        measured["g5_village_coverage"] - 100 / villages
    )
    assert cpe.spec.site_id in results["g5_village_coverage"].pulling_down
    for indicator in ("wireless_coverage", "smart_school_coverage", "smart_scenic_spot_coverage"):
        assert measured_after[indicator] < measured[indicator]
        assert ap.site in results[indicator].pulling_down
    assert cpe.spec.site_id in results["dual_homed_sites"].pulling_down  # its 5G backup is gone
    assert measured_after["availability_village"] < 100.0
    assert not before.snapshot.devices[cpe.name].health.reason and not after.snapshot.devices[cpe.name].up


def test_snapshot_round_trip_keeps_every_series(
    healed: Twin, overlay: Inventory, tmp_path: Path, repo: Path, closing: Loop
) -> None:
    from egovnet.monitor.export import snapshot_from_json, snapshot_json

    monitor = monitor_for(healed, overlay, tmp_path, "tw_qishan", repo, deliver=False)
    closing.append(monitor)
    (result,) = run_cycles(closing, monitor, 1)
    data = json.loads((tmp_path / "monitor" / "snapshot.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(snapshot_json(result.snapshot, result.indicators)))
    again: Snapshot = snapshot_from_json(data, result.snapshot.catalog)
    for metric in ("if_oper_status", "wlc_ap_up", "olt_subscribers_by_class", "snmp_status", "sys_name"):
        assert sorted(map(repr, again.series(metric))) == sorted(map(repr, result.snapshot.series(metric)))
    assert time.time() - again.started < 600


def test_cli_once_indicators_and_alerts_list(healed: Twin, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from egovnet.cli import alerts_cmd, indicators_cmd, monitor_cmd

    runner = CliRunner()
    state = ["--state-dir", str(tmp_path)]
    once = runner.invoke(
        monitor_cmd.app,
        [
            "once",
            "-i",
            str(healed.overlay),
            "--limit",
            "tw_qishan",
            "--json",
            *state,
            "--timeout",
            str(LAB_TIMEOUT_S),
        ],
    )
    assert once.exit_code == 0, once.output
    snapshot = json.loads(once.output)
    assert snapshot["format"] == "egovnet-snapshot/1" and snapshot["counts"] == {
        "up": len(snapshot["devices"])
    }
    assert "qishan-ap-01" not in snapshot["unpolled"]  # the twin does not serve fit APs: parked, left out
    indicators = runner.invoke(indicators_cmd.app, ["-i", str(healed.overlay), "--json", *state])
    assert indicators.exit_code == 0, indicators.output
    rows = {row["id"]: row for row in json.loads(indicators.output)}
    assert rows["wireless_coverage"]["value"] == 100.0 and rows["wireless_coverage"]["met"] is True
    assert rows["gov_data_sharing"]["source"].startswith("祁门县") and rows["gov_data_sharing"]["met"] is None
    printed = runner.invoke(indicators_cmd.app, ["-i", str(healed.overlay), *state])
    assert "行政村5G通达率" in printed.output and "measured indicators meet their target" in printed.output
    listed = runner.invoke(alerts_cmd.app, ["list", "--json", *state])
    assert listed.exit_code == 0
    assert {a["rule"]["id"] for a in json.loads(listed.output)} <= {"IND-TARGET-MISSED"}
    assert runner.invoke(alerts_cmd.app, ["list", "--all", *state]).exit_code == 0
    table = runner.invoke(
        monitor_cmd.app, ["once", "-i", str(healed.overlay), "--limit", "qishan-tn-01", *state]
    )
    assert table.exit_code == 0 and "huawei_vrp" in table.output and "1 devices polled" in table.output
