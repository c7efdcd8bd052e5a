"""SSH front-end of the digital twin: one asyncssh listener per simulated device.

Clients (netmiko, NAPALM, Ansible ``network_cli``) open an interactive shell with a pty and
type commands; NAPALM's ios driver also copies files by SCP on a second connection. The server
therefore does three things per device address:

* password authentication against the lab's credentials (or refuses everyone when the device
  has the ``auth_failure`` fault);
* an interactive shell with its own echo loop (asyncssh's ``line_editor`` echoes type-ahead in
  bursts, which desynchronises netmiko; see devsim.md §1.3): characters are echoed only when the
  CLI consumes them, ``\\r``, ``\\n`` and ``\\r\\n`` are one Enter, NUL is dropped (NAPALM's
  ``is_alive`` sends it), backspace edits, Ctrl-Z leaves configuration;
* SCP/SFTP onto a ``flash:`` directory backed by :attr:`LabDevice.files`.

Fault hooks (``LabDevice.faults``): ``device_down`` refuses new connections and drops open
sessions at their next command, ``slow_ms`` delays every reply, ``drop_after_commands`` closes the
connection, ``reject_commands``/``reject_commit`` are answered by the dialect. Only loopback
addresses (127.0.0.0/8, ::1) are ever bound.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import ipaddress
import logging
import posixpath
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from egovnet.lab.cli import CliSession, Question, Reply, dialect_for
from egovnet.lab.cli import files as flash
from egovnet.lab.model import LabDevice, LabNetwork

log = logging.getLogger(__name__)

_READ_SIZE = 4096


@functools.cache
def _process_key() -> asyncssh.SSHKey:
    """Generated once per process: clients that pin keys see the same key on every device."""
    return asyncssh.generate_private_key("ssh-ed25519")


def host_key(path: str | None = None) -> asyncssh.SSHKey:
    """The lab's host key: loaded from ``path`` (created there if missing), else one per process."""
    if path is None:
        return _process_key()
    key_file = Path(path)
    if key_file.exists():
        return asyncssh.read_private_key(str(key_file))
    key = asyncssh.generate_private_key("ssh-ed25519")
    key.write_private_key(str(key_file))
    return key


def _check_loopback(address: str) -> None:
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"{address}: the lab only listens on loopback addresses (127.0.0.0/8, ::1)")


@dataclass
class SshLab:
    """Running SSH listeners of one twin; :meth:`close` stops them and drops open sessions."""

    network: LabNetwork
    port: int
    acceptors: list[asyncssh.SSHAcceptor] = field(default_factory=list)
    connections: set[asyncssh.SSHServerConnection] = field(default_factory=set)
    addresses: dict[str, tuple[str, int]] = field(default_factory=dict)

    def close(self) -> None:
        for acceptor in self.acceptors:
            acceptor.close()
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()

    async def stop(self) -> None:
        """Close and wait, on the loop that serves the listeners (asyncssh objects are not thread-safe)."""
        self.close()
        await self.wait_closed()

    async def wait_closed(self) -> None:
        for acceptor in self.acceptors:
            await acceptor.wait_closed()


class _DeviceServer(asyncssh.SSHServer):
    """Per-connection authentication and fault checks for one device."""

    def __init__(self, lab: SshLab, device: LabDevice, username: str, password: str) -> None:
        self._lab = lab
        self._device = device
        self._username = username
        self._password = password
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        if self._device.faults.device_down:
            conn.abort()
            return
        self._lab.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._lab.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self._device.faults.auth_failure:
            return False
        return username == self._username and password == self._password


