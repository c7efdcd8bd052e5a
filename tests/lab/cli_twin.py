"""Helpers for the twin's SSH CLI tests: a hand-built four-dialect network served on loopback.

Topology (a ring, one device per dialect, IPv4 on every link, IPv6 on HW5-ISR1)::

    HW5 (vrp5) GE0/0/1 ---- 10GE1/0/1 HW8 (vrp8) 10GE1/0/2 ---- GE1/0/1 H3C7 (comware7)
     GE0/0/2 |                                                       | GE1/0/2
             +---------------- Gi0/1 ISR1 (ios) Gi0/0 ------------------+

The asyncio SSH server runs in a background thread (netmiko and NAPALM are synchronous).
Each test module gets its own network on its own 127.x.y.0/24 block, so modules can run in
parallel under pytest-xdist without sharing device state.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork, LinkSpec, PortSpec
from egovnet.lab.ssh_server import SshLab

USERNAME = "admin"
PASSWORD = "Lab-Secret-1"
PORT = 22
T = TypeVar("T")

NETMIKO_TYPES = {"HW5": "huawei", "HW8": "huawei_vrpv8", "H3C7": "hp_comware", "ISR1": "cisco_ios"}
_blocks = itertools.count(1)


class LoopThread:
    """An asyncio loop in a daemon thread; ``run`` executes a coroutine there and waits."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="lab-ssh", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _mac(device: int, port: int) -> str:
    return f"00:e0:fc:{device:02x}:00:{port:02x}"


def topology(base: str) -> tuple[list[DeviceSpec], list[LinkSpec]]:
    """Specs and links of the test ring with SSH addresses ``<base>.1`` .. ``<base>.4``."""
    hw5 = DeviceSpec(
        "HW5",
        "huawei_vrp5",
        "core",
        "Huawei",
        "S5720-28X-SI-AC",
        "2102351931P0J8000123",
        "V200R011C10SPC500",
        f"{base}.1",
        "192.168.100.1/24",
        tuple(PortSpec(f"GigabitEthernet0/0/{n}", 1000, _mac(1, n)) for n in range(1, 5)),
        {
            "GigabitEthernet0/0/1": "10.99.0.1/30",
            "GigabitEthernet0/0/2": "10.99.0.13/30",
            "LoopBack0": "10.255.0.1/32",
        },
        location="Qimen county data centre",
        extra={"interface_ipv6": {"GigabitEthernet0/0/2": "2001:db8:0:4::1/64"}},
    )
    hw8 = DeviceSpec(
        "HW8",
        "huawei_vrp8",
        "core",
        "Huawei",
        "CE6881-48S6CQ",
        "2102352168P0K1000456",
        "V200R020C10SPC600",
        f"{base}.2",
        "192.168.100.2/24",
        tuple(PortSpec(f"10GE1/0/{n}", 10000, _mac(2, n)) for n in range(1, 5)),
        {"10GE1/0/1": "10.99.0.2/30", "10GE1/0/2": "10.99.0.5/30"},
    )
    h3c = DeviceSpec(
        "H3C7",
        "h3c_comware7",
        "township_router",
        "H3C",
        "S5130S-28S-EI",
        "210235A2CSH19C000789",
        "7.1.070, Release 3208P03",
        f"{base}.3",
        "192.168.100.3/24",
        tuple(PortSpec(f"GigabitEthernet1/0/{n}", 1000, _mac(3, n)) for n in range(1, 5)),
        {"GigabitEthernet1/0/1": "10.99.0.6/30", "GigabitEthernet1/0/2": "10.99.0.9/30"},
    )
    r1 = DeviceSpec(
        "ISR1",
        "cisco_ios",
        "township_router",
        "Cisco",
        "CISCO2911/K9",
        "FGL1234ABCD",
        "15.7(3)M5",
        f"{base}.4",
        "10.255.0.4/32",
        tuple(PortSpec(f"GigabitEthernet0/{n}", 1000, _mac(4, n)) for n in range(3)),
        {"GigabitEthernet0/0": "10.99.0.10/30", "GigabitEthernet0/1": "10.99.0.14/30"},
        extra={"interface_ipv6": {"GigabitEthernet0/1": "2001:db8:0:4::2/64"}},
    )
    links = [
        LinkSpec("HW5", "GigabitEthernet0/0/1", "HW8", "10GE1/0/1", 1000, "fiber", "uplink"),
        LinkSpec("HW8", "10GE1/0/2", "H3C7", "GigabitEthernet1/0/1", 1000, "fiber", "uplink"),
        LinkSpec("H3C7", "GigabitEthernet1/0/2", "ISR1", "GigabitEthernet0/0", 1000, "copper", "uplink"),
        LinkSpec("ISR1", "GigabitEthernet0/1", "HW5", "GigabitEthernet0/0/2", 1000, "copper", "backup"),
    ]
    return [hw5, hw8, h3c, r1], links


def _bindable(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def free_block(port: int = PORT) -> str:
    """A 127.x.y address block that no other module, xdist worker or test process is using.

    The second octet separates xdist workers; the third starts at a per-process offset and skips
    blocks whose addresses are already bound (another pytest run on the same machine).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or "0"
    second = 66 + int(worker) % 100
    for _ in range(250):
        third = (os.getpid() + next(_blocks)) % 250 + 1
        base = f"127.{second}.{third}"
        if all(_bindable(f"{base}.{host}", port) for host in range(1, 5)):
            return base
    raise RuntimeError("no free 127.x.y.0/24 block for the SSH lab")


@dataclass
class Lab:
    """A running twin: the model, the SSH listeners and helpers to reach them."""

    network: LabNetwork
    ssh: SshLab
    loop: LoopThread

    def device(self, name: str) -> LabDevice:
        return self.network.devices[name]

    def host(self, name: str) -> str:
        return self.network.devices[name].spec.address

    def netmiko(self, name: str, **kwargs: Any) -> Any:
        """A connected netmiko session (Comware with cmd_verify on, IOS in enable mode)."""
        from netmiko import ConnectHandler

        options: dict[str, Any] = {
            "device_type": NETMIKO_TYPES[name],
            "host": self.host(name),
            "username": USERNAME,
            "password": PASSWORD,
            "port": PORT,
            "conn_timeout": 10,
        }
        if name == "H3C7":
            options["global_cmd_verify"] = True
        if name == "ISR1":
            options["secret"] = PASSWORD
        options.update(kwargs)
        conn = ConnectHandler(**options)
        if name == "ISR1":
            conn.enable()
        return conn
