"""``make demo``: the whole mission on the digital twin, one real command after another.

The twin of the county comes up on 127.0.0.0/8; ``site.yml`` converges it through Ansible; one
township (with the county core it routes through) migrates to IPv6 dual-stack behind its post-check
gate; the compliance audit, two monitor cycles (rates and a trend need two) with the indicator table,
a passive probe over a capture with an attack in it and the active checks follow; the dashboard is
written from the records those runs left; the twin stops. Each step is the command an engineer would
type (see the logs), so the demo is also the suite's end-to-end proof. All state goes under ``out``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from egovnet.demo.runner import AnsibleHosts, Runner, Step, StepError, StepResult, egovnet_progress
from egovnet.devices.dialects import has_cli
from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.project import ROOT

__all__ = ["DemoOptions", "StepError", "run_demo"]

#: The file that marks an output directory as the demo's own (so a rerun may empty it).
MARKER = ".egovnet-demo"


@dataclass(frozen=True)
class DemoOptions:
    """What the demo runs on and where it writes.

    Attributes:
        limit: the twin's slice (Ansible pattern); ``None`` is the whole county.
        township: the township whose wave migrates to IPv6 and whose village the probe watches.
        ports: SSH, SNMP and telnet ports of every twin device (unprivileged by default).
    """

    inventory: Path = ROOT / "inventories" / "qimen"
    out: Path = ROOT / "var" / "demo"
    limit: str | None = None
    township: str = "jinzipai"
    ssh_port: int = 10022
    snmp_port: int = 10161
    telnet_port: int = 10023
    forks: int = 40


def _bin(name: str) -> str:
    """A console script of the Python running the demo (the venv's), else the one on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


class Demo:
    """The steps, in order, over one output directory."""

    def __init__(self, options: DemoOptions, console: Console) -> None:
        self.options = options
        self.console = console
        self.out = options.out.resolve()
        self.lab = self.out / "lab"
        self.overlay = self.lab / "inventory"
        self.state = self.out / "var"
        self.report = self.out / "report"
        self.inventory: Inventory = load_inventory(options.inventory)
        self.runner: Runner | None = None
        self.wave = f"level_county:tw_{options.township}"
        if options.township not in {s.township for s in self.inventory.sites.values()}:
            raise ValueError(
                f"--township {options.township!r}: no township of that id in {options.inventory}"
            )

    def egovnet(self, *args: str) -> list[str]:
        return [_bin("egovnet"), *args]

    def state_args(self) -> list[str]:
        return ["-i", str(self.overlay), "--state-dir", str(self.state)]

    def cli_hosts(self, pattern: str | None) -> list[str]:
        """CLI devices ``pattern`` selects inside the twin's slice (what a playbook run touches)."""
        inside = set(select_hosts(self.inventory, self.options.limit))
        names = select_hosts(self.inventory, pattern)
        return [n for n in names if n in inside and has_cli(self.inventory.devices[n].platform)]

    def wave_limit(self) -> str:
        """The IPv6 wave: the county core site and one township, as far as the twin serves them.

        Ansible cannot intersect a pattern with a union (``a:b:&c:d`` is not (a|b)&(c|d)), so a slice
        gets the explicit host list.
        """
        if self.options.limit is None:
            return self.wave
        return ",".join(self.cli_hosts(self.wave))

    def playbook(self, name: str, limit: str | None, *extra: str) -> list[str]:
        args = [_bin("ansible-playbook"), "-i", str(self.overlay), str(ROOT / "playbooks" / name)]
        args += ["--forks", str(self.options.forks), "-e", f"egovnet_state_dir={self.state}", *extra]
        return args + (["--limit", limit] if limit else [])

    def lab_up(self) -> Step:
        o = self.options
        args = self.egovnet("lab", "up", "--detach", "-i", str(o.inventory), "--run-dir", str(self.lab))
        args += ["--ssh-port", str(o.ssh_port), "--snmp-port", str(o.snmp_port)]
        args += ["--telnet-port", str(o.telnet_port)] + (["--limit", o.limit] if o.limit else [])
        return Step("lab-up", "启动数字孪生 / start the twin", args)

    def steps_before_probe(self) -> list[Step]:
        o = self.options
        everything = len(self.cli_hosts(o.limit))
        wave_limit = self.wave_limit()
        return [
            Step(
                "site",
                "Ansible site.yml 全网收敛 / converge with site.yml",
                self.playbook("site.yml", o.limit, "-e", "egovnet_serial_township=100%"),
                AnsibleHosts(r"^base : Converge"),
                everything,
            ),
            Step(
                "ipv6-wave",
                f"IPv6 双栈迁移 ({o.township}) / IPv6 wave with its gate",
                self.playbook("ipv6_migration.yml", wave_limit),
                AnsibleHosts(r"Post-check gate"),
                len(self.cli_hosts(self.wave)),
            ),
            Step(
                "ipv6-status",
                "IPv6 迁移状态 / IPv6 status from the devices",
                self.egovnet(
                    "ipv6", "status", *self.state_args(), *(["--limit", o.limit] if o.limit else [])
                ),
                ok_codes=frozenset({0, 1}),
            ),
            Step(
                "audit",
                "等保合规审计 / compliance audit",
                self.egovnet("audit", *self.state_args(), "--fail-on", "none"),
                egovnet_progress,
            ),
            Step(
                "monitor-1",
                "SNMP 监测第 1 轮 / monitor cycle 1",
                self.egovnet("monitor", "once", *self.state_args()),
                ok_codes=frozenset({0, 1}),
            ),
            Step(
                "monitor-2",
                "SNMP 监测第 2 轮 / monitor cycle 2 (rates)",
                self.egovnet("monitor", "once", *self.state_args()),
                ok_codes=frozenset({0, 1}),
            ),
        ]

    def probe_steps(self, pcap: Path, site: str) -> list[Step]:
        return [
            Step(
                "probe-passive",
                "被动探针 / passive probe over the capture",
                self.egovnet("probe", "passive", "--pcap", str(pcap), "--site", site, *self.state_args()),
                ok_codes=frozenset({0, 1}),
            ),
            Step(
                "probe-active",
                "主动检查 / active checks (127.0.0.0/8 only)",
                self.egovnet(
                    "probe",
                    "active",
                    *self.state_args(),
                    "--limit",
                    f"tw_{self.options.township}",
                    "--scope",
                    "127.0.0.0/8",
                ),
                ok_codes=frozenset({0, 1}),
            ),
            Step(
                "report",
                "态势大屏 / write the dashboard",
                self.egovnet("report", "--out", str(self.report), *self.state_args()),
            ),
        ]

    def lab_down(self) -> Step:
        return Step(
            "lab-down",
            "停止数字孪生 / stop the twin",
            self.egovnet("lab", "down", "--run-dir", str(self.lab)),
        )

    def prepare(self) -> None:
        """Start from an empty output directory; only ever empty one an earlier demo made."""
        marker = self.out / MARKER
        if self.out.exists() and any(self.out.iterdir()):
            if not marker.exists():
                raise ValueError(f"--out {self.out} exists and was not made by egovnet demo; choose another")
            if self.lab.exists():  # a twin an interrupted run may have left up
                subprocess.run(self.lab_down().argv, cwd=ROOT, capture_output=True, check=False, timeout=120)
            shutil.rmtree(self.out)
        self.out.mkdir(parents=True, exist_ok=True)
        marker.write_text("made by egovnet demo; emptied by the next run\n", encoding="utf-8")

    def run(self) -> list[StepResult]:
        """Run every step; the twin is stopped whatever happens once it was started."""
        self.prepare()
        runner = self.runner = Runner(self.out, self.console, ROOT)
        runner.run(self.lab_up())
        try:
            for step in self.steps_before_probe():
                runner.run(step)
            from egovnet.demo.capture import write_capture  # scapy: only the demo pays for it

            captured = write_capture(self.inventory, self.options.township, self.out / "capture.pcap")
            self.console.print(
                f"   capture {captured.path}: {captured.frames} frames of village {captured.site}, "
                f"with {', '.join(captured.attacks)}"
            )
            for step in self.probe_steps(captured.path, captured.site):
                runner.run(step)
        finally:
            runner.run(self.lab_down())
        return runner.results

    def summary(self, started: float) -> None:
        table = Table("#", "step", "seconds", "exit", "log", title="egovnet demo", title_justify="left")
        for number, result in enumerate(self.runner.results if self.runner else [], start=1):
            table.add_row(
                str(number),
                result.step.title,
                f"{result.seconds:.1f}",
                str(result.returncode),
                str(result.log.relative_to(self.out)),
            )
        self.console.print(table)
        sys.stdout.flush()  # the table below comes from a child writing to the same stdout
        wide = {**os.environ, "COLUMNS": str(max(self.console.width, 160))}
        subprocess.run(self.egovnet("indicators", *self.state_args()), cwd=ROOT, check=False, env=wide)
        self.console.print(f"total {time.monotonic() - started:.0f} s; state {self.state}")
        self.console.print(f"[bold]dashboard 态势大屏: {self.report / 'index.html'}[/]")


def run_demo(options: DemoOptions, console: Console | None = None) -> list[StepResult]:
    """Run the demo; raise :class:`StepError` naming the step and its log when one fails."""
    console = console or Console()
    started = time.monotonic()
    demo = Demo(options, console)
    results = demo.run()
    demo.summary(started)
    return results
