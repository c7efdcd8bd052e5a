"""Per-device locks, so two runs (a playbook and a CLI apply) never change one device at once."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class DeviceLockedError(RuntimeError):
    """Another egovnet run holds the device."""


@contextmanager
def device_lock(directory: Path, host: str) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on ``host`` for the duration of the block."""
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"{host}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeviceLockedError(f"{host} is locked by another egovnet run") from None
        yield
    finally:
        os.close(fd)
