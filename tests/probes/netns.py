"""Throw-away network namespaces joined by veth pairs (and a bridge), for the live probe tests.

Everything the live tests send stays inside namespaces created here; :class:`Lab` deletes them (and so
their interfaces) on exit, also when a test fails. Names carry the process id, so parallel test
workers never collide.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import pytest

PYTHON = sys.executable
EGOVNET = str(Path(sys.executable).with_name("egovnet"))


def require_libpcap() -> None:
    """Skip unless libpcap can be loaded (scapy compiles the detectors' BPF filters with it)."""
    try:
        from scapy.libs.winpcapy import pcap_compile  # noqa: F401
    except OSError:
        pytest.skip("libpcap is not installed (Debian: libpcap0.8)")


def require_netns() -> None:
    """Skip unless root with iproute2 and libpcap (namespaces, raw sockets and BPF are needed)."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("live probe tests need root and iproute2 (ip netns)")
    require_libpcap()


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True, timeout=30)


class Lab:
    """Namespaces, veth pairs and bridges; removed on exit."""

    def __init__(self, tag: str) -> None:
        self.prefix = f"ep{os.getpid() % 100000}{tag}"
        self.namespaces: list[str] = []

    def name(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"

    def namespace(self, suffix: str) -> str:
        name = self.name(suffix)
        ip("netns", "add", name)
        self.namespaces.append(name)
        self.run(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        self.run(name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1")
        return name

    def veth(self, ns_a: str, if_a: str, ns_b: str, if_b: str) -> None:
        ip("link", "add", if_a, "netns", ns_a, "type", "veth", "peer", "name", if_b, "netns", ns_b)
        ip("-n", ns_a, "link", "set", if_a, "up")
        ip("-n", ns_b, "link", "set", if_b, "up")

    def bridge(self, namespace: str, name: str, ports: list[str]) -> None:
        ip("-n", namespace, "link", "add", name, "type", "bridge")
        for port in ports:
            ip("-n", namespace, "link", "set", port, "master", name)
        ip("-n", namespace, "link", "set", name, "up")

    def run(self, namespace: str, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ip", "netns", "exec", namespace, *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, namespace: str, *command: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            ["ip", "netns", "exec", namespace, *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @staticmethod
    def wait_for(process: subprocess.Popen[str], text: str, seconds: float = 60.0) -> None:
        """Block until ``process`` writes ``text`` on stderr (it is ready); fail with its output if not."""
        assert process.stderr is not None
        descriptor = process.stderr.fileno()
        seen = b""
        deadline = time.monotonic() + seconds
        while text.encode() not in seen and time.monotonic() < deadline:
            readable, _, _ = select.select([descriptor], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(descriptor, 65536) if readable else b""
            if not chunk and process.poll() is not None:
                break
            seen += chunk
        if text.encode() not in seen:
            out = process.stdout.read() if process.stdout and process.poll() is not None else ""
            raise AssertionError(f"{process.args} never said {text!r}: {seen.decode(errors='replace')}{out}")

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        for name in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30, check=False)
