"""Probe settings: thresholds, allow-lists, indicator lists and the intended access matrix.

Everything an engineer tunes lives in ``monitors/probes.yml`` (data, not code); every value has a
default here so the file only says what differs. Defaults follow the research note (security.md
§2.2): Zeek's scan thresholds (15 ports on one victim or 25 victims on one port within 5 minutes),
arpwatch semantics, an RA flood above 10 RAs per second, DNS tunnelling at >= 20 queries with > 0.8
unique names and long, high-entropy or NULL/TXT-heavy labels.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_FILE = Path("monitors") / "probes.yml"

Proto = Literal["tcp", "udp"]


class Service(BaseModel):
    """A management service the exposure check and the cleartext detector know by name."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    proto: Proto
    port: int = Field(ge=1, le=65535)
    cleartext: bool = False


#: Management services by name; ``cleartext`` ones are never acceptable (MLPS 8.1.4.1c).
DEFAULT_SERVICES: dict[str, Service] = {
    "ssh": Service(proto="tcp", port=22),
    "telnet": Service(proto="tcp", port=23, cleartext=True),
    "ftp": Service(proto="tcp", port=21, cleartext=True),
    "http": Service(proto="tcp", port=80, cleartext=True),
    "http-alt": Service(proto="tcp", port=8080, cleartext=True),
    "https": Service(proto="tcp", port=443),
    "https-alt": Service(proto="tcp", port=8443),
    "netconf": Service(proto="tcp", port=830),
    "snmp": Service(proto="udp", port=161),
    "tftp": Service(proto="udp", port=69, cleartext=True),
}


class ScanSettings(BaseModel):
    """Zeek ``scan.zeek`` defaults: failed attempts per scanner within a window."""

    model_config = ConfigDict(extra="forbid")
    window_s: float = Field(300.0, gt=0)
    port_threshold: int = Field(15, ge=2)
    address_threshold: int = Field(25, ge=2)


class ArpSettings(BaseModel):
    """arpwatch semantics plus a scan threshold."""

    model_config = ConfigDict(extra="forbid")
    window_s: float = Field(300.0, gt=0)
    scan_targets: int = Field(50, ge=2)
    ips_per_mac: int = Field(2, ge=2)
    #: VRRP/HSRP virtual MACs move between routers legitimately (research note: allow-list them).
    virtual_mac_prefixes: list[str] = Field(
        default_factory=lambda: ["00:00:5e:00:01", "00:00:5e:00:02", "00:00:0c:07:ac"]
    )


class RaSettings(BaseModel):
    """Router-advertisement rules."""

    model_config = ConfigDict(extra="forbid")
    flood_per_s: float = Field(10.0, gt=0)
    #: Extra legitimate routers (MAC addresses) besides the inventory's gateways.
    routers: list[str] = Field(default_factory=list)


class DnsSettings(BaseModel):
    """Indicators and tunnelling heuristics (per client and registered domain)."""

    model_config = ConfigDict(extra="forbid")
    ioc_domains: list[str] = Field(default_factory=list)
    ioc_file: Path | None = None
    allow_domains: list[str] = Field(default_factory=list)
    window_s: float = Field(300.0, gt=0)
    min_queries: int = Field(20, ge=2)
    unique_ratio: float = Field(0.8, gt=0, le=1)
    mean_label: float = Field(25.0, gt=0)
    entropy: float = Field(3.5, gt=0)
    odd_qtype_share: float = Field(0.5, gt=0, le=1)


class ZoneAccess(BaseModel):
    """Management services one zone may reach on the devices."""

    model_config = ConfigDict(extra="forbid")
    allow: list[str] = Field(default_factory=list)


def _default_matrix() -> dict[str, ZoneAccess]:
    return {
        "management": ZoneAccess(allow=["ssh", "snmp", "https", "netconf"]),
        "county_lan": ZoneAccess(),
        "dmz": ZoneAccess(),
        "extranet_uplink": ZoneAccess(),
    }


