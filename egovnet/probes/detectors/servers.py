"""Who may answer DHCP and DHCPv6 on a site LAN: the gateways (relays) and the approved servers.

Shared by the DHCP and DHCPv6 detectors and the active DHCP sweep, so the three agree on what a
rogue server is.
"""

from __future__ import annotations

from dataclasses import dataclass

from egovnet.probes.context import ProbeContext
from egovnet.probes.packet import normal_mac


@dataclass(frozen=True)
class ServerAllowList:
    """Approved DHCP servers and relays by IP and by MAC."""

    ips: frozenset[str]
    macs: frozenset[str]

    @classmethod
    def of(cls, context: ProbeContext) -> ServerAllowList:
        """Gateways (they relay DHCP to the county servers) plus ``dhcp_servers`` from the settings."""
        ips = set(context.gateways.binding)
        macs = set(context.gateways.gateway_macs)
        for entry in context.settings.dhcp_servers:
            try:
                macs.add(normal_mac(entry))
            except ValueError:
                ips.add(entry)
        return cls(frozenset(ips), frozenset(macs))

    @property
    def empty(self) -> bool:
        """No allow-list at all: a detector cannot tell a rogue server from the real one."""
        return not self.ips and not self.macs

    def allows(self, ip: str | None, mac: str | None) -> bool:
        """Whether a server seen with this IP and MAC is approved."""
        return (ip is not None and ip in self.ips) or (mac is not None and mac in self.macs)
