"""`egovnet lab up --from-backups` serves the backed-up configs byte for byte, end to end.

A slice with one device of each dialect is converged with ``egovnet apply``, changed further over SSH
(a loopback and a plain SNMP community on the VRP5 node) and backed up with ``egovnet backup``; the
twin is stopped, then started from those backups through the Python runtime and through the real CLI.
Configurations are read with netmiko, SNMP with net-snmp. Twins listen on SSH 30022 / SNMP 24161 /
telnet 30122 (+ the xdist worker number), one at a time.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from child_processes import worker_offset
from netmiko import ConnectHandler
from twin_tools import snmpget, threaded_twin

from egovnet.change.backup import BackupStore
from egovnet.devices.dialects import dialect_of
from egovnet.inventory import Inventory, load_inventory
from egovnet.lab.control import LabClient, LabNotRunningError
from egovnet.lab.runtime import LabOptions
from egovnet.platforms import platform as lookup_platform

EGOVNET = str(Path(sys.executable).with_name("egovnet"))
BACKED = ("anling-tn-01", "baixi-tn-01", "dept-gonghui-sw-01", "qm-egress-01")  # vrp5, comware7, ios, vrp8
NO_BACKUP = "anling-v01-sw-01"
SLICE = ":".join((*BACKED, NO_BACKUP, "anling-v01-cpe-01"))  # and an SNMP-only CPE (no CLI, no backup)
OFFSET = worker_offset()
PORTS = ("--ssh-port", str(30022 + OFFSET), "--snmp-port", str(24161 + OFFSET))
PORTS += ("--telnet-port", str(30122 + OFFSET))
REHEARSAL_LINES = ("interface LoopBack9", "ip address 10.250.9.9 255.255.255.255", "quit")
REHEARSAL_LINES += ("snmp-agent community read rehearsal-ro",)
SYS_NAME = "1.3.6.1.2.1.1.5.0"


def _egovnet(repo: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EGOVNET, *args], cwd=repo, capture_output=True, text=True, timeout=timeout, check=False
    )


def _up(repo: Path, run_dir: Path, *extra: str, detach: bool = True) -> subprocess.CompletedProcess[str]:
    mode = ("--detach",) if detach else ()
    return _egovnet(repo, "lab", "up", *mode, "--limit", SLICE, "--run-dir", str(run_dir), *PORTS, *extra)


@functools.cache
def _overlay(path: Path) -> Inventory:
    """The lab overlay of one twin start (loaded once: every start writes its own run directory)."""
    return load_inventory(path)


def _connect(overlay: Path, host: str) -> ConnectHandler:
    """Unmodified netmiko with the overlay's address and credentials (IOS in enable mode)."""
    device = _overlay(overlay).devices[host]
    device_type = lookup_platform(device.platform).netmiko
    conn = ConnectHandler(
        device_type=device_type,
        host=str(device.vars["ansible_host"]),
        port=int(device.vars["ansible_port"]),
        username=str(device.vars["ansible_user"]),
        password=str(device.vars["ansible_password"]),
        secret=str(device.vars["egovnet_enable_secret"]),
        conn_timeout=20,
        global_cmd_verify=device_type == "hp_comware" or None,
    )
    if device_type == "cisco_ios":
        conn.enable()
    return conn


def _running(overlay: Path, host: str) -> str:
    """What ``display current-configuration`` / ``show running-config`` prints, as netmiko reads it."""
    conn = _connect(overlay, host)
    try:
        platform = _overlay(overlay).devices[host].platform
        return str(conn.send_command(dialect_of(platform).show_running, read_timeout=60))
    finally:
        conn.disconnect()


