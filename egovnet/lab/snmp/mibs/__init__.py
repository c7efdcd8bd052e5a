"""Every MIB object the twin's agent serves, assembled into one registry.

Adding an object means adding one entry to one of these modules; the agent's code does not change.
"""

from __future__ import annotations

from egovnet.lab.snmp.mibs.egovnet import EGOVNET_MIB
from egovnet.lab.snmp.mibs.interfaces import IF_MIB
from egovnet.lab.snmp.mibs.ip import IP_MIB
from egovnet.lab.snmp.mibs.lldp import LLDP_MIB
from egovnet.lab.snmp.mibs.system import HOST_RESOURCES, SNMP_ENGINE, SYSTEM
from egovnet.lab.snmp.registry import MibRegistry
from egovnet.lab.snmp.view import DeviceView


def build_registry() -> MibRegistry[DeviceView]:
    """The registry of all served objects (sorted and checked for overlaps once, at start-up)."""
    return MibRegistry([*SYSTEM, *IF_MIB, *IP_MIB, *HOST_RESOURCES, *LLDP_MIB, *EGOVNET_MIB, *SNMP_ENGINE])
