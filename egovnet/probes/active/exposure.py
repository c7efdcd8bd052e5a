"""Management-plane exposure per security zone, compared with the intended access matrix.

From where the probe stands (``--zone``), every selected device's management services are scanned
(SYN scan as root, connect scan otherwise; TCP services of the settings) and compared with the
matrix row of that zone (``active.access_matrix``): a cleartext service that answers at all is
``ACT-EXPO-002`` (MLPS 8.1.4.1c), any other service the zone may not reach is ``ACT-EXPO-001``.
Cleartext services get a banner read as evidence (telnet negotiation stripped).
"""

from __future__ import annotations

import time
from typing import ClassVar

from egovnet.probes.active.base import ActiveCheck, ActiveRun, CheckError
from egovnet.probes.active.tcpscan import OPEN, banner, connect_scan, syn_scan
from egovnet.probes.findings import Entity

BANNER_TIMEOUT_S = 1.5


class ExposureCheck(ActiveCheck):
    """Which management services answer, against what this zone may reach."""

    name: ClassVar[str] = "exposure"
    description: ClassVar[str] = "management-plane exposure vs the intended access matrix (TCP)"

    def run(self, run: ActiveRun) -> list[str]:
        settings = run.context.settings
        names = run.services or settings.active.exposure_services
        services = {n: settings.services[n] for n in names if n in settings.services}
        services = {n: s for n, s in services.items() if s.proto == "tcp"}
        if not services:
            raise CheckError(f"no TCP service among {', '.join(names)}")
        matrix = settings.active.access_matrix
        if run.zone not in matrix:
            raise CheckError(f"zone {run.zone!r} is not in the access matrix ({', '.join(matrix)})")
        allowed = set(matrix[run.zone].allow)
        plan = {
            (target.address, target.service_port(name, service)): (target, name)
            for target in run.targets
            for name, service in services.items()
        }
        if run.dry_run:
            run.planned += [
                f"tcp {address}:{port} ({t.name} {n})" for (address, port), (t, n) in plan.items()
            ]
            return []
        timeout = settings.active.timeout_s
        if run.privileged:
            states = syn_scan(plan, run.limiter, timeout, settings.active.retries)
        else:
            states = connect_scan(plan, run.limiter, timeout)
        for endpoint, state in sorted(states.items()):
            if state != OPEN:
                continue
            target, name = plan[endpoint]
            service = services[name]
            if not service.cleartext and name in allowed:
                continue
            entity = _service_entity(run, target.name, target.address, name)
            facts: dict[str, object] = {"service": name, "port": endpoint[1], "zone": run.zone}
            if service.cleartext:
                text = banner(endpoint, BANNER_TIMEOUT_S)
                facts["banner"] = text
                run.book.report(
                    "ACT-EXPO-002",
                    entity,
                    time.time(),
                    f"{name} answers on {target.name} ({endpoint[0]}:{endpoint[1]})"
                    + (f": {text!r}" if text else ""),
                    detail=f"tcp {endpoint[0]}:{endpoint[1]} open ({name}) from zone {run.zone}",
                    facts=facts,
                    labels={"origin": "self-test"},
                )
            else:
                run.book.report(
                    "ACT-EXPO-001",
                    entity,
                    time.time(),
                    f"{name} on {target.name} ({endpoint[0]}:{endpoint[1]}) is reachable from zone "
                    f"{run.zone}, which the access matrix does not allow",
                    detail=f"tcp {endpoint[0]}:{endpoint[1]} open ({name}) from zone {run.zone}",
                    facts=facts,
                    labels={"origin": "self-test"},
                )
        return [f"{target.name}:{name}" for target in run.targets for name in services]


def _service_entity(run: ActiveRun, device: str, address: str, service: str) -> Entity:
    """One alert per device and service, so closing telnet resolves telnet and nothing else."""
    base = run.context.device_entity(device, address)
    return Entity("service", f"{device}:{service}", ip=address, site=base.site, zone=base.zone)
