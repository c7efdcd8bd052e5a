"""Active-check targets: inventory devices only, with the ports the inventory says they listen on.

Targets never come from a command-line address list or a network range: an engineer selects devices
with the usual ``--limit`` pattern and the addresses are the inventory's (``ansible_host``, which
the twin's overlay points at 127.x.y.z). Service ports follow the inventory too: ``ansible_port``
for SSH, ``egovnet_snmp.port`` for SNMP and ``egovnet_telnet_port`` for telnet, falling back to the
settings' well-known ports.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from egovnet.inventory import Inventory
from egovnet.inventory.select import select_hosts
from egovnet.probes.settings import Service

#: Where the inventory overrides a service's port (the twin serves SSH and SNMP on high ports).
PORT_VARIABLES = {"ssh": "ansible_port", "telnet": "egovnet_telnet_port"}
#: Devices that are not network devices (nothing of theirs is a management plane to check).
SKIP_ROLES = frozenset({"website"})


@dataclass(frozen=True)
class Target:
    """One device to check."""

    name: str
    address: str
    site: str
    platform: str
    ports: dict[str, int]

    def service_port(self, name: str, service: Service) -> int:
        """The port ``name`` listens on at this device."""
        return self.ports.get(name, service.port)


def select_targets(inventory: Inventory, limit: str | None, scope: list[str] | None = None) -> list[Target]:
    """The devices ``limit`` selects, as targets (sorted by name).

    ``scope`` (networks) is a hard cap on top: a selected device whose address lies outside it is
    left out. Tests pass ``127.0.0.0/8`` so that devices the twin does not serve (they keep their real
    address in the overlay) are never probed.
    """
    networks = [ipaddress.ip_network(n, strict=False) for n in scope or ()]
    targets = []
    for name in select_hosts(inventory, limit):
        device = inventory.devices[name]
        if device.role in SKIP_ROLES:
            continue
        ports: dict[str, int] = {}
        for service, variable in PORT_VARIABLES.items():
            value = device.vars.get(variable)
            if isinstance(value, int):
                ports[service] = value
        snmp = device.vars.get("egovnet_snmp")
        if isinstance(snmp, dict) and isinstance(snmp.get("port"), int):
            ports["snmp"] = snmp["port"]
        address = ipaddress.ip_address(device.host)
        if networks and not any(address in network for network in networks):
            continue
        targets.append(Target(name, str(address), device.site, device.platform, ports))
    return targets
