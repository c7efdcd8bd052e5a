"""The sink contract, and the adapter that runs blocking I/O off the event loop.

A sink receives a batch of ``noc-alert/1`` objects (oldest first) and either accepts all of them or
raises :class:`SinkError` saying how many it delivered before failing and whether retrying can help.
The dispatcher commits exactly the delivered prefix, so a partial batch is neither lost nor repeated.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol


class SinkError(Exception):
    """A delivery failure.

    Attributes:
        transient: retry later (receiver down, timeout); otherwise the events are dead for this sink.
        delivered: how many events of the batch went out before the failure.
    """

    def __init__(self, message: str, *, transient: bool = True, delivered: int = 0) -> None:
        super().__init__(message)
        self.transient = transient
        self.delivered = delivered


class Sink(Protocol):
    """A destination for alert events.

    Attributes:
        name: stable identity (the outbox keeps one cursor per name).
        resend_interval_s: re-send firing alerts this often (Alertmanager semantics); 0 = never.
    """

    name: str
    resend_interval_s: float

    async def send(self, alerts: list[dict[str, Any]]) -> None:
        """Deliver a batch, oldest first; raise :class:`SinkError` on failure."""

    async def resend(self, alerts: list[dict[str, Any]]) -> None:
        """Repeat the currently firing alerts (heartbeat); failures are not retried."""

    async def close(self) -> None:
        """Release connections."""


class BlockingSink:
    """Base for sinks written with blocking sockets or files: ``deliver`` runs in a worker thread."""

    name: str = ""
    resend_interval_s: float = 0.0

    def deliver(self, alerts: list[dict[str, Any]]) -> None:
        """Blocking delivery; raise :class:`SinkError`."""
        raise NotImplementedError

    def redeliver(self, alerts: list[dict[str, Any]]) -> None:
        """Blocking heartbeat; default: nothing."""

    def shutdown(self) -> None:
        """Blocking close; default: nothing."""

    async def send(self, alerts: list[dict[str, Any]]) -> None:
        """Run :meth:`deliver` in a thread."""
        await asyncio.to_thread(self.deliver, alerts)

    async def resend(self, alerts: list[dict[str, Any]]) -> None:
        """Run :meth:`redeliver` in a thread."""
        await asyncio.to_thread(self.redeliver, alerts)

    async def close(self) -> None:
        """Run :meth:`shutdown` in a thread."""
        await asyncio.to_thread(self.shutdown)
