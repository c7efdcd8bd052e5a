"""Active checks against the digital twin's addresses: telnet left open on one device and SNMP
``public`` answered by one device are found, and only those; fixing them resolves the findings.

The twin serves three villages of Qishan (switches over SSH/SNMP/telnet, 5G CPEs over SNMP) on
127.98.x.y; ports are 27022 (SSH), 21161 (SNMP) and 27122 (telnet) plus the xdist worker number (the telnet
base is 100 above the SSH base so two workers never share a port).
Every probe goes to the overlay's 127.x addresses: ``--scope 127.0.0.0/8`` is a hard cap, so the
fit APs, which the twin does not serve and which keep their real address, are never probed.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from child_processes import detached_twin, worker_offset
from netmiko import ConnectHandler
from typer.testing import CliRunner

from egovnet.cli import main as cli

pytestmark = pytest.mark.lab

SLICE = "qishan-v01-*:qishan-v02-*:qishan-v03-*"
TELNET_DEVICE, TELNET_ADDRESS = "qishan-v01-sw-01", "127.98.1.5"
SNMP_DEVICE, SNMP_ADDRESS = "qishan-v02-sw-01", "127.98.1.8"


@dataclass(frozen=True)
class Twin:
    run_dir: Path
    overlay: Path
    ssh_port: int
    snmp_port: int
    telnet_port: int


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[Twin]:
    run_dir = tmp_path_factory.mktemp("probe-twin")
    offset = worker_offset()
    ports = (27022 + offset, 21161 + offset, 27122 + offset)
    options = ("--ssh-port", str(ports[0]), "--snmp-port", str(ports[1]), "--telnet-port", str(ports[2]))
    with detached_twin(repo, run_dir, "--limit", SLICE, *options, timeout=120) as overlay:
        yield Twin(run_dir, overlay, *ports)


def _configure(twin: Twin, address: str, lines: list[str]) -> None:
    """Type configuration lines over SSH with netmiko, as an engineer would."""
    conn = ConnectHandler(
        device_type="huawei", host=address, port=twin.ssh_port, username="egovnet", password="egovnet-lab-1"
    )
    try:
        conn.send_command("system-view", expect_string=r"\]")
        for line in lines:
            conn.send_command(line, expect_string=r"\]")
        conn.send_command("return", expect_string=r">")
    finally:
        conn.disconnect()


def _telnet_open(twin: Twin) -> bool:
    try:
        with socket.create_connection((TELNET_ADDRESS, twin.telnet_port), timeout=1):
            return True
    except OSError:
        return False


def _wait(condition: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


def _egovnet(*args: str) -> dict[str, Any]:
    """Run an ``egovnet`` command in this process (the CLI itself, without paying Python's start-up)."""
    done = CliRunner().invoke(cli.app, list(args))
    assert done.exit_code == 0, done.output + repr(done.exception)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _probe(twin: Twin, state: Path, *args: str) -> dict[str, Any]:
    return _egovnet(
        "probe", "active", "-i", str(twin.overlay), "--limit", SLICE, "--scope", "127.0.0.0/8",
        "--state-dir", str(state), "--timeout", "0.5", "--rate", "100", "--json", *args,
    )  # fmt: skip


@pytest.fixture(scope="module")
def misconfigured(twin: Twin) -> Twin:
    """Telnet enabled on one switch, SNMP ``public`` on another, both over SSH."""
    assert not _telnet_open(twin), "no device enables telnet in its base configuration"
    with ThreadPoolExecutor(2) as pool:
        list(
            pool.map(
                lambda job: _configure(twin, *job),
                [
                    (TELNET_ADDRESS, ["telnet server enable"]),
                    (SNMP_ADDRESS, ["snmp-agent community read public"]),
                ],
            )
        )
    assert _wait(lambda: _telnet_open(twin)), "the twin opens telnet once the configuration enables it"
    return twin


def test_telnet_open_and_snmp_public_are_found_on_exactly_those_devices(
    misconfigured: Twin, tmp_path: Path
) -> None:
    result = _probe(misconfigured, tmp_path, "--check", "exposure", "--check", "snmp_default",
                    "--service", "telnet", "--service", "ssh")  # fmt: skip
    rules = sorted((f["rule"], f["entity"]["id"]) for f in result["findings"])
    assert rules == [("ACT-EXPO-002", f"{TELNET_DEVICE}:telnet"), ("ACT-SNMP-001", SNMP_DEVICE)]
    by_rule = {f["rule"]: f for f in result["findings"]}
    telnet = by_rule["ACT-EXPO-002"]
    assert (
        telnet["facts"]["port"] == misconfigured.telnet_port
        and "Login authentication" in telnet["facts"]["banner"]
    )
    assert telnet["entity"]["site"] == "qishan_v01" and telnet["labels"]["origin"] == "self-test"
    snmp = by_rule["ACT-SNMP-001"]
    assert snmp["severity"] == "critical" and snmp["facts"]["community"] == "public"
    assert "Huawei" in snmp["facts"]["sys_descr"]
    assert {a["fingerprint"] for a in result["alerts"]} == {f["fingerprint"] for f in result["findings"]}
    # bounded: per device at most a few SYNs and SNMP gets, each with one retry (rate-limited)
    assert result["stats"]["packets"] <= 6 * 16


def test_management_from_a_user_zone_is_exposure(misconfigured: Twin, tmp_path: Path) -> None:
    """From the county LAN, which the matrix allows nothing, SSH answering is a finding per switch."""
    result = _probe(
        misconfigured, tmp_path, "--check", "exposure", "--service", "ssh", "--zone", "county_lan"
    )
    found = sorted(f["entity"]["id"] for f in result["findings"] if f["rule"] == "ACT-EXPO-001")
    assert found == [f"qishan-v0{n}-sw-01:ssh" for n in (1, 2, 3)]


def test_fixing_telnet_resolves_its_finding_on_the_next_run(misconfigured: Twin, tmp_path: Path) -> None:
    first = _probe(misconfigured, tmp_path, "--check", "exposure", "--service", "telnet")
    assert [f["entity"]["id"] for f in first["findings"]] == [f"{TELNET_DEVICE}:telnet"]
    _configure(misconfigured, TELNET_ADDRESS, ["undo telnet server enable"])
    assert _wait(lambda: not _telnet_open(misconfigured)), "undo closes the listener"
    second = _probe(misconfigured, tmp_path, "--check", "exposure", "--service", "telnet")
    assert second["findings"] == [] and len(second["resolved"]) == 1
    assert second["alerts"][0]["status"] == "resolved"
    status = _egovnet("probe", "status", "--state-dir", str(tmp_path), "--json")
    scores = {(s["kind"], s["key"]): s for s in status["scores"]}
    assert scores[("site", "qishan_v01")]["score"] == 100.0 and scores[("site", "qishan_v01")]["trend"] > 0
