"""Exporters: Prometheus ``/metrics`` and the JSON snapshot file.

Prometheus: a custom collector over the latest cycle (prometheus-client), so a scrape never polls a
device (unlike snmp_exporter, which walks during the scrape: its most common complaint is scrape
timeouts, #1240, #554). Metrics are the plan's, prefixed ``egovnet_``; raw counters are exported as
``_total`` counters masked to 53 bits (a float64 holds them exactly; snmp_exporter PR #351), next to
the rates the monitor computed (:data:`egovnet.monitor.rows.EXPORT_MASK`). Strings are ``_info``
metrics with the string as a label. Indicators and the poller's own figures are exported too.

JSON: ``var/monitor/snapshot.json``, written atomically each cycle; ``egovnet indicators`` reads it,
and any other tool can.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import start_http_server
from prometheus_client.core import CollectorRegistry, Metric
from prometheus_client.registry import Collector

from egovnet.monitor.indicators import Result
from egovnet.monitor.metrics import DeviceMetrics, Health, MetricInfo, Row, Snapshot, Status
from egovnet.monitor.plan import METRIC_PREFIX


@dataclass
class Exported:
    """What the exporter shows: the latest cycle, its indicators and alert figures."""

    snapshot: Snapshot | None = None
    indicators: list[Result] = field(default_factory=list)
    rcvbuf_errors: int = 0
    alerts_firing: int = 0
    outbox_backlog: Mapping[str, int] = field(default_factory=dict)


def _family(info: MetricInfo) -> tuple[Metric, str]:
    name = METRIC_PREFIX + info.name
    if info.kind == "counter":
        return Metric(name, info.help or info.name, "counter"), name + "_total"
    if info.kind == "info":
        return Metric(name + "_info", info.help or info.name, "gauge"), name + "_info"
    return Metric(name, info.help or info.name, "gauge"), name


class MonitorCollector(Collector):
    """Yields every metric of :attr:`state` (replace ``state`` to publish a new cycle)."""

    def __init__(self) -> None:
        self.state = Exported()

    def collect(self) -> Iterator[Metric]:
        """Called by prometheus-client on each scrape (in its HTTP thread)."""
        state = self.state
        snapshot = state.snapshot
        if snapshot is not None:
            for info in snapshot.catalog.values():
                metric, sample = _family(info)
                for labels, value in snapshot.series(info.name):
                    metric.add_sample(sample, labels, value)
                if metric.samples:
                    yield metric
            yield from self._cycle(snapshot, state)
        yield from self._indicators(state.indicators)
        firing = Metric("egovnet_alerts_firing", "Alerts currently firing (all publishers).", "gauge")
        firing.add_sample("egovnet_alerts_firing", {}, float(state.alerts_firing))
        yield firing
        backlog = Metric("egovnet_alerts_outbox_backlog", "Alert events waiting for a sink.", "gauge")
        for sink, count in state.outbox_backlog.items():
            backlog.add_sample("egovnet_alerts_outbox_backlog", {"sink": sink}, float(count))
        yield backlog

    @staticmethod
    def _cycle(snapshot: Snapshot, state: Exported) -> Iterator[Metric]:
        figures = {
            "egovnet_monitor_cycle_seconds": ("Duration of the last poll cycle.", snapshot.seconds),
            "egovnet_monitor_cycle_varbinds": ("Varbinds received in the last cycle.", snapshot.varbinds),
            "egovnet_monitor_cycle": ("Number of the last cycle since start.", snapshot.cycle),
            "egovnet_monitor_udp_rcvbuf_errors": (
                "UDP receive-buffer drops in the last cycle.",
                state.rcvbuf_errors,
            ),
        }
        for name, (text, value) in figures.items():
            metric = Metric(name, text, "gauge")
            metric.add_sample(name, {}, float(value))
            yield metric
        devices = Metric("egovnet_monitor_devices", "Devices by health of the last poll.", "gauge")
        for status, count in sorted(snapshot.counts().items()):
            devices.add_sample("egovnet_monitor_devices", {"status": str(status)}, float(count))
        yield devices
        discards = Metric(
            "egovnet_monitor_rate_discards", "Rates not produced last cycle, by reason.", "gauge"
        )
        totals: dict[str, int] = {}
        for device in snapshot.devices.values():
            for reason, count in device.health.discards.items():
                totals[reason] = totals.get(reason, 0) + count
        for reason, count in sorted(totals.items()):
            discards.add_sample("egovnet_monitor_rate_discards", {"reason": reason}, float(count))
        yield discards

    @staticmethod
    def _indicators(results: list[Result]) -> Iterator[Metric]:
        value = Metric("egovnet_indicator_value", "Indicator value (unit label).", "gauge")
        target = Metric("egovnet_indicator_target", "Indicator target.", "gauge")
        met = Metric("egovnet_indicator_met", "1 when the indicator meets its target.", "gauge")
        for result in results:
            ind = result.indicator
            labels = {"indicator": ind.id, "unit": ind.unit, "group": ind.group}
            target.add_sample("egovnet_indicator_target", labels, ind.target)
            if result.value is not None:
                value.add_sample("egovnet_indicator_value", labels, result.value)
            if result.met is not None:
                met.add_sample("egovnet_indicator_met", labels, float(result.met))
        yield from (value, target, met)


class MetricsServer:
    """``/metrics`` on ``address:port`` (loopback by default) in a background thread."""

    def __init__(self, address: str = "127.0.0.1", port: int = 9108) -> None:
        self.collector = MonitorCollector()
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self.collector)
        self._server, self._thread = start_http_server(port, addr=address, registry=self.registry)
        self.port = int(self._server.server_address[1])

    def publish(self, state: Exported) -> None:
        """Show a new cycle."""
        self.collector.state = state

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# -- JSON snapshot -----------------------------------------------------------------------------------
def snapshot_json(snapshot: Snapshot, indicators: list[Result] | None = None) -> dict[str, Any]:
    """A cycle as plain JSON (``egovnet monitor once --json`` and the snapshot file)."""
    devices = {}
    for name, device in snapshot.devices.items():
        health = device.health
        devices[name] = {
            "profile": device.profile,
            "labels": device.labels,
            "health": {
                "status": str(health.status),
                "reason": health.reason,
                "seconds": round(health.seconds, 3),
                "varbinds": health.varbinds,
                "pdus": health.pdus,
                "slow": health.slow,
                "restarted": health.restarted,
                "discards": health.discards,
            },
            "polled_at": device.polled_at,
            "scalars": device.scalars,
            "info": device.info,
            "tables": {
                t: [{"labels": r.labels, "values": r.values} for r in rows]
                for t, rows in device.tables.items()
            },
        }
    return {
        "format": "egovnet-snapshot/1",
        "cycle": snapshot.cycle,
        "started": snapshot.started,
        "seconds": round(snapshot.seconds, 3),
        "varbinds": snapshot.varbinds,
        "counts": {str(k): v for k, v in snapshot.counts().items()},
        "unpolled": snapshot.unpolled,
        "devices": devices,
        "indicators": [r.to_json() for r in indicators or []],
    }


def snapshot_from_json(data: Mapping[str, Any], catalog: Mapping[str, MetricInfo]) -> Snapshot:
    """Rebuild a :class:`Snapshot` from :func:`snapshot_json` output."""
    devices = {}
    for name, item in data["devices"].items():
        health = item["health"]
        devices[name] = DeviceMetrics(
            device=name,
            profile=item["profile"],
            labels=dict(item["labels"]),
            health=Health(
                Status(health["status"]),
                health.get("reason", ""),
                float(health.get("seconds", 0.0)),
                int(health.get("varbinds", 0)),
                int(health.get("pdus", 0)),
                bool(health.get("slow", False)),
                bool(health.get("restarted", False)),
                dict(health.get("discards", {})),
            ),
            scalars={k: float(v) for k, v in item.get("scalars", {}).items()},
            info=dict(item.get("info", {})),
            tables={
                table: [Row(dict(r["labels"]), {k: float(v) for k, v in r["values"].items()}) for r in rows]
                for table, rows in item.get("tables", {}).items()
            },
            polled_at=float(item.get("polled_at", 0.0)),
        )
    return Snapshot(
        cycle=int(data["cycle"]),
        started=float(data["started"]),
        seconds=float(data["seconds"]),
        devices=devices,
        catalog=catalog,
        unpolled=dict(data.get("unpolled", {})),
    )
