"""A per-request snapshot of one device, computed lazily from the live model.

A GETBULK of 25 repetitions calls the MIB controller 25 times for one PDU. Deriving interface state
means parsing the running configuration (and the peers' configurations), so the view computes each
piece of state at most once per PDU and only when an object that needs it is read: a GET of sysUpTime
never touches the interfaces. The next PDU gets a fresh view, so a change made over the CLI is visible
on the very next request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

from egovnet.configparse import InterfaceConfig
from egovnet.lab.model import InterfaceState, LabDevice, LabNetwork


class DeviceView:
    """What one SNMP request sees of one device.

    Attributes:
        network: the twin, for cross-device state (links, LLDP, peers).
        device: the device the request was addressed to.
        engine: the pysnmp engine answering (for the SNMP-FRAMEWORK-MIB engine group), or ``None``.
        now: wall-clock time of the request; every time-based value of one PDU uses it.
    """

    def __init__(self, network: LabNetwork, device: LabDevice, engine: Any = None) -> None:
        self.network = network
        self.device = device
        self.engine = engine
        self.now = time.time()
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Cache ``compute()`` under ``key`` for the lifetime of this request."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def spec(self) -> Any:
        """The device's inventory facts (``DeviceSpec``)."""
        return self.device.spec

    @cached_property
    def states(self) -> list[InterfaceState]:
        """Every interface with derived operational state, in ifIndex order."""
        return self.network.interface_states(self.device)

    @cached_property
    def states_by_name(self) -> dict[str, InterfaceState]:
        """Interface state by interface name."""
        return {state.name: state for state in self.states}

    @cached_property
    def lldp(self) -> list[tuple[str, LabDevice, str]]:
        """(local interface, neighbour, neighbour interface) for every up link to a twin device."""
        return self.network.lldp_neighbors(self.device)

    def peer_config(self, device: LabDevice) -> dict[str, InterfaceConfig]:
        """Interface configuration of another device (LLDP port descriptions), once per request."""
        result: dict[str, InterfaceConfig] = self.memo("ifconf:" + device.name, device.interface_config)
        return result

    def uptime_ticks(self) -> int:
        """sysUpTime: hundredths of a second since the (simulated) boot, wrapping like TimeTicks."""
        return int(self.device.uptime() * 100) % 2**32

    def ticks_at(self, moment: float) -> int:
        """The sysUpTime value at wall-clock ``moment`` (0 before boot): ifLastChange and friends."""
        return int(max(0.0, moment - self.device.boot_time) * 100) % 2**32
