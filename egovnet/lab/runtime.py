"""Running the twin: build the network from the inventory, serve SSH and SNMP, answer the control socket.

One asyncio process serves the whole county (about 250 SSH devices and 550 SNMP agents); the SSH
server (``egovnet.lab.ssh_server``) and the SNMP agent (``egovnet.lab.snmp``) are started on the same
:class:`~egovnet.lab.model.LabNetwork`, so a change made through one is visible through the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from egovnet.inventory import Inventory, load_inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab import faults
from egovnet.lab.backups import Backups, boot_from_backups, read_backups, served_dialects
from egovnet.lab.cli.registry import dialect_for, get_dialect
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.control import SOCKET_NAME
from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork
from egovnet.lab.overlay import LabCredentials, write_overlay
from egovnet.lab.specs import build_specs, replicate

log = logging.getLogger(__name__)

STATE_FILE = "lab.json"


@dataclass
class LabOptions:
    """How to start a twin.

    Attributes:
        inventory: the county inventory directory (never the overlay).
        run_dir: where the overlay, the host key, the state file and the control socket live.
        limit: an Ansible-style pattern (``tw_qishan``, ``qm-core-*``, ``a:b:!c``) selecting devices.
        ssh_port / snmp_port: listening ports (22/161 need root; pick high ports otherwise).
        telnet_port: where devices whose configuration enables telnet listen (23 needs root).
        devices: grow the twin to this many devices with copies of the county (scale tests).
        backups: a backup repository (``egovnet backup``): devices with a ``<host>.cfg`` there boot
            with it as running and saved configuration (see :mod:`egovnet.lab.backups`).
        backup_revision: the git revision of ``backups`` to read (default: the files as they are).
    """

    inventory: Path
    run_dir: Path
    limit: str | None = None
    ssh_port: int = 22
    snmp_port: int = 161
    devices: int | None = None
    telnet_port: int = 23
    credentials: LabCredentials = field(default_factory=LabCredentials)
    backups: Path | None = None
    backup_revision: str | None = None


def base_config(spec: DeviceSpec) -> ConfigNode:
    """The device's starting configuration from its dialect (SNMP-only kinds start empty)."""
    if spec.dialect is None:
        return ConfigNode()
    return get_dialect(spec.dialect).base_config(spec)


def render_config(device: LabDevice, which: str = "running") -> str:
    """A configuration as the device prints it (``display current-configuration`` and friends)."""
    tree = {"running": device.running, "saved": device.saved}[which]
    dialect = dialect_for(device)
    if dialect is None:
        return "\n".join(tree.lines())
    return dialect.render_config(device, tree)


def build_network(inventory: Inventory, limit: str | None = None, devices: int | None = None) -> LabNetwork:
    """The twin's network for the selected devices of ``inventory`` (grown to ``devices`` on request)."""
    specs, links = build_specs(inventory, select_hosts(inventory, limit))
    if devices:
        specs, links = replicate(specs, links, devices)
    return LabNetwork((LabDevice(spec, base_config(spec)) for spec in specs), links)


