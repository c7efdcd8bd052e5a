"""SNMP notifications reach net-snmp's snmptrapd (v2c TRAP, v3 authPriv INFORM), once each, with the
objects EGOVNET-ALERT-MIB names; and that MIB file loads in net-snmp with exactly those OIDs."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from pathlib import Path

import pytest
from alert_rig import TrapReceiver, record

from egovnet.alerts import AlertStore, Dispatcher
from egovnet.alerts.sinks.snmp import ALERT_MIB, NOTIFICATIONS, OBJECTS, SnmpNotificationSink

USER, AUTH, PRIV, COMMUNITY = "nocuser", "authpass-123", "privpass-123", "egov-trap"

# Debian ships no IETF MIB modules; these stand-ins give what EGOVNET-ALERT-MIB imports (appended to
# the search path, so real modules are preferred where installed).
STAND_INS = {
    "SNMPv2-SMI": "SNMPv2-SMI DEFINITIONS ::= BEGIN\norg OBJECT IDENTIFIER ::= { iso 3 }\n"
    "dod OBJECT IDENTIFIER ::= { org 6 }\ninternet OBJECT IDENTIFIER ::= { dod 1 }\n"
    "private OBJECT IDENTIFIER ::= { internet 4 }\nenterprises OBJECT IDENTIFIER ::= { private 1 }\nEND\n",
    "SNMPv2-TC": "SNMPv2-TC DEFINITIONS ::= BEGIN\nDisplayString ::= TEXTUAL-CONVENTION\n"
    ' DISPLAY-HINT "255a"\n STATUS current\n DESCRIPTION "stand-in"\n'
    " SYNTAX OCTET STRING (SIZE (0..255))\nEND\n",
}


def _udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_traps_and_informs_arrive_at_snmptrapd_exactly_once(tmp_path: Path) -> None:
    port = _udp_port()
    store = AlertStore(tmp_path / "alerts.db")
    sinks = [
        SnmpNotificationSink(
            "nms-trap", "127.0.0.1", port, version=2, notification="trap", community=COMMUNITY
        ),
        SnmpNotificationSink(
            "nms-inform",
            "127.0.0.1",
            port,
            version=3,
            notification="inform",
            user=USER,
            auth_key=AUTH,
            priv_key=PRIV,
        ),
    ]
    with TrapReceiver(port, COMMUNITY, USER, AUTH, PRIV) as receiver:
        dispatcher = Dispatcher(store, sinks)
        events = store.apply([record("qishan-tn-01", summary="祁山镇 uplink down"), record("qishan-ac-01")])
        events += store.apply([record("qishan-tn-01", "resolved")])

        async def deliver() -> None:
            try:
                report = await dispatcher.flush()
                assert report.delivered == {"nms-trap": 3, "nms-inform": 3} and not report.failed
                await dispatcher.flush()  # nothing left: nothing sent again
            finally:
                await dispatcher.close()

        asyncio.run(deliver())
        lines = receiver.lines(f"{ALERT_MIB}.1.1.0", 6)
    assert len(lines) == 6  # 3 events x (trap + inform), no duplicate
    for event in events:
        carrying = [line for line in lines if f'{ALERT_MIB}.1.1.0 = STRING: "{event["id"]}"' in line]
        assert len(carrying) == 2, event["id"]
        status = "2" if event["status"] == "resolved" else "1"
        assert all(f"OID: .{NOTIFICATIONS[event['status']]}" in line for line in carrying)
        assert all(f"{ALERT_MIB}.1.4.0 = INTEGER: {status}" in line for line in carrying)
        assert all(f'{ALERT_MIB}.1.2.0 = STRING: "{event["fingerprint"]}"' in line for line in carrying)
    tn = next(line for line in lines if "qishan-tn-01" in line and "INTEGER: 2\t" in line)
    assert "E7 A5 81 E5 B1 B1" in tn  # 祁山 in UTF-8, as the summary's octets


@pytest.fixture(scope="module")
def search_path(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> str:
    stand_ins = tmp_path_factory.mktemp("smi")
    for module, text in STAND_INS.items():
        (stand_ins / f"{module}.txt").write_text(text)
    return f"{repo / 'monitors' / 'mibs'}:/usr/share/snmp/mibs:{stand_ins}"


def test_alert_mib_names_the_oids_the_sink_sends(search_path: str) -> None:
    names = {f"{ALERT_MIB}.1.{n}": name for n, (name, _) in OBJECTS.items()}
    names.update({NOTIFICATIONS["firing"]: "egovAlertFiring", NOTIFICATIONS["resolved"]: "egovAlertResolved"})
    result = subprocess.run(
        [
            "snmptranslate",
            "-m",
            "EGOVNET-ALERT-MIB",
            "-M",
            search_path,
            "-On",
            *(f"EGOVNET-ALERT-MIB::{name}" for name in names.values()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    translated = [line for line in result.stdout.splitlines() if line.strip()]
    assert translated == [f".{oid}" for oid in names], result.stderr
