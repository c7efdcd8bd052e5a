"""Site convergence: the templates' intended configs and the twin's dialects agree (DESIGN.md, flow 12).

Two levels:

* **offline** (fast, no SSH): render a sample host of every role and platform, push the remediation
  from the twin's starting config into an in-process :class:`~egovnet.lab.model.LabDevice` through its
  dialect's config editor, exactly as the engine sends it; no line may be refused and a second
  remediation must be empty. Pushing the rollback must print the starting config back byte for byte.
  This catches vocabulary and print-back drift between ``templates/`` and ``egovnet/lab/cli/``.
* **twin** (one test, over SSH with the real CLI): ``egovnet lab up --detach`` on a slice with every
  CLI platform and role, ``apply --commit`` then ``plan`` (IPv4, then ``--ipv6``), ``ipv6 status`` of a
  migrated village, and the rollback path under injected faults.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from render_secrets import HASHES, SECRETS  # host variables, in each platform's stored format

from egovnet.change import hier
from egovnet.change.engine import ChangeEngine
from egovnet.change.records import HostChange
from egovnet.devices.dialects import dialect_of, stable_text
from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.cli import CliSession, Question, get_dialect
from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.runtime import build_network
from egovnet.render import Renderer

EGOVNET = str(Path(sys.executable).with_name("egovnet"))

#: One device of every CLI platform and role: VRP8 core, aggregation, egress and 5G gateway; VRP5
#: township, village (with a 5G backup), community, WLC, firewall and department; Comware township,
#: village, WLC and department; IOS departments.
SAMPLE_HOSTS = (
    "qm-core-01",
    "qm-dagg-01",
    "qm-egress-01",
    "qm-5gagg-01",
    "qm-fw-01",
    "qishan-tn-01",
    "qishan-v01-sw-01",
    "qishan-c01-sw-01",
    "qishan-ac-01",
    "dept-gongan-sw-01",
    "jinzipai-tn-01",
    "jinzipai-v01-sw-01",
    "jinzipai-ac-01",
    "dept-fagai-sw-01",
    "dept-xianwei-sw-01",
    "dept-jiaoyu-sw-01",
)

#: The twin slice: every CLI platform and role, and a village-to-core path on both vendors.
SLICE = (
    "qm-core-*:qm-egress-*:qm-fw-*:qm-dagg-01:qishan-tn-01:qishan-ac-01:qishan-v01-sw-01:"
    "jinzipai-tn-01:jinzipai-ac-01:jinzipai-v01-sw-01:dept-xianwei-sw-01:dept-gongan-sw-01:dept-fagai-sw-01"
)
SLICE_PLATFORMS = {"huawei_vrp8", "huawei_vrp5", "h3c_comware7", "cisco_ios"}
MIGRATED_VILLAGES = ("qishan-v01-sw-01", "jinzipai-v01-sw-01")
FAULTS = {
    "qm-egress-02": ("reject-commit",),  # VRP8: the candidate is refused at commit
    "dept-gongan-sw-01": ("reject-command", "ospfv3 1 area "),  # VRP5: a line in mid-remediation
}


# ------------------------------------------------------------------------------ offline (in-process)
@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


@pytest.fixture(scope="module")
def renderer(county: Inventory) -> Renderer:
    return Renderer(county)


class Console:
    """An operator at the console of one in-process twin device, sending what the engine sends."""

    def __init__(self, network: LabNetwork, device: LabDevice) -> None:
        self.device = device
        self.dialect = dialect_of(device.spec.platform)
        self.session = CliSession(network, device, get_dialect(str(device.dialect)), flags={"secret": "s"})
        if self.dialect.name == "ios":
            self.type("enable")
            self.type("s")

    def type(self, line: str) -> str:
        reply = self.session.handle(line)
        return reply.text

    def running(self) -> str:
        return self.type(self.dialect.show_running)

    def push(self, lines: list[str]) -> list[str]:
        """Configure ``lines`` like :meth:`DeviceSession.configure` + commit; return the refused ones."""
        refused = []
        self.type(self.dialect.enter_config)
        for line in lines:
            if self.dialect.is_error(self.type(line)):
                refused.append(line)
        if self.dialect.commit:
            assert not self.dialect.is_error(self.type(self.dialect.commit))
        self.type(self.dialect.exit_config)
        if isinstance(self.session.pending, Question):
            self.type("n")
        return refused


@pytest.mark.parametrize("ipv6", [False, True], ids=["ipv4", "ipv6"])
@pytest.mark.parametrize("host", SAMPLE_HOSTS)
def test_rendered_config_converges_in_the_dialect(
    county: Inventory, renderer: Renderer, host: str, ipv6: bool
) -> None:
    platform = county.devices[host].platform
    network = build_network(county, host)
    console = Console(network, network.devices[host])
    intended = renderer.render(
        host, {**SECRETS, "egovnet_admin_password_hash": HASHES[platform], "egovnet_ipv6": ipv6}
    )
    before = console.running()
    commands = hier.remediation(platform, before, intended)
    assert commands, "the twin's starting config already equals intended: nothing is tested"

    refused = console.push(commands)
    assert refused == [], f"{host}: the twin's {console.dialect.name} dialect refuses template lines"
    left = hier.remediation(platform, console.running(), intended)
    assert left == [], f"{host}: the twin prints back something else than the template renders"

    console.push(hier.remediation(platform, console.running(), before))
    after = console.running()
    assert stable_text(console.dialect, after) == stable_text(console.dialect, before)


def _section(console: Console, header: str) -> list[str]:
    node = console.device.running.child(header)
    assert node is not None, header
    return [child.text for child in node.children]


def test_print_back_rules_the_templates_rely_on(county: Inventory) -> None:
    """The device behaviours behind convergence, one by one (each was a source of endless drift)."""
    network = build_network(county, "qm-egress-01:qishan-v01-sw-01:dept-xianwei-sw-01")
    vrp5 = Console(network, network.devices["qishan-v01-sw-01"])
    # an OSPFv3 area without sub-commands: the next area is its sibling, not its child
    vrp5.push(["ospfv3 1", "router-id 10.98.1.5", "area 0.0.0.2", "area 0.0.0.3", "quit"])
    assert _section(vrp5, "ospfv3 1") == ["router-id 10.98.1.5", "area 0.0.0.2", "area 0.0.0.3"]
    # removed and typed again, a line goes back to its printed place
    printed = vrp5.running()
    vrp5.push(["undo snmp-agent sys-info version v2c v3", "undo stelnet server enable"])
    vrp5.push(["stelnet server enable", "snmp-agent sys-info version v2c v3"])
    assert vrp5.running() == printed

    ne = Console(network, network.devices["qm-egress-01"])  # NetEngine: port state always printed
    port = next(n.text for n in ne.device.running.children if n.text.startswith("interface 10GE"))
    assert "undo shutdown" in _section(ne, port)
    ne.push([port, "shutdown", "quit"])
    assert "shutdown" in _section(ne, port) and "undo shutdown" not in _section(ne, port)
    ne.push([port, "undo shutdown", "quit"])
    assert "undo shutdown" in _section(ne, port)

    ios = Console(network, network.devices["dept-xianwei-sw-01"])
    refused = ios.push(
        [
            "ip access-list standard MGMT",
            "10 permit 10.98.0.13",
            "20 deny any log",
            "no 20 deny any log",
            "20 permit 10.98.0.14",
            "30 deny any log",
            "exit",
            "banner login #Authorized access only#",
            "interface GigabitEthernet1/0/25",
            "no switchport",
            "exit",
            "aaa new-model",
            "no aaa new-model",
        ]
    )
    assert refused == []
    text = ios.running()
    assert "ip access-list standard MGMT\n permit 10.98.0.13\n permit 10.98.0.14\n deny   any log\n" in text
    assert "banner login ^CAuthorized access only^C" in text
    assert "no switchport" in _section(ios, "interface GigabitEthernet1/0/25")
    assert "\nno aaa new-model\n" in text


# ------------------------------------------------------------------------------ the twin, over SSH
def _worker_offset() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0


def _egovnet(repo: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EGOVNET, *args], cwd=repo, capture_output=True, text=True, timeout=timeout, check=False
    )


class Twin:
    """A detached twin of :data:`SLICE` and a private state directory.

    The first apply goes through the ``egovnet`` command; later plans and applies call the same
    engine in-process (each command start costs seconds of imports), faults go through ``egovnet lab``.
    """

    def __init__(self, repo: Path, run_dir: Path, state_dir: Path) -> None:
        self.repo, self.run_dir, self.state_dir = repo, run_dir, state_dir
        self.overlay = run_dir / "inventory"
        self.inventory = load_inventory(self.overlay)
        self.names = select_hosts(self.inventory, SLICE)

    def command(self, command: str, *extra: str) -> dict[str, dict[str, Any]]:
        """``egovnet plan|apply`` over the slice; the change record's hosts by name."""
        args = [command, "-i", str(self.overlay), "--limit", SLICE, "--state-dir", str(self.state_dir)]
        out = _egovnet(self.repo, *args, "--json", *extra)
        assert out.stdout.strip(), out.stderr[-3000:]
        return {host["host"]: host for host in json.loads(out.stdout)["hosts"]}

    def change(self, commit: bool, ipv6: bool) -> dict[str, HostChange]:
        """Plan or apply (``--ipv6``/``--no-ipv6``) with the engine under ``egovnet plan|apply``."""
        engine = ChangeEngine(self.inventory, self.state_dir, overrides={"egovnet_ipv6": ipv6})
        return {host.host: host for host in engine.run(self.names, commit=commit, limit=SLICE).hosts}

    def lab(self, *args: str) -> None:
        out = _egovnet(self.repo, "lab", *args, "--run-dir", str(self.run_dir))
        assert out.returncode == 0, out.stdout + out.stderr


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[Twin]:
    run_dir = tmp_path_factory.mktemp("converge-twin")
    offset = _worker_offset()
    up = _egovnet(
        repo,
        "lab",
        "up",
        "--detach",
        "--limit",
        SLICE,
        "--run-dir",
        str(run_dir),
        "--ssh-port",
        str(23022 + offset),
        "--snmp-port",
        str(17161 + offset),
    )
    log = run_dir / "lab.log"
    assert up.returncode == 0, up.stdout + up.stderr + (log.read_text() if log.exists() else "")
    pid = int(json.loads((run_dir / "lab.json").read_text())["pid"])
    try:
        yield Twin(repo, run_dir, tmp_path_factory.mktemp("converge-state"))
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):  # a loaded machine: the PID still ends it
            _egovnet(repo, "lab", "down", "--run-dir", str(run_dir), timeout=120)
        _stop(pid, run_dir)


