"""Atomic file writes: readers (the dashboard, ``egovnet indicators``, a scraper) never see half a file.

Records other commands read back (``var/monitor/snapshot.json``, ``var/ipv6/status.json``,
``report.json``) are written to a temporary file in the same directory and renamed over the old one.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

_WRITE_LOCK = threading.Lock()
#: Records are read by other tools and people (the dashboard's web server): world-readable like
#: every other file the commands write, not mkstemp's private 0600.
_MODE = 0o644


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _WRITE_LOCK:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            os.fchmod(handle, _MODE)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
