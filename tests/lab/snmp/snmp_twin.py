"""The SNMP tests' twin, built by hand, the agent runner and net-snmp client helpers.

The twin has one device of each kind the agent treats specially, with links between them:

    core-01 (vrp8) GE1/0/1 ---- GigabitEthernet1/0/1 agg-01 (comware7) GigabitEthernet1/0/2 ---- 0/9/0 olt-01
    core-01        GE1/0/2 ---- GigabitEthernet0/0/1 wlc-01 (vrp5)     GigabitEthernet0/0/2 ---- GE0   ap-02
    core-01        GE1/0/3 ==5G== Cellular0 cpe-01 (cpe_5g)
    agg-01         GigabitEthernet1/0/4 ---- GigabitEthernet0/1 rtr-01 (ios)

The agent runs on its own event loop in a background thread (as the lab runs it beside the SSH
server), so tests can use blocking net-snmp tools, asyncio pysnmp clients, and change the model
between requests through :meth:`AgentThread.run`.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from egovnet.lab.config_tree import parse_config
from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork, LinkSpec, PortSpec
from egovnet.lab.snmp import SnmpCredentials, SnmpLab, start_snmp

T = TypeVar("T")

CREDENTIALS = SnmpCredentials(
    community="egov-lab-ro", user="noc", auth_key="authpass123", priv_key="privpass123"
)
PORT = 16161 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
ADDRESSES = {
    "core-01": "127.77.0.1",
    "agg-01": "127.77.0.2",
    "wlc-01": "127.77.0.3",
    "ap-02": "127.77.0.4",
    "cpe-01": "127.77.0.5",
    "olt-01": "127.77.0.6",
    "rtr-01": "127.77.0.7",
}


def _ports(device: str, names: list[str], speed: int) -> tuple[PortSpec, ...]:
    base = 0x10 * (list(ADDRESSES).index(device) + 1)
    return tuple(
        PortSpec(name, speed, f"00:e0:fc:77:{base:02x}:{index:02x}") for index, name in enumerate(names)
    )


def _spec(
    name: str, platform: str, role: str, model: str, ports: tuple[PortSpec, ...], **extra: Any
) -> DeviceSpec:
    return DeviceSpec(
        name=name,
        platform=platform,
        role=role,
        vendor="H3C" if platform == "h3c_comware7" else "Huawei",
        model=model,
        serial=f"SN-{name}",
        os_version="V200R019C10SPC500",
        address=ADDRESSES[name],
        mgmt_ipv4="10.98.0.1",
        ports=ports,
        site_id="lab_site",
        site_level="township",
        site_area="rural",
        location=f"{name} rack",
        extra=extra,
    )


CONFIGS = {
    "core-01": """
sysname core-01
snmp-agent sys-info contact noc@county.example
snmp-agent sys-info location Qimen county data centre
interface GE1/0/0
interface GE1/0/1
 description to agg-01
 ip address 10.99.0.1 255.255.255.252
 ipv6 enable
 ipv6 address 2001:db8:99::1/64
interface GE1/0/2
 description to wlc-01
 ip address 10.99.0.5 255.255.255.252
interface GE1/0/3
 description 5G backup to cpe-01
 ip address 10.99.0.9 30
interface LoopBack0
 ip address 10.255.0.1 255.255.255.255
 ipv6 enable
 ipv6 address 2001:db8:ff::1/128
""",
    "agg-01": """
sysname agg-01
snmp-agent sys-info location 祁山镇 township hall
interface GigabitEthernet1/0/1
 description uplink core-01
 ip address 10.99.0.2 255.255.255.252
 ipv6 address 2001:db8:99::2/64
interface GigabitEthernet1/0/2
 description olt-01
 ip address 10.99.0.13 255.255.255.252
interface GigabitEthernet1/0/3
 shutdown
interface GigabitEthernet1/0/4
 description rtr-01
 ip address 10.99.0.17 255.255.255.252
""",
    "wlc-01": """
sysname wlc-01
interface GigabitEthernet0/0/1
 ip address 10.99.0.6 255.255.255.252
interface GigabitEthernet0/0/2
 description ap-02
""",
    "ap-02": "",
    "cpe-01": """
interface Cellular0
 ip address 10.99.0.10 255.255.255.252
