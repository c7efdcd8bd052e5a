"""The SSH layer itself: echo-on-consume, line endings, SFTP/SCP onto flash:, exec, loopback only."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Iterator
from typing import Any

import paramiko
import pytest
from cli_twin import PASSWORD, PORT, USERNAME, Lab, LoopThread, topology

from egovnet.lab.cli import build_network
from egovnet.lab.ssh_server import start_ssh


@pytest.fixture
def client(cli_lab: Lab) -> Iterator[paramiko.SSHClient]:
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(cli_lab.host("HW5"), PORT, USERNAME, PASSWORD, look_for_keys=False, allow_agent=False)
    yield ssh
    ssh.close()


def _read_until(channel: Any, marker: str, timeout: float = 5.0) -> str:
    data = ""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        if channel.recv_ready():
            data += channel.recv(65535).decode()
        else:
            time.sleep(0.01)
    assert marker in data, f"{marker!r} not received; got {data!r}"
    return data


def test_type_ahead_is_echoed_only_when_consumed(client: paramiko.SSHClient) -> None:
    shell = client.invoke_shell(term="vt100", width=511, height=1000)
    _read_until(shell, "<HW5>")
    # two commands in one write, CRLF and bare LF endings, a NUL (napalm's is_alive) and backspaces
    shell.send(b"dis\x7f\x7f\x7fdisplay esn\r\n\x00display clock\n")
    data = _read_until(shell, "Time Zone(UTC)")
    data += _read_until(shell, "<HW5>", timeout=2) if not data.rstrip().endswith("<HW5>") else ""
    first_prompt = data.index("<HW5>")
    assert "dis\b \b\b \b\b \bdisplay esn\r\n" in data
    assert "ESN of slot 0: 2102351931P0J8000123\r\n<HW5>display clock\r\n" in data
    assert data.index("display clock") > first_prompt  # echoed after the first reply, not before
    assert "\x00" not in data and "\r\r\n" not in data
    shell.send(b"system-view\ninterface GigabitEthernet0/0/3\n\x1a")
    assert _read_until(shell, "^Z\r\n<HW5>")
    shell.close()


def test_utf8_split_across_packets(cli_lab: Lab, client: paramiko.SSHClient) -> None:
    shell = client.invoke_shell(term="vt100", width=511, height=1000)
    _read_until(shell, "<HW5>")
    typed = "system-view\ninterface GigabitEthernet0/0/4\ndescription 祁门县政务外网\nreturn\n".encode()
    cut = typed.index("门".encode()) + 1  # in the middle of a three-byte character
    shell.send(typed[:cut])
    time.sleep(0.2)
    shell.send(typed[cut:])
    assert "description 祁门县政务外网\r\n" in _read_until(shell, "return\r\n<HW5>")
    state = {st.name: st for st in cli_lab.network.interface_states(cli_lab.device("HW5"))}
    assert state["GigabitEthernet0/0/4"].description == "祁门县政务外网"
    shell.close()


def test_sftp_and_exec_share_flash(cli_lab: Lab, client: paramiko.SSHClient) -> None:
    content = b"#\nsysname via-sftp\nreturn\n"
    sftp = client.open_sftp()
    try:
        assert sftp.listdir("/") == ["flash:"]
        sftp.putfo(io.BytesIO(content), "flash:/via-sftp.cfg")
        assert cli_lab.device("HW5").files["via-sftp.cfg"] == content
        assert "via-sftp.cfg" in sftp.listdir("flash:")
        assert sftp.stat("flash:/via-sftp.cfg").st_size == len(content)
        target = io.BytesIO()
        sftp.getfo("/flash:/via-sftp.cfg", target)
        assert target.getvalue() == content
    finally:
        sftp.close()
    _stdin, stdout, _stderr = client.exec_command("dir via-sftp.cfg")
    listing = stdout.read().decode()
    assert "via-sftp.cfg" in listing and "Directory of flash:/" in listing
    _stdin, stdout, _stderr = client.exec_command("delete /unreserved /quiet via-sftp.cfg")
    assert "succeeded" in stdout.read().decode()
    assert "via-sftp.cfg" not in cli_lab.device("HW5").files


def test_only_loopback_addresses_are_bound(ssh_loop: LoopThread) -> None:
    specs, links = topology("127.66.252")
    specs[0] = dataclasses.replace(specs[0], address="192.0.2.10")
    network = build_network(specs, links)
    with pytest.raises(ValueError, match="loopback"):
        ssh_loop.run(start_ssh(network, USERNAME, PASSWORD, port=PORT))