def _stop(pid: int, run_dir: Path) -> None:
    """Belt and braces after ``lab down``: end the twin we started, by its PID, if it still runs."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        if str(run_dir) in cmdline.read_bytes().decode(errors="replace"):
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):  # bounded: 10 s
                time.sleep(0.1)
                os.kill(pid, 0)
            os.kill(pid, signal.SIGKILL)
    except (FileNotFoundError, ProcessLookupError):
        pass


def _statuses(hosts: dict[str, HostChange]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for name, host in sorted(hosts.items()):
        result.setdefault(host.status, []).append(name)
    return result


def _explain(hosts: dict[str, HostChange], expected: str) -> str:
    return "\n".join(
        f"{name}: {h.status} {h.error or ''} {h.commands[:8]}"
        for name, h in hosts.items()
        if h.status != expected
    )


def test_site_converges_on_every_platform_then_rolls_back_under_faults(twin: Twin) -> None:
    # IPv4 through the command line: one apply converges every device
    record = twin.command("apply", "--commit", "--no-ipv6")
    assert {h["platform"] for h in record.values()} == SLICE_PLATFORMS
    assert {name: h["status"] for name, h in record.items()} == dict.fromkeys(twin.names, "applied"), [
        (name, h["error"]) for name, h in record.items() if h["status"] != "applied"
    ]
    planned = twin.change(commit=False, ipv6=False)
    assert set(_statuses(planned)) == {"unchanged"}, _explain(planned, "unchanged")

    # dual stack: the same, and the migrated villages reach the core loopback over IPv6 on every hop
    applied = twin.change(commit=True, ipv6=True)
    assert set(_statuses(applied)) == {"applied"}, _explain(applied, "applied")
    planned = twin.change(commit=False, ipv6=True)
    assert set(_statuses(planned)) == {"unchanged"}, _explain(planned, "unchanged")
    status = _egovnet(
        twin.repo, "ipv6", "status", "-i", str(twin.overlay), "--limit", ":".join(MIGRATED_VILLAGES), "--json"
    )
    states = {d["device"]: d["state"] for d in json.loads(status.stdout)["devices"]}
    assert states == dict.fromkeys(MIGRATED_VILLAGES, "verified"), status.stdout

    # rollback: a refused commit (VRP8) and a refused line (VRP5) restore the pre-change config,
    # proved identical to the backup; every other device goes back to IPv4 as asked
    for device, fault in FAULTS.items():
        twin.lab("fault", device, *fault)
    applied = twin.change(commit=True, ipv6=False)
    for device in FAULTS:
        assert applied[device].status == "rolled_back", applied[device]
        assert applied[device].rollback_verified is True, applied[device]
    others = {name: h for name, h in applied.items() if name not in FAULTS}
    assert set(_statuses(others)) == {"applied"}, _explain(others, "applied")
    twin.lab("heal")
    planned = twin.change(commit=False, ipv6=False)
    assert _statuses(planned) == {"planned": sorted(FAULTS), "unchanged": sorted(others)}
