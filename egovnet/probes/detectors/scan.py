"""Port and address scans, Zeek ``scan.zeek`` style: *failed* connection attempts per scanner.

Counting every SYN would flag the NMS or an engineer's Nornir run that opens SSH to thirty devices in
a minute; Zeek counts failed attempts only, and so does this detector. An attempt is a SYN without
ACK; it succeeded when the victim answers SYN+ACK, and counts as failed once it stayed unanswered
for a grace second (or was reset). Within ``scan.window_s`` (5 minutes):

* ``NET-SCAN-001`` port scan: at least ``scan.port_threshold`` (15) failed ports on one victim;
* ``NET-SCAN-002`` address scan: at least ``scan.address_threshold`` (25) failed victims on one port.

Approved scanners (the inventory's NMS and probes, ``scanners`` in the settings) are exempt. SYNs
that look like nmap's raw SYNs (window 1024/2048/3072/4096, only an MSS option; Suricata sid
2009582) raise the finding to ``critical``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors.base import Detector, Interest
from egovnet.probes.findings import FindingBook
from egovnet.probes.packet import TCP_ACK, TCP_RST, TCP_SYN, ipv4, ipv6

K = TypeVar("K")
GRACE_S = 1.0
PRUNE_EVERY_S = 10.0
NMAP_WINDOWS = frozenset({1024, 2048, 3072, 4096})
MSS_ONLY = b"\x02\x04"


@dataclass
class _Attempts:
    """Attempts of one (scanner, victim) or (scanner, port) key: target -> time of the last SYN."""

    targets: dict[int | str, float] = field(default_factory=dict)
    reported: int = 0


class ScanDetector(Detector):
    """Watches SYN, SYN+ACK and RST segments (kernel filter on the TCP flags)."""

    name: ClassVar[str] = "scan"

    def __init__(self, context: ProbeContext, book: FindingBook) -> None:
        super().__init__(context, book)
        self.settings = context.settings.scan
        self.by_victim: dict[tuple[str, str], _Attempts] = {}
        self.by_port: dict[tuple[str, int], _Attempts] = {}
        self.answered: set[tuple[str, str, int]] = set()
        self.nmap_like: set[str] = set()
        self.first_frame: dict[str, bytes] = {}
        self.dirty: set[tuple[str, str | int]] = set()
        self._pruned = 0.0

    def interests(self) -> tuple[Interest, ...]:
        return (Interest(tcp_flags=TCP_SYN | TCP_RST),)

    def on_frame(self, when: float, frame: bytes, l3: int, l4: int) -> None:
        if frame[l3] >> 4 == 4:
            source, destination = ipv4(frame, l3 + 12), ipv4(frame, l3 + 16)
        else:
            source, destination = ipv6(frame, l3 + 8), ipv6(frame, l3 + 24)
        sport = frame[l4] << 8 | frame[l4 + 1]
        dport = frame[l4 + 2] << 8 | frame[l4 + 3]
        flags = frame[l4 + 13]
        if flags & TCP_SYN and flags & TCP_ACK:
            self.answered.add((destination, source, sport))
            return
        if not flags & TCP_SYN or source in self.context.scanners:
            return  # a RST: the attempt stays unanswered, which is what counts
        victim = self.by_victim.get((source, destination))
        if victim is None:
            victim = self.by_victim[(source, destination)] = _Attempts()
            self.first_frame.setdefault(source, frame)
        victim.targets[dport] = when
        port = self.by_port.get((source, dport))
        if port is None:
            port = self.by_port[(source, dport)] = _Attempts()
        port.targets[destination] = when
        self.dirty.add((source, destination))
        self.dirty.add((source, dport))
        if source not in self.nmap_like and self._nmap(frame, l4):
            self.nmap_like.add(source)

    @staticmethod
    def _nmap(frame: bytes, l4: int) -> bool:
        window = frame[l4 + 14] << 8 | frame[l4 + 15]
        options = frame[l4 + 20 : l4 + (frame[l4 + 12] >> 4) * 4]
        return window in NMAP_WINDOWS and len(options) == 4 and options.startswith(MSS_ONLY)

    def tick(self, now: float) -> None:
        settled = now - GRACE_S
        pending: set[tuple[str, str | int]] = set()
        for key in self.dirty:
            source, other = key
            if isinstance(other, int):  # (scanner, port): victims are the targets
                rule_id, attempts = "NET-SCAN-002", self.by_port.get((source, other))
            else:  # (scanner, victim): ports are the targets
                rule_id, attempts = "NET-SCAN-001", self.by_victim.get((source, other))
            if attempts is None:
                continue
            failed = [
                target
                for target, at in attempts.targets.items()
                if at <= settled and self._answer_key(source, other, target) not in self.answered
            ]
            self._judge(rule_id, source, attempts, failed, now, other)
            if any(at > settled for at in attempts.targets.values()):
                pending.add(key)
        self.dirty = pending
        self._prune(now)

    @staticmethod
    def _answer_key(source: str, other: str | int, target: str | int) -> tuple[str, str, int]:
        """(client, server, port) of an attempt, whichever table it came from."""
        if isinstance(other, int):
            return source, str(target), other
        return source, other, int(target)

    def _judge(
        self,
        rule_id: str,
        source: str,
        attempts: _Attempts,
        failed: list[int | str],
        now: float,
        other: str | int,
    ) -> None:
        port_scan = rule_id == "NET-SCAN-001"
        threshold = self.settings.port_threshold if port_scan else self.settings.address_threshold
        if len(failed) < threshold or len(failed) <= attempts.reported:
            return
        new = len(failed) - attempts.reported
        attempts.reported = len(failed)
        nmap = source in self.nmap_like
        sample = sorted(failed, key=str)[:20]
        if port_scan:
            summary = f"{source} scanned {len(failed)} ports on {other} without answer"
            facts: dict[str, object] = {"victim": other, "failed_ports": len(failed), "sample": sample}
        else:
            summary = f"{source} probed {len(failed)} hosts on port {other} without answer"
            facts = {"port": other, "failed_hosts": len(failed), "sample": sample}
        facts["nmap_signature"] = nmap
        self.book.report(
            rule_id,
            self.context.host(source),
            now,
            summary + (" (nmap SYN signature)" if nmap else ""),
            frame=self.first_frame.get(source, b""),
            facts=facts,
            severity="critical" if nmap else None,
            count=new,
        )

    def finish(self, now: float) -> None:
        self.tick(now + GRACE_S)

    def _prune(self, now: float) -> None:
        if now - self._pruned < PRUNE_EVERY_S:
            return
        self._pruned = now
        horizon = now - self.settings.window_s
        _expire(self.by_victim, horizon)
        _expire(self.by_port, horizon)
        if len(self.answered) > 1_000_000:
            self.answered.clear()


def _expire(table: dict[K, _Attempts], horizon: float) -> None:
    """Forget attempts older than the window, and keys left without attempts."""
    stale = []
    for key, attempts in table.items():
        attempts.targets = {t: at for t, at in attempts.targets.items() if at >= horizon}
        if not attempts.targets:
            stale.append(key)
    for key in stale:
        del table[key]
