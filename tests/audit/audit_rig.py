"""What the audit tests share besides fixtures: the twin's handle and the device sets.

A module of its own, not ``conftest``: several test directories have a conftest, and
``from conftest import ...`` binds whichever of them was imported last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AuditTwin:
    """A running twin of :data:`TWIN_DEVICES` and its overlay inventory."""

    run_dir: Path
    overlay: Path
    devices: tuple[str, ...]


#: One CLI device per dialect, and the village and department sites they serve.
TWIN_DEVICES = ("qm-dagg-01", "qishan-v01-sw-01", "jinzipai-v01-sw-01", "dept-xianwei-sw-01")

#: Small-inventory device -> base configuration of its dialect (fixtures/base).
FOUR_DIALECTS = {
    "alpha-v01-sw-01": "vrp5",
    "core-01": "vrp8",
    "alpha-tn-01": "comware7",
    "alpha-v02-sw-01": "ios",
}
