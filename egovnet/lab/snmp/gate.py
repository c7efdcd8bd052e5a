"""Fault injection at the socket: what a broken or unreachable device does to a datagram.

Faults act before pysnmp decodes anything, because a device that is down must not even answer SNMPv3
engine discovery:

* ``device_down``: every datagram is dropped (the poller times out).
* ``snmp_loss`` = p: each datagram is dropped with probability p, drawn from a random generator seeded
  with the device name, so a test run is reproducible; p = 1.0 drops everything, 0 nothing.
* ``auth_failure`` (shared with the SSH front-end, where it refuses logins): the device behaves as if
  its SNMP credentials had been changed. SNMPv1/v2c requests are dropped, as for a wrong community;
  authenticated SNMPv3 requests get their HMAC spoiled, so the USM answers with a
  usmStatsWrongDigests report ("Authentication failure") exactly as for a wrong key. Unauthenticated
  v3 discovery still works, as on a real agent.

Last, a v1/v2c request must carry a community this device accepts: the lab's, or one its running
configuration names in plain text (:mod:`egovnet.lab.snmp.communities`).
"""

from __future__ import annotations

import random

from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pyasn1.error import PyAsn1Error  # type: ignore[import-untyped]
from pysnmp.proto.api import verdec
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

from egovnet.lab.model import LabDevice
from egovnet.lab.snmp.communities import ConfiguredCommunities
from egovnet.lab.snmp.facts import stable_int

SNMPV3 = 3
AUTH_FLAG = 0x01


def spoil_authentication(datagram: bytes) -> bytes | None:
    """The datagram as a device with other credentials sees it (``None``: drop it).

    v1/v2c: dropped. v3 with the auth flag: HMAC inverted, so verification fails. Other v3 messages
    (discovery) pass unchanged. Undecodable input passes too: pysnmp counts and drops it itself.
    """
    try:
        if int(verdec.decode_message_version(datagram)) != SNMPV3:
            return None
        message, _ = decoder.decode(datagram, asn1Spec=SNMPv3Message())
        flags = bytes(message["msgGlobalData"]["msgFlags"])
        if not flags or not flags[0] & AUTH_FLAG:
            return datagram
        params, _ = decoder.decode(bytes(message["msgSecurityParameters"]), asn1Spec=UsmSecurityParameters())
        digest = bytes(params["msgAuthenticationParameters"])
        params["msgAuthenticationParameters"] = bytes(octet ^ 0xFF for octet in digest)
        message["msgSecurityParameters"] = encoder.encode(params)
        spoiled: bytes = encoder.encode(message)
        return spoiled
    except (PyAsn1Error, ValueError, TypeError):
        return datagram


class FaultGate:
    """Decides, per datagram, what one device's faults let through."""

    def __init__(self, device: LabDevice, communities: ConfiguredCommunities | None = None) -> None:
        self.device = device
        self.communities = communities
        self._random = random.Random(stable_int(device.name, "snmp_loss"))

    def admit(self, datagram: bytes) -> bytes | None:
        """The datagram to hand to the SNMP engine, or ``None`` to drop it silently."""
        faults = self.device.faults
        if faults.device_down:
            return None
        if faults.snmp_loss > 0 and self._random.random() < faults.snmp_loss:
            return None
        if faults.auth_failure:
            return spoil_authentication(datagram)
        if self.communities is not None and not self.communities.admit(self.device, datagram):
            return None
        return datagram
