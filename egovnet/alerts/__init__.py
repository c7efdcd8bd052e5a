"""egovnet.alerts: one alert object, a durable outbox, and the NOC channels, for every engine.

Publish API (for the monitor, audits and probes)
================================================

Hand in what you observe now; egovnet.alerts keeps one alert per fingerprint, turns observations into
lifecycle events (``firing``, ``resolved``), stores them in a durable SQLite outbox
(``var/alerts/alerts.db``, or ``$EGOVNET_STATE_DIR/alerts/alerts.db``) and delivers each event exactly
once to every sink configured in ``monitors/alerts.yml`` (JSON lines, syslog RFC 5424, Alertmanager,
SNMP trap/inform)::

    from egovnet.alerts import publish

    publish(
        [
            {
                "status": "firing",                       # or "resolved"
                "severity": "major",                      # critical|major|minor|warning|info
                "rule": {"id": "SEC-SSH-001", "name": "Telnet enabled", "category": "audit.baseline",
                         "mlps": ["8.1.4.1c"]},
                "entity": {"type": "device", "id": "qishan-tn-01", "site": "qishan"},
                "summary": "qishan-tn-01 accepts telnet",
                "evidence": {"config_lines": ["telnet server enable"]},
                "labels": {"vendor": "huawei"},
                "source": "audit",                        # the publishing component
                # "fingerprint": optional; default sha256(rule.id|entity.id|scope)[:16]
            }
        ],
        complete_for="audit",   # optional: these are *all* of audit's findings; others it raised resolve
        deliver=True,           # optional: also push the outbox to the sinks now (one-shot commands)
    )

Rules for publishers:

* the fingerprint rests on stable identity (rule, entity, scope), never on time or counters;
  repeating an observation updates ``last_seen`` and ``count``, it does not raise a new alert;
* ``resolved`` for an alert that is not firing is ignored, ``firing`` for a firing one is an update;
* never put secrets (communities, keys, password hashes) in ``evidence``;
* records are :class:`AlertRecord` objects or plain dicts of the same fields (``source``, ``rule`` and
  ``entity`` accept a plain string as shorthand).

``publish`` returns the events it created, as ``noc-alert/1`` dicts (security.md section 5.2). A
long-running process (the monitor) keeps a :class:`Dispatcher` running instead of ``deliver=True``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from egovnet.alerts.config import AlertsConfig, default_config, load_config, state_path
from egovnet.alerts.dispatch import Dispatcher, Report
from egovnet.alerts.model import SEVERITY_NUM, AlertRecord, Entity, RuleRef, SourceRef, fingerprint
from egovnet.alerts.sinks import build_sinks
from egovnet.alerts.store import AlertStore

__all__ = [
    "SEVERITY_NUM",
    "AlertRecord",
    "AlertStore",
    "AlertsConfig",
    "Dispatcher",
    "Entity",
    "Report",
    "RuleRef",
    "SourceRef",
    "deliver_outbox",
    "fingerprint",
    "load_config",
    "publish",
    "state_path",
]


def _records(records: Iterable[AlertRecord | Mapping[str, Any]]) -> list[AlertRecord]:
    return [r if isinstance(r, AlertRecord) else AlertRecord.model_validate(dict(r)) for r in records]


async def deliver_outbox(store: AlertStore, config: AlertsConfig) -> Report:
    """Push the outbox once to the sinks of ``config`` (inside a running event loop)."""
    dispatcher = Dispatcher(store, build_sinks(config.sinks, store.path.parent))
    try:
        return await dispatcher.flush()
    finally:
        await dispatcher.close()


def publish(
    records: Iterable[AlertRecord | Mapping[str, Any]],
    *,
    store: AlertStore | Path | None = None,
    complete_for: str | None = None,
    deliver: bool = False,
    config: Path | None = None,
) -> list[dict[str, Any]]:
    """Record observations, queue their events, and optionally deliver them now.

    Arguments:
        store: an open store, or the path of its database (default :func:`state_path`).
        complete_for: resolve this component's firing alerts that ``records`` do not mention.
        deliver: push the outbox to the sinks before returning (not inside a running event loop:
            there, ``await egovnet.alerts.deliver_outbox(store, config)`` instead).
        config: the alerts file naming the sinks (default ``monitors/alerts.yml``).

    Returns:
        The lifecycle events created, as ``noc-alert/1`` dicts.
    """
    opened = store if isinstance(store, AlertStore) else AlertStore(store or state_path())
    try:
        events = opened.apply(_records(records), complete_for=complete_for)
        if deliver:
            asyncio.run(deliver_outbox(opened, load_config(config or default_config())))
        return events
    finally:
        if opened is not store:
            opened.close()
