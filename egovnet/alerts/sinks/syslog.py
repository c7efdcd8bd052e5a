"""Syslog, RFC 5424, over UDP (RFC 5426) or TCP with octet-counting framing (RFC 6587 section 3.4.1).

The feed every Chinese log-audit and situational-awareness platform ingests (security.md section 5.1):
structured data ``[alert@99999 ...]`` carries the fields a collector indexes without parsing the
message, and the message is the ``noc-alert/1`` JSON. Severity comes from the one table in
:mod:`egovnet.alerts.model`; a resolved event is a notice.

UDP has no acknowledgement, so a UDP "delivery" only means the datagram left; TCP delivery means the
receiver's kernel accepted the bytes. Messages over UDP are kept under ``max_udp_bytes`` by dropping
the evidence first (RFC 5426 section 3.2: receivers should accept 2048 octets; most accept far more).
"""

from __future__ import annotations

import json
import os
import re
import socket
from typing import Any

from egovnet.alerts.model import SEVERITY_NUM, SYSLOG_NOTICE
from egovnet.alerts.sinks.base import BlockingSink, SinkError

ENTERPRISE = 99999  # placeholder private enterprise number, as in EGOVNET-LAB-MIB
FACILITIES = {
    "local0": 16,
    "local1": 17,
    "local2": 18,
    "local3": 19,
    "local4": 20,
    "local5": 21,
    "local6": 22,
    "local7": 23,
    "daemon": 3,
    "security": 13,
}
BOM = "\ufeff"
_PRINTUSASCII = re.compile(r"[^\x21-\x7e]")


def _field(value: str, limit: int) -> str:
    """A header field: printable US-ASCII without spaces, or the NILVALUE."""
    cleaned = _PRINTUSASCII.sub("_", value)[:limit]
    return cleaned or "-"


def _param(value: object) -> str:
    """An SD-PARAM value with ``"``, ``\\`` and ``]`` escaped (RFC 5424 section 6.3.3)."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def format_message(
    alert: dict[str, Any], facility: int, app_name: str, max_bytes: int | None = None
) -> bytes:
    """One RFC 5424 message for one ``noc-alert/1`` object."""
    severity = (
        SYSLOG_NOTICE if alert["status"] == "resolved" else int(SEVERITY_NUM[alert["severity"]]["syslog"])
    )
    timestamp = alert.get("last_seen") or "-"
    hostname = _field(str(alert.get("source", {}).get("host", "")), 255)
    entity = alert.get("entity", {})
    params = {
        "id": alert["id"],
        "fp": alert["fingerprint"],
        "status": alert["status"],
        "severity": alert["severity"],
        "rule": alert.get("rule", {}).get("id", ""),
        "entity": entity.get("id", ""),
        "site": entity.get("site") or "",
        "count": alert.get("count", 1),
    }
    pairs = " ".join(f'{k}="{_param(v)}"' for k, v in params.items())
    data = f"[alert@{ENTERPRISE} {pairs}]"
    app = _field(app_name, 48)
    header = f"<{facility * 8 + severity}>1 {timestamp} {hostname} {app} {os.getpid()} ALERT {data} "
    body = json.dumps(alert, ensure_ascii=False, separators=(",", ":"))
    message = (header + BOM + body).encode("utf-8")
    if max_bytes is not None and len(message) > max_bytes:
        lean = {**alert, "evidence": {"truncated": True}, "description": ""}
        message = (header + BOM + json.dumps(lean, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")
        message = message[:max_bytes]
    return message


class SyslogSink(BlockingSink):
    """Send alerts to one syslog receiver."""

    def __init__(
        self,
        name: str,
        host: str,
        port: int = 514,
        protocol: str = "udp",
        facility: str = "local0",
        app_name: str = "egovnet",
        timeout_s: float = 5.0,
        max_udp_bytes: int = 8192,
    ) -> None:
        if protocol not in ("udp", "tcp"):
            raise ValueError(f"sink {name}: protocol must be udp or tcp")
        if facility not in FACILITIES:
            raise ValueError(f"sink {name}: unknown facility {facility!r}")
        self.name = name
        self.address = (host, int(port))
        self.protocol = protocol
        self.facility = FACILITIES[facility]
        self.app_name = app_name
        self.timeout_s = timeout_s
        self.max_udp_bytes = max_udp_bytes
        self._tcp: socket.socket | None = None

    def _connect(self) -> socket.socket:
        if self._tcp is None:
            self._tcp = socket.create_connection(self.address, timeout=self.timeout_s)
        return self._tcp

    def deliver(self, alerts: list[dict[str, Any]]) -> None:
        """Send each alert; on failure report how many went out."""
        for sent, alert in enumerate(alerts):
            try:
                if self.protocol == "udp":
                    message = format_message(alert, self.facility, self.app_name, self.max_udp_bytes)
                    family = socket.AF_INET6 if ":" in self.address[0] else socket.AF_INET
                    with socket.socket(family, socket.SOCK_DGRAM) as sock:
                        sock.sendto(message, self.address)
                else:
                    message = format_message(alert, self.facility, self.app_name)
                    self._connect().sendall(str(len(message)).encode() + b" " + message)
            except OSError as exc:
                self.shutdown()
                raise SinkError(f"syslog {self.address[0]}:{self.address[1]}: {exc}", delivered=sent) from exc

    def shutdown(self) -> None:
        """Close the TCP connection, if any."""
        if self._tcp is not None:
            self._tcp.close()
            self._tcp = None
