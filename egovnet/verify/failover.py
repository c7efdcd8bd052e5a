"""Redundancy verification: take a site's primary uplink down, prove the site still reaches the core.

The test a county runs before trusting a backup link: from the site's own device, ping the county
core's management address with the primary up (baseline), with the primary down (the backup must
carry it), and after the primary is restored. On the twin the link is cut by fault injection; on a
real network the far-end port is shut with ``shutdown`` / ``undo shutdown`` over the engine's
session, only when the caller passes ``commit`` (the CLI also asks for confirmation).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from egovnet.devices.dialects import has_cli
from egovnet.devices.session import DeviceSession
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory, Link
from egovnet.platforms import platform as lookup_platform


class FailoverError(RuntimeError):
    """The site cannot be tested (no primary uplink, no CLI device, ...)."""


@dataclass
class FailoverResult:
    """What each step of the drill observed."""

    site: str
    device: str
    primary: str
    backups: list[str]
    target: str
    baseline: bool = False
    during: bool = False
    restored: bool = False
    steps: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.baseline and self.during and self.restored

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass(frozen=True)
class Drill:
    """The pieces of one drill, resolved from the inventory."""

    device: str
    primary: Link
    backups: list[Link]
    target: str


def plan_drill(inventory: Inventory, site_id: str) -> Drill:
    """Find the site's CLI device, its primary uplink leaving the site, its backups and the ping target."""
    if site_id not in inventory.sites:
        raise FailoverError(f"site {site_id!r} does not exist")
    site = inventory.sites[site_id]
    members = set(site.devices)
    for name in site.devices:
        if not has_cli(inventory.devices[name].platform):
            continue
        outward = [
            link
            for link in inventory.links_of(name)
            if link.a_device == name and link.b_device not in members
        ]
        primary = [link for link in outward if link.role == "primary"]
        if primary:
            backups = [link for link in inventory.links if link.role == "backup" and link.a_device in members]
            core = min((d for d in inventory.devices.values() if d.role == "core"), key=lambda d: d.name)
            return Drill(name, primary[0], backups, str(core.mgmt_ipv4))
    raise FailoverError(f"site {site_id} has no CLI device with a primary uplink to test")


def run_drill(
    inventory: Inventory,
    drill: Drill,
    cut: Callable[[Link], None],
    restore: Callable[[Link], None],
    settle_s: float = 0.5,
    session_factory: Callable[..., DeviceSession] = DeviceSession,
) -> FailoverResult:
    """Baseline ping, cut the primary, ping over the backup, restore, ping again (always restores)."""
    device = inventory.devices[drill.device]
    result = FailoverResult(
        site=device.site,
        device=drill.device,
        primary=f"{drill.primary.a_interface} -> {drill.primary.b_device}",
        backups=[
            f"{b.a_device} {b.a_interface} -> {b.b_device or b.external} ({b.medium})" for b in drill.backups
        ],
        target=drill.target,
    )
    with session_factory(target_for(device)) as session:
        result.baseline = session.ping(drill.target)
        result.steps.append(f"baseline ping {drill.target}: {'ok' if result.baseline else 'FAILED'}")
        cut(drill.primary)
        result.steps.append(f"primary {result.primary} taken down")
        try:
            time.sleep(settle_s)
            result.during = session.ping(drill.target)
            result.steps.append(f"ping over the backup: {'ok' if result.during else 'FAILED'}")
        finally:
            restore(drill.primary)
            result.steps.append("primary restored")
        time.sleep(settle_s)
        result.restored = session.ping(drill.target)
        result.steps.append(f"ping after restore: {'ok' if result.restored else 'FAILED'}")
    return result


def twin_actions(run_dir: str) -> tuple[Callable[[Link], None], Callable[[Link], None]]:
    """Cut and restore a link on the twin through its control socket."""
    from egovnet.lab.control import LabClient

    lab = LabClient(run_dir)
    return (
        lambda link: lab.fault(link.a_device, "link-down", [link.a_interface]),
        lambda link: lab.heal(link.a_device),
    )


def device_actions(inventory: Inventory) -> tuple[Callable[[Link], None], Callable[[Link], None]]:
    """Cut and restore a link on a real network: shut the far-end port (the site keeps its management)."""

    def toggle(link: Link, shut: bool) -> None:
        if not link.b_device or not link.b_interface:
            raise FailoverError(f"{link.a_device} {link.a_interface}: the far end is outside the county")
        far = inventory.devices[link.b_device]
        negation = lookup_platform(far.platform).negation
        with DeviceSession(target_for(far)) as session:
            session.configure(
                [f"interface {link.b_interface}", "shutdown" if shut else f"{negation} shutdown"]
            )
            session.commit()

    return (lambda link: toggle(link, True), lambda link: toggle(link, False))