async def _shell(
    process: asyncssh.SSHServerProcess[bytes], network: LabNetwork, device: LabDevice, enable_secret: str
) -> None:
    """One interactive (or exec) session: echo-on-consume loop around a :class:`CliSession`."""
    dialect = dialect_for(device)
    assert dialect is not None
    username = process.get_extra_info("username") or "admin"
    session = CliSession(network, device, dialect, username, flags={"secret": enable_secret})
    conn = process.get_extra_info("connection")

    buffered: list[str] = []

    def send(text: str) -> None:
        buffered.append(text)

    def flush() -> None:
        """One channel write per burst: fewer packets, and none after the client hung up."""
        if buffered and not process.channel.is_closing():
            text = "".join(buffered)
            process.stdout.write(text.replace("\r\n", "\n").replace("\n", "\r\n").encode())
        buffered.clear()

    async def answer(line: str) -> bool:
        """Run one line; returns False when the session must end."""
        reply = session.handle(line)
        if device.faults.slow_ms > 0:
            flush()
            await asyncio.sleep(device.faults.slow_ms / 1000)
        if isinstance(reply, Question):
            send(reply.text)
            return True
        if reply.close:
            if reply.text:
                send(reply.text + "\n")
            return False
        send((reply.text + "\n" if reply.text else "") + session.prompt())
        return True

    try:
        if process.command:
            reply = session.handle(process.command)
            send(reply.text + "\n" if isinstance(reply, Reply) else reply.text)
            flush()
            return
        send(session.banner() + session.prompt())
        flush()
        line, after_cr = "", False
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while True:
            try:
                data = await process.stdin.read(_READ_SIZE)
            except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived):
                continue  # window resizes and breaks do not end a CLI session
            if not data:
                return
            for char in decoder.decode(data):
                if char == "\x00":  # NAPALM's is_alive() probe
                    continue
                if char == "\n" and after_cr:  # CRLF is one Enter
                    after_cr = False
                    continue
                after_cr = char == "\r"
                if char in "\r\n":
                    send("\n")
                    keep = await answer(line)
                    line = ""
                    if not keep:
                        flush()
                        if conn is not None:
                            # A fault drops the TCP connection; quit/exit ends it politely.
                            conn.abort() if session.dropped else conn.close()
                        return
                elif char in "\x08\x7f":
                    if line:
                        line = line[:-1]
                        send("\b \b")
                elif char == "\x1a":
                    reply = session.interrupt()
                    line = ""
                    send(
                        "^Z\n"
                        + (reply.text if reply.text else "")
                        + (session.prompt() if reply.prompt else "")
                    )
                elif char == "\x03":
                    line = ""
                    session.pending = None
                    send("^C\n" + session.prompt())
                elif char >= " " or char == "\t":
                    line += char
                    if session.echo:
                        send(char)
            flush()
            await process.stdout.drain()
    except (ConnectionError, asyncssh.DisconnectError, BrokenPipeError):
        return
    finally:
        session.close()
        if not process.is_closing():
            process.exit(0)


