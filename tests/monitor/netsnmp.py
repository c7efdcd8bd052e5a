"""net-snmp's agent and walker for tests and the benchmarks: snmpd on 127.0.0.1 with a throw-away
configuration (v2c community and v3 authPriv users), and ``snmpbulkwalk`` output as Python values.

Every process is started and stopped by PID. The benchmarks (``bench/bench_monitor.py``,
``bench/bench_lab_snmp.py``) import this module by path rather than start an snmpd of their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from child_processes import stop_process

from egovnet.monitor.snmp import OID, SnmpAuth, Value, oid_of

COMMUNITY = "egov-test-ro"
V3 = SnmpAuth(3, "", "monitor", "sha", "authpass-123", "aes128", "privpass-123")
V3_SHA256 = SnmpAuth(3, "", "monitor256", "sha256", "authpass-256", "aes128", "privpass-256")
_NETSNMP_AUTH = {"md5": "MD5", "sha": "SHA", "sha224": "SHA-224", "sha256": "SHA-256", "sha512": "SHA-512"}
V2C = SnmpAuth(2, COMMUNITY)
SNMPD = shutil.which("snmpd") or "/usr/sbin/snmpd"


def auth_args(auth: SnmpAuth) -> list[str]:
    """net-snmp command-line options for a credential."""
    if auth.version == 2:
        return ["-v2c", "-c", auth.community]
    return [
        "-v3",
        "-l",
        "authPriv",
        "-u",
        auth.user,
        "-a",
        _NETSNMP_AUTH[auth.auth_protocol],
        "-A",
        auth.auth_key,
        "-x",
        "AES",
        "-X",
        auth.priv_key,
    ]


def parse_value(text: str) -> Value:
    """One value as ``snmpbulkwalk -On -Oqtx -Oe`` prints it."""
    if text.startswith('"'):
        return bytes.fromhex(text.strip('"').replace(" ", ""))
    if text.startswith("."):
        return oid_of(text)
    return int(text)


def bulkwalk(port: int, auth: SnmpAuth, root: str, max_repetitions: int = 25) -> dict[OID, Value]:
    """``snmpbulkwalk`` of ``root`` on 127.0.0.1:port, as {OID: value}."""
    output = subprocess.run(
        [
            "snmpbulkwalk",
            *auth_args(auth),
            "-On",
            "-Oqtx",
            "-Oe",
            "-m",
            "",
            f"-Cr{max_repetitions}",
            "-t",
            "5",
            "-r",
            "1",
            f"127.0.0.1:{port}",
            root,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    result: dict[OID, Value] = {}
    for line in output.splitlines():
        name, _, value = line.partition(" ")
        result[oid_of(name)] = parse_value(value.strip())
    return result


class Snmpd:
    """snmpd on 127.0.0.1:port; :meth:`restart` stops and starts it again (sysUpTime restarts)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="egovnet-snmpd-"))
        self.process: subprocess.Popen[bytes] | None = None

    def _config(self) -> Path:
        config = self.directory / "snmpd.conf"
        config.write_text(
            f"agentAddress udp:127.0.0.1:{self.port}\n"
            f"rocommunity {COMMUNITY} 127.0.0.1\n"
            f'createUser {V3.user} SHA "{V3.auth_key}" AES "{V3.priv_key}"\n'
            f"rouser {V3.user} priv\n"
            f'createUser {V3_SHA256.user} SHA-256 "{V3_SHA256.auth_key}" AES "{V3_SHA256.priv_key}"\n'
            f"rouser {V3_SHA256.user} priv\n"
            "dontLogTCPWrappersConnects yes\n"
        )
        return config

    def start(self) -> Snmpd:
        """Start and wait until it answers (at most 15 s)."""
        env = {**os.environ, "SNMP_PERSISTENT_DIR": str(self.directory)}
        self.process = subprocess.Popen(
            [
                SNMPD,
                "-f",
                "-C",
                "-c",
                str(self._config()),
                "-Lf",
                str(self.directory / "snmpd.log"),
                "-M",
                "/nonexistent",
                "-m",
                "",
                "-p",
                str(self.directory / "snmpd.pid"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            probe = subprocess.run(
                [
                    "snmpget",
                    *auth_args(V2C),
                    "-t",
                    "0.5",
                    "-r",
                    "0",
                    "-m",
                    "",
                    f"127.0.0.1:{self.port}",
                    "1.3.6.1.2.1.1.3.0",
                ],
                capture_output=True,
                timeout=10,
                check=False,
            )
            if probe.returncode == 0:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"snmpd did not answer within 15 s: {(self.directory / 'snmpd.log').read_text()}")

    def stop(self) -> None:
        """Stop the process this object started (by PID)."""
        stop_process(self.process)
        self.process = None

    def restart(self) -> None:
        """An agent restart: sysUpTime starts from zero again."""
        self.stop()
        self.start()

    def __enter__(self) -> Snmpd:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
