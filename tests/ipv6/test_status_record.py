"""``egovnet ipv6 status`` keeps its answer as a record the dashboard reads: the least advanced state per
site, written whole or not at all, and no record (not an empty one) before the first run."""

from __future__ import annotations

from pathlib import Path

from egovnet.ipv6.status import DeviceIPv6, load_status, save_status, status_file, status_record


def test_record_round_trips_with_each_sites_least_advanced_state(tmp_path: Path) -> None:
    assert load_status(tmp_path) is None
    devices = [
        DeviceIPv6("core-01", "county_dc", "verified", 3, 3),
        DeviceIPv6("core-02", "county_dc", "dual-stack", 2, 2),
        DeviceIPv6("alpha-tn-01", "alpha", "partial", 1, 4),
        DeviceIPv6("alpha-v02-sw-01", "alpha_v02", "unreachable", error="TimeoutError: no answer"),
    ]
    record = status_record(devices, limit="core-*:alpha*", at=1_746_000_000.0)
    assert record["sites"] == {"alpha": "partial", "alpha_v02": "unreachable", "county_dc": "dual-stack"}
    path = save_status(tmp_path, record)
    assert path == status_file(tmp_path) == tmp_path / "ipv6" / "status.json"
    assert load_status(tmp_path) == record
    assert [p.name for p in path.parent.iterdir()] == ["status.json"]  # no temporary file left behind
