"""The one table from dialect name to dialect object.

Dialects are stateless apart from their compiled command tables, so one instance per dialect is
shared by every session. Modules are imported on first use, which lets dialect modules ask the
registry about a neighbour's dialect (LLDP shows the peer's own system description) without
import cycles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from egovnet.lab.model import LabDevice

if TYPE_CHECKING:
    from egovnet.lab.cli.dialect import Dialect

_MODULES = {
    "vrp5": ("egovnet.lab.cli.vrp5", "Vrp5"),
    "vrp8": ("egovnet.lab.cli.vrp8", "Vrp8"),
    "comware7": ("egovnet.lab.cli.comware7", "Comware7"),
    "ios": ("egovnet.lab.cli.ios", "Ios"),
}
_INSTANCES: dict[str, Dialect] = {}


def get_dialect(name: str) -> Dialect:
    """The dialect called ``name`` (``vrp5``, ``vrp8``, ``comware7``, ``ios``)."""
    if name not in _INSTANCES:
        try:
            module_name, class_name = _MODULES[name]
        except KeyError:
            raise KeyError(f"unknown CLI dialect {name!r} (known: {', '.join(_MODULES)})") from None
        cls = getattr(importlib.import_module(module_name), class_name)
        _INSTANCES[name] = cls()
    return _INSTANCES[name]


def dialect_for(device: LabDevice) -> Dialect | None:
    """The dialect a device speaks, ``None`` for SNMP-only kinds."""
    return get_dialect(device.dialect) if device.dialect else None


def peer_description(device: LabDevice) -> list[str]:
    """A neighbour's LLDP system description, in its own dialect's words."""
    dialect = dialect_for(device)
    if dialect is None:
        return [f"{device.spec.vendor} {device.spec.model}".strip()]
    return dialect.sys_description(device.spec)


def peer_port_id(device: LabDevice, port: str) -> str:
    """The LLDP Port ID a neighbour advertises for ``port`` (Cisco sends short names)."""
    dialect = dialect_for(device)
    return dialect.lldp_port_id(port) if dialect is not None else port
