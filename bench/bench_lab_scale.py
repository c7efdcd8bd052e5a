"""Benchmark the twin at scale (not a test; run it by hand).

    .venv/bin/python bench/bench_lab_scale.py [--devices 1000] [--sessions 200]

Starts the county twin grown to N devices with ``egovnet lab up --detach --devices N`` (one process),
reports start-up seconds and the twin's resident memory, then opens S concurrent netmiko sessions to
S different CLI devices, each running ``display version`` / ``show version``, and reports the wall
time and the failures. Targets from the issue: start <= 10 s, RSS <= 500 MB, 0 failures.
Everything binds to 127.0.0.0/8 (SSH port 29022, SNMP 29161) and stops on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler

from egovnet.inventory import load_inventory
from egovnet.platforms import PLATFORMS

REPO = Path(__file__).resolve().parent.parent
EGOVNET = str(Path(sys.executable).with_name("egovnet"))
SSH_PORT, SNMP_PORT = 29022, 29161


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kib = int(handle.readline().split()[1])
    return f"{os.cpu_count()} CPUs ({cpu}), {mem_kib / 2**20:.1f} GiB RAM, Python {platform.python_version()}"


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def session(address: str, device_type: str) -> tuple[bool, float, str]:
    started = time.monotonic()
    try:
        conn = ConnectHandler(
            device_type=device_type,
            host=address,
            port=SSH_PORT,
            username="egovnet",
            password="egovnet-lab-1",
            conn_timeout=60,
            auth_timeout=60,
            banner_timeout=60,
            global_cmd_verify=True if device_type == "hp_comware" else None,
        )
        command = "show version" if device_type == "cisco_ios" else "display version"
        output = conn.send_command(command, read_timeout=120)
        conn.disconnect()
        ok = "uptime" in output.lower() or "version" in output.lower()
        return ok, time.monotonic() - started, "" if ok else output[:80]
    except Exception as exc:  # a failure is a data point here
        return False, time.monotonic() - started, f"{type(exc).__name__}: {exc}"[:120]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    inventory = load_inventory(REPO / "inventories" / "qimen")
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        started = time.monotonic()
        up = subprocess.run(
            [
                EGOVNET,
                "lab",
                "up",
                "--detach",
                "--devices",
                str(args.devices),
                "--run-dir",
                str(run_dir),
                "--ssh-port",
                str(SSH_PORT),
                "--snmp-port",
                str(SNMP_PORT),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
            check=False,
        )
        startup = time.monotonic() - started
        if up.returncode != 0:
            print(up.stdout, up.stderr, (run_dir / "lab.log").read_text())
            raise SystemExit(1)
        try:
            status = json.loads(
                subprocess.run(
                    [EGOVNET, "lab", "status", "--json", "--run-dir", str(run_dir)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            pid = int(status["pid"])
            print(
                f"twin: {status['devices']} devices in one process; start-up {startup:.2f} s "
                f"(includes inventory load and CLI start); RSS {rss_mib(pid):.0f} MiB"
            )
            targets = []
            for name, address in status["addresses"].items():
                device_type = PLATFORMS[inventory.devices[name.split("~")[0]].platform].netmiko
                if device_type:
                    targets.append((address, device_type))
            targets = targets[: args.sessions]
            t0 = time.monotonic()
            with ThreadPoolExecutor(max_workers=len(targets)) as pool:
                results = list(pool.map(lambda t: session(*t), targets))
            wall = time.monotonic() - t0
            failures = [r for r in results if not r[0]]
            times = sorted(r[1] for r in results)
            print(
                f"{len(targets)} concurrent netmiko sessions (display/show version): wall {wall:.1f} s, "
                f"median {times[len(times) // 2]:.1f} s, max {times[-1]:.1f} s, failures {len(failures)}"
            )
            for failure in failures[:5]:
                print("  failure:", failure[2])
            print(f"twin RSS after the sessions: {rss_mib(pid):.0f} MiB")
        finally:
            subprocess.run(
                [EGOVNET, "lab", "down", "--run-dir", str(run_dir)], capture_output=True, check=False
            )


if __name__ == "__main__":
    main()