class PolicyTuple(BaseModel):
    """One row of the firewall-policy matrix checked with marked packets."""

    model_config = ConfigDict(extra="forbid")
    name: str
    proto: Proto
    port: int = Field(ge=1, le=65535)
    expect: Literal["allow", "deny"]


class ActiveSettings(BaseModel):
    """Safety caps and inputs of the active checks."""

    model_config = ConfigDict(extra="forbid")
    rate_pps: float = Field(50.0, gt=0, le=100.0)
    timeout_s: float = Field(2.0, gt=0, le=10.0)
    retries: int = Field(1, ge=0, le=2)
    #: ``public``/``private`` plus at most one site-specific guess: never more than three.
    communities: list[str] = Field(default_factory=lambda: ["public", "private"], max_length=3)
    exposure_services: list[str] = Field(
        default_factory=lambda: ["ftp", "ssh", "telnet", "http", "https", "netconf", "http-alt", "https-alt"]
    )
    access_matrix: dict[str, ZoneAccess] = Field(default_factory=_default_matrix)
    firewall_policy: list[PolicyTuple] = Field(default_factory=list)


class ProbeSettings(BaseModel):
    """``monitors/probes.yml``."""

    model_config = ConfigDict(extra="forbid")
    services: dict[str, Service] = Field(default_factory=lambda: dict(DEFAULT_SERVICES))
    default_communities: list[str] = Field(default_factory=lambda: ["public", "private"])
    #: Approved scanners (NMS discovery, vulnerability scanners) besides the inventory's NMS/probes.
    scanners: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = Field(default_factory=list)
    #: Approved DHCP / DHCPv6 servers and relays (IP or MAC), besides the inventory's gateways.
    dhcp_servers: list[str] = Field(default_factory=list)
    #: Threshold findings resolve after this many windows without a new event.
    quiet_windows: float = Field(2.0, gt=0)
    event_window_s: float = Field(3600.0, gt=0)
    scan: ScanSettings = Field(default_factory=ScanSettings)
    arp: ArpSettings = Field(default_factory=ArpSettings)
    ra: RaSettings = Field(default_factory=RaSettings)
    dns: DnsSettings = Field(default_factory=DnsSettings)
    active: ActiveSettings = Field(default_factory=ActiveSettings)

    def quiet_periods(self, detectors: list[str]) -> dict[str, float]:
        """Seconds without a new event after which a passive detector's finding resolves.

        Threshold detectors use their window; one-off events (a rogue RA, a telnet session) use
        ``event_window_s``. Both are multiplied by ``quiet_windows``.
        """
        windows = {"arp": self.arp.window_s, "scan": self.scan.window_s, "dns_tunnel": self.dns.window_s}
        return {name: self.quiet_windows * windows.get(name, self.event_window_s) for name in detectors}

    def ioc_domains(self) -> set[str]:
        """Indicator domains from the settings and the optional indicator file (one per line)."""
        domains = {d.lower().rstrip(".") for d in self.dns.ioc_domains}
        if self.dns.ioc_file is not None and self.dns.ioc_file.is_file():
            for line in self.dns.ioc_file.read_text(encoding="utf-8").splitlines():
                entry = line.split("#", 1)[0].strip().lower().rstrip(".")
                if entry:
                    domains.add(entry)
        return domains


def load_settings(path: str | Path | None = None) -> ProbeSettings:
    """Settings from ``path`` (default ``monitors/probes.yml`` when present, else the defaults)."""
    file = Path(path) if path is not None else DEFAULT_FILE
    if not file.is_file():
        if path is not None:
            raise FileNotFoundError(f"probe settings {file} not found")
        return ProbeSettings()
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    settings = ProbeSettings.model_validate(data)
    if settings.dns.ioc_file is not None and not settings.dns.ioc_file.is_absolute():
        settings.dns.ioc_file = file.parent / settings.dns.ioc_file
    return settings
