"""Prometheus ``/metrics`` (scraped over HTTP and parsed by prometheus-client's own parser) and the
CLI's registration."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from egovnet.inventory import load_inventory
from egovnet.monitor.export import Exported, MetricsServer
from egovnet.monitor.indicators import evaluate_all, load_indicators
from egovnet.monitor.metrics import DeviceMetrics, Health, Row, Snapshot, Status, catalog
from egovnet.monitor.plan import load_plan


def _snapshot(repo: Path) -> Snapshot:
    plan = load_plan(repo / "monitors" / "poll-plan.yml")
    labels = {
        "device": "sw-01",
        "site": "qishan_v01",
        "level": "village",
        "role": "access",
        "platform": "huawei_vrp5",
    }
    row = Row(
        {"ifindex": "1", "ifname": "GE0/0/1", "link": "a--b", "link_role": "primary"},
        {"if_oper_status": 1.0, "if_in_octets": 123456789.0, "if_in_bits_per_second": 1.5e8},
    )
    up = DeviceMetrics(
        "sw-01",
        "huawei_vrp",
        labels,
        Health(Status.UP, discards={"first_sample": 4}),
        scalars={"sys_uptime_seconds": 12.5},
        info={"sys_name": "祁山-sw-01"},
        tables={"interface": [row]},
    )
    down = DeviceMetrics(
        "sw-02", "huawei_vrp", {**labels, "device": "sw-02"}, Health(Status.AUTH_ERROR, "wrong key")
    )
    return Snapshot(3, 1000.0, 2.5, {"sw-01": up, "sw-02": down}, catalog(plan))


def test_metrics_endpoint_serves_devices_indicators_and_the_poller(repo: Path, qimen_path: Path) -> None:
    snapshot = _snapshot(repo)
    results = evaluate_all(
        load_indicators(repo / "monitors" / "indicators.yml"), load_inventory(qimen_path), snapshot
    )
    server = MetricsServer("127.0.0.1", 0)
    try:
        server.publish(
            Exported(snapshot, results, rcvbuf_errors=0, alerts_firing=2, outbox_backlog={"noc": 1})
        )
        text = urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10).read().decode()
    finally:
        server.close()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value for f in families.values() for s in f.samples
    }

    def value(name: str, **labels: str) -> float:
        return next(v for (n, lab), v in samples.items() if n == name and set(labels.items()) <= set(lab))

    assert families["egovnet_if_in_octets"].type == "counter"
    assert value("egovnet_if_in_octets_total", device="sw-01") == 123456789.0
    assert value("egovnet_if_in_bits_per_second", ifname="GE0/0/1", link_role="primary") == 1.5e8
    assert value("egovnet_sys_name_info", sys_name="祁山-sw-01") == 1.0
    assert value("egovnet_snmp_up", device="sw-02") == 0.0
    assert value("egovnet_snmp_status", device="sw-02", status="auth_error") == 1.0
    assert value("egovnet_monitor_devices", status="up") == 1.0
    assert value("egovnet_monitor_rate_discards", reason="first_sample") == 4.0
    assert value("egovnet_indicator_target", indicator="g5_village_coverage") == 80.0
    assert value("egovnet_indicator_value", indicator="availability_village") == 50.0  # 1 of 2 answered
    assert value("egovnet_indicator_met", indicator="availability_village") == 0.0
    assert value("egovnet_alerts_outbox_backlog", sink="noc") == 1.0 and value("egovnet_alerts_firing") == 2.0


def test_the_commands_are_registered() -> None:
    from egovnet.cli.main import app

    runner = CliRunner()
    for command in (["monitor", "--help"], ["indicators", "--help"], ["alerts", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
