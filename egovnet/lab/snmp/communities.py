"""Communities a device's own configuration adds to the lab's one (a device left with ``public``).

Every twin device accepts the lab community. A device whose running configuration names a read or
write community **in plain text** (``snmp-agent community read public``, ``snmp-agent community
read simple public`` on Comware, ``snmp-server community public RO`` on IOS) accepts that one too,
as the real device would; this is how a test leaves ``public`` open on one device for the probe's
default-community check. Ciphered communities (``... cipher %^%#...``) are ignored: the twin's cipher
text is a one-way stand-in, and the dialects' base configurations carry such a stand-in on every
device, which must not open every device to ``public``.

pysnmp's engines are shared by many devices, so a community is registered with them the first time
a device's configuration asks for it, and :meth:`ConfiguredCommunities.admit` (called per datagram
by :class:`~egovnet.lab.snmp.gate.FaultGate`) drops v1/v2c requests whose community this device's
configuration does not accept, before pysnmp sees them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pysnmp.entity import config

from egovnet.lab.model import LabDevice
from egovnet.snmpwire import parse_header

_VRP_KEYWORD = "snmp-agent community "
_IOS_KEYWORD = "snmp-server community "
_ACCESS = frozenset({"read", "write"})


def configured_communities(device: LabDevice) -> frozenset[str]:
    """Plain-text communities in the device's running configuration."""
    found: set[str] = set()
    for node in device.running.children:
        text = node.text
        if text.startswith(_VRP_KEYWORD):
            words = text[len(_VRP_KEYWORD) :].split()
            if len(words) >= 2 and words[0] in _ACCESS:
                name = words[2] if words[1] == "simple" and len(words) > 2 else words[1]
                if words[1] != "cipher":
                    found.add(name)
        elif text.startswith(_IOS_KEYWORD):
            words = text[len(_IOS_KEYWORD) :].split()
            if words and words[0] not in ("0", "7"):  # IOS "0 <name>" / "7 <hidden>": encryption types
                found.add(words[0])
            elif len(words) > 1 and words[0] == "0":
                found.add(words[1])
    return frozenset(found)


class ConfiguredCommunities:
    """Per-device community check in front of engines that know every community in use."""

    def __init__(self, lab_community: str) -> None:
        self.lab_community = lab_community.encode()
        self.engines: list[Any] = []
        self._registered: set[str] = set()

    def admit(self, device: LabDevice, datagram: bytes) -> bool:
        """Whether ``device`` accepts this datagram's community (v3 and undecodable ones pass)."""
        header = parse_header(datagram)
        if header is None or header.version == "v3" or header.community == self.lab_community:
            return True
        community = header.community.decode(errors="replace")
        if community not in configured_communities(device):
            return False
        self._register(community)
        return True

    def _register(self, community: str) -> None:
        if community in self._registered:
            return
        index = "egovnet-cfg-" + hashlib.sha256(community.encode()).hexdigest()[:12]
        for engine in self.engines:
            config.add_v1_system(engine, index, community)
        self._registered.add(community)
