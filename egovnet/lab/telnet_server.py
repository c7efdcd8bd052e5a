"""Telnet front-end of the digital twin: a listener on each device whose configuration enables telnet.

A real device answers on TCP 23 only while its configuration says so; the twin follows the running
configuration: ``telnet server enable`` (VRP, Comware) or a ``line vty`` with ``transport input``
``telnet``/``all`` (IOS) opens the device's listener, removing it closes the listener again. The
configuration is re-read every :data:`RECONCILE_S` seconds, so a change made over SSH opens or
closes the port within that time, and a port scan sees open or closed exactly as on the device.

A session is the real login dialogue (option negotiation, the dialect's banner, ``Username:`` /
``Password:``, three attempts) followed by the same :class:`~egovnet.lab.cli.CliSession` the SSH
front-end serves, line by line. Only loopback addresses are ever bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from egovnet.lab.cli import CliSession, Question, dialect_for
from egovnet.lab.model import LabDevice, LabNetwork

log = logging.getLogger(__name__)

RECONCILE_S = 0.5
LOGIN_ATTEMPTS = 3
READ_TIMEOUT_S = 300.0
IAC, WILL, WONT, DO, DONT, SB, SE = 255, 251, 252, 253, 254, 250, 240
ECHO, SUPPRESS_GO_AHEAD = 1, 3
#: The server echoes and suppresses go-ahead, as VRP and IOS do (character mode clients).
NEGOTIATION = bytes([IAC, WILL, ECHO, IAC, WILL, SUPPRESS_GO_AHEAD, IAC, DO, SUPPRESS_GO_AHEAD])
MAX_LINE = 4096


def telnet_enabled(device: LabDevice) -> bool:
    """Whether the device's running configuration enables its telnet server."""
    if dialect_for(device) is None:
        return False
    for node in device.running.children:
        if node.text == "telnet server enable":
            return True
        if node.text.startswith("line vty"):
            for child in node.children:
                words = child.text.split()
                if words[:2] == ["transport", "input"] and ("telnet" in words or "all" in words):
                    return True
    return False


def _strip_commands(data: bytes) -> bytes:
    """Client bytes without telnet commands (option negotiation, subnegotiation)."""
    out = bytearray()
    index = 0
    while index < len(data):
        byte = data[index]
        if byte != IAC:
            out.append(byte)
            index += 1
        elif index + 1 < len(data) and data[index + 1] == IAC:
            out.append(IAC)
            index += 2
        elif index + 1 < len(data) and data[index + 1] == SB:
            end = data.find(bytes([IAC, SE]), index)
            index = len(data) if end < 0 else end + 2
        elif index + 1 < len(data) and data[index + 1] in (WILL, WONT, DO, DONT):
            index += 3
        else:
            index += 2
    return bytes(out)


class _Lines:
    """Lines typed by a telnet client (CR LF, CR NUL or LF end a line; commands removed)."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader
        self.buffer = ""

    async def line(self) -> str | None:
        while True:
            for end in ("\r\n", "\r\x00", "\n", "\r"):
                position = self.buffer.find(end)
                if position >= 0:
                    line, self.buffer = self.buffer[:position], self.buffer[position + len(end) :]
                    return line
            if len(self.buffer) > MAX_LINE:
                return None
            data = await asyncio.wait_for(self.reader.read(1024), READ_TIMEOUT_S)
            if not data:
                return None
            self.buffer += _strip_commands(data).decode("utf-8", errors="replace")


@dataclass
class TelnetLab:
    """The twin's telnet listeners, kept in line with the devices' configurations."""

    network: LabNetwork
    username: str
    password: str
    port: int = 23
    servers: dict[str, asyncio.AbstractServer] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None

    async def reconcile(self) -> None:
        """Open listeners for devices that enable telnet, close those of devices that stopped."""
        for name, device in self.network.devices.items():
            wanted = telnet_enabled(device) and not device.faults.device_down
            if wanted and name not in self.servers:
                try:
                    self.servers[name] = await asyncio.start_server(
                        functools.partial(self._session, device),
                        host=_loopback(device.spec.address),
                        port=self.port,
                        reuse_address=True,
                    )
                except OSError as exc:
                    log.warning(
                        "%s: cannot listen for telnet on %s:%d: %s", name, device.spec.address, self.port, exc
                    )
            elif not wanted and name in self.servers:
                self.servers.pop(name).close()

    async def _watch(self) -> None:
        while True:
            await self.reconcile()
            await asyncio.sleep(RECONCILE_S)

    def close(self) -> None:
        """Stop watching and close every listener."""
        if self.task is not None:
            self.task.cancel()
        for server in self.servers.values():
            server.close()
        self.servers.clear()

    async def _session(
        self, device: LabDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        dialect = dialect_for(device)
        assert dialect is not None

        def send(text: str) -> None:
            writer.write(text.replace("\r\n", "\n").replace("\n", "\r\n").encode())

        lines = _Lines(reader)
        try:
            writer.write(NEGOTIATION)
            user = await self._login(device, lines, send, writer)
            if user is None:
                return
            session = CliSession(self.network, device, dialect, user, flags={"secret": self.password})
            send(session.banner() + session.prompt())
            while (line := await lines.line()) is not None:
                send((line if session.echo else "") + "\n")
                reply = session.handle(line)
                if isinstance(reply, Question):
                    send(reply.text)
                elif reply.close:
                    send((reply.text + "\n") if reply.text else "")
                    break
                else:
                    send((reply.text + "\n" if reply.text else "") + session.prompt())
                await writer.drain()
            session.close()
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await writer.drain()
            writer.close()

    async def _login(
        self, device: LabDevice, lines: _Lines, send: Callable[[str], None], writer: asyncio.StreamWriter
    ) -> str | None:
        send("\nLogin authentication\n\n")
        for _ in range(LOGIN_ATTEMPTS):
            send("\nUsername:")
            await writer.drain()
            user = await lines.line()
            send("\nPassword:")
            await writer.drain()
            password = await lines.line()
            if user is None or password is None:
                return None
            if not device.faults.auth_failure and user == self.username and password == self.password:
                send("\n")
                return user
            send("\nError: Failed to authenticate.\n")
        await writer.drain()
        return None


def _loopback(address: str) -> str:
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"{address}: the lab only listens on loopback addresses (127.0.0.0/8, ::1)")
    return address


async def start_telnet(network: LabNetwork, username: str, password: str, port: int = 23) -> TelnetLab:
    """Serve telnet for every device whose configuration enables it, following later changes."""
    lab = TelnetLab(network, username, password, port)
    await lab.reconcile()
    lab.task = asyncio.ensure_future(lab._watch())
    return lab
