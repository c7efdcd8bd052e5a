"""Benchmark the change engine against the same change through ansible-playbook (not a test; run by hand).

    .venv/bin/python bench/bench_engine_vs_ansible.py [--limit PATTERN] [--forks 20]

1. Starts a twin of the whole county (``egovnet lab up --detach``; ``--limit`` for a part) and
   converges it once with the engine, untimed: the baseline every timed run starts from.
2. The change is the IPv6 migration of every CLI device (render with ``egovnet_ipv6`` on). Timed:
   the engine's plan, then its apply (``ChangeEngine.run``, 20 workers, one process).
3. Back to the baseline with the engine, untimed; then the same change through
   ``ansible-playbook playbooks/site.yml -e egovnet_ipv6=true``, forks 20: its plan (``--check``), then its
   apply. Every wave's batch is the whole wave and the IPv6 gate is off, so Ansible does exactly what
   the engine did (plan, send, commit/save, verify per device) plus what Ansible itself costs: one
   process per task and host, the roles' argument validation and checks.
4. A 10-line VRP V5 change on one device, sent with egovnet's ``DeviceSession.configure`` and with stock
   netmiko (``ConnectHandler(device_type="huawei").send_config_set``), best of three, session set up
   outside the timing.

Prints both times and the ratios. Everything runs on 127.0.0.0/8 and the twin is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from netmiko import ConnectHandler

from egovnet.change.engine import ChangeEngine
from egovnet.devices.dialects import has_cli
from egovnet.devices.session import DeviceSession
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.control import LabClient

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SSH_PORT, SNMP_PORT, TELNET_PORT = 24060, 18190, 24160
VRP_LINES = 10
REPEATS = 3
T = TypeVar("T")


def egovnet(*args: str) -> None:
    subprocess.run([str(BIN / "egovnet"), *args], cwd=REPO, check=True, timeout=600)


def lab_up(run_dir: Path, limit: str | None) -> None:
    args = ["lab", "up", "--detach", "--run-dir", str(run_dir), "--wait", "300"]
    args += ["--ssh-port", str(SSH_PORT), "--snmp-port", str(SNMP_PORT)]
    help_text = subprocess.run(
        [str(BIN / "egovnet"), "lab", "up", "--help"], capture_output=True, text=True, check=False
    )
    if "--telnet-port" in help_text.stdout:
        args += ["--telnet-port", str(TELNET_PORT)]
    if limit:
        args += ["--limit", limit]
    egovnet(*args)


def timed(label: str, work: Callable[[], T]) -> tuple[float, T]:
    started = time.monotonic()
    result = work()
    seconds = time.monotonic() - started
    print(f"  {label:<44} {seconds:8.1f} s", flush=True)
    return seconds, result


def engine_run(inventory: Inventory, names: list[str], state: Path, ipv6: bool, commit: bool) -> Counter[str]:
    engine = ChangeEngine(inventory, state_dir=state, workers=20, overrides={"egovnet_ipv6": ipv6})
    run = engine.run(names, commit=commit)
    return Counter(h.status for h in run.hosts)


def ansible(overlay: Path, limit: Path, state: Path, forks: int, *extra: str) -> Counter[str]:
    """site.yml with IPv6 on, whole waves per batch, no gate; returns the PLAY RECAP's totals."""
    args = [str(BIN / "ansible-playbook"), "-i", str(overlay), str(REPO / "playbooks" / "site.yml")]
    args += ["--limit", f"@{limit}", "--forks", str(forks), "-e", f"egovnet_state_dir={state}"]
    args += ["-e", "egovnet_ipv6=true ipv6_dualstack_verify=false"]
    args += ["-e", " ".join(f"egovnet_serial_{w}=100%" for w in ("core", "county", "township", "access"))]
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1"}
    out = subprocess.run([*args, *extra], cwd=REPO, capture_output=True, text=True, env=env, check=False)
    totals: Counter[str] = Counter()
    for line in out.stdout.rsplit("PLAY RECAP", 1)[-1].splitlines():
        if " : ok=" in line:
            for item in line.split(":", 1)[1].split():
                key, _, value = item.partition("=")
                totals[key] += int(value)
    if out.returncode != 0:
        totals["rc"] = out.returncode
        print(out.stdout[-3000:], out.stderr[-2000:], sep="\n")
    return totals


