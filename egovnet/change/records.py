"""Results as records: one per host, one per run, written once and rendered many ways."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["unchanged", "planned", "applied", "failed", "rolled_back", "skipped"]


@dataclass
class HostChange:
    """What happened on one host.

    Attributes:
        status: ``unchanged`` (nothing to do), ``planned`` (dry run), ``applied`` (sent and verified),
            ``rolled_back`` (failed, then restored and proved identical to the backup), ``failed``
            (failed and could not be proved restored), ``skipped`` (an earlier batch failed).
        commands: the exact lines sent (or that would be sent).
        rollback_verified: whether the restored config equals the backup byte for byte.
    """

    host: str
    platform: str
    status: Status = "unchanged"
    commands: list[str] = field(default_factory=list)
    diff: str = ""
    error: str | None = None
    rollback_commands: list[str] = field(default_factory=list)
    rollback_verified: bool | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "rolled_back")


@dataclass
class ChangeRun:
    """A plan or apply run over many hosts."""

    kind: str
    dry_run: bool
    limit: str | None = None
    id: str = field(default_factory=lambda: time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6])
    started: float = field(default_factory=time.time)
    finished: float | None = None
    backup_commit: str | None = None
    hosts: list[HostChange] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(h.failed for h in self.hosts)

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for host in self.hosts:
            result[host.status] = result.get(host.status, 0) + 1
        return dict(sorted(result.items()))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failed": self.failed, "counts": self.counts()}

    def save(self, directory: Path) -> Path:
        """Write the JSON change record ``<dir>/<id>.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.kind}-{self.id}.json"
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        return path
