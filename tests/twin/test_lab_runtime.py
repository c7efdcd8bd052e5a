"""`egovnet lab` end to end: a detached twin of a county slice, reached with unmodified clients."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException
from nornir_netmiko.tasks import netmiko_send_command
from twin_tools import snmpget

from egovnet.inventory import load_inventory
from egovnet.inventory.nornir_plugin import nornir_for
from egovnet.lab.control import LabClient

EGOVNET = str(Path(sys.executable).with_name("egovnet"))
IF_OPER = "1.3.6.1.2.1.2.2.1.8"
SYS_NAME = "1.3.6.1.2.1.1.5.0"


def _egovnet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EGOVNET, *args], capture_output=True, text=True, timeout=120, check=False)


def test_status_reports_the_slice(twin) -> None:  # type: ignore[no-untyped-def]
    out = _egovnet("lab", "status", "--run-dir", str(twin.run_dir), "--json")
    info = json.loads(out.stdout)
    assert info["devices"] == 34 and info["ssh_port"] == twin.ssh_port
    assert info["by_platform"]["huawei_vrp8"] == 3 and info["addresses"]["qishan-tn-01"] == "127.98.1.1"


def test_nornir_over_the_overlay_reaches_every_cli_device(twin) -> None:  # type: ignore[no-untyped-def]
    inventory = load_inventory(twin.overlay)
    served = json.loads(_egovnet("lab", "status", "--run-dir", str(twin.run_dir), "--json").stdout)[
        "addresses"
    ]
    names = [
        n
        for n, d in inventory.devices.items()
        if n in served and d.platform in ("huawei_vrp5", "huawei_vrp8")
    ]
    assert len(names) == 22
    nr = nornir_for(inventory, names, workers=10)
    result = nr.run(
        task=netmiko_send_command, command_string="display current-configuration | include sysname"
    )
    assert not result.failed, {h: r.exception for h, r in result.items() if r.failed}
    for name in names:
        assert f"sysname {name}" in result[name][0].result


def test_snmp_and_cli_share_one_model(twin) -> None:  # type: ignore[no-untyped-def]
    assert snmpget("127.98.1.1", twin.snmp_port, SYS_NAME) == '"qishan-tn-01"'
    inventory = load_inventory(twin.overlay)
    link = next(link for link in inventory.links_of("qishan-v01-sw-01") if link.role == "primary")
    lab = LabClient(twin.run_dir)
    config = lab.config("qishan-tn-01")
    assert f"interface {link.b_interface}" in config
    conn = ConnectHandler(
        device_type="huawei",
        host="127.98.1.5",
        port=twin.ssh_port,
        username="egovnet",
        password="egovnet-lab-1",
    )
    try:
        before = conn.send_command("display interface brief")
        assert any(
            line.split()[:3] == [link.a_interface.replace("XGigabitEthernet", "XGE"), "up", "up"]
            or line.split()[:2] == [link.a_interface, "up"]
            for line in before.splitlines()
        )
        out = _egovnet(
            "lab", "fault", "qishan-v01-sw-01", "link-down", link.a_interface, "--run-dir", str(twin.run_dir)
        )
        assert out.returncode == 0, out.stderr
        after = conn.send_command(f"display interface {link.a_interface}")
        assert "current state : DOWN" in after
    finally:
        conn.disconnect()
        _egovnet("lab", "heal", "--run-dir", str(twin.run_dir))
    status = json.loads(_egovnet("lab", "status", "--run-dir", str(twin.run_dir), "--json").stdout)
    assert status["faults"] == {}


def test_auth_failure_fault_is_seen_by_netmiko(twin) -> None:  # type: ignore[no-untyped-def]
    lab = LabClient(twin.run_dir)
    lab.fault("qishan-v02-sw-01", "auth-failure")
    try:
        with pytest.raises(NetmikoAuthenticationException):
            ConnectHandler(
                device_type="huawei",
                host="127.98.1.8",
                port=twin.ssh_port,
                username="egovnet",
                password="egovnet-lab-1",
                conn_timeout=10,
            )
    finally:
        lab.heal("qishan-v02-sw-01")


def test_device_down_silences_snmp(twin) -> None:  # type: ignore[no-untyped-def]
    lab = LabClient(twin.run_dir)
    lab.fault("qishan-olt-01", "device-down")
    try:
        started = time.monotonic()
        reply = snmpget("127.98.1.3", twin.snmp_port, SYS_NAME)
        assert "Timeout" in reply and time.monotonic() - started >= 2
    finally:
        lab.heal()
    assert snmpget("127.98.1.3", twin.snmp_port, SYS_NAME) == '"qishan-olt-01"'


def test_bad_requests_are_refused(twin) -> None:  # type: ignore[no-untyped-def]
    out = _egovnet("lab", "fault", "nowhere", "slow", "10", "--run-dir", str(twin.run_dir))
    assert out.returncode == 1 and "nowhere: no such device in the twin" in out.stderr
    out = _egovnet("lab", "status", "--run-dir", str(twin.run_dir) + "-missing")
    assert out.returncode == 1 and "no twin is running" in out.stderr