def _down(repo: Path, run_dir: Path) -> None:
    _egovnet(repo, "lab", "down", "--run-dir", str(run_dir), timeout=120)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Path:
    """A backup repository: HEAD~1 the generated configs, HEAD the converged and hand-changed ones."""
    run_dir, state = tmp_path_factory.mktemp("source-twin"), tmp_path_factory.mktemp("source-state")
    up = _up(repo, run_dir)
    assert up.returncode == 0, up.stdout + up.stderr + (run_dir / "lab.log").read_text()
    overlay, limit = str(run_dir / "inventory"), ":".join(BACKED)
    try:
        common = ("-i", overlay, "--limit", limit, "--state-dir", str(state))
        applied = _egovnet(repo, "apply", "--commit", *common)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        conn = _connect(run_dir / "inventory", "anling-tn-01")
        try:
            conn.send_config_set(list(REHEARSAL_LINES), exit_config_mode=True)
        finally:
            conn.disconnect()
        backup = _egovnet(repo, "backup", *common)
        assert backup.returncode == 0, backup.stdout + backup.stderr
    finally:
        _down(repo, run_dir)
    store = BackupStore(state / "backups")
    assert store.hosts() == set(BACKED) and len(store.history("anling-tn-01")) == 2
    assert "rehearsal-ro" in store.read("anling-tn-01")
    return store.path


def test_the_runtime_boots_a_revision_and_serves_it_byte_for_byte(
    source: Path, qimen_path: Path, tmp_path: Path
) -> None:
    store = BackupStore(source)
    options = LabOptions(
        qimen_path,
        tmp_path,
        SLICE,
        30022 + OFFSET,
        24161 + OFFSET,
        telnet_port=30122 + OFFSET,
        backups=source,
        backup_revision="HEAD~1",
    )
    with threaded_twin(options) as runtime:
        assert runtime.backups is not None and runtime.backups.missing == (NO_BACKUP,)
        for host in BACKED:
            assert _running(tmp_path / "inventory", host) == store.read(host, "HEAD~1"), host
            assert store.read(host, "HEAD~1") != store.read(host)
        tn = runtime.network.devices["anling-tn-01"]
        assert "LoopBack9" not in {s.name for s in runtime.network.interface_states(tn)}
        summary = {"source": f"{source}@HEAD~1", "loaded": 4, "missing": [NO_BACKUP]}
        assert runtime.status()["backups"] == summary


def test_a_backup_the_dialect_cannot_read_stops_the_start(source: Path, repo: Path, tmp_path: Path) -> None:
    broken = tmp_path / "backups"
    shutil.copytree(source, broken)
    ios = broken / "dept-gonghui-sw-01.cfg"
    lines = ios.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("hostname "))
    ios.write_text("".join([*lines[:line], "sysname dept-gonghui-sw-01\n", *lines[line:]]), encoding="utf-8")
    run_dir = tmp_path / "run"
    out = _up(repo, run_dir, "--from-backups", str(broken))
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"{ios}:{line + 1}: unknown ios configuration command 'sysname dept-gonghui-sw-01'" in out.stderr
    with pytest.raises(LabNotRunningError):
        LabClient(run_dir).status()
    assert not (run_dir / "lab.log").exists()  # nothing was started

    vrp8 = broken / "qm-egress-01.cfg"
    text = vrp8.read_text(encoding="utf-8")
    vrp8.write_text(text[: text.index("\ninterface LoopBack0")], encoding="utf-8")  # a cut-off read
    ios.write_text(BackupStore(source).read("dept-gonghui-sw-01"), encoding="utf-8")
    out = _up(repo, run_dir, "--from-backups", str(broken), detach=False)  # in the foreground too
    assert out.returncode == 2, out.stdout + out.stderr
    last = len(vrp8.read_text(encoding="utf-8").splitlines())
    assert f"{vrp8}:{last}: the configuration does not end with 'return' (truncated?)" in out.stderr

    out = _up(repo, run_dir, "--revision", "HEAD")
    assert out.returncode == 2 and "--revision needs --from-backups" in out.stderr


@dataclass(frozen=True)
class Served:
    up: subprocess.CompletedProcess[str]
    run_dir: Path

    @property
    def overlay(self) -> Path:
        return self.run_dir / "inventory"


