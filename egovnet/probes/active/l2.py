"""Raw L2 legs of the probe: send crafted frames on one interface, listen for them on another.

The RA-guard and DHCP checks work below IP: their canaries go out on an access port (``--iface``)
and a second leg (``--listen-iface``, a host port in the same VLAN) or the same leg listens, behind
a kernel BPF filter (:func:`egovnet.probes.live.open_socket`), for a bounded time.
"""

from __future__ import annotations

import random
import select
import socket
import time
from collections.abc import Callable
from pathlib import Path

from egovnet.probes.active.ratelimit import RateLimiter
from egovnet.probes.live import MAX_FRAME, PACKET_OUTGOING, open_socket

MAX_FRAMES = 10_000


def interface_mac(interface: str) -> str:
    """The interface's MAC (what the canaries are sent from)."""
    return Path(f"/sys/class/net/{interface}/address").read_text(encoding="ascii").strip()


def random_mac() -> str:
    """A locally administered unicast MAC no real client uses (DHCP sweep's client)."""
    octets = [0x02] + [random.randint(0, 255) for _ in range(5)]
    return ":".join(f"{o:02x}" for o in octets)


def send_frames(interface: str, frames: list[bytes], limiter: RateLimiter) -> None:
    """Put ``frames`` on ``interface`` as they are, paced by ``limiter``."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
        sock.bind((interface, 0))
        for frame in frames:
            limiter.wait()
            sock.send(frame)


def _read(
    sock: socket.socket, seconds: float, keep: Callable[[bytes], bool], stop: Callable[[bytes], bool] | None
) -> list[bytes]:
    """Frames ``keep`` accepts, queued or arriving within ``seconds`` (until one satisfies ``stop``)."""
    found: list[bytes] = []
    deadline = time.monotonic() + seconds
    while len(found) < MAX_FRAMES:
        readable, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            break
        try:
            frame, address = sock.recvfrom(MAX_FRAME)
        except BlockingIOError:
            continue
        if address[2] != PACKET_OUTGOING and keep(frame):
            found.append(frame)
            if stop is not None and stop(frame):
                break
    return found


def listen(
    interface: str,
    bpf: str,
    seconds: float,
    keep: Callable[[bytes], bool],
    ready: Callable[[], None] | None = None,
    stop: Callable[[bytes], bool] | None = None,
) -> list[bytes]:
    """Frames matching ``bpf`` and ``keep`` arriving on ``interface`` within ``seconds`` (or until a
    frame satisfies ``stop``); ``ready`` is called once the filtered socket is open."""
    sock = open_socket(interface, bpf)
    try:
        if ready is not None:
            ready()
        return _read(sock, seconds, keep, stop)
    finally:
        sock.close()


class Listener:
    """A listening leg opened *before* the canaries are sent, read after."""

    def __init__(self, interface: str, bpf: str) -> None:
        self.sock = open_socket(interface, bpf)

    def collect(self, seconds: float, keep: Callable[[bytes], bool]) -> list[bytes]:
        """Matching frames queued so far plus those arriving within ``seconds``; closes the socket."""
        try:
            return _read(self.sock, seconds, keep, None)
        finally:
            self.sock.close()
