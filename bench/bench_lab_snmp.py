"""Benchmark the twin's SNMP agent against net-snmp's snmpd (not a test; run it by hand).

    .venv/bin/python bench/bench_lab_snmp.py [--devices 1000] [--walks 20]

Starts N simulated 28-port switches in this process (variant B), reports start-up time and resident
memory, then measures how many varbinds per second ``snmpbulkwalk`` gets out of the agent walking
IF-MIB (ifTable + ifXTable), and the same against a net-snmp ``snmpd`` on 127.0.0.1 with a temporary
configuration, started by the tests' helper (``tests/monitor/netsnmp.py``, as bench_monitor.py does).
Both agents share the machine with the walking client, as in the research note's measurements.
Everything binds to 127.0.0.0/8 and stops on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork, LinkSpec, PortSpec
from egovnet.lab.snmp import SnmpCredentials, start_snmp

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "monitor")]  # the snmpd the tests start

from netsnmp import COMMUNITY, Snmpd  # noqa: E402

#: The snmpd helper's community for the twin too: both agents are walked with the same command.
CREDENTIALS = SnmpCredentials(COMMUNITY, "bench", "authpass123", "privpass123")
IF_MIB_ROOTS = ("1.3.6.1.2.1.2", "1.3.6.1.2.1.31.1.1")
PORTS_PER_DEVICE = 28
WALK_TIMEOUT_S = 120
MAX_SNMPD_WALKS = 1000


def address(index: int) -> str:
    """127.88.x.y for device ``index`` (250 devices per /24)."""
    return f"127.88.{index // 250}.{index % 250 + 1}"


def build_network(count: int) -> LabNetwork:
    """``count`` access switches in a chain (port 25 of one to port 26 of the next), 24 access ports."""
    devices = []
    for index in range(count):
        name = f"sw-{index:05d}"
        ports = tuple(
            PortSpec(
                f"GigabitEthernet0/0/{p}",
                1000 if p <= 24 else 10000,
                f"00:e0:fc:{index >> 8 & 0xFF:02x}:{index & 0xFF:02x}:{p:02x}",
            )
            for p in range(1, PORTS_PER_DEVICE + 1)
        )
        config = ConfigNode(
            "",
            [ConfigNode(f"sysname {name}")]
            + [
                ConfigNode(f"interface GigabitEthernet0/0/{p}", [ConfigNode(f"description access port {p}")])
                for p in range(1, 25)
            ],
        )
        spec = DeviceSpec(
            name=name,
            platform="huawei_vrp5",
            role="access",
            vendor="Huawei",
            model="S5735-L24T4X-A1",
            serial=f"BENCH{index:05d}",
            os_version="V200R019C10SPC500",
            address=address(index),
            mgmt_ipv4="10.98.0.1",
            ports=ports,
        )
        devices.append(LabDevice(spec, config))
    links = [
        LinkSpec(
            f"sw-{i:05d}",
            "GigabitEthernet0/0/25",
            f"sw-{i + 1:05d}",
            "GigabitEthernet0/0/26",
            10000,
            "fibre",
            "primary",
        )
        for i in range(count - 1)
    ]
    return LabNetwork(devices, links)


def rss_mib() -> float:
    """Resident set size of this process in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class WalkResult:
    """Totals of a series of walks."""

    walks: int
    varbinds: int
    seconds: float
    agent_cpu: float

    @property
    def rate(self) -> float:
        """Varbinds per second of wall-clock time, client start-up included."""
        return self.varbinds / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_varbind_us(self) -> float:
        """Agent CPU time per varbind served, in microseconds."""
        return self.agent_cpu / self.varbinds * 1e6 if self.varbinds else float("nan")


