"""Alert sinks: one module per channel, one small contract (:class:`~egovnet.alerts.sinks.base.Sink`).

``build_sinks`` turns the ``sinks:`` section of ``monitors/alerts.yml`` into sink objects; adding a
channel means one module and one entry in :data:`SINK_TYPES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from egovnet.alerts.sinks.base import Sink, SinkError
from egovnet.alerts.sinks.jsonl import JsonLinesSink
from egovnet.alerts.sinks.snmp import SnmpNotificationSink
from egovnet.alerts.sinks.syslog import SyslogSink
from egovnet.alerts.sinks.webhook import AlertmanagerSink
from egovnet.inventory.credentials import resolve

SINK_TYPES: dict[str, Callable[..., Sink]] = {
    "jsonl": JsonLinesSink,
    "syslog": SyslogSink,
    "alertmanager": AlertmanagerSink,
    "snmp": SnmpNotificationSink,
}

__all__ = ["SINK_TYPES", "Sink", "SinkError", "build_sinks"]


def build_sinks(entries: Iterable[Mapping[str, Any]], base_dir: Path | None = None) -> list[Sink]:
    """Sink objects for the enabled entries (secrets resolved like inventory credentials).

    Arguments:
        base_dir: where relative file paths (the JSON-lines sink) are anchored: the alert state
            directory, so a test or a second deployment never writes into the working tree.
    """
    sinks: list[Sink] = []
    names: set[str] = set()
    for entry in entries:
        options = {k: v for k, v in entry.items() if k not in ("type", "enabled")}
        if not entry.get("enabled", True):
            continue
        kind = str(entry.get("type", ""))
        if kind not in SINK_TYPES:
            raise ValueError(
                f"sink {entry.get('name')!r}: unknown type {kind!r} (known: {', '.join(SINK_TYPES)})"
            )
        name = str(options.get("name", ""))
        if not name or name in names:
            raise ValueError(f"sink names must be given and unique: {name!r}")
        names.add(name)
        resolved = resolve(f"sinks.{name}", options)
        if base_dir is not None and "path" in resolved and not Path(resolved["path"]).is_absolute():
            resolved["path"] = str(base_dir / resolved["path"])
        sinks.append(SINK_TYPES[kind](**resolved))
    return sinks
