"""Helpers of the dashboard tests: ports, the in-process command runner, the capture, the records handle."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chromium_helper import Page
from typer.testing import CliRunner

from egovnet.cli import main as cli
from egovnet.inventory import Inventory, Link
from egovnet.probes import craft

SSH_PORT, SNMP_PORT = 28022, 22161
CUT_DEVICE = "alpha-v02-sw-01"  # a single-homed village: its only uplink goes down
PROBED_SITE = "alpha_v01"
T0 = 1_746_000_000.0


def egovnet(*args: str | int | Path, codes: tuple[int, ...] = (0,)) -> str:
    """Run one ``egovnet`` command in process; its stdout."""
    done = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert done.exit_code in codes, f"{args}: {done.output}{done.exception!r}"
    return done.stdout


@dataclass(frozen=True)
class Records:
    """Where the engines wrote their records, and what the test did to the twin.

    Attributes:
        state: the state directory every command wrote into.
        overlay: the small inventory pointed at the twin (what the commands were given).
        inventory: the loaded overlay.
        cut: the inventory link the twin was told to take down.
        out: the dashboard ``egovnet report`` wrote.
        ipv6_printed: what ``egovnet ipv6 status --json`` printed when it saved its record.
    """

    state: Path
    overlay: Path
    inventory: Inventory
    cut: Link
    out: Path
    ipv6_printed: dict[str, Any]


def capture(path: Path, inventory: Inventory) -> Path:
    """A village LAN capture: three rogue RAs and a telnet session to the village switch."""
    advert = craft.router_advert(
        "02:66:66:00:00:01",
        [ipaddress.IPv6Network("2001:db8:dead:beef::/64")],
        routes=[(ipaddress.IPv6Network("::/0"), 1)],
    )
    frames = [(T0 + i, advert) for i in range(3)]
    switch = str(inventory.devices["alpha-v01-sw-01"].mgmt_ipv4)
    telnet = craft.tcp_session(
        "02:00:00:00:00:09", "10.100.3.20", "02:00:00:00:00:01", switch, 23, b"admin\r\n"
    )
    frames += craft.spaced(telnet, T0 + 5, 0.002)
    return craft.write_pcap(path, frames)


# -- reading the page back --------------------------------------------------------------------------
NUMBERS = (
    "Array.from(document.querySelectorAll('[data-ptr]'))"
    ".map(function (e) {"
    " return [e.getAttribute('data-ptr'), e.getAttribute('data-digits'), e.textContent]; })"
)


def resolve(doc: Any, pointer: str) -> Any:
    """RFC 6901."""
    for step in pointer.lstrip("/").split("/"):
        key = step.replace("~1", "/").replace("~0", "~")
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    return doc


def assert_numbers_equal_document(page: Page, doc: dict[str, Any]) -> int:
    """Every tagged number shows its document value, rounded as the page says; returns how many."""
    shown = page.evaluate(NUMBERS)
    for pointer, digits, text in shown:
        value = resolve(doc, pointer)
        if value is None:
            assert text == "—", pointer
            continue
        assert isinstance(value, int | float) and not isinstance(value, bool), pointer
        assert abs(float(text) - value) <= 0.5 * 10 ** -int(digits) + 1e-9, (pointer, text, value)
    return len(shown)
