"""Fault injection on a running twin: the kinds ``egovnet lab fault`` offers, applied to the model.

Faults are state on :class:`~egovnet.lab.model.LabDevice` (``faults``) and on the network (cut links);
the SSH and SNMP front-ends read them on every request, so a fault takes effect at once and is seen
through the real clients (timeouts, refused logins, error strings, missing SNMP replies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from egovnet.lab.model import LabNetwork


class FaultError(ValueError):
    """A fault request that cannot be applied; the message says why."""


@dataclass(frozen=True)
class FaultKind:
    """One kind of fault: its name, the arguments it takes, and what it does."""

    name: str
    args: str
    help: str
    apply: Callable[[LabNetwork, str, list[str]], None]


def _device(network: LabNetwork, name: str) -> None:
    if name not in network.devices:
        raise FaultError(f"{name}: no such device in the twin")


def _link_down(network: LabNetwork, name: str, args: list[str]) -> None:
    if len(args) != 1:
        raise FaultError("link-down needs the interface name")
    try:
        network.set_link_down(name, args[0], True)
    except KeyError as exc:
        raise FaultError(str(exc.args[0])) from None


def _device_down(network: LabNetwork, name: str, args: list[str]) -> None:
    network.devices[name].faults.device_down = True


def _slow(network: LabNetwork, name: str, args: list[str]) -> None:
    network.devices[name].faults.slow_ms = _number(args, "slow", "milliseconds")


def _drop_after(network: LabNetwork, name: str, args: list[str]) -> None:
    network.devices[name].faults.drop_after_commands = _number(args, "drop-session", "a command count")


def _reject_command(network: LabNetwork, name: str, args: list[str]) -> None:
    if not args:
        raise FaultError("reject-command needs a command pattern (a regular expression)")
    network.devices[name].faults.reject_commands.append(" ".join(args))


def _reject_commit(network: LabNetwork, name: str, args: list[str]) -> None:
    network.devices[name].faults.reject_commit = True


def _auth_failure(network: LabNetwork, name: str, args: list[str]) -> None:
    network.devices[name].faults.auth_failure = True


def _snmp_loss(network: LabNetwork, name: str, args: list[str]) -> None:
    try:
        ratio = float(args[0]) if args else 1.0
    except ValueError:
        raise FaultError("snmp-loss takes a ratio between 0 and 1") from None
    if not 0.0 <= ratio <= 1.0:
        raise FaultError("snmp-loss takes a ratio between 0 and 1")
    network.devices[name].faults.snmp_loss = ratio


def _ap_down(network: LabNetwork, name: str, args: list[str]) -> None:
    """An access point the controller manages goes offline (its entry in the WLC's AP table)."""
    if len(args) != 1:
        raise FaultError("ap-down needs the access point's name")
    managed = {str(entry["name"]) for entry in network.devices[name].spec.extra.get("aps", ())}
    if args[0] not in managed:
        raise FaultError(f"{name} manages no access point {args[0]!r}")
    network.devices[name].faults.aps_down.add(args[0])


def _number(args: list[str], kind: str, what: str) -> int:
    if len(args) != 1 or not args[0].isdigit():
        raise FaultError(f"{kind} needs {what}")
    return int(args[0])


KINDS: dict[str, FaultKind] = {
    kind.name: kind
    for kind in (
        FaultKind("link-down", "IFNAME", "cut the cable at this interface (both ends go down)", _link_down),
        FaultKind(
            "device-down", "", "power the device off: no SSH, no SNMP, its links go down", _device_down
        ),
        FaultKind("slow", "MS", "delay every CLI reply by MS milliseconds", _slow),
        FaultKind("drop-session", "N", "close SSH sessions after N commands", _drop_after),
        FaultKind(
            "reject-command", "REGEX", "answer matching commands with the dialect's error", _reject_command
        ),
        FaultKind("reject-commit", "", "fail commit / copy-to-running / configure replace", _reject_commit),
        FaultKind("auth-failure", "", "refuse every SSH login (and SNMPv3 requests)", _auth_failure),
        FaultKind(
            "snmp-loss", "[RATIO]", "silently drop this share of SNMP requests (default all)", _snmp_loss
        ),
        FaultKind("ap-down", "AP", "a wireless controller reports this access point offline", _ap_down),
    )
}


def inject(network: LabNetwork, device: str, kind: str, args: list[str]) -> None:
    """Apply fault ``kind`` to ``device``."""
    _device(network, device)
    if kind not in KINDS:
        raise FaultError(f"unknown fault kind {kind!r} (known: {', '.join(KINDS)})")
    KINDS[kind].apply(network, device, args)


def heal(network: LabNetwork, device: str | None = None) -> int:
    """Clear the faults of ``device`` (or every device) and restore its cut links; return the count."""
    if device is not None:
        _device(network, device)
    names = [device] if device else list(network.devices)
    for name in names:
        network.devices[name].faults.clear()
        for dev, ifname in sorted(network.link_down):
            if dev == name:
                network.set_link_down(dev, ifname, False)
    return len(names)


def active(network: LabNetwork) -> dict[str, list[str]]:
    """The faults in force, per device, as short strings (``lab status`` prints them)."""
    result: dict[str, list[str]] = {}
    for name, device in network.devices.items():
        f = device.faults
        items = []
        if f.device_down:
            items.append("device-down")
        if f.slow_ms:
            items.append(f"slow {f.slow_ms}")
        if f.drop_after_commands is not None:
            items.append(f"drop-session {f.drop_after_commands}")
        items += [f"reject-command {p}" for p in f.reject_commands]
        if f.reject_commit:
            items.append("reject-commit")
        if f.auth_failure:
            items.append("auth-failure")
        if f.snmp_loss:
            items.append(f"snmp-loss {f.snmp_loss}")
        items += [f"ap-down {ap}" for ap in sorted(f.aps_down)]
        items += [f"link-down {i}" for d, i in sorted(network.link_down) if d == name]
        if items:
            result[name] = items
    return result
