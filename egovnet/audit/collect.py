"""Live collection: running configuration, interface state and LLDP from every device, in parallel.

One SSH session per device (``egovnet.devices.DeviceSession``), run by Nornir's threaded runner;
state commands are parsed with ntc-templates (the parsers the twin is proved against), never with
a parser of our own. A device that cannot be read becomes a snapshot with ``error`` set, and its
rules report REVIEW instead of stopping the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ntc_templates.parse import parse_output

from egovnet.audit.snapshot import InterfaceState, Neighbor, Snapshot
from egovnet.devices.dialects import has_cli
from egovnet.devices.session import DeviceSession, Target
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory
from egovnet.inventory.nornir_plugin import nornir_for
from egovnet.platforms import platform as lookup_platform

#: Per dialect: (interface state command, LLDP command). Both have ntc-templates parsers.
STATE_COMMANDS: dict[str, tuple[str, str]] = {
    "vrp5": ("display interface", "display lldp neighbor"),
    "vrp8": ("display interface", "display lldp neighbor"),
    "comware7": ("display interface", "display lldp neighbor-information list"),
    "ios": ("show interfaces", "show lldp neighbors detail"),
}

_SPEED = re.compile(r"(\d+(?:\.\d+)?)\s*([KMG])", re.I)
_FACTOR = {"k": 0.001, "m": 1.0, "g": 1000.0}


def parse_speed(row: dict[str, Any]) -> int | None:
    """Mb/s from a parsed interface row: VRP ``speed: "1000"``, Comware ``"1000Mbps-speed"``,
    IOS ``"1000Mb/s"``, else the ``bandwidth`` (``"1000000 kbps"`` / ``"1000000 Kbit"``)."""
    speed = str(row.get("speed") or "")
    if speed.isdigit():
        return int(speed)
    for text in (speed, str(row.get("bandwidth") or "")):
        match = _SPEED.search(text)
        if match:
            return round(float(match.group(1)) * _FACTOR[match.group(2).lower()])
    return None


def interface_states(rows: list[dict[str, Any]]) -> dict[str, InterfaceState]:
    """Interface states from ntc-templates rows of any of the three vendors."""
    states: dict[str, InterfaceState] = {}
    for row in rows:
        link = str(row.get("link_status") or row.get("line_status") or "").lower()
        name = str(row["interface"])
        states[name] = InterfaceState(
            name=name,
            admin_up=not (link.startswith("administratively") or link.startswith("*")),
            oper_up=link.startswith("up"),
            speed_mbps=parse_speed(row),
        )
    return states


def neighbors(rows: list[dict[str, Any]]) -> list[Neighbor]:
    """LLDP neighbours from ntc-templates rows (port from ``neighbor_port_id`` or ``neighbor_interface``)."""
    return [
        Neighbor(
            local_interface=str(row.get("local_interface") or ""),
            name=str(row.get("neighbor_name") or row.get("neighbor") or ""),
            port=str(row.get("neighbor_port_id") or row.get("neighbor_interface") or ""),
        )
        for row in rows
        if row.get("neighbor_name") or row.get("neighbor")
    ]


def read_device(
    inventory: Inventory,
    name: str,
    *,
    state: bool = True,
    connect: Callable[[Target], DeviceSession] = DeviceSession,
) -> Snapshot:
    """Everything the audit needs from one device, over one SSH session."""
    device = inventory.devices[name]
    dialect = lookup_platform(device.platform).dialect
    snapshot = Snapshot(name, dialect, source=f"ssh://{device.host}")
    try:
        with connect(target_for(device)) as session:
            snapshot.config = session.running_config()
            if state and dialect in STATE_COMMANDS:
                ntc = lookup_platform(device.platform).ntc_platform or ""
                show_interfaces, show_lldp = STATE_COMMANDS[dialect]
                try:
                    rows = parse_output(
                        platform=ntc, command=show_interfaces, data=session.command(show_interfaces)
                    )
                    snapshot.interfaces = interface_states(rows)
                    rows = parse_output(platform=ntc, command=show_lldp, data=session.command(show_lldp))
                    snapshot.lldp = neighbors(rows)
                except Exception as exc:  # state is extra: keep the config, note why state is missing
                    snapshot.extra["state_error"] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # an unreachable device is a finding (REVIEW), not a crash
        snapshot.error = f"{type(exc).__name__}: {exc}"
    return snapshot


def collect(
    inventory: Inventory,
    names: Sequence[str],
    *,
    workers: int = 20,
    state: bool = True,
    connect: Callable[[Target], DeviceSession] = DeviceSession,
    progress: Callable[[Snapshot], None] | None = None,
) -> dict[str, Snapshot]:
    """Read every CLI device of ``names`` in parallel (Nornir); other devices are skipped."""
    cli = [n for n in names if has_cli(inventory.devices[n].platform)]
    if not cli:
        return {}

    def task(host: str) -> Snapshot:
        snapshot = read_device(inventory, host, state=state, connect=connect)
        if progress is not None:
            progress(snapshot)
        return snapshot

    results = nornir_for(inventory, cli, workers).run(task=lambda t: task(t.host.name), on_failed=True)
    return {name: results[name][0].result for name in cli}
