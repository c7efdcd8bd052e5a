"""The flash file system of a simulated device, shared by the CLI and SFTP/SCP.

Files live in :attr:`LabDevice.files` under their flash-relative name (``merge_config.txt``).
Clients spell paths many ways (``flash:/x``, ``flash:x``, ``/flash:/x``); :func:`flash_name`
maps them all to that one key. Modification times are kept beside the model (the model stores
only bytes) so ``dir`` can show realistic dates.
"""

from __future__ import annotations

import time
import weakref

from egovnet.lab.model import LabDevice

FLASH = "flash:"
CAPACITY = 1_073_741_824  # 1 GiB of simulated flash per device

_mtimes: weakref.WeakKeyDictionary[LabDevice, dict[str, float]] = weakref.WeakKeyDictionary()


def flash_name(path: str) -> str | None:
    """The key of ``path`` in :attr:`LabDevice.files`; ``None`` for other file systems or the root."""
    text = path.strip().lstrip("/")
    if ":" in text:
        fs, _, text = text.partition(":")
        if f"{fs.lower()}:" != FLASH:
            return None
    text = text.strip("/")
    return text or None


def write_file(device: LabDevice, name: str, data: bytes) -> None:
    device.files[name] = data
    _mtimes.setdefault(device, {})[name] = time.time()


def delete_file(device: LabDevice, name: str) -> bool:
    _mtimes.get(device, {}).pop(name, None)
    return device.files.pop(name, None) is not None


def mtime(device: LabDevice, name: str) -> float:
    return _mtimes.get(device, {}).get(name, device.boot_time)


def free_bytes(device: LabDevice) -> int:
    return CAPACITY - sum(len(data) for data in device.files.values())
