"""The audit against the digital twin: after convergence no FAIL; then insecure lines put in over SSH
(telnet on, an SNMP v2c community, one syslog host removed) make exactly those rules FAIL, with the
lines as evidence, as new findings in ``audit diff`` and as firing alerts.

Devices the change engine cannot converge yet (a dialect still being completed in the twin) are
left out rather than failed: the test covers every device that converges, so it grows to all four
dialects by itself once they do.
"""

from __future__ import annotations

import json
import re
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from audit_rig import AuditTwin
from child_processes import EGOVNET
from netmiko import ConnectHandler

from egovnet.audit import RunStore, audit, collect, diff, load_policies
from egovnet.change.engine import ChangeEngine
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory, load_inventory
from egovnet.platforms import PLATFORMS

pytestmark = [pytest.mark.lab, pytest.mark.slow]

#: Per dialect, what an engineer might type: telnet on, a v2c community (with an ACL, so only the
#: community rule fails), and the second syslog host removed.
_HUAWEI_H3C = [
    "telnet server enable",
    "snmp-agent community read Pub1ic-ro acl 2000",
    "undo info-center loghost 10.98.0.13",
]
INSECURE = {
    "vrp5": _HUAWEI_H3C,
    "vrp8": _HUAWEI_H3C,
    "comware7": _HUAWEI_H3C,
    "ios": [
        "line vty 0 4",
        "transport input telnet ssh",
        "exit",
        "snmp-server community Pub1ic-ro RO MGMT",
        "no logging host 10.98.0.13",
    ],
}
#: The rules those lines break. On IOS telnet is a VTY transport, so "VTY accepts SSH only" breaks too.
EXPECTED = {
    "vrp5": {"BL-MGMT-01", "BL-SNMP-01", "BL-LOG-02"},
    "vrp8": {"BL-MGMT-01", "BL-SNMP-01", "BL-LOG-02"},
    "comware7": {"BL-MGMT-01", "BL-SNMP-01", "BL-LOG-02"},
    "ios": {"BL-MGMT-01", "BL-MGMT-03", "BL-SNMP-01", "BL-LOG-02"},
}
#: What the evidence of each rule must show: the line that was put in, or the loghost that is left.
EVIDENCE = {
    "BL-MGMT-01": r"telnet server enable|transport input telnet ssh",
    "BL-SNMP-01": r"community read \*+ acl 2000|community \*+ RO MGMT",
    "BL-LOG-02": r"(info-center loghost|logging host) 10\.98\.0\.14",
    "BL-MGMT-03": r"missing: transport input ssh",
}


def _cli_audit(twin: AuditTwin, devices: list[str], state: Path, alerts: Path, repo: Path) -> dict[str, Any]:
    """``egovnet audit`` live against the twin, as the nightly job runs it (JSON, alerts file)."""
    options = ["-i", str(twin.overlay), "--limit", ":".join(devices), "--state-dir", str(state)]
    result = subprocess.run(
        [EGOVNET, "audit", *options, "--json", "--alerts-file", str(alerts), "--workers", "4"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    run: dict[str, Any] = json.loads(result.stdout)
    assert not run["errors"], run["errors"]
    return run


def _converge(inventory: Inventory, devices: tuple[str, ...], state: Path) -> list[str]:
    """Apply the intended configuration (dual stack on); return the devices that converged."""
    engine = ChangeEngine(inventory, state_dir=state, workers=4, overrides={"egovnet_ipv6": True})
    run = engine.run(list(devices), commit=True)
    return sorted(h.host for h in run.hosts if h.status in ("applied", "unchanged"))


def _insecure(overlay: Path, device: str) -> str:
    """Put the insecure lines in over SSH with netmiko's send_config_set; return the dialect."""
    inventory = load_inventory(overlay)
    target = target_for(inventory.devices[device])
    platform = PLATFORMS[inventory.devices[device].platform]
    assert platform.dialect is not None
    params: dict[str, Any] = {
        "device_type": platform.netmiko,
        "host": target.host,
        "port": target.port,
        "username": target.username,
        "password": target.password,
        "secret": target.secret or "",
        "fast_cli": True,
    }
    connection = ConnectHandler(**params)
    try:
        if platform.netmiko == "cisco_ios":
            connection.enable()
        connection.send_config_set(INSECURE[platform.dialect], exit_config_mode=not platform.commit)
        if platform.commit:
            connection.commit()
            connection.exit_config_mode()
    finally:
        connection.disconnect()
    return platform.dialect


def test_twin_audit_clean_then_insecure_lines_fail_exactly(
    audit_twin: AuditTwin, tmp_path: Path, repo: Path
) -> None:
    state = tmp_path / "state"
    inventory = load_inventory(audit_twin.overlay)
    converged = _converge(inventory, audit_twin.devices, state)
    assert converged, "no device of the twin converged to its intended configuration"
    left_out = sorted(set(audit_twin.devices) - set(converged))
    if left_out:
        warnings.warn(f"not converged yet, left out of the twin audit: {left_out}", stacklevel=1)

    snapshots = collect(inventory, converged, workers=4)
    clean = audit(load_policies(), snapshots, inventory, mode="live", scope=converged)
    RunStore(state).save(clean)
    assert set(clean.devices) == set(converged) and not clean.errors
    assert [(f.rule, f.entity, f.message) for f in clean.findings if f.status == "FAIL"] == []
    assert any(f.policy == "redundancy" for f in clean.findings)
    assert any(f.policy == "bandwidth" and f.status == "PASS" for f in clean.findings)

    dialects = {device: _insecure(audit_twin.overlay, device) for device in converged}
    dirty = _cli_audit(audit_twin, converged, state, tmp_path / "alerts.jsonl", repo)
    for device, dialect in dialects.items():
        failing = {f["rule"]: f for f in dirty["findings"] if f["status"] == "FAIL" and f["entity"] == device}
        assert set(failing) == EXPECTED[dialect], (device, sorted(failing))
        for rule, finding in failing.items():
            texts = " | ".join(e["text"] for e in finding["evidence"])
            assert re.search(EVIDENCE[rule], texts), (device, rule, texts)
        assert "Pub1ic-ro" not in json.dumps(failing)  # the community string is never evidence
    others = [f for f in dirty["findings"] if f["status"] == "FAIL" and f["entity"] not in dialects]
    assert others == []

    store = RunStore(state)
    new = {(f.entity, f.rule) for f in diff(store.load("previous"), store.load("latest")).new}
    assert new == {(d, rule) for d, dialect in dialects.items() for rule in EXPECTED[dialect]}
    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert {(a["entity"]["id"], a["rule"]["id"], a["status"]) for a in alerts} == {
        (d, rule, "firing") for d, rule in new
    }
