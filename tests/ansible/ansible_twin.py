"""Helpers of the Ansible front's tests: the twin they run against and the real ``ansible-playbook``.

(A module of its own, not ``conftest``: tests/twin has a conftest too, and ``import conftest`` would
find whichever came first.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from egovnet.devices.dialects import has_cli
from egovnet.inventory import Inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.control import LabClient

BIN = Path(sys.executable).parent
EGOVNET = str(BIN / "egovnet")
ANSIBLE_PLAYBOOK = str(BIN / "ansible-playbook")

#: The twin: the county core site, one township node and one village (Comware 7), and the 50 department
#: switches (VRP V5, Comware 7, IOS): 61 CLI devices of all four dialects, in all three waves.
TWIN = "level_county:jinzipai-tn-01:jinzipai-v01-sw-01:level_department"

_RECAP = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+"
    r"failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+rescued=(?P<rescued>\d+)\s+ignored=(?P<ignored>\d+)",
    re.M,
)


@dataclass
class Run:
    """One ``ansible-playbook`` run: exit status, output, and the PLAY RECAP per host."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    recap: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tail = self.stdout.rsplit("PLAY RECAP", 1)[-1] if "PLAY RECAP" in self.stdout else ""
        for match in _RECAP.finditer(tail):
            numbers = {k: int(v) for k, v in match.groupdict().items() if k != "host"}
            self.recap[match.group("host")] = numbers

    def explain(self) -> str:
        command = " ".join(self.args)
        return f"$ {command}\nexit {self.returncode}\n{self.stdout[-12000:]}\n{self.stderr[-4000:]}"


@dataclass
class AnsibleTwin:
    """A running twin and what the tests need to drive it."""

    run_dir: Path
    overlay: Path
    repo: Path
    inventory: Inventory
    lab: LabClient

    def cli_hosts(self, pattern: str) -> list[str]:
        """CLI devices the twin serves that ``pattern`` selects (what a playbook's --limit touches)."""
        served = set(self.lab.status()["addresses"])
        return [
            n
            for n in select_hosts(self.inventory, pattern)
            if n in served and has_cli(self.inventory.devices[n].platform)
        ]

    def configs(self, names: list[str]) -> dict[str, tuple[str, str]]:
        """(running, saved) configuration of each device, as the twin prints them."""
        return {n: (self.lab.config(n), self.lab.config(n, "saved")) for n in names}

    def playbook(self, name: str, limit: str, state_dir: Path, *extra: str, timeout: float = 600) -> Run:
        """Run ``playbooks/<name>`` against the twin (forks 20), limited to ``limit``."""
        args = [
            ANSIBLE_PLAYBOOK,
            "-i",
            str(self.overlay),
            str(self.repo / "playbooks" / name),
            "--limit",
            limit,
            "--forks",
            "20",
            "-e",
            f"egovnet_state_dir={state_dir}",
            *extra,
        ]
        env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
        out = subprocess.run(
            args, cwd=self.repo, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
        return Run(args, out.returncode, out.stdout, out.stderr)


def lab_up_options(offset: int) -> list[str]:
    """``egovnet lab up`` options of the Ansible tests' twin: its slice and this worker's ports."""
    args = ["--limit", TWIN, "--ssh-port", str(24022 + offset), "--snmp-port", str(18161 + offset)]
    help_text = subprocess.run([EGOVNET, "lab", "up", "--help"], capture_output=True, text=True, check=False)
    if "--telnet-port" in help_text.stdout:  # never contend for port 23 with another twin
        args += ["--telnet-port", str(24122 + offset)]
    return args
