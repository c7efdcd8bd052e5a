"""One UDP socket, many SNMP requests in flight: the transport under the monitor's own codecs.

Why a shared base: the v2c and v3 clients (:mod:`egovnet.monitor.v2c`, :mod:`egovnet.monitor.v3`)
differ only in how a message is framed and checked; the socket (with a receive buffer large enough
for 50+ GETBULK responses in flight, research note snmp.md section 2.4), the table of pending
requests and the retry loop are the same. A retry resends the same bytes under the same key, so a
late answer to the first attempt still completes the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

RECEIVE_BUFFER = 4 << 20  # the kernel doubles it; zero drops at 50 walks in flight

T = TypeVar("T")


class Timeout(Exception):  # noqa: N818 - mirrors pysnmp's RequestTimedOut
    """No response after every retry."""


@dataclass
class Pending(Generic[T]):
    """A request awaiting its answer; ``context`` is what the subclass checks the answer against."""

    future: asyncio.Future[T]
    address: tuple[str, int]
    context: Any


class DatagramClient(asyncio.DatagramProtocol, Generic[T]):
    """Requests keyed by an integer (request-id, msgID); subclasses decode in ``datagram_received``
    and call :meth:`complete` (use within one event loop)."""

    def __init__(self) -> None:
        self.pending: dict[int, Pending[T]] = {}
        self.transport: asyncio.DatagramTransport | None = None

    async def open(self) -> None:
        """Open the socket (IPv4; 127.0.0.0/8 in the lab) with a large receive buffer."""
        if self.transport is None:
            loop = asyncio.get_running_loop()
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            sock.bind(("0.0.0.0", 0))
            sock.setblocking(False)
            self.transport, _ = await loop.create_datagram_endpoint(lambda: self, sock=sock)

    def new_key(self) -> int:
        """A random key no pending request uses (1 .. 2^31-1)."""
        key = secrets.randbelow(2**31 - 1) + 1
        while key in self.pending:
            key = secrets.randbelow(2**31 - 1) + 1
        return key

    def waiting(self, key: int, address: tuple[str, int]) -> Pending[T] | None:
        """The pending request ``key`` if it is still open and was sent to ``address``."""
        pending = self.pending.get(key)
        if pending is None or pending.future.done() or address[:2] != pending.address:
            return None
        return pending

    async def exchange(
        self,
        key: int,
        message: bytes,
        address: tuple[str, int],
        context: Any,
        timeout_s: float,
        retries: int,
    ) -> T:
        """Send ``message`` and await its answer, resending on timeout; raise :class:`Timeout`."""
        await self.open()
        assert self.transport is not None
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self.pending[key] = Pending(future, address, context)
        try:
            for _attempt in range(retries + 1):
                self.transport.sendto(message, address)
                with contextlib.suppress(TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(future), timeout_s)
            raise Timeout(f"no response from {address[0]}:{address[1]}")
        finally:
            del self.pending[key]
            future.cancel()

    def close(self) -> None:
        """Close the socket."""
        if self.transport is not None:
            self.transport.close()
            self.transport = None