class LabRuntime:
    """A started twin: the network, its servers and the control socket."""

    def __init__(self, options: LabOptions) -> None:
        self.options = options
        self.inventory = load_inventory(options.inventory)
        self.backups: Backups | None = None
        if options.backups is not None:  # read and checked before the network is built: fail fast
            dialects = served_dialects(self.inventory, options.limit)
            self.backups = read_backups(options.backups, options.backup_revision, dialects)
        self.network = build_network(self.inventory, options.limit, options.devices)
        if self.backups is not None:
            boot_from_backups(self.network, self.backups)
        self.servers: list[Any] = []
        self.control: asyncio.AbstractServer | None = None
        self.stopped = asyncio.Event()
        self.started = time.time()

    async def start(self) -> None:
        """Serve SSH and SNMP, write the overlay and the state file, open the control socket."""
        from egovnet.lab.snmp import start_snmp
        from egovnet.lab.snmp.credentials import SnmpCredentials
        from egovnet.lab.ssh_server import start_ssh
        from egovnet.lab.telnet_server import start_telnet

        opts = self.options
        opts.run_dir.mkdir(parents=True, exist_ok=True)
        creds = opts.credentials
        snmp = SnmpCredentials(
            community=creds.snmp_community,
            user=creds.snmp_user,
            auth_key=creds.snmp_auth_key,
            priv_key=creds.snmp_priv_key,
        )
        self.servers.append(
            await start_ssh(
                self.network,
                creds.username,
                creds.password,
                port=opts.ssh_port,
                host_key_path=str(opts.run_dir / "ssh_host_key"),
                enable_secret=creds.enable_secret,
            )
        )
        self.servers.append(await start_snmp(self.network, snmp, port=opts.snmp_port))
        self.servers.append(
            await start_telnet(self.network, creds.username, creds.password, opts.telnet_port)
        )
        specs = [d.spec for d in self.network.devices.values() if d.name in self.inventory.devices]
        unserved = {
            name: str(device.mgmt_ipv4)
            for name, device in self.inventory.devices.items()
            if name not in self.network.devices
        }
        write_overlay(
            opts.inventory,
            opts.run_dir,
            specs,
            creds,
            opts.ssh_port,
            opts.snmp_port,
            opts.telnet_port,
            unserved,
        )
        sock = opts.run_dir / SOCKET_NAME
        with contextlib.suppress(FileNotFoundError):
            sock.unlink()
        self.control = await asyncio.start_unix_server(self._serve_control, path=str(sock))
        state = {
            "pid": os.getpid(),
            "started": self.started,
            "inventory": str(opts.inventory),
            "overlay": str(opts.run_dir / "inventory"),
            "ssh_port": opts.ssh_port,
            "snmp_port": opts.snmp_port,
            "telnet_port": opts.telnet_port,
            "devices": len(self.network.devices),
        }
        (opts.run_dir / STATE_FILE).write_text(json.dumps(state, indent=2), encoding="utf-8")

    async def stop(self) -> None:
        """Close every listener and remove the control socket and state file."""
        if self.control is not None:
            self.control.close()
        for server in self.servers:
            result = server.close()
            if asyncio.iscoroutine(result):
                await result
        for name in (SOCKET_NAME, STATE_FILE):
            with contextlib.suppress(FileNotFoundError):
                (self.options.run_dir / name).unlink()
        self.stopped.set()

    def status(self) -> dict[str, Any]:
        """What ``egovnet lab status`` prints."""
        by_platform: dict[str, int] = {}
        for device in self.network.devices.values():
            by_platform[device.spec.platform] = by_platform.get(device.spec.platform, 0) + 1
        return {
            "pid": os.getpid(),
            "uptime_s": round(time.time() - self.started, 1),
            "devices": len(self.network.devices),
            "by_platform": dict(sorted(by_platform.items())),
            "ssh_port": self.options.ssh_port,
            "snmp_port": self.options.snmp_port,
            "telnet_port": self.options.telnet_port,
            "overlay": str(self.options.run_dir / "inventory"),
            "credentials": {k: v for k, v in asdict(self.options.credentials).items() if k == "username"},
            "faults": faults.active(self.network),
            "backups": self.backups.summary() if self.backups is not None else None,
            "addresses": {name: d.spec.address for name, d in sorted(self.network.devices.items())},
        }

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Execute one control request (also used in-process by tests)."""
        op = request.get("op")
        if op == "status":
            return {"ok": True, **self.status()}
        if op == "fault":
            faults.inject(
                self.network,
                str(request.get("device")),
                str(request.get("kind")),
                [str(a) for a in request.get("args", [])],
            )
            return {"ok": True}
        if op == "heal":
            device = request.get("device")
            return {"ok": True, "healed": faults.heal(self.network, str(device) if device else None)}
        if op == "config":
            name = str(request.get("device"))
            if name not in self.network.devices:
                raise faults.FaultError(f"{name}: no such device in the twin")
            return {"ok": True, "text": render_config(self.network.devices[name], str(request.get("which")))}
        if op == "stop":
            asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(self.stop()))
            return {"ok": True}
        return {"ok": False, "error": f"unknown request {op!r}"}

    async def _serve_control(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            try:
                reply = self.handle(json.loads(line))
            except (faults.FaultError, KeyError, ValueError) as exc:
                reply = {"ok": False, "error": str(exc)}
            writer.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
            await writer.drain()
        finally:
            writer.close()


async def serve(options: LabOptions, ready: Any = None) -> None:
    """Run a twin until SIGINT/SIGTERM or a ``stop`` request."""
    runtime = LabRuntime(options)
    await runtime.start()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(runtime.stop()))
    if ready is not None:
        ready(runtime)
    await runtime.stopped.wait()
