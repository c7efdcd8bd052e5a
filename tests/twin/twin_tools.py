"""Helpers of the twin tests: net-snmp's snmpget, an in-process twin in a thread.

The in-process twin (:func:`threaded_twin`) is the same :class:`~egovnet.lab.runtime.LabRuntime` that
``egovnet lab up`` runs, served from a background asyncio loop so that a test can read its model and
reach it over real SSH and SNMP (netmiko and net-snmp are synchronous) at once.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from egovnet.lab.runtime import LabOptions, LabRuntime

#: The lab's SNMPv3 user (egovnet.lab.overlay.LabCredentials), as snmpget options.
V3_LAB = (
    "-v3",
    "-l",
    "authPriv",
    "-u",
    "egovnet-lab",
    "-a",
    "SHA",
    "-A",
    "egovnet-auth-key-1",
    "-x",
    "AES",
    "-X",
    "egovnet-priv-key-1",
)


def snmpget(address: str, port: int, oid: str, auth: tuple[str, ...] = V3_LAB) -> str:
    """One value read with net-snmp's ``snmpget`` (not our code), or its error text."""
    out = subprocess.run(
        ["snmpget", *auth, "-On", "-Oqv", "-t", "2", "-r", "1", f"{address}:{port}", oid],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return out.stdout.strip() or out.stderr.strip()


@contextmanager
def threaded_twin(options: LabOptions) -> Iterator[LabRuntime]:
    """A started twin served from a background loop; stopped (ports closed) on exit."""
    runtime = LabRuntime(options)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="lab-runtime", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(runtime.start(), loop).result(60)
        yield runtime
    finally:
        asyncio.run_coroutine_threadsafe(runtime.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
