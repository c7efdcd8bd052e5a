"""Where the monitor's data files live: ``monitors/`` of the working tree, or one named explicitly.

Commands run from the repository root (as Ansible does, next to ``ansible.cfg``); an installed copy
falls back to the ``monitors/`` beside the package source, and ``$EGOVNET_MONITORS`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

from egovnet.project import ROOT


def monitors_dir() -> Path:
    """The ``monitors`` directory in use."""
    env = os.environ.get("EGOVNET_MONITORS")
    if env:
        return Path(env)
    local = Path.cwd() / "monitors"
    return local if local.is_dir() else ROOT / "monitors"


def profiles_dir() -> Path:
    """Intent files: MIB modules and device-kind profiles."""
    return monitors_dir() / "profiles"


def plan_file() -> Path:
    """The generated poll plan."""
    return monitors_dir() / "poll-plan.yml"


def indicators_file() -> Path:
    """The plan's indicators with their targets."""
    return monitors_dir() / "indicators.yml"


def alerts_file() -> Path:
    """Alert rules and sinks."""
    return monitors_dir() / "alerts.yml"
