"""TCP port states of inventory targets: a scapy SYN scan when root, a connect scan otherwise.

Both are paced by the run's rate limiter. The SYN scan is half-open (the probe host's kernel resets
the answered handshakes), the connect scan completes and closes each connection at once.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Iterable

from egovnet.probes.active.ratelimit import RateLimiter

Endpoint = tuple[str, int]
OPEN, CLOSED, FILTERED = "open", "closed", "filtered"
SYN_ACK = 0x12
BANNER_BYTES = 256
TELNET_IAC = 0xFF


def syn_scan(
    endpoints: Iterable[Endpoint], limiter: RateLimiter, timeout: float, retries: int
) -> dict[Endpoint, str]:
    """Half-open scan with scapy ``sr`` (needs CAP_NET_RAW)."""
    from scapy.config import conf
    from scapy.layers.inet import IP, TCP
    from scapy.sendrecv import sr

    wanted = list(endpoints)
    sport = random.randint(40000, 60000)
    packets = [IP(dst=address) / TCP(sport=sport, dport=port, flags="S") for address, port in wanted]
    states = dict.fromkeys(wanted, FILTERED)
    if not packets:
        return states
    conf.verb = 0
    limiter.sent += len(packets) * (1 + retries)
    answered, _ = sr(packets, inter=1.0 / limiter.rate, timeout=timeout, retry=retries, verbose=False)
    for sent, received in answered:
        key = (sent[IP].dst, int(sent[TCP].dport))
        if received.haslayer(TCP):
            states[key] = OPEN if int(received[TCP].flags) & SYN_ACK == SYN_ACK else CLOSED
    return states


def connect_scan(endpoints: Iterable[Endpoint], limiter: RateLimiter, timeout: float) -> dict[Endpoint, str]:
    """Full-handshake scan (no privileges needed)."""

    async def one(endpoint: Endpoint, start: float) -> tuple[Endpoint, str]:
        await asyncio.sleep(start)
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(*endpoint), timeout)
        except (ConnectionRefusedError, ConnectionResetError):
            return endpoint, CLOSED
        except (TimeoutError, OSError):
            return endpoint, FILTERED
        writer.close()
        return endpoint, OPEN

    async def everything() -> dict[Endpoint, str]:
        schedule, at = [], 0.0
        for endpoint in endpoints:
            at += limiter.delay()  # the bucket says how long after the previous one
            schedule.append(one(endpoint, at))
        return dict(await asyncio.gather(*schedule))

    return asyncio.run(everything())


def banner(endpoint: Endpoint, timeout: float) -> str:
    """The first printable line a service sends (telnet negotiation bytes removed)."""
    try:
        with socket.create_connection(endpoint, timeout=timeout) as sock:
            sock.settimeout(timeout)
            data = b""
            while len(data) < BANNER_BYTES:
                chunk = sock.recv(BANNER_BYTES)
                if not chunk:
                    break
                data += chunk
                if b"\n" in _strip_telnet(data).strip(b"\r\n"):
                    break
    except OSError:
        return ""
    text = _strip_telnet(data).decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:120] if lines else ""


def _strip_telnet(data: bytes) -> bytes:
    """Remove IAC command sequences (3 bytes each for WILL/WONT/DO/DONT)."""
    out, index = bytearray(), 0
    while index < len(data):
        if data[index] == TELNET_IAC and index + 1 < len(data):
            index += 3 if data[index + 1] in (251, 252, 253, 254) else 2
            continue
        out.append(data[index])
        index += 1
    return bytes(out)