async def bulk_walks(targets: list[str], port: int, max_repetitions: int, agent_pid: int) -> WalkResult:
    """One ``snmpbulkwalk`` per target and IF-MIB subtree, one after the other."""
    varbinds, cpu_before, started = 0, cpu_seconds(agent_pid), time.perf_counter()
    for target in targets:
        for root in IF_MIB_ROOTS:
            process = await asyncio.create_subprocess_exec(
                "snmpbulkwalk",
                "-v2c",
                "-c",
                COMMUNITY,
                "-On",
                "-m",
                "",
                f"-Cr{max_repetitions}",
                "-t",
                "5",
                "-r",
                "1",
                f"{target}:{port}",
                root,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(process.communicate(), WALK_TIMEOUT_S)
            if process.returncode != 0:
                raise RuntimeError(f"snmpbulkwalk {target}:{port} {root} failed: {err.decode().strip()}")
            varbinds += sum(1 for line in out.decode().splitlines() if line.startswith("."))
    return WalkResult(
        len(targets) * len(IF_MIB_ROOTS),
        varbinds,
        time.perf_counter() - started,
        cpu_seconds(agent_pid) - cpu_before,
    )


async def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    network = build_network(args.devices)
    built = time.perf_counter() - started
    rss_before = rss_mib()
    started = time.perf_counter()
    lab = await start_snmp(network, CREDENTIALS, args.port)
    startup = time.perf_counter() - started
    rss_after = rss_mib()
    step = max(1, args.devices // args.walks)
    targets = [address(i) for i in range(0, args.devices, step)][: args.walks]
    try:
        await bulk_walks(targets[:1], args.port, args.max_repetitions, os.getpid())  # warm-up
        ours = await bulk_walks(targets, args.port, args.max_repetitions, os.getpid())
    finally:
        lab.close()
    with Snmpd(args.snmpd_port) as snmpd:
        assert snmpd.process is not None
        # snmpd's IF-MIB holds only this host's few interfaces: walk it until it has served as many
        # varbinds as the twin did, so that its CPU time is measurable at clock-tick resolution.
        probe = await bulk_walks(["127.0.0.1"], args.snmpd_port, args.max_repetitions, snmpd.process.pid)
        repeat = min(MAX_SNMPD_WALKS, max(args.walks, -(-ours.varbinds // max(1, probe.varbinds))))
        theirs = await bulk_walks(
            ["127.0.0.1"] * repeat, args.snmpd_port, args.max_repetitions, snmpd.process.pid
        )

    report(args, built, startup, (rss_before, rss_after), ours, theirs)


def report(
    args: argparse.Namespace,
    built: float,
    startup: float,
    rss: tuple[float, float],
    ours: WalkResult,
    theirs: WalkResult,
) -> None:
    """Print the figures; the CPU ratio is the fair one (snmpd's IF-MIB here has only the host's few
    interfaces, so its walks are short and the client's start-up weighs more in its wall-clock rate)."""
    print(f"devices                 {args.devices} x {PORTS_PER_DEVICE} ports, one process, variant B")
    print(f"network model built     {built:.2f} s")
    print(f"start_snmp              {startup:.2f} s")
    print(
        f"RSS before/after start  {rss[0]:.0f} MiB / {rss[1]:.0f} MiB "
        f"(+{rss[1] - rss[0]:.0f} MiB for the agent)"
    )
    print(
        f"walks                   snmpbulkwalk -v2c -Cr{args.max_repetitions} of ifTable and ifXTable, "
        "one at a time"
    )
    for label, result in (("twin agent", ours), ("net-snmp snmpd", theirs)):
        print(
            f"{label:<15} {result.walks:4d} walks {result.varbinds:7d} varbinds {result.seconds:6.2f} s "
            f"= {result.rate:7.0f} varbinds/s, agent CPU {result.cpu_per_varbind_us:6.1f} us/varbind"
        )
    cpu_ratio = ours.cpu_per_varbind_us / theirs.cpu_per_varbind_us if theirs.agent_cpu else float("nan")
    print(
        f"ratio agent/snmpd       varbinds/s {ours.rate / theirs.rate:.3f}; "
        f"agent CPU per varbind {cpu_ratio:.1f}x snmpd's"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--walks", type=int, default=20, help="devices walked (each: ifTable and ifXTable)")
    parser.add_argument("--max-repetitions", type=int, default=25)
    parser.add_argument("--port", type=int, default=16200, help="UDP port of the twin's devices")
    parser.add_argument("--snmpd-port", type=int, default=16299, help="UDP port of snmpd on 127.0.0.1")
    args = parser.parse_args()
    if not 1 <= args.devices <= 60_000:
        sys.exit("--devices must be between 1 and 60000 (127.88.0.0/16)")
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < args.devices + 256:
        sys.exit(f"the open-files hard limit ({hard}) is too low for {args.devices} sockets")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
