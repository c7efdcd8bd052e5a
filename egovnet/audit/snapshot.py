"""What an audit knows about one device: its configuration and, when read live, its state.

A live run fills every field from the device (or the twin) over SSH; an offline run fills only
``config`` from a backup file. Checks that need state return REVIEW when it is absent, so the same
rules serve both kinds of run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InterfaceState:
    """Operational state of one interface (from ``display interface`` / ``show interfaces``).

    Attributes:
        speed_mbps: the negotiated or configured speed, ``None`` when the device does not say.
    """

    name: str
    admin_up: bool
    oper_up: bool
    speed_mbps: int | None = None


@dataclass(frozen=True)
class Neighbor:
    """One LLDP neighbour seen on a local interface."""

    local_interface: str
    name: str
    port: str


@dataclass
class Snapshot:
    """Everything collected from one device.

    Attributes:
        device: inventory name (or, for an unknown offline file, the file's stem).
        dialect: the CLI dialect the configuration is written in.
        config: the running configuration as printed, or ``None`` when it could not be read.
        interfaces: interface name -> state; ``None`` when state was not collected (offline).
        lldp: neighbours; ``None`` when not collected.
        source: where the configuration came from (a file path, or ``ssh://host``).
        error: why collection failed, if it did.
    """

    device: str
    dialect: str | None
    config: str | None = None
    interfaces: dict[str, InterfaceState] | None = None
    lldp: list[Neighbor] | None = None
    source: str | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_state(self) -> bool:
        return self.interfaces is not None
