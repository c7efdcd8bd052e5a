"""Firewall-policy verification with marked packets between two probe points.

Infection Monkey's segmentation test without exploitation (research note §2.3): for every row of
``active.firewall_policy`` (``name, proto, port, expect: allow|deny``) the sender probe point sends
one marked packet to the receiver probe point's dedicated address (never a production server):

* UDP: a datagram whose payload is ``egov-mark:<nonce>:<row>``;
* TCP: a SYN from a source port recorded in the sender's manifest (the kernel's own handshake, so
  no raw socket is needed; the receiver host answers RST).

The receiver (``egovnet probe marks --iface IF --duration S --out FILE``, started first) records what
arrives behind a kernel BPF filter, and writes it as JSON with its listening window when the sender's
``END`` mark arrives (one per row port, so whichever the firewall passes ends it) or its time is up;
the sender waits for that file and compares. A row expected ``deny`` that arrived is ``ACT-FW-001``;
``allow`` that did not arrive is ``ACT-FW-002``. A receiver that was not listening while the marks
were sent is an error, not a result.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from egovnet.probes.active.base import ActiveCheck, ActiveRun, CheckError
from egovnet.probes.active.l2 import listen
from egovnet.probes.findings import Entity
from egovnet.probes.packet import headers, ip_src_dst, ports

MARK = b"egov-mark:"
END = b":END"
MARKS_BPF = (
    "(udp and udp[8:4] == 0x65676f76) or (tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0)"
)
WAIT_FOR_RECEIVER_S = 20.0


def listen_marks(
    interface: str, duration: float, out: str | Path, ready: Callable[[], None] | None = None
) -> dict[str, list[object]]:
    """The receiver probe point: record marks arriving on ``interface``; write them to ``out``."""
    started = time.time()
    frames = listen(interface, MARKS_BPF, duration, lambda frame: True, ready, _is_end)
    udp: list[object] = []
    tcp: list[object] = []
    for frame in frames:
        head = headers(frame)
        if head.l4 < 0:
            continue
        source, _ = ip_src_dst(frame, head)
        sport, dport = ports(frame, head.l4)
        if head.proto == 17:
            payload = _udp_payload(frame)
            if payload.startswith(MARK):
                udp.append(payload[len(MARK) :].decode("ascii", errors="replace"))
        else:
            tcp.append([source, sport, dport])
    result: dict[str, list[object]] = {"udp": udp, "tcp": tcp, "window": [started, time.time()]}
    target = Path(out)
    partial = target.with_suffix(target.suffix + ".partial")
    partial.write_text(json.dumps(result), encoding="utf-8")
    partial.replace(target)  # atomic: the sender never reads half a file
    return result


def _udp_payload(frame: bytes) -> bytes:
    """The UDP payload by the UDP length (Ethernet pads short frames with zeros)."""
    head = headers(frame)
    if head.proto != 17 or head.l4 < 0:
        return b""
    length = int.from_bytes(frame[head.l4 + 4 : head.l4 + 6], "big")
    return frame[head.l4 + 8 : head.l4 + max(8, length)]


def _is_end(frame: bytes) -> bool:
    payload = _udp_payload(frame)
    return payload.startswith(MARK) and payload.endswith(END)


class FirewallPolicyCheck(ActiveCheck):
    """Does the zone firewall pass exactly what the approved matrix allows?"""

    name: ClassVar[str] = "fw_policy"
    description: ClassVar[str] = "marked packets to a receiver probe point vs the approved policy matrix"

    def run(self, run: ActiveRun) -> list[str]:
        policy = run.context.settings.active.firewall_policy
        if not run.receiver or not run.marks:
            raise CheckError("fw_policy needs --receiver ADDRESS and --marks FILE (the receiver's output)")
        if not policy:
            raise CheckError("active.firewall_policy in the probe settings is empty")
        if run.dry_run:
            run.planned += [f"{row.proto} {run.receiver}:{row.port} mark ({row.name})" for row in policy]
            return []
        started = time.time()
        nonce = secrets.token_hex(6)
        sent: dict[str, tuple[str, int, int]] = {}
        for row in policy:
            run.limiter.wait()
            sent[row.name] = (
                row.proto,
                row.port,
                self._send(row.proto, run.receiver, row.port, f"{nonce}:{row.name}"),
            )
        for port in sorted({row.port for row in policy}):
            run.limiter.wait()
            self._send("udp", run.receiver, port, f"{nonce}{END.decode()}")
        arrivals = self._wait_for(Path(run.marks), started)
        window = arrivals.get("window", [])
        if len(window) != 2 or not float(str(window[0])) <= started:
            raise CheckError(f"the receiver ({run.marks}) was not listening when the marks were sent")
        udp = {str(item) for item in arrivals.get("udp", [])}
        tcp = {(int(p[1]), int(p[2])) for p in arrivals.get("tcp", []) if isinstance(p, list) and len(p) == 3}
        covered = []
        for row in policy:
            proto, port, sport = sent[row.name]
            arrived = f"{nonce}:{row.name}" in udp if proto == "udp" else (sport, port) in tcp
            entity = Entity(
                "flow", f"{run.zone}>{run.receiver}:{proto}/{port}", ip=run.receiver, zone=run.zone
            )
            covered.append(entity.id)
            if arrived == (row.expect == "allow"):
                continue
            rule_id = "ACT-FW-001" if arrived else "ACT-FW-002"
            verb = (
                "delivered although the policy denies it"
                if arrived
                else "blocked although the policy allows it"
            )
            run.book.report(
                rule_id,
                entity,
                time.time(),
                f"{row.name}: {proto}/{port} from zone {run.zone} to {run.receiver} {verb}",
                detail=f"{proto} {run.receiver}:{port} marked packet {'arrived' if arrived else 'missing'}",
                facts={
                    "row": row.name,
                    "proto": proto,
                    "port": port,
                    "expect": row.expect,
                    "arrived": arrived,
                },
                labels={"origin": "self-test"},
            )
        return covered

    @staticmethod
    def _send(proto: str, receiver: str, port: int, mark: str) -> int:
        """Send one mark; return the source port used."""
        family = socket.AF_INET6 if ":" in receiver else socket.AF_INET
        if proto == "udp":
            with socket.socket(family, socket.SOCK_DGRAM) as sock:
                sock.sendto(MARK + mark.encode(), (receiver, port))
                return int(sock.getsockname()[1])
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setblocking(False)
            sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
            sport = int(sock.getsockname()[1])
            sock.connect_ex((receiver, port))
            time.sleep(0.05)  # let the SYN leave before the socket closes
            return sport

    @staticmethod
    def _wait_for(path: Path, started: float) -> dict[str, list[object]]:
        deadline = time.monotonic() + WAIT_FOR_RECEIVER_S
        while time.monotonic() < deadline:
            if path.is_file() and path.stat().st_mtime >= started:
                data: dict[str, list[object]] = json.loads(path.read_text(encoding="utf-8"))
                return data
            time.sleep(0.2)
        raise CheckError(f"the receiver wrote no marks to {path} within {WAIT_FOR_RECEIVER_S:.0f} s")