""",
    "olt-01": """
interface 0/9/0
 ip address 10.99.0.14 255.255.255.252
""",
    "rtr-01": """
hostname rtr-01
snmp-server location Township office
interface GigabitEthernet0/1
 ip address 10.99.0.18 255.255.255.252
 ipv6 address 2001:db8:99:4::1/64
""",
}

APS = [
    {"name": "ap-01", "site": "qishan", "clients": 12},
    {"name": "ap-02", "site": "qishan_v01", "clients": 5},
    {"name": "ap-03", "site": "qishan_v02", "online": False, "clients": 3},
]


def build_twin() -> LabNetwork:
    """The hand-built twin described in the module docstring."""
    specs = [
        _spec(
            "core-01",
            "huawei_vrp8",
            "core",
            "CE6881-48S6CQ",
            _ports("core-01", ["GE1/0/0", "GE1/0/1", "GE1/0/2", "GE1/0/3"], 10000),
        ),
        _spec(
            "agg-01",
            "h3c_comware7",
            "aggregation",
            "S6520X-30QC-EI",
            _ports("agg-01", [f"GigabitEthernet1/0/{i}" for i in range(1, 5)], 1000),
            cpus=2,
            cpu_load_pct=37,
            memory_mb=4096,
            memory_used_pct=41.5,
            if_error_rate={"GigabitEthernet1/0/1": 0.001},
        ),
        _spec(
            "wlc-01",
            "huawei_vrp5",
            "wlc",
            "AC6605-26PWR",
            _ports("wlc-01", ["GigabitEthernet0/0/1", "GigabitEthernet0/0/2"], 1000),
            aps=APS,
        ),
        _spec("ap-02", "huawei_fitap", "ap", "AirEngine5761-11", _ports("ap-02", ["GE0"], 1000)),
        _spec(
            "cpe-01",
            "cpe_5g",
            "cpe_5g",
            "H312-371",
            _ports("cpe-01", ["Cellular0", "GE0"], 1000),
            rsrp_dbm=-87.4,
            sinr_db=13.25,
            band="n41",
            cell_id="460-00-350492",
        ),
        _spec(
            "olt-01",
            "huawei_smartax",
            "olt",
            "MA5800-X7",
            _ports("olt-01", ["0/9/0"], 10000),
            households=235,
            ftth_share=0.85,
            other_share=0.05,
            urban_share=0.4,
        ),
        _spec(
            "rtr-01",
            "cisco_ios",
            "township_node",
            "ISR4331",
            _ports("rtr-01", ["GigabitEthernet0/0", "GigabitEthernet0/1"], 1000),
        ),
    ]
    devices = [LabDevice(spec, parse_config(CONFIGS[spec.name])) for spec in specs]
    links = [
        LinkSpec("core-01", "GE1/0/1", "agg-01", "GigabitEthernet1/0/1", 10000, "fibre", "primary"),
        LinkSpec("core-01", "GE1/0/2", "wlc-01", "GigabitEthernet0/0/1", 1000, "fibre", "primary"),
        LinkSpec("core-01", "GE1/0/3", "cpe-01", "Cellular0", 300, "5g", "backup"),
        LinkSpec("agg-01", "GigabitEthernet1/0/2", "olt-01", "0/9/0", 10000, "fibre", "primary"),
        LinkSpec("wlc-01", "GigabitEthernet0/0/2", "ap-02", "GE0", 1000, "copper", "access"),
        LinkSpec("agg-01", "GigabitEthernet1/0/4", "rtr-01", "GigabitEthernet0/1", 1000, "fibre", "primary"),
    ]
    return LabNetwork(devices, links)


class AgentThread:
    """Runs the SNMP agent on its own event loop in a daemon thread."""

    def __init__(self, network: LabNetwork, port: int = PORT, **options: Any) -> None:
        self.network = network
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="snmp-lab", daemon=True)
        self.thread.start()
        self.lab: SnmpLab = self.call(start_snmp(network, CREDENTIALS, port, **options))

    def call(self, coroutine: Any) -> Any:
        """Run a coroutine on the agent's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` on the agent's loop (model changes must not race a request)."""

        async def wrapper() -> T:
            return function(*args)

        result: T = self.call(wrapper())
        return result

    def stop(self) -> None:
        """Close the agent and end the thread."""
        self.run(self.lab.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


# --- net-snmp command-line clients -------------------------------------------------------------------

V2C = ["-v2c", "-c", CREDENTIALS.community]
V3 = [
    "-v3",
    "-l",
    "authPriv",
    "-u",
    CREDENTIALS.user,
    "-a",
    "SHA",
    "-A",
    CREDENTIALS.auth_key,
    "-x",
    "AES",
    "-X",
    CREDENTIALS.priv_key,
]
# Numeric OIDs, strings as hex (UTF-8 safe), raw timeticks, numeric enums; no MIB files involved.
OUTPUT = ["-On", "-Ox", "-Ot", "-Oe", "-m", ""]

END_OF_MIB = "endOfMibView"
NO_SUCH_OBJECT = "noSuchObject"
NO_SUCH_INSTANCE = "noSuchInstance"
_EXCEPTIONS = {
    "No more variables left": END_OF_MIB,
    "No Such Object": NO_SUCH_OBJECT,
    "No Such Instance": NO_SUCH_INSTANCE,
}


def oid_of(text: str) -> tuple[int, ...]:
    """``".1.3.6"`` -> ``(1, 3, 6)``."""
    return tuple(int(part) for part in text.strip().strip(".").split("."))


def _value(text: str) -> Any:
    for prefix, marker in _EXCEPTIONS.items():
        if text.startswith(prefix):
            return marker
    if text == '""':
        return b""
    kind, _, rest = text.partition(": ")
    if not rest:
        return int(text) if text.lstrip("-").isdigit() else text
    if kind == "Hex-STRING":
        return bytes.fromhex(rest.replace("\n", " "))
    if kind == "STRING":
        return rest.strip('"')
    if kind == "OID":
        return oid_of(rest)
    if kind == "IpAddress":
        return rest.strip()
    if kind == "Timeticks":
        return int(rest.split(")")[0].strip("("))
    return int(rest.split()[0])


def parse(stdout: str) -> list[tuple[tuple[int, ...], Any]]:
    """net-snmp ``-On`` output -> [(oid, value)], joining the continuation lines of long hex strings."""
    records: list[list[str]] = []
    for line in stdout.splitlines():
        if line.startswith(".") and " = " in line:
            records.append([line])
        elif records and line.strip():
            records[-1].append(line)
    result = []
    for lines in records:
        name, _, value = "\n".join(lines).partition(" = ")
        result.append((oid_of(name), _value(value.strip())))
    return result


def netsnmp(
    tool: str,
    device: str,
    *oids: str,
    auth: list[str] | None = None,
    options: tuple[str, ...] = (),
    timeout: float = 2.0,
    port: int = PORT,
) -> subprocess.CompletedProcess[str]:
    """Run a net-snmp tool against a twin device (v2c unless ``auth`` says otherwise)."""
    command = [
        tool,
        *(V2C if auth is None else auth),
        *OUTPUT,
        "-t",
        str(timeout),
        "-r",
        "1",
        *options,
        f"{ADDRESSES[device]}:{port}",
        *oids,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def walk(
    device: str,
    root: str = ".",
    *,
    auth: list[str] | None = None,
    bulk: bool = True,
    options: tuple[str, ...] = (),
    port: int = PORT,
) -> list[tuple[tuple[int, ...], Any]]:
    """``snmpbulkwalk`` (or ``snmpwalk``) of a subtree; fails the test on any error output.

    A walk that runs off the end of the agent's MIB ends with net-snmp's endOfMibView line, which
    repeats the last OID; it is dropped here (tests of the end of the MIB use :func:`netsnmp`).
    """
    tool = "snmpbulkwalk" if bulk else "snmpwalk"
    done = netsnmp(tool, device, root, auth=auth, options=options, port=port)
    assert done.returncode == 0 and not done.stderr, done.stderr
    rows = parse(done.stdout)
    return rows[:-1] if rows and rows[-1][1] == END_OF_MIB else rows


def get(
    device: str, *oids: str, auth: list[str] | None = None, port: int = PORT
) -> dict[tuple[int, ...], Any]:
    """``snmpget`` of some instances -> {oid: value}."""
    done = netsnmp("snmpget", device, *oids, auth=auth, port=port)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return dict(parse(done.stdout))
