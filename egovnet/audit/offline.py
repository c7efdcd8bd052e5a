"""Snapshots from a directory of configuration backups, with no device at all.

Files are ``<host>.cfg`` (what ``egovnet backup`` writes) or any ``*.cfg``/``*.txt``/``*.conf``. A file
belongs to the inventory device named by its stem, else by the ``sysname``/``hostname`` inside it;
the dialect comes from the device's platform, else it is detected from the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from egovnet.audit.detect import detect_dialect
from egovnet.audit.snapshot import Snapshot
from egovnet.inventory import Inventory
from egovnet.platforms import PLATFORMS

SUFFIXES = (".cfg", ".conf", ".txt")
_NAME = re.compile(r"^\s*(?:sysname|hostname)\s+(\S+)\s*$", re.M)


def _device_name(path: Path, text: str, inventory: Inventory | None) -> str:
    known = inventory.devices if inventory is not None else {}
    if path.stem in known:
        return path.stem
    match = _NAME.search(text)
    if match and match.group(1) in known:
        return match.group(1)
    return path.stem


def read_directory(directory: str | Path, inventory: Inventory | None) -> dict[str, Snapshot]:
    """One snapshot per configuration file under ``directory`` (not recursive; hidden files skipped).

    Raises:
        FileNotFoundError: when ``directory`` does not exist.
        ValueError: when two files claim the same device.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a directory")
    snapshots: dict[str, Snapshot] = {}
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.suffix not in SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        name = _device_name(path, text, inventory)
        if name in snapshots:
            raise ValueError(f"{path} and {snapshots[name].source} are both configurations of {name}")
        device = inventory.devices.get(name) if inventory is not None else None
        dialect = PLATFORMS[device.platform].dialect if device is not None else detect_dialect(text)
        error = None if dialect is not None else "not a VRP, Comware or IOS configuration"
        snapshots[name] = Snapshot(name, dialect, text if dialect else None, source=str(path), error=error)
    return snapshots