@pytest.fixture(scope="module")
def served(source: Path, repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The slice started from the backups (HEAD) by ``egovnet lab up --detach --from-backups``."""
    run_dir = tmp_path_factory.mktemp("from-backups")
    up = _up(repo, run_dir, "--from-backups", str(source))
    assert up.returncode == 0, up.stdout + up.stderr + (run_dir / "lab.log").read_text()
    try:
        yield Served(up, run_dir)
    finally:
        _down(repo, run_dir)


def test_cli_up_from_backups_serves_the_files_byte_for_byte(served: Served, source: Path, repo: Path) -> None:
    assert f"4 devices booted from the backups in {source}" in served.up.stdout
    assert f"1 devices have no backup in {source}" in served.up.stderr and NO_BACKUP in served.up.stderr
    for host in BACKED:
        assert _running(served.overlay, host) == (source / f"{host}.cfg").read_text(encoding="utf-8"), host
    assert f"sysname {NO_BACKUP}" in _running(served.overlay, NO_BACKUP)  # its generated configuration
    status = _egovnet(repo, "lab", "status", "--run-dir", str(served.run_dir))
    assert f"4 devices booted from the backups in {source}" in status.stdout, status.stdout


def test_a_backup_of_the_twin_changes_nothing(
    served: Served, source: Path, repo: Path, tmp_path: Path
) -> None:
    shutil.copytree(source, tmp_path / "backups")
    commits = len(BackupStore(tmp_path / "backups").history("qm-egress-01"))
    out = _egovnet(
        repo, "backup", "-i", str(served.overlay), "--limit", ":".join(BACKED), "--state-dir", str(tmp_path)
    )
    assert out.returncode == 0 and "(commit unchanged)" in out.stdout, out.stdout + out.stderr
    git = ["git", "-C", str(tmp_path / "backups"), "status", "--porcelain"]
    status = subprocess.run(git, capture_output=True, text=True, check=False)
    assert status.returncode == 0 and status.stdout == ""
    assert len(BackupStore(tmp_path / "backups").history("qm-egress-01")) == commits


def test_operational_state_follows_the_loaded_configs(served: Served) -> None:
    port = 24161 + OFFSET
    v2c = ("-v2c", "-c", "rehearsal-ro")
    tn, other = (_overlay(served.overlay).devices[h] for h in ("anling-tn-01", "baixi-tn-01"))
    assert snmpget(str(tn.vars["ansible_host"]), port, SYS_NAME, v2c) == '"anling-tn-01"'
    assert "Timeout" in snmpget(str(other.vars["ansible_host"]), port, SYS_NAME, v2c)
    conn = _connect(served.overlay, "anling-tn-01")
    try:
        brief = conn.send_command("display ip interface brief")
    finally:
        conn.disconnect()
    assert any(line.split()[:3] == ["LoopBack9", "10.250.9.9/32", "up"] for line in brief.splitlines()), brief


def test_a_change_is_rehearsed_on_the_loaded_configs(
    served: Served, source: Path, repo: Path, tmp_path: Path
) -> None:
    """Plan on the real configs: only the hand-changed node drifts; apply it; the twin then differs."""
    common = ("-i", str(served.overlay), "--state-dir", str(tmp_path))
    plan = _egovnet(repo, "plan", *common, "--limit", ":".join(BACKED))
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "{'planned': 1, 'unchanged': 3}" in plan.stdout and "rehearsal-ro" in plan.stdout
    applied = _egovnet(repo, "apply", "--commit", *common, "--limit", "anling-tn-01")
    assert applied.returncode == 0 and "{'applied': 1}" in applied.stdout, applied.stdout + applied.stderr
    after = _running(served.overlay, "anling-tn-01")
    assert "rehearsal-ro" not in after and after != (source / "anling-tn-01.cfg").read_text(encoding="utf-8")
    assert after.endswith("#\nreturn") and after.startswith("!Software Version")
    again = _egovnet(repo, "plan", *common, "--limit", "anling-tn-01")
    assert "{'unchanged': 1}" in again.stdout, again.stdout
