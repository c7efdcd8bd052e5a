"""Every kind of twin fault during ``apply`` leaves the device either converged or exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovnet.change.engine import ChangeEngine
from egovnet.inventory import load_inventory
from egovnet.lab.control import LabClient

CASES = {
    "slow": ("qishan-v05-sw-01", ["60"]),
    "drop-session": ("qishan-v06-sw-01", ["40"]),
    "device-down": ("qishan-v07-sw-01", []),
    "auth-failure": ("qishan-v08-sw-01", []),
    "reject-command": ("qishan-v09-sw-01", ["^ntp-service"]),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_fault_during_apply_leaves_no_half_changed_device(twin, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    device, args = CASES[kind]
    lab = LabClient(twin.run_dir)
    inventory = load_inventory(twin.overlay)
    engine = ChangeEngine(inventory, state_dir=tmp_path / "state", workers=1)
    before = lab.config(device)
    lab.fault(device, kind, args)
    try:
        record = engine.run([device], commit=True).hosts[0]
    finally:
        lab.heal(device)
    after = lab.config(device)
    if record.status == "applied":  # the fault only slowed it down: it must be fully converged
        assert engine.run([device], commit=False).hosts[0].status == "unchanged"
    else:
        assert record.status in ("rolled_back", "failed"), record
        assert after == before, f"{device} half-changed after {kind}: {record.error}"
    if kind == "slow":
        assert record.status == "applied"
    if kind in ("drop-session", "reject-command"):
        assert record.status == "rolled_back" and record.rollback_verified is True, record
