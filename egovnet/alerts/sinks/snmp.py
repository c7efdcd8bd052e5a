"""SNMP notifications for legacy NMSs (H3C iMC, Huawei eSight/iMaster NCE): v2c TRAP, v3 authPriv INFORM.

The objects and notifications are those of ``monitors/mibs/EGOVNET-ALERT-MIB.txt`` (enterprise
99999, a placeholder like EGOVNET-LAB-MIB), so a receiver can translate them. An INFORM is
acknowledged, so its delivery is real and a timeout is retried by the dispatcher; a TRAP is not, so
"delivered" only means it was sent (prefer informs, as research note snmp.md section 6.1 says).

Two pysnmp details handled here (snmp.md section 4): one engine per sink with a fixed engineID
(receivers of v3 TRAPs must know the sender's engineID), and a tagList unique to the sink, because a
transport target shared between credentials makes pysnmp send every notification once per credential.
"""

from __future__ import annotations

import zlib
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    NotificationType,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    send_notification,
)
from pysnmp.proto.rfc1902 import Integer32, OctetString, Unsigned32

from egovnet.alerts.sinks.base import SinkError
from egovnet.monitor.snmp import AUTH_PROTOCOLS, PRIV_PROTOCOLS

ALERT_MIB = "1.3.6.1.4.1.99999.3"
NOTIFICATIONS = {"firing": f"{ALERT_MIB}.0.1", "resolved": f"{ALERT_MIB}.0.2"}
SEVERITY_CODES = {"critical": 1, "major": 2, "minor": 3, "warning": 4, "info": 5}
STATUS_CODES = {"firing": 1, "resolved": 2}
#: egovAlertObjects: column number -> how to read it from a noc-alert/1 object.
OBJECTS: dict[int, tuple[str, Any]] = {
    1: ("egovAlertEventId", lambda a: OctetString(a["id"])),
    2: ("egovAlertFingerprint", lambda a: OctetString(a["fingerprint"])),
    3: ("egovAlertSeverity", lambda a: Integer32(SEVERITY_CODES[a["severity"]])),
    4: ("egovAlertStatus", lambda a: Integer32(STATUS_CODES[a["status"]])),
    5: ("egovAlertRule", lambda a: OctetString(a.get("rule", {}).get("id", ""))),
    6: ("egovAlertEntity", lambda a: OctetString(str(a.get("entity", {}).get("id", "")))),
    7: ("egovAlertSite", lambda a: OctetString(str(a.get("entity", {}).get("site") or ""))),
    8: ("egovAlertSummary", lambda a: OctetString(a.get("summary", "")[:255].encode("utf-8"))),
    9: ("egovAlertCount", lambda a: Unsigned32(int(a.get("count", 1)))),
    10: ("egovAlertLastSeen", lambda a: OctetString(a.get("last_seen") or "")),
}
DEFAULT_ENGINE_ID = "80001f8804" + b"egovnet".hex()  # enterprise-format engineID, text "egovnet"


def notification(alert: dict[str, Any]) -> NotificationType:
    """The EGOVNET-ALERT-MIB notification of one alert (numeric OIDs: no MIB lookup needed)."""
    varbinds = [
        ObjectType(ObjectIdentity(f"{ALERT_MIB}.1.{column}.0"), encode(alert))
        for column, (_name, encode) in OBJECTS.items()
    ]
    return NotificationType(ObjectIdentity(NOTIFICATIONS[alert["status"]])).add_varbinds(*varbinds)


class SnmpNotificationSink:
    """Send each alert as a TRAP or INFORM to one receiver."""

    resend_interval_s = 0.0

    def __init__(
        self,
        name: str,
        host: str,
        port: int = 162,
        version: int = 3,
        notification: str = "inform",
        community: str = "",
        user: str = "",
        auth_protocol: str = "sha",
        auth_key: str = "",
        priv_protocol: str = "aes128",
        priv_key: str = "",
        engine_id: str = DEFAULT_ENGINE_ID,
        timeout_s: float = 3.0,
        retries: int = 2,
    ) -> None:
        if notification not in ("trap", "inform"):
            raise ValueError(f"sink {name}: notification must be trap or inform")
        if int(version) == 3:
            if not (user and auth_key and priv_key):
                raise ValueError(f"sink {name}: SNMPv3 needs user, auth_key and priv_key")
            self.auth: CommunityData | UsmUserData = UsmUserData(
                user,
                auth_key,
                priv_key,
                authProtocol=AUTH_PROTOCOLS[auth_protocol],
                privProtocol=PRIV_PROTOCOLS[priv_protocol],
            )
        elif community:
            self.auth = CommunityData(community, mpModel=1)
        else:
            raise ValueError(f"sink {name}: SNMPv2c needs a community")
        self.name = name
        self.address = (host, int(port))
        self.kind = notification
        self.engine_id = bytes.fromhex(engine_id)
        self.timeout_s = timeout_s
        self.retries = retries
        self._engine: SnmpEngine | None = None
        self._target: UdpTransportTarget | None = None

    async def _ready(self) -> tuple[SnmpEngine, UdpTransportTarget]:
        if self._engine is None or self._target is None:
            self._engine = SnmpEngine(snmpEngineID=OctetString(self.engine_id))
            tag = f"egovnet-{zlib.crc32(self.name.encode()):08x}"
            self._target = await UdpTransportTarget.create(
                self.address, timeout=self.timeout_s, retries=self.retries, tagList=tag
            )
        return self._engine, self._target

    async def send(self, alerts: list[dict[str, Any]]) -> None:
        """One notification per alert, in order; an unacknowledged INFORM stops the batch."""
        engine, target = await self._ready()
        for sent, alert in enumerate(alerts):
            try:
                indication, status, _index, _vbs = await send_notification(
                    engine, self.auth, target, ContextData(), self.kind, notification(alert), lookupMib=False
                )
            except Exception as exc:  # pysnmp raises its own error types for local failures
                raise SinkError(f"snmp {self.address}: {exc}", delivered=sent) from exc
            if indication or status:
                raise SinkError(f"snmp {self.address}: {indication or status}", delivered=sent)

    async def resend(self, alerts: list[dict[str, Any]]) -> None:
        """Notifications are events, not state: nothing to repeat."""

    async def close(self) -> None:
        """Stop the engine's dispatcher."""
        if self._engine is not None and self._engine.transport_dispatcher is not None:
            self._engine.transport_dispatcher.close_dispatcher()
        self._engine = None
        self._target = None
