"""Real records for the dashboard tests, made by the real commands against a twin of the small inventory.

Once per test worker: the six devices of ``tests/inventory_data/small`` are served by ``egovnet lab up``
(SSH 28022 / SNMP 22161 plus the pytest-xdist worker number, on 127.x); then, each through its own
command and into one state directory, a live audit, a cut village uplink, two monitor cycles (the
link-down alert needs two), ``egovnet ipv6 status``, and ``egovnet probe passive`` over a capture
built with scapy (a rogue router advertisement and a telnet login on a village LAN). The dashboard is
then built by ``egovnet report`` and the twin stopped: every test reads these records, none changes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from child_processes import worker_offset
from report_rig import (
    CUT_DEVICE,
    PROBED_SITE,
    SNMP_PORT,
    SSH_PORT,
    Records,
    capture,
    egovnet,
)

from egovnet.inventory import load_inventory


def _build(run_dir: Path, base: Path) -> Records:
    """Every engine once against the running twin, then ``egovnet report`` over their records."""
    state, out, overlay = base / "state", base / "dashboard", run_dir / "inventory"
    inventory = load_inventory(overlay)
    cut = next(link for link in inventory.links if link.a_device == CUT_DEVICE)
    egovnet("audit", "-i", overlay, "--state-dir", state)
    egovnet("lab", "fault", "--run-dir", run_dir, CUT_DEVICE, "link-down", cut.a_interface)
    for _ in range(2):
        egovnet("monitor", "once", "-i", overlay, "--state-dir", state)
    printed = json.loads(egovnet("ipv6", "status", "--json", "-i", overlay, "--state-dir", state))
    pcap = capture(base / "lan.pcap", inventory)
    egovnet("probe", "passive", "--pcap", pcap, "--site", PROBED_SITE, "-i", overlay, "--state-dir", state)
    egovnet("report", "-i", overlay, "--state-dir", state, "--out", out)
    return Records(state, overlay, inventory, cut, out, printed)


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory, small_path: Path) -> Records:
    """The records and the dashboard; the twin is stopped before any test reads them."""
    base = tmp_path_factory.mktemp("report")
    run_dir, offset = base / "twin", worker_offset()
    ports = ("--ssh-port", SSH_PORT + offset, "--snmp-port", SNMP_PORT + offset)
    egovnet("lab", "up", "--detach", "-i", small_path, "--run-dir", run_dir, *ports)
    try:
        return _build(run_dir, base)
    finally:
        egovnet("lab", "down", "--run-dir", run_dir)
