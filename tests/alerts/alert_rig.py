"""Receivers for the alert sinks, on 127.0.0.1 with ports the kernel hands out: an Alertmanager-style
webhook (``http.server``), syslog over UDP and TCP, and net-snmp's ``snmptrapd``; plus a record maker.

Each receiver runs in a thread (or, for snmptrapd, a process started and stopped by PID) and keeps
what it received for the test to inspect.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from child_processes import stop_process

from egovnet.alerts.model import AlertRecord


def record(entity: str, status: str = "firing", rule: str = "TEST-RULE", **extra: Any) -> AlertRecord:
    """A small alert observation."""
    data: dict[str, Any] = {
        "status": status,
        "severity": "major",
        "rule": {"id": rule, "name": "test rule", "category": "test"},
        "entity": {"type": "device", "id": entity, "site": "qishan"},
        "summary": f"{entity} is broken",
        "source": "test",
        **extra,
    }
    return AlertRecord.model_validate(data)


class Webhook:
    """An Alertmanager stand-in: ``POST /api/v2/alerts`` answered with ``status`` (settable)."""

    def __init__(self, port: int = 0, status: int = 200) -> None:
        self.status = status
        self.posts: list[list[dict[str, Any]]] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/api/v2/alerts" and owner.status == 200:
                    with owner.lock:
                        owner.posts.append(json.loads(body))
                self.send_response(owner.status if self.path == "/api/v2/alerts" else 404)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alerts(self) -> list[dict[str, Any]]:
        """Every alert received, in order."""
        with self.lock:
            return [alert for post in self.posts for alert in post]

    def __enter__(self) -> Webhook:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class SyslogUdp:
    """Collects datagrams on 127.0.0.1 (or ::1)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(5)
        self.port = int(self.sock.getsockname()[1])

    def receive(self, count: int) -> list[bytes]:
        return [self.sock.recvfrom(65535)[0] for _ in range(count)]

    def close(self) -> None:
        self.sock.close()


class SyslogTcp:
    """Collects octet-counted (RFC 6587) syslog frames over TCP on 127.0.0.1."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while True:
                    length = b""
                    while (char := self.rfile.read(1)) not in (b" ", b""):
                        length += char
                    if not length:
                        return
                    owner.frames.append(self.rfile.read(int(length)))

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, count: int, seconds: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + seconds
        while len(self.frames) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.frames)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TrapReceiver:
    """net-snmp's snmptrapd on 127.0.0.1:port: a v2c community and a v3 user (for informs)."""

    def __init__(self, port: int, community: str, user: str, auth_key: str, priv_key: str) -> None:
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="egovnet-trapd-"))
        self.log = self.directory / "traps.log"
        config = self.directory / "snmptrapd.conf"
        config.write_text(
            f"snmpTrapdAddr udp:127.0.0.1:{port}\n"
            f"authCommunity log {community}\n"
            f"createUser {user} SHA {auth_key} AES {priv_key}\n"
            f"authUser log {user} priv\n"
        )
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> TrapReceiver:
        trapd = shutil.which("snmptrapd") or "/usr/sbin/snmptrapd"
        self.process = subprocess.Popen(
            [
                trapd,
                "-f",
                "-C",
                "-c",
                str(self.config),
                "-Lf",
                str(self.log),
                "-On",
                "-M",
                "/nonexistent",
                "-m",
                "",
                "-p",
                str(self.directory / "pid"),
            ],
            env={**os.environ, "SNMP_PERSISTENT_DIR": str(self.directory)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (self.log.exists() and "NET-SNMP" in self.log.read_text()):
            time.sleep(0.1)
        return self

    def lines(self, needle: str, count: int, seconds: float = 10.0) -> list[str]:
        """Log lines containing ``needle``, waiting until there are ``count``."""
        deadline = time.monotonic() + seconds
        while True:
            found = [line for line in self.log.read_text(errors="replace").splitlines() if needle in line]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)
