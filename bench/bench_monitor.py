"""Benchmark the SNMP monitor (not a test; run it by hand).

    .venv/bin/python bench/bench_monitor.py [--devices 1000] [--walks 50] [--skip-twin]

1. One poll cycle of the whole county twin, then of a 1,000-device twin (``egovnet lab up --devices``):
   the first cycle (fast and slow objects, no row counts known yet) and a steady one (fast objects),
   with seconds, varbinds, varbinds/s, the poller's CPU and peak RSS, and the twin agent's CPU (both
   share this machine's cores). Each twin runs detached and is stopped by the script.
2. Python walks (the monitor's GETBULK walker, through its own v2c codec and through pysnmp)
   against ``snmpbulkwalk`` on the same net-snmp ``snmpd`` (started here on 127.0.0.1), N
   concurrent walks of MIB-2 each, v2c, max-repetitions 25: varbinds/s of each and the ratio.

Every phase runs in a child process so its RSS is its own; everything binds to 127.0.0.0/8.

Method. Both comparisons run on the same 2-core machine as the agents they poll, so every figure
includes that contention (and whatever else runs there: run it a few times and quote ranges). The
walk comparison is run once per SNMP version, v2c and v3 authPriv (SHA-1/AES-128, the county's
default), each with 50 concurrent walks at max-repetitions 25 against one snmpd and the same user:
"egovnet ... codec" is the monitor's own path (:mod:`egovnet.monitor.v2c` / :mod:`egovnet.monitor.v3`,
BER and USM without pyasn1), "pysnmp" the same walker through pysnmp 7 (``native_v2c``/``native_v3``
off), "snmpbulkwalk" 50 net-snmp processes; each Python client gets one warm-up run first, and the
ratio is varbinds/s over snmpbulkwalk's varbinds/s from the same run. Client CPU is the process's
own (Python) or its children's rusage (C); snmpd's CPU comes from /proc. The twin cycles poll what
``monitors/poll-plan.yml`` says for every device: the first cycle includes the slow objects, engine
discovery and unknown row counts, the steady cycle is the next one; the twin answers through its
fast path (:mod:`egovnet.lab.snmp.fastpath`) with pysnmp for the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "monitor")]  # the snmpd helper the tests use

from netsnmp import V2C, V3, Snmpd, auth_args  # noqa: E402

EGOVNET = str(Path(sys.executable).with_name("egovnet"))
MIB2 = "1.3.6.1.2.1"
MAX_REPETITIONS = 25


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- phase: one twin, two cycles ------------------------------------------------------------------
def poll_twin(devices: int | None, ssh_port: int, snmp_port: int, version: int | None) -> dict[str, Any]:
    """Start a twin, poll it twice with the monitor's poller, stop it; figures as JSON."""
    from egovnet.inventory import load_inventory
    from egovnet.lab.control import LabClient
    from egovnet.monitor.plan import load_plan
    from egovnet.monitor.poller import Poller
    from egovnet.monitor.targets import build_targets, renamed

    run_dir = Path(tempfile.mkdtemp(prefix="bench-monitor-twin-"))
    command = [
        EGOVNET,
        "lab",
        "up",
        "--detach",
        "--run-dir",
        str(run_dir),
        "--ssh-port",
        str(ssh_port),
        "--snmp-port",
        str(snmp_port),
    ]
    if devices:
        command += ["--devices", str(devices)]
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, timeout=600)
    boot = time.perf_counter() - started
    try:
        lab = LabClient(run_dir)
        status = lab.status()
        inventory = load_inventory(run_dir / "inventory")
        plan = load_plan(REPO / "monitors" / "poll-plan.yml")
        base, _ = build_targets(inventory, plan, sorted(inventory.devices), version)
        by_name = {t.name: t for t in base}
        # Copies (device~k) exist only in the twin: poll them like their original, at their address.
        targets = [
            renamed(by_name[name.split("~")[0]], name, address)
            for name, address in status["addresses"].items()
            if name.split("~")[0] in by_name
        ]
        agent_pid = int(status["pid"])

        async def cycles() -> list[dict[str, Any]]:
            poller = Poller(plan, targets)
            figures = []
            try:
                for label in ("first", "steady"):
                    agent_before, cpu_before = _cpu_of(agent_pid), time.process_time()
                    snapshot = await poller.cycle()
                    counts = {str(k): v for k, v in snapshot.counts().items()}
                    figures.append(
                        {
                            "cycle": label,
                            "seconds": round(snapshot.seconds, 2),
                            "varbinds": snapshot.varbinds,
                            "varbinds_per_s": round(snapshot.varbinds / snapshot.seconds),
                            "pdus": sum(d.health.pdus for d in snapshot.devices.values()),
                            "poller_cpu_s": round(time.process_time() - cpu_before, 2),
                            "agent_cpu_s": round(_cpu_of(agent_pid) - agent_before, 2),
                            "devices": counts,
                            "udp_rcvbuf_errors": poller.rcvbuf_errors,
                        }
                    )
            finally:
                poller.close()
            return figures

        result = asyncio.run(cycles())
    finally:
        subprocess.run(
            [EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=REPO, timeout=120, check=False
        )
    return {
        "snmp": f"v{version}" if version else "inventory (v3 authPriv)",
        "twin_devices": len(targets),
        "twin_start_s": round(boot, 1),
        "cycles": result,
        "poller_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# -- phase: Python walks against snmpbulkwalk -----------------------------------------------------
def _figures(varbinds: int, wall: float, client_cpu: float, agent_cpu: float) -> dict[str, Any]:
    return {
        "varbinds": varbinds,
        "seconds": round(wall, 2),
        "varbinds_per_s": round(varbinds / wall),
        "client_us_per_varbind": round(client_cpu / varbinds * 1e6, 1),
        "agent_us_per_varbind": round(agent_cpu / varbinds * 1e6, 1),
    }


def _snmpbulkwalks(count: int, port: int, auth: Any, agent: int) -> dict[str, Any]:
    """N concurrent ``snmpbulkwalk`` processes of MIB-2; figures from their rusage and snmpd's CPU."""
    command = [
        "snmpbulkwalk",
        *auth_args(auth),
        "-On",
        "-Oqt",
        "-m",
        "",
        f"-Cr{MAX_REPETITIONS}",
        "-t",
        "10",
        f"127.0.0.1:{port}",
        MIB2,
    ]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    agent_before, clock = _cpu_of(agent), time.perf_counter()
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for _ in range(count)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    wall = time.perf_counter() - clock
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    return _figures(sum(out.count(b"\n") for out in outputs), wall, cpu, _cpu_of(agent) - agent_before)


def walks(count: int, port: int) -> dict[str, Any]:
    """N concurrent MIB-2 walks by the monitor's walker (own codec, then pysnmp) and by snmpbulkwalk,
    against one snmpd, with v2c and with v3 authPriv (SHA/AES-128)."""
    from egovnet.monitor.snmp import Endpoint, SnmpAuth, SnmpClient, oid_of
    from egovnet.monitor.walk import collect

    with Snmpd(port) as snmpd:
        assert snmpd.process is not None
        agent = snmpd.process.pid

        async def ours(auth: SnmpAuth, native: bool) -> int:
            client = SnmpClient(native_v2c=native, native_v3=native)
            client.register([Endpoint(f"w{i}", "127.0.0.1", port, auth, 10.0, 1) for i in range(count)])
            try:
                results = await asyncio.gather(
                    *(collect(client, f"w{i}", [], [oid_of(MIB2)], MAX_REPETITIONS) for i in range(count))
                )
            finally:
                client.close()
            return sum(r.varbinds for r in results)

        runs: dict[str, dict[str, dict[str, Any]]] = {}
        for version, auth in (("v2c", V2C), ("v3 authPriv SHA/AES", V3)):
            clients: dict[str, dict[str, Any]] = {}
            for label, native in ((f"egovnet {version.split()[0]} codec", True), ("pysnmp", False)):
                asyncio.run(ours(auth, native))  # warm-up (imports, engine set-up, snmpd caches)
                agent_before, cpu_before, clock = _cpu_of(agent), time.process_time(), time.perf_counter()
                varbinds = asyncio.run(ours(auth, native))
                wall = time.perf_counter() - clock
                clients[label] = _figures(
                    varbinds, wall, time.process_time() - cpu_before, _cpu_of(agent) - agent_before
                )
            reference = _snmpbulkwalks(count, port, auth, agent)
            for item in clients.values():
                item["ratio_to_snmpbulkwalk"] = round(item["varbinds_per_s"] / reference["varbinds_per_s"], 3)
            runs[version] = {**clients, "snmpbulkwalk": reference}
    return {"concurrent_walks": count, "subtree": MIB2, "max_repetitions": MAX_REPETITIONS, "runs": runs}


# -- driver ----------------------------------------------------------------------------------------
def _child(*args: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if output.returncode != 0:
        raise RuntimeError(output.stdout + output.stderr)
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def _report(title: str, figures: dict[str, Any]) -> None:
    heading = f"{title}: {figures['twin_devices']} devices, SNMP {figures['snmp']}"
    print(f"\n== {heading} (twin up in {figures['twin_start_s']} s)")
    for cycle in figures["cycles"]:
        print(
            f"  {cycle['cycle']:6} cycle {cycle['seconds']:6.2f} s  {cycle['varbinds']:>8,} varbinds "
            f"{cycle['varbinds_per_s']:>7,} vb/s  {cycle['pdus']:>6,} PDUs  "
            f"poller CPU {cycle['poller_cpu_s']:5.2f} s  twin agent CPU {cycle['agent_cpu_s']:5.2f} s  "
            f"{cycle['devices']}  rcvbuf drops {cycle['udp_rcvbuf_errors']}"
        )
    print(f"  poller peak RSS {figures['poller_peak_rss_mb']} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000, help="size of the scale twin")
    parser.add_argument("--walks", type=int, default=50, help="concurrent walks against snmpd")
    parser.add_argument("--ssh-port", type=int, default=27522)
    parser.add_argument("--snmp-port", type=int, default=21661, help="the twin's UDP port")
    parser.add_argument("--snmpd-port", type=int, default=21699, help="snmpd's UDP port on 127.0.0.1")
    parser.add_argument("--skip-twin", action="store_true", help="only the pysnmp / snmpbulkwalk comparison")
    parser.add_argument(
        "--snmp-version",
        type=int,
        nargs="+",
        default=[0, 2],
        help="twin cycles with the inventory's SNMP (0: v3 authPriv via pysnmp) and/or v2c (2: own codec)",
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        kind, *rest = args.phase
        if kind == "twin":
            version = int(rest[3]) or None
            print(json.dumps(poll_twin(int(rest[0]) or None, int(rest[1]), int(rest[2]), version)))
        else:
            print(json.dumps(walks(int(rest[0]), int(rest[1]))))
        return
    print(f"egovnet monitor benchmark on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if not args.skip_twin:
        ports = (str(args.ssh_port), str(args.snmp_port))
        for version in args.snmp_version:
            _report("county twin", _child("twin", "0", *ports, str(version)))
            _report("scale twin", _child("twin", str(args.devices), *ports, str(version)))
    figures = _child("walks", str(args.walks), str(args.snmpd_port))
    walked = f"{figures['concurrent_walks']} concurrent walks of {figures['subtree']}"
    for version, clients in figures["runs"].items():
        repetitions = figures["max_repetitions"]
        print(f"\n== {walked} against net-snmp snmpd ({version}, max-repetitions {repetitions})")
        for tool, item in clients.items():
            ratio = item.get("ratio_to_snmpbulkwalk")
            print(
                f"  {tool:18} {item['varbinds']:>8,} varbinds in {item['seconds']:6.2f} s = "
                f"{item['varbinds_per_s']:>8,} vb/s; client {item['client_us_per_varbind']:5.1f} us/vb, "
                f"snmpd {item['agent_us_per_varbind']:5.1f} us/vb" + (f"; ratio {ratio}" if ratio else "")
            )
    print("  (goal: ratio >= 0.5 of snmpbulkwalk)")


if __name__ == "__main__":
    main()
