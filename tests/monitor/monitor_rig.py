"""Helpers shared by the monitor tests and the benchmark: ports, the twin handle."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from egovnet.lab.control import LabClient

SSH_PORT, SNMP_PORT = 26022, 20161


def free_port(kind: int = socket.SOCK_DGRAM, host: str = "127.0.0.1") -> int:
    """A port the kernel just handed out on ``host`` (UDP or TCP)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Twin:
    """A running county twin: its run directory, overlay inventory and control client."""

    run_dir: Path
    overlay: Path
    snmp_port: int
    lab: LabClient
