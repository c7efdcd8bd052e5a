"""The digital twin's SNMP agent: every simulated device answers SNMP on its own 127.x address.

Start it inside the lab's event loop::

    lab = await start_snmp(network, SnmpCredentials("public", "ops", "authpass123", "privpass123"))
    ...
    lab.close()

Values are computed from the live :class:`~egovnet.lab.model.LabNetwork` on every request (see
:mod:`egovnet.lab.snmp.mibs` for what is served, and ``monitors/mibs/EGOVNET-LAB-MIB.txt`` for the
enterprise objects), so a change made over the CLI or a fault injected into the model shows at once.
"""

from egovnet.lab.snmp.agent import SnmpLab, start_snmp
from egovnet.lab.snmp.credentials import SnmpCredentials

__all__ = ["SnmpCredentials", "SnmpLab", "start_snmp"]
