"""Where each site stands in the migration, read from the devices themselves (never from a file).

A device is ``not started`` when none of its routed uplinks carries an IPv6 address, ``dual-stack``
when every routed uplink carries both families, ``verified`` when it is dual-stack and its own
``ping ipv6`` reaches the county core's IPv6 loopback, and ``partial`` in between. A site takes the
least advanced state of its CLI devices.

``egovnet ipv6 status`` keeps its latest answer as a record, ``<state>/ipv6/status.json``, so the
dashboard (``egovnet report``) shows the migration without logging in to every device again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from egovnet.atomic import write_json
from egovnet.configparse import interfaces_from_text
from egovnet.devices.dialects import dialect_of, has_cli
from egovnet.devices.session import DeviceSession, Target
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory, addressing
from egovnet.inventory.nornir_plugin import nornir_for

ORDER = ("unreachable", "not started", "partial", "dual-stack", "verified")
STATUS_FORMAT = "egovnet-ipv6-status/1"


@dataclass
class DeviceIPv6:
    """One device's migration state and the evidence for it."""

    device: str
    site: str
    state: str
    uplinks_v6: int = 0
    uplinks: int = 0
    ping_target: str = ""
    error: str | None = None


def core_target(inventory: Inventory) -> str:
    """The address every migrated site must reach: the first core device's IPv6 loopback."""
    core = min((d for d in inventory.devices.values() if d.role == "core"), key=lambda d: d.name)
    return str(addressing.loopback(inventory.plan, core.mgmt_ipv4).ip)


def _routed_uplinks(inventory: Inventory, name: str) -> list[str]:
    result = []
    for link in inventory.links_of(name):
        if link.a_ipv4 is None:
            continue
        result.append(link.a_interface if link.a_device == name else str(link.b_interface))
    return result


def device_state(inventory: Inventory, name: str, session: DeviceSession, target_v6: str) -> DeviceIPv6:
    """Classify one device from its running configuration and a ping."""
    device = inventory.devices[name]
    dialect = dialect_of(device.platform)
    interfaces = interfaces_from_text(session.running_config(), dialect.name)
    uplinks = _routed_uplinks(inventory, name)
    with_v6 = [i for i in uplinks if i in interfaces and interfaces[i].ipv6 and interfaces[i].ipv6_enabled]
    record = DeviceIPv6(name, device.site, "not started", len(with_v6), len(uplinks), target_v6)
    if with_v6 and len(with_v6) == len(uplinks):
        record.state = "verified" if session.ping(target_v6) else "dual-stack"
    elif with_v6:
        record.state = "partial"
    return record


def migration_status(
    inventory: Inventory,
    names: Sequence[str],
    workers: int = 20,
    connect: type[DeviceSession] = DeviceSession,
) -> list[DeviceIPv6]:
    """Read every selected CLI device in parallel (Nornir) and classify it."""
    target_v6 = core_target(inventory)
    cli = [n for n in names if has_cli(inventory.devices[n].platform)]

    def one(name: str) -> DeviceIPv6:
        device = inventory.devices[name]
        try:
            target: Target = target_for(device)
            with connect(target) as session:
                return device_state(inventory, name, session, target_v6)
        except Exception as exc:  # an unreachable device is a state, not a crash
            return DeviceIPv6(name, device.site, "unreachable", error=f"{type(exc).__name__}: {exc}")

    results = nornir_for(inventory, cli, workers).run(task=lambda task: one(task.host.name), on_failed=True)
    return [results[name][0].result for name in cli]


def site_states(records: Sequence[DeviceIPv6]) -> dict[str, str]:
    """Each site's least advanced device state."""
    sites: dict[str, str] = {}
    for record in records:
        current = sites.get(record.site)
        if current is None or ORDER.index(record.state) < ORDER.index(current):
            sites[record.site] = record.state
    return dict(sorted(sites.items()))


def as_dicts(records: Sequence[DeviceIPv6]) -> list[dict[str, object]]:
    return [asdict(r) for r in records]


def status_file(state_dir: str | Path) -> Path:
    """Where the latest status record lives: ``<state>/ipv6/status.json``."""
    return Path(state_dir) / "ipv6" / "status.json"


def status_record(
    records: Sequence[DeviceIPv6], limit: str | None = None, at: float | None = None
) -> dict[str, Any]:
    """One status run as a record: when, which devices (``limit``), each site's and device's state."""
    return {
        "format": STATUS_FORMAT,
        "at": time.time() if at is None else at,
        "limit": limit,
        "sites": site_states(records),
        "devices": as_dicts(records),
    }


def save_status(state_dir: str | Path, record: dict[str, Any]) -> Path:
    """Write the record atomically (a reader never sees half a file); return its path."""
    path = status_file(state_dir)
    write_json(path, record)
    return path


def load_status(state_dir: str | Path) -> dict[str, Any] | None:
    """The latest saved record, or ``None`` when ``egovnet ipv6 status`` has not run yet."""
    path = status_file(state_dir)
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
