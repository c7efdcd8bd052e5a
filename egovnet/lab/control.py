"""The twin's control channel: JSON lines over a Unix socket in the run directory.

``egovnet lab status|fault|heal|down`` and the tests' Python API (:class:`LabClient`) talk to a running
twin through it, so faults can be injected into a lab started in another process (``--detach``).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

SOCKET_NAME = "control.sock"


class LabNotRunningError(RuntimeError):
    """No twin answers in this run directory."""


class LabClient:
    """Client of a running twin's control socket.

    Example::

        lab = LabClient("lab-run")
        lab.fault("qm-core-01", "link-down", ["10GE1/0/1"])
        lab.heal()
    """

    def __init__(self, run_dir: str | Path, timeout: float = 30.0) -> None:
        self.path = Path(run_dir) / SOCKET_NAME
        self.timeout = timeout

    def request(self, op: str, **params: Any) -> dict[str, Any]:
        """Send one request; raise RuntimeError with the twin's message when it refuses."""
        if not self.path.exists():
            raise LabNotRunningError(f"no twin is running in {self.path.parent} (no {SOCKET_NAME})")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(self.timeout)
            try:
                sock.connect(str(self.path))
            except (ConnectionRefusedError, FileNotFoundError) as exc:
                raise LabNotRunningError(f"no twin is running in {self.path.parent} ({exc})") from None
            sock.sendall(json.dumps({"op": op, **params}).encode() + b"\n")
            chunks: list[bytes] = []
            while not chunks or not chunks[-1].endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        reply: dict[str, Any] = json.loads(b"".join(chunks) or b"{}")
        if not reply.get("ok"):
            raise RuntimeError(reply.get("error", "the twin gave no answer"))
        return reply

    def status(self) -> dict[str, Any]:
        """Devices, addresses, ports, faults and uptime of the running twin."""
        return self.request("status")

    def fault(self, device: str, kind: str, args: list[str] | None = None) -> None:
        """Inject a fault (see ``egovnet.lab.faults.KINDS``)."""
        self.request("fault", device=device, kind=kind, args=list(args or []))

    def heal(self, device: str | None = None) -> None:
        """Clear the faults of one device, or of all."""
        self.request("heal", device=device)

    def config(self, device: str, which: str = "running") -> str:
        """A device's running (or saved) configuration as the dialect prints it."""
        return str(self.request("config", device=device, which=which)["text"])

    def stop(self) -> None:
        """Stop the twin."""
        self.request("stop")