class FlashSFTPServer(asyncssh.SFTPServer):
    """SFTP (and therefore SCP) view of one device: a root holding a directory named ``flash:``.

    Everything is kept in :attr:`LabDevice.files`, so a file copied in by NAPALM is what
    ``dir flash:`` and ``copy flash:/x running-config`` see.
    """

    def __init__(self, chan: asyncssh.SSHServerChannel[bytes], device: LabDevice) -> None:
        super().__init__(chan)
        self._device = device

    # ------------------------------------------------------------------ path helpers
    @staticmethod
    def _key(path: bytes) -> tuple[str, str | None]:
        """("root"|"flash"|"file"|"other", name)."""
        text = posixpath.normpath("/" + path.decode(errors="replace")).lstrip("/")
        if text in ("", "."):
            return "root", None
        if text.rstrip("/").lower() == flash.FLASH:
            return "flash", None
        name = flash.flash_name(text)
        if name is None or "/" in name:
            return "other", None
        return "file", name

    def _attrs(self, kind: str, name: str | None) -> asyncssh.SFTPAttrs:
        if kind in ("root", "flash"):
            return asyncssh.SFTPAttrs(type=asyncssh.FILEXFER_TYPE_DIRECTORY, permissions=0o40755, size=0)
        assert name is not None
        data = self._device.files[name]
        mtime = int(flash.mtime(self._device, name))
        return asyncssh.SFTPAttrs(
            type=asyncssh.FILEXFER_TYPE_REGULAR,
            permissions=0o100644,
            size=len(data),
            atime=mtime,
            mtime=mtime,
        )

    def _lookup(self, path: bytes) -> asyncssh.SFTPAttrs:
        kind, name = self._key(path)
        if kind == "other" or (kind == "file" and name not in self._device.files):
            raise asyncssh.SFTPNoSuchFile(path.decode(errors="replace"))
        return self._attrs(kind, name)

    # ------------------------------------------------------------------ SFTPServer interface
    def realpath(self, path: bytes) -> bytes:
        return ("/" + posixpath.normpath("/" + path.decode(errors="replace")).lstrip("/")).encode()

    def stat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._lookup(path)

    def lstat(self, path: bytes) -> asyncssh.SFTPAttrs:
        return self._lookup(path)

    def setstat(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        self._lookup(path)

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
        kind, name = self._key(path)
        if kind != "file" or name is None:
            raise asyncssh.SFTPPermissionDenied("only files in flash: can be opened")
        writing = bool(pflags & (asyncssh.FXF_WRITE | asyncssh.FXF_CREAT))
        if not writing and name not in self._device.files:
            raise asyncssh.SFTPNoSuchFile(path.decode(errors="replace"))
        keep = name in self._device.files and not pflags & asyncssh.FXF_TRUNC
        return _OpenFile(
            name, writing, bytearray(self._device.files.get(name, b"") if keep or not writing else b"")
        )

    def read(self, file_obj: object, offset: int, size: int) -> bytes:
        assert isinstance(file_obj, _OpenFile)
        return bytes(file_obj.data[offset : offset + size])

    def write(self, file_obj: object, offset: int, data: bytes) -> int:
        assert isinstance(file_obj, _OpenFile)
        if len(file_obj.data) < offset:
            file_obj.data.extend(b"\0" * (offset - len(file_obj.data)))
        file_obj.data[offset : offset + len(data)] = data
        return len(data)

    def close(self, file_obj: object) -> None:
        assert isinstance(file_obj, _OpenFile)
        if file_obj.writing:
            flash.write_file(self._device, file_obj.name, bytes(file_obj.data))

    def fstat(self, file_obj: object) -> asyncssh.SFTPAttrs:
        assert isinstance(file_obj, _OpenFile)
        return asyncssh.SFTPAttrs(
            type=asyncssh.FILEXFER_TYPE_REGULAR, permissions=0o100644, size=len(file_obj.data)
        )

    def fsetstat(self, file_obj: object, attrs: asyncssh.SFTPAttrs) -> None:
        return None

    def remove(self, path: bytes) -> None:
        kind, name = self._key(path)
        if kind != "file" or name is None or not flash.delete_file(self._device, name):
            raise asyncssh.SFTPNoSuchFile(path.decode(errors="replace"))

    def rename(self, oldpath: bytes, newpath: bytes) -> None:
        kind, old = self._key(oldpath)
        new_kind, new = self._key(newpath)
        if (
            kind != "file"
            or new_kind != "file"
            or old is None
            or new is None
            or old not in self._device.files
        ):
            raise asyncssh.SFTPNoSuchFile(oldpath.decode(errors="replace"))
        data = self._device.files[old]
        flash.delete_file(self._device, old)
        flash.write_file(self._device, new, data)

    def mkdir(self, path: bytes, attrs: asyncssh.SFTPAttrs) -> None:
        raise asyncssh.SFTPPermissionDenied("directories cannot be created on flash:")

    async def scandir(self, path: bytes) -> AsyncIterator[asyncssh.SFTPName]:
        kind, _ = self._key(path)
        if kind == "root":
            yield asyncssh.SFTPName(flash.FLASH.encode(), attrs=self._attrs("flash", None))
        elif kind == "flash":
            for name in sorted(self._device.files):
                yield asyncssh.SFTPName(name.encode(), attrs=self._attrs("file", name))
        else:
            raise asyncssh.SFTPNoSuchFile(path.decode(errors="replace"))


@dataclass
class _OpenFile:
    name: str
    writing: bool
    data: bytearray


async def start_ssh(
    network: LabNetwork,
    username: str,
    password: str,
    port: int = 22,
    host_key_path: str | None = None,
    enable_secret: str | None = None,
) -> SshLab:
    """Listen on every CLI device's ``spec.address`` at ``port``; returns the running lab.

    ``enable_secret`` is what IOS ``enable`` asks for (default: the login password).
    """
    lab = SshLab(network, port)
    key = host_key(host_key_path)
    try:
        for device in network.devices.values():
            if dialect_for(device) is None:
                continue
            _check_loopback(device.spec.address)
            acceptor = await _listen(lab, device, username, password, port, key, enable_secret or password)
            lab.acceptors.append(acceptor)
            lab.addresses[device.name] = (device.spec.address, port)
    except BaseException:
        lab.close()
        raise
    return lab


async def _listen(
    lab: SshLab,
    device: LabDevice,
    username: str,
    password: str,
    port: int,
    key: asyncssh.SSHKey,
    enable_secret: str,
) -> asyncssh.SSHAcceptor:
    network = lab.network

    async def handle(process: asyncssh.SSHServerProcess[bytes]) -> None:
        await _shell(process, network, device, enable_secret)

    return await asyncssh.create_server(
        lambda: _DeviceServer(lab, device, username, password),
        host=device.spec.address,
        port=port,
        server_host_keys=[key],
        process_factory=handle,
        encoding=None,
        line_editor=False,
        allow_scp=True,
        sftp_factory=lambda chan: FlashSFTPServer(chan, device),
        reuse_address=True,
        keepalive_interval=0,
        login_timeout=30,
    )