def vrp_lines(interfaces: list[str], tag: str) -> list[str]:
    lines: list[str] = []
    for name in interfaces[: VRP_LINES // 2]:
        lines += [f"interface {name}", f"description bench {tag}"]
    return lines[:VRP_LINES]


def bench_vrp(inventory: Inventory, name: str) -> tuple[float, float]:
    """Best-of-three seconds to send a 10-line change: egovnet session vs stock netmiko."""
    target = target_for(inventory.devices[name])
    with DeviceSession(target) as session:
        ports = [
            line.split()[1]
            for line in session.running_config().splitlines()
            if line.startswith("interface GigabitEthernet")
        ]
        ours = []
        for attempt in range(REPEATS):
            lines = vrp_lines(ports, f"egovnet-{attempt}")
            started = time.monotonic()
            session.configure(lines)
            ours.append(time.monotonic() - started)
    stock = []
    conn = ConnectHandler(
        device_type="huawei",
        host=target.host,
        port=target.port,
        username=target.username,
        password=target.password,
        allow_agent=False,
        use_keys=False,
    )
    try:
        for attempt in range(REPEATS):
            lines = vrp_lines(ports, f"netmiko-{attempt}")
            started = time.monotonic()
            conn.send_config_set(lines)
            stock.append(time.monotonic() - started)
    finally:
        conn.disconnect()
    return min(ours), min(stock)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", help="twin and change only this part of the county (default: all)")
    parser.add_argument("--forks", type=int, default=20)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as scratch:
        run_dir, state = Path(scratch) / "lab", Path(scratch) / "state"
        started = time.monotonic()
        lab_up(run_dir, options.limit)
        print(
            f"twin up in {time.monotonic() - started:.1f} s: {LabClient(run_dir).status()['devices']} devices"
        )
        try:
            overlay = run_dir / "inventory"
            inventory = load_inventory(overlay)
            served = set(LabClient(run_dir).status()["addresses"])
            names = [
                n
                for n in select_hosts(inventory, options.limit)
                if n in served and has_cli(inventory.devices[n].platform)
            ]
            limit = Path(scratch) / "hosts.txt"  # --limit @file: one host per line
            limit.write_text("\n".join(names) + "\n", encoding="utf-8")
            print(f"{len(names)} CLI devices: {dict(Counter(inventory.devices[n].platform for n in names))}")

            print("baseline (engine, untimed)")
            base = engine_run(inventory, names, state / "engine", ipv6=False, commit=True)
            print(f"  {dict(base)}")
            print("the change: IPv6 on every CLI device")
            plan_s, plan = timed(
                "engine plan", lambda: engine_run(inventory, names, state / "engine", True, False)
            )
            apply_s, applied = timed(
                "engine apply", lambda: engine_run(inventory, names, state / "engine", True, True)
            )
            print(f"  plan {dict(plan)}, apply {dict(applied)}")

            print("back to the baseline (engine, untimed)")
            engine_run(inventory, names, state / "engine", ipv6=False, commit=True)
            check_s, check = timed(
                f"ansible-playbook --check (forks {options.forks})",
                lambda: ansible(overlay, limit, state / "ansible", options.forks, "--check"),
            )
            run_s, ran = timed(
                f"ansible-playbook (forks {options.forks})",
                lambda: ansible(overlay, limit, state / "ansible", options.forks),
            )
            print(f"  check recap {dict(check)}, apply recap {dict(ran)}")

            engine_s, ansible_s = plan_s + apply_s, check_s + run_s
            print(f"engine plan+apply {engine_s:.1f} s; ansible-playbook plan+apply {ansible_s:.1f} s")
            print(f"ratio ansible / engine: {ansible_s / engine_s:.1f}x (goal: >= 10x)")

            vrp = min(n for n in names if inventory.devices[n].platform == "huawei_vrp5")
            ours, stock = bench_vrp(inventory, vrp)
            print(f"{VRP_LINES}-line VRP change on {vrp} (best of {REPEATS}):")
            print(f"  egovnet DeviceSession.configure {ours:6.2f} s")
            print(f"  netmiko send_config_set         {stock:6.2f} s")
            print(f"ratio netmiko / egovnet: {stock / ours:.1f}x")
            print("load average at the end (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        finally:
            egovnet("lab", "down", "--run-dir", str(run_dir))


if __name__ == "__main__":
    main()
