"""The demo's capture: a village LAN's ordinary traffic with an attack in it, written as a pcap.

The scenarios are :mod:`egovnet.probes.scenarios`, the ones the probe tests prove are found (or, for
the benign ones, raise nothing). The frames are moved to the last minutes before ``now`` so the
findings, the situation score and the dashboard read as a fresh run. Nothing is sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from egovnet.inventory import Inventory
from egovnet.probes import scenarios
from egovnet.probes.gateways import load_gateways

#: The attacks the demo replays: (scenario, rule it raises).
ATTACKS = ("rogue RA", "ARP spoofing with replies", "port scan", "SNMP public")


@dataclass(frozen=True)
class DemoCapture:
    """The pcap written and what it holds."""

    path: Path
    site: str
    frames: int
    attacks: tuple[str, ...]
    expected_rules: tuple[str, ...]


def village_of(inventory: Inventory, township: str) -> str:
    """The first village site (by id) of ``township`` that has a gateway entry."""
    table = load_gateways()
    villages = sorted(
        site.id
        for site in inventory.sites.values()
        if site.level == "village" and site.township == township and site.id in table.sites
    )
    if not villages:
        raise ValueError(f"township {township!r} has no village with a LAN gateway in the gateway table")
    return villages[0]


def write_capture(inventory: Inventory, township: str, path: Path, now: float | None = None) -> DemoCapture:
    """Write benign traffic of one village of ``township`` plus :data:`ATTACKS` to ``path``."""
    site = village_of(inventory, township)
    lan = scenarios.Lan(inventory, load_gateways(), site)
    frames: list[scenarios.Timed] = []
    for build in scenarios.BENIGN.values():
        frames += build(lan)
    rules = []
    for name in ATTACKS:
        build, rule, _entity = scenarios.ATTACKS[name]
        frames += build(lan)
        rules.append(rule)
    shift = (now if now is not None else time.time()) - 120.0 - scenarios.T0
    scenarios.capture(path, [(at + shift, frame) for at, frame in frames])
    return DemoCapture(path, site, len(frames), ATTACKS, tuple(rules))
