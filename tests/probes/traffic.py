"""The probe tests' traffic: the package's LAN scenarios, and one helper that runs the detectors."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from egovnet.probes.context import ProbeContext
from egovnet.probes.findings import FindingBook
from egovnet.probes.passive import run_capture
from egovnet.probes.scenarios import *  # noqa: F403 - the tests name scenarios directly
from egovnet.probes.scenarios import Timed, capture


def run(tmp_path: Path, frames: Iterable[Timed], context: ProbeContext, name: str = "capture") -> FindingBook:
    """Write ``frames`` to a pcap and run every detector over it."""
    return run_capture(capture(tmp_path / f"{name}.pcap", frames), context).book
