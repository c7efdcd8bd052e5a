"""Active checks: rate-limited probes of the network's defences, against inventory targets only.

| check          | sends                                              | finds                              |
|----------------|----------------------------------------------------|------------------------------------|
| ``exposure``   | SYN (root) or connect to management ports          | services the zone may not reach    |
| ``snmp_default``| v2c get sysDescr.0 with <= 3 community guesses    | default communities answered       |
| ``ra_guard``   | harmless RA (lifetime 0, 2001:db8::/64) + variants | RA guard missing or bypassed       |
| ``dhcp_sweep`` | one broadcast DISCOVER                             | unapproved DHCP servers            |
| ``fw_policy``  | one marked packet per policy row                   | policy rows the firewall gets wrong|

Every packet goes through the run's token bucket (at most ``active.rate_pps``, capped at 100/s);
targets are inventory devices selected with ``--limit``; ``--dry-run`` lists and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from egovnet.probes.active.base import ActiveCheck, ActiveRun, CheckError
from egovnet.probes.active.dhcp_sweep import DhcpSweepCheck
from egovnet.probes.active.exposure import ExposureCheck
from egovnet.probes.active.fw_policy import FirewallPolicyCheck
from egovnet.probes.active.ra_guard import RaGuardCheck
from egovnet.probes.active.snmp_default import SnmpDefaultCheck

CHECKS: dict[str, type[ActiveCheck]] = {
    cls.name: cls
    for cls in (ExposureCheck, SnmpDefaultCheck, RaGuardCheck, DhcpSweepCheck, FirewallPolicyCheck)
}
#: Checks that need nothing but inventory targets (what ``egovnet probe active`` runs by default).
DEFAULT_CHECKS = ("exposure", "snmp_default")


def run_checks(run: ActiveRun, names: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Run the named checks (default :data:`DEFAULT_CHECKS`); returns covered entities per check."""
    chosen = list(names) if names else list(DEFAULT_CHECKS)
    unknown = [n for n in chosen if n not in CHECKS]
    if unknown:
        raise CheckError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(CHECKS)})")
    return {name: CHECKS[name]().run(run) for name in chosen}


__all__ = ["CHECKS", "DEFAULT_CHECKS", "ActiveCheck", "ActiveRun", "CheckError", "run_checks"]
