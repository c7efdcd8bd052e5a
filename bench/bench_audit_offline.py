"""Benchmark the offline audit: 1,000 configurations from the templates, all four dialects, every rule.

    .venv/bin/python bench/bench_audit_offline.py [--configs 1000] [--inventory inventories/qimen]

Renders every CLI device of the county (VRP V5/V8, Comware 7, IOS) in four variants (intended;
dual stack; intended plus insecure lines: telnet on, an SNMP community, one syslog host; dual stack
plus an idle timeout of 0), writes each variant as a directory of ``<host>.cfg`` backups, and audits
the directories one after another exactly as ``egovnet audit --offline DIR`` does (read the files,
parse, evaluate every rule of every policy, including the topology and coverage rules of the
county). It prints configurations per second per core (CPU time of this single process) and the
share of that time spent parsing configurations. The goal is >= 200 configs/s/core.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from egovnet.audit import audit, load_policies, read_directory
from egovnet.inventory import load_inventory
from egovnet.platforms import PLATFORMS
from egovnet.render import Renderer

#: Render secrets when the environment has none (bench values; device hash formats).
BENCH_SECRETS = {
    "EGOVNET_SNMP_USER": "benchuser",
    "EGOVNET_SNMP_AUTH_KEY": "Bench-Auth-Key-1",
    "EGOVNET_SNMP_PRIV_KEY": "Bench-Priv-Key-1",
    "EGOVNET_NTP_KEY": "Bench-Ntp-Key-1",
    "EGOVNET_ADMIN_HASH_HUAWEI_VRP5": "$1c$bench$0123456789abcdefghijklmnopqrstuvwxyz$",
    "EGOVNET_ADMIN_HASH_HUAWEI_VRP8": "$1c$bench$0123456789abcdefghijklmnopqrstuvwxyz$",
    "EGOVNET_ADMIN_HASH_H3C_COMWARE7": "$h$6$bench$0123456789abcdefghijklmnopqrstuvwxyz==",
    "EGOVNET_ADMIN_HASH_CISCO_IOS": "$9$benchbenchbench$0123456789abcdefghijklmnopqrstuvwxyzABCDE",
}
GOAL = 200.0


def insecure(text: str, dialect: str) -> str:
    """The intended config with the lines an audit must catch (telnet, community, one loghost)."""
    if dialect == "ios":
        text = text.replace(" transport input ssh", " transport input telnet ssh", 1)
        text = re.sub(r"^logging host \S+\n", "", text, count=1, flags=re.M)
        return text.replace("\nend", "\nsnmp-server community bench RO\nend")
    indent = " " if dialect == "comware7" else ""
    text = re.sub(r"^ ?info-center loghost \d\S*\n", "", text, count=1, flags=re.M)
    lines = f"\n{indent}telnet server enable\n{indent}snmp-agent community read bench"
    return text.replace("\nreturn", lines + "\nreturn")


def never_idle(text: str) -> str:
    return re.sub(r"(idle-timeout|exec-timeout) \d+ \d+", r"\1 0 0", text)


def generate(inventory_path: str, root: Path, count: int) -> list[Path]:
    """Write up to ``count`` configurations as directories of backups; return the directories."""
    for name, value in BENCH_SECRETS.items():
        os.environ.setdefault(name, value)
    inventory = load_inventory(inventory_path)
    renderer = Renderer(inventory)
    names = sorted(n for n, d in inventory.devices.items() if PLATFORMS[d.platform].dialect)
    plain = {n: renderer.render(n) for n in names}
    dual = {n: renderer.render(n, {"egovnet_ipv6": True}) for n in names}
    dialect = {n: str(PLATFORMS[inventory.devices[n].platform].dialect) for n in names}
    variants = [
        plain,
        dual,
        {n: insecure(t, dialect[n]) for n, t in plain.items()},
        {n: never_idle(t) for n, t in dual.items()},
    ]
    directories: list[Path] = []
    written = 0
    while written < count:
        variant = variants[len(directories) % len(variants)]
        directory = root / f"batch-{len(directories):02d}"
        directory.mkdir()
        for name in names[: count - written]:
            (directory / f"{name}.cfg").write_text(variant[name], encoding="utf-8")
            written += 1
        directories.append(directory)
    return directories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", type=int, default=1000)
    parser.add_argument("--inventory", default="inventories/qimen")
    args = parser.parse_args()
    policies = load_policies()
    rules = sum(len(p.rules) for p in policies)
    with tempfile.TemporaryDirectory(prefix="egovnet-bench-audit-") as tmp:
        started = time.perf_counter()
        directories = generate(args.inventory, Path(tmp), args.configs)
        generated = time.perf_counter() - started
        inventory = load_inventory(args.inventory)
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        parse = configs = findings = fails = 0.0
        dialects: dict[str, int] = {}
        for directory in directories:
            snapshots = read_directory(directory, inventory)
            run = audit(policies, snapshots, inventory, mode="offline")
            parse += run.timings["parse_s"]
            configs += len(run.devices)
            findings += len(run.findings)
            fails += run.counts()["FAIL"]
            for snapshot in snapshots.values():
                dialects[str(snapshot.dialect)] = dialects.get(str(snapshot.dialect), 0) + 1
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
    rate = configs / cpu
    print(f"generated {int(configs)} configs from the templates in {generated:.1f} s: {dialects}")
    print(f"policies: {len(policies)}, rules: {rules}; findings: {int(findings)} ({int(fails)} FAIL)")
    print(f"offline audit: {wall:.2f} s wall, {cpu:.2f} s CPU in one process")
    print(f"throughput: {rate:.0f} configs/s per core (goal >= {GOAL:.0f})")
    print(f"parsing: {parse:.2f} s = {100 * parse / cpu:.0f} % of the CPU time")
    print("PASS" if rate >= GOAL else "BELOW GOAL")


if __name__ == "__main__":
    main()
