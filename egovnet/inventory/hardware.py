"""The hardware catalogue: which ports a device model has, so links can be checked against real ports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# Interfaces that exist by configuration rather than by hardware, per vendor spelling.
LOGICAL_INTERFACE = re.compile(
    r"^(LoopBack|Loopback|Vlanif|Vlan-interface|Vlan|Eth-Trunk|Bridge-Aggregation|Route-Aggregation|"
    r"Port-channel|Tunnel|NULL|Null|Virtual-Template)\d+(/\d+)*$"
)


@dataclass(frozen=True)
class PortGroup:
    """A run of identically named ports (``GigabitEthernet0/0/1`` .. ``24``)."""

    prefix: str
    first: int
    last: int
    speed: int


@dataclass(frozen=True)
class HardwareModel:
    """One device model and its physical ports."""

    name: str
    vendor: str
    description: str
    port_groups: tuple[PortGroup, ...]

    def ports(self) -> list[tuple[str, int]]:
        """(port name, speed Mb/s) in faceplate order."""
        return [(f"{g.prefix}{n}", g.speed) for g in self.port_groups for n in range(g.first, g.last + 1)]

    def port_speed(self, name: str) -> int | None:
        """Speed of port ``name``, or ``None`` when the model has no such port."""
        for group in self.port_groups:
            if name.startswith(group.prefix):
                tail = name[len(group.prefix) :]
                if tail.isdigit() and group.first <= int(tail) <= group.last:
                    return group.speed
        return None

    def has_interface(self, name: str) -> bool:
        """A physical port of this model, or a well-formed logical interface."""
        return self.port_speed(name) is not None or bool(LOGICAL_INTERFACE.match(name))


@cache
def catalogue() -> dict[str, HardwareModel]:
    """All known models, read once from the packaged ``hardware.yml``."""
    text = resources.files("egovnet.inventory").joinpath("hardware.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {
        name: HardwareModel(
            name=name,
            vendor=body["vendor"],
            description=body.get("description", ""),
            port_groups=tuple(PortGroup(**group) for group in body["ports"]),
        )
        for name, body in data.items()
    }
