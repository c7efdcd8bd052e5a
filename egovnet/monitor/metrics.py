"""What a poll cycle yields: per device, its health, scalars and table rows, and a catalog of metrics.

A device's data is kept by row (one dict of values per interface, per AP, ...) rather than as one
object per series: a county cycle has ~100,000 series and a 1,000-device cycle ~250,000, and rows
keep that a few tens of MB. :meth:`Snapshot.series` gives the series view that alert rules,
indicators and the Prometheus exporter read; the catalog says what each metric is (type, help,
which table), from the plan, so none of them hard-codes a metric list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from egovnet.monitor.plan import METRIC_PREFIX, PollPlan

Kind = Literal["gauge", "counter", "info"]


class Status(StrEnum):
    """Target health after one poll."""

    UP = "up"
    TIMEOUT = "timeout"
    AUTH_ERROR = "auth_error"
    ERROR = "error"
    CONFIG_ERROR = "config_error"


@dataclass
class Health:
    """How one poll of one device went.

    Attributes:
        reason: empty when up; otherwise what failed, in words an operator can act on.
        restarted: the agent restarted since the previous poll (sysUpTime), so no rates this cycle.
        discards: rates not produced, by reason (see :class:`egovnet.monitor.rates.Discard`).
    """

    status: Status
    reason: str = ""
    seconds: float = 0.0
    varbinds: int = 0
    pdus: int = 0
    slow: bool = False
    restarted: bool = False
    discards: dict[str, int] = field(default_factory=dict)


@dataclass
class Row:
    """One table row: its labels (index, lookups, inventory link) and values by short metric name."""

    labels: dict[str, str]
    values: dict[str, float]


@dataclass
class DeviceMetrics:
    """Everything one device reported in one cycle."""

    device: str
    profile: str
    labels: dict[str, str]
    health: Health
    scalars: dict[str, float] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    polled_at: float = 0.0

    @property
    def up(self) -> bool:
        """Whether the device answered this cycle."""
        return self.health.status is Status.UP


@dataclass(frozen=True)
class MetricInfo:
    """What a metric is: exported kind, help text, and where its values live (scalar or table)."""

    name: str
    kind: Kind
    help: str
    table: str | None = None
    label: str | None = None  # for info metrics: the label carrying the string


#: Health metrics every device has, whatever its profile.
HEALTH_METRICS = (
    MetricInfo("snmp_up", "gauge", "1 when the device answered its last poll."),
    MetricInfo(
        "snmp_status", "gauge", "Outcome of the device's last poll: 1 for its status, 0 for the others."
    ),
    MetricInfo("snmp_poll_seconds", "gauge", "Time the device's last poll took."),
    MetricInfo("snmp_varbinds", "gauge", "Varbinds the device's last poll received."),
)


def short_name(metric: str) -> str:
    """``egovnet_if_oper_status`` -> ``if_oper_status`` (data files may use either)."""
    return metric[len(METRIC_PREFIX) :] if metric.startswith(METRIC_PREFIX) else metric


def catalog(plan: PollPlan) -> dict[str, MetricInfo]:
    """Every metric the plan can produce, by short name."""
    result = {m.name: m for m in HEALTH_METRICS}
    for module in plan.modules.values():
        for scalar in module.scalars:
            if scalar.type == "text":
                result[scalar.metric] = MetricInfo(scalar.metric, "info", scalar.help, label=scalar.metric)
                continue
            kind: Kind = "counter" if scalar.counter_bits else "gauge"
            result[scalar.metric] = MetricInfo(scalar.metric, kind, scalar.help)
        for table in module.tables:
            for column in table.columns:
                kind = "counter" if column.counter_bits else "gauge"
                result[column.metric] = MetricInfo(column.metric, kind, column.help, table.name)
                if column.rate:
                    text = f"Per-second rate of {column.object} over the agent clock."
                    result[column.rate.metric] = MetricInfo(column.rate.metric, "gauge", text, table.name)
            for derived in table.derived:
                result[derived.metric] = MetricInfo(derived.metric, "gauge", derived.help, table.name)
    return result


@dataclass
class Snapshot:
    """One poll cycle of every target.

    Attributes:
        unpolled: selected devices no profile polls, with the reason.
    """

    cycle: int
    started: float
    seconds: float
    devices: dict[str, DeviceMetrics]
    catalog: Mapping[str, MetricInfo]
    unpolled: dict[str, str] = field(default_factory=dict)

    @property
    def varbinds(self) -> int:
        """Varbinds received in the cycle."""
        return sum(d.health.varbinds for d in self.devices.values())

    def counts(self) -> dict[str, int]:
        """Devices per health status."""
        result: dict[str, int] = {}
        for device in self.devices.values():
            result[device.health.status] = result.get(device.health.status, 0) + 1
        return result

    def device_series(self, device: DeviceMetrics, metric: str) -> Iterator[tuple[dict[str, str], float]]:
        """(labels, value) of one metric on one device."""
        name = short_name(metric)
        info = self.catalog.get(name)
        if name == "snmp_up":
            yield device.labels, 1.0 if device.up else 0.0
        elif name == "snmp_status":  # a state set: every status, 1 for the current one
            for status in Status:
                yield {**device.labels, "status": str(status)}, float(status is device.health.status)
        elif name == "snmp_poll_seconds":
            yield device.labels, device.health.seconds
        elif name == "snmp_varbinds":
            yield device.labels, float(device.health.varbinds)
        elif info is None:
            return
        elif info.kind == "info":
            if name in device.info:
                yield {**device.labels, name: device.info[name]}, 1.0
        elif info.table is None:
            if name in device.scalars:
                yield device.labels, device.scalars[name]
        else:
            for row in device.tables.get(info.table, ()):
                if name in row.values:
                    yield {**device.labels, **row.labels}, row.values[name]

    def rows(self, metric: str) -> Iterator[tuple[dict[str, str], Mapping[str, float]]]:
        """(labels, all values of the same row) for every series of ``metric``.

        Alert rules use it to test a sibling metric of the same interface (``unless admin down``).
        """
        name = short_name(metric)
        info = self.catalog.get(name)
        for device in self.devices.values():
            if info is not None and info.table is not None and info.kind != "info":
                for row in device.tables.get(info.table, ()):
                    if name in row.values:
                        yield {**device.labels, **row.labels}, row.values
            elif info is not None and info.kind != "info" and name in device.scalars:
                yield device.labels, device.scalars
            else:
                for labels, value in self.device_series(device, name):
                    yield labels, {name: value}

    def series(self, metric: str) -> Iterator[tuple[dict[str, str], float]]:
        """(labels, value) of one metric across every device."""
        for device in self.devices.values():
            yield from self.device_series(device, metric)
