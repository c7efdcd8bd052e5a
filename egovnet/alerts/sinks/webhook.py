"""Alertmanager client: ``POST /api/v2/alerts`` with the Alertmanager v2 alert objects.

Alertmanager's JSON is what Grafana, FlashDuty-style routers and Nightingale accept (security.md
section 5.1). Alertmanager identifies an alert by its label set, so labels carry only stable identity
(rule, fingerprint, entity, site, severity, the publisher's own labels); everything that changes
(count, summary, the event id) goes in annotations. A firing alert has no ``endsAt`` and is re-posted
every ``resend_interval_s`` while it fires (Alertmanager resolves alerts it stops hearing about after
``resolve_timeout``, 5 min by default); a resolved one is posted with ``endsAt``.

HTTP 2xx is a delivery; 5xx, 408, 429 and connection errors are transient; other 4xx mean the
receiver refuses these alerts for good.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from egovnet.alerts.sinks.base import BlockingSink, SinkError

PATH = "/api/v2/alerts"
_LABEL_NAME = re.compile(r"[^a-zA-Z0-9_]")
_RETRYABLE = {408, 425, 429}


def _label(name: str) -> str:
    cleaned = _LABEL_NAME.sub("_", name)
    return cleaned if cleaned and not cleaned[0].isdigit() else "_" + cleaned


def to_alertmanager(alert: dict[str, Any], heartbeat: bool = False) -> dict[str, Any]:
    """One ``noc-alert/1`` object as an Alertmanager v2 ``postableAlert``.

    ``heartbeat`` marks a periodic re-post of a firing alert (annotation ``heartbeat: "true"``), so a
    receiver counting events can tell it from the event itself.
    """
    entity = alert.get("entity", {})
    labels = {_label(k): str(v) for k, v in alert.get("labels", {}).items()}
    labels.update(
        {
            "alertname": alert.get("rule", {}).get("id", "egovnet"),
            "fingerprint": alert["fingerprint"],
            "severity": alert["severity"],
            "entity": str(entity.get("id", "")),
            "entity_type": str(entity.get("type", "")),
            "source": str(alert.get("source", {}).get("component", "")),
        }
    )
    if entity.get("site"):
        labels["site"] = str(entity["site"])
    annotations = {
        "summary": alert.get("summary", ""),
        "description": alert.get("description", ""),
        "remediation": alert.get("remediation", ""),
        "rule_name": alert.get("rule", {}).get("name", ""),
        "event_id": alert["id"],
        "count": str(alert.get("count", 1)),
        "last_seen": alert.get("last_seen") or "",
        "heartbeat": "true" if heartbeat else "",
    }
    posted: dict[str, Any] = {
        "labels": labels,
        "annotations": {k: v for k, v in annotations.items() if v},
        "startsAt": alert.get("first_seen"),
        "generatorURL": alert.get("links", {}).get("generator", ""),
    }
    if alert["status"] == "resolved":
        posted["endsAt"] = alert.get("ends_at") or alert.get("last_seen")
    return posted


class AlertmanagerSink(BlockingSink):
    """Post alerts to an Alertmanager (or anything speaking its v2 API)."""

    def __init__(
        self,
        name: str,
        url: str,
        timeout_s: float = 10.0,
        resend_interval_s: float = 60.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"sink {name}: url must be http(s)://")
        self.name = name
        self.endpoint = url.rstrip("/") + PATH
        self.timeout_s = timeout_s
        self.resend_interval_s = float(resend_interval_s)
        self.headers = {"Content-Type": "application/json", **(headers or {})}

    def _post(self, alerts: list[dict[str, Any]], heartbeat: bool = False) -> None:
        posted = [to_alertmanager(a, heartbeat) for a in alerts]
        body = json.dumps(posted, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, headers=self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            transient = exc.code >= 500 or exc.code in _RETRYABLE
            raise SinkError(f"{self.endpoint}: HTTP {exc.code} {exc.reason}", transient=transient) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SinkError(f"{self.endpoint}: {exc}") from exc

    def deliver(self, alerts: list[dict[str, Any]]) -> None:
        """One POST with the whole batch (Alertmanager takes a list)."""
        self._post(alerts)

    def redeliver(self, alerts: list[dict[str, Any]]) -> None:
        """Re-post the firing alerts (keeps them alive in Alertmanager)."""
        if alerts:
            self._post(alerts, heartbeat=True)
