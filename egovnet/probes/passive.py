"""Run the passive detectors over a capture file or a live interface and return their findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors import build_detectors
from egovnet.probes.engine import Dispatcher
from egovnet.probes.findings import FindingBook
from egovnet.probes.pcap import ReadStats, run_pcap


@dataclass
class PassiveResult:
    """The findings of one passive run and how much traffic it read."""

    book: FindingBook
    stats: ReadStats


def run_capture(
    path: str | Path, context: ProbeContext, detectors: Iterable[str] | None = None
) -> PassiveResult:
    """All (or the named) detectors over one pcap/pcapng file."""
    book = FindingBook(scope=context.scope)
    dispatcher = Dispatcher(build_detectors(context, book, detectors))
    stats = run_pcap(path, dispatcher)
    return PassiveResult(book, stats)


def run_interface(
    interface: str,
    context: ProbeContext,
    duration: float,
    detectors: Iterable[str] | None = None,
    ready: Callable[[], None] | None = None,
) -> PassiveResult:
    """All (or the named) detectors on a live interface for ``duration`` seconds (needs CAP_NET_RAW)."""
    from egovnet.probes.live import capture

    book = FindingBook(scope=context.scope)
    stats = capture(interface, build_detectors(context, book, detectors), duration, ready)
    return PassiveResult(book, stats)
