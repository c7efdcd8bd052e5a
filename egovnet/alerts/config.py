"""Alert configuration: the ``sinks:`` of ``monitors/alerts.yml`` and where the alert state lives.

Rules are the monitor's business (:mod:`egovnet.monitor.alerting` reads ``rules:`` from the same
file); everything here is shared by every publisher, so an audit run and the monitor service write
the same outbox and feed the same NOC channels.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from egovnet.monitor.paths import alerts_file

DEFAULT_STATE_DIR = Path("var")


def state_path(state_dir: Path | None = None) -> Path:
    """``<state dir>/alerts/alerts.db`` (state dir: argument, ``$EGOVNET_STATE_DIR``, else ``var``)."""
    base = state_dir or Path(os.environ.get("EGOVNET_STATE_DIR") or DEFAULT_STATE_DIR)
    return base / "alerts" / "alerts.db"


def default_config() -> Path:
    """``monitors/alerts.yml`` of the working tree (see :mod:`egovnet.monitor.paths`)."""
    return alerts_file()


@dataclass(frozen=True)
class AlertsConfig:
    """The parsed alerts file: raw rule entries (for the monitor) and sink entries."""

    rules: list[dict[str, Any]] = field(default_factory=list)
    sinks: list[dict[str, Any]] = field(default_factory=list)


def load_config(path: Path) -> AlertsConfig:
    """Read an alerts file (a missing ``sinks:`` means no sink)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with rules: and sinks:")
    return AlertsConfig(list(data.get("rules") or []), list(data.get("sinks") or []))
