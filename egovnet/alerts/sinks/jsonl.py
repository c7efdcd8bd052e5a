"""JSON lines: one ``noc-alert/1`` object per line, appended and fsynced (the local audit trail).

The file is also the one receiver egovnet controls, so the sink makes it idempotent: event ids
already in the file (a crash after writing but before the outbox commit) are not written again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from egovnet.alerts.sinks.base import BlockingSink, SinkError


class JsonLinesSink(BlockingSink):
    """Append alerts to ``path`` (created with its directory)."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.path = Path(path)
        self._ids: set[str] | None = None

    def _known(self) -> set[str]:
        if self._ids is None:
            self._ids = set()
            if self.path.exists():
                with self.path.open(encoding="utf-8") as handle:
                    for line in handle:
                        try:
                            self._ids.add(str(json.loads(line)["id"]))
                        except (ValueError, KeyError, TypeError):
                            continue  # a torn last line from a crash: ignore it
        return self._ids

    def deliver(self, alerts: list[dict[str, Any]]) -> None:
        """Append the alerts not yet in the file, then fsync."""
        try:
            known = self._known()
            fresh = [a for a in alerts if a["id"] not in known]
            if not fresh:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                for alert in fresh:
                    handle.write(json.dumps(alert, ensure_ascii=False, separators=(",", ":")) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            known.update(a["id"] for a in fresh)
        except OSError as exc:
            raise SinkError(f"{self.path}: {exc}") from exc
