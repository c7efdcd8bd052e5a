"""Default SNMP communities: one GetRequest for sysDescr.0 per community, at most three communities.

Per device the check sends an SNMPv2c ``get`` of ``sysDescr.0`` with each configured guess
(``public``, ``private`` and at most one site-specific guess: the settings refuse more than three),
waits ``timeout_s`` and retries once. Any answer is a finding: ``public``/``private`` answered is
``ACT-SNMP-001`` (critical), another guess ``ACT-SNMP-002``. The answer is dissected with scapy for
the evidence (sysDescr); a non-default community is never written into a finding. Failed attempts
raise authentication-failure traps on real devices, so every request is paced by the run's limiter
and the alerts carry ``origin=self-test`` for the SOC.
"""

from __future__ import annotations

import select
import socket
import time
from typing import ClassVar

from egovnet.probes.active.base import ActiveCheck, ActiveRun
from egovnet.probes.craft import snmp_request
from egovnet.snmpwire import parse_header

SNMP_PORT = 161
MAX_DATAGRAM = 65535


def _sys_descr(datagram: bytes) -> str:
    """sysDescr.0 from a response (scapy dissects this one answer)."""
    from scapy.layers.snmp import SNMP

    try:
        value = SNMP(datagram).PDU.varbindlist[0].value.val
    except (AttributeError, IndexError, TypeError, ValueError):
        return ""
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:160]


class SnmpDefaultCheck(ActiveCheck):
    """Which devices answer a guessed community."""

    name: ClassVar[str] = "snmp_default"
    description: ClassVar[str] = "default SNMP communities (<= 3 guesses, one get of sysDescr.0 each)"

    def run(self, run: ActiveRun) -> list[str]:
        settings = run.context.settings
        communities = settings.active.communities[:3]
        defaults = set(settings.default_communities)
        pending = {
            (target.address, target.ports.get("snmp", SNMP_PORT), community): target
            for target in run.targets
            for community in communities
        }
        if run.dry_run:
            run.planned += [f"snmp v2c get {a}:{p} ({t.name})" for (a, p, _), t in pending.items()]
            return []
        answers: dict[tuple[str, int, str], bytes] = {}
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            for _attempt in range(1 + settings.active.retries):
                waiting = {key: t for key, t in pending.items() if key not in answers}
                if not waiting:
                    break
                for request_id, (address, port, community) in enumerate(waiting, start=1):
                    run.limiter.wait()
                    sock.sendto(snmp_request(community, request_id), (address, port))
                    self._collect(sock, answers, 0.0)
                self._collect(sock, answers, settings.active.timeout_s)
        for (address, port, community), datagram in sorted(answers.items()):
            target = pending[(address, port, community)]
            default = community in defaults
            shown = community if default else f"<{len(community)} chars>"
            run.book.report(
                "ACT-SNMP-001" if default else "ACT-SNMP-002",
                run.context.device_entity(target.name, address),
                time.time(),
                f"{target.name} ({address}:{port}) answers SNMP community {shown}",
                detail=f"snmp v2c get sysDescr.0 -> {address}:{port} answered",
                facts={"community": shown, "sys_descr": _sys_descr(datagram), "port": port},
                labels={"origin": "self-test"},
            )
        return [target.name for target in run.targets]

    @staticmethod
    def _collect(sock: socket.socket, answers: dict[tuple[str, int, str], bytes], wait: float) -> None:
        """Read answers until ``wait`` seconds pass without one (0: only what is queued)."""
        deadline = time.monotonic() + wait
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([sock], [], [], remaining)
            if not ready:
                return
            datagram, (address, port) = sock.recvfrom(MAX_DATAGRAM)
            header = parse_header(datagram)
            if header is not None and header.pdu == "response":
                answers[(address, port, header.community.decode(errors="replace"))] = datagram
