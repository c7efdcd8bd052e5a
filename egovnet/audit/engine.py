"""Rules x snapshots -> findings: the one evaluation loop under live and offline audits.

Collection (``egovnet.audit.collect``) produces snapshots; this module builds the device and scope
contexts once, evaluates every applicable rule, and returns an :class:`AuditRun`. A check that
raises becomes a REVIEW finding naming the error, so one bad rule or one odd config never stops
the run (the ANTA wrapper's behaviour).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Literal

from egovnet.audit.checks import DeviceCheck, EntityOutcome, Outcome, ScopeCheck
from egovnet.audit.configdoc import ConfigDoc
from egovnet.audit.context import AuditContext, DeviceContext, index_links
from egovnet.audit.model import Policy, Rule
from egovnet.audit.results import AuditRun, Evidence, Finding
from egovnet.audit.snapshot import Snapshot
from egovnet.inventory import Inventory, Link
from egovnet.platforms import PLATFORMS


def device_context(
    name: str,
    snapshot: Snapshot | None,
    inventory: Inventory | None,
    link_index: dict[str, list[Link]] | None = None,
) -> DeviceContext:
    """Inventory facts and the parsed configuration of one device."""
    device = inventory.devices.get(name) if inventory is not None else None
    platform = device.platform if device is not None else None
    dialect = PLATFORMS[platform].dialect if platform in PLATFORMS else None
    if dialect is None and snapshot is not None and platform is None:
        dialect = snapshot.dialect
    doc = None
    if snapshot is not None and snapshot.config is not None and dialect is not None:
        doc = ConfigDoc(snapshot.config, dialect)
    site = device.site if device is not None else None
    level = inventory.sites[site].level if inventory is not None and site is not None else None
    return DeviceContext(
        name=name,
        platform=platform,
        dialect=dialect,
        role=device.role if device is not None else None,
        site=site,
        level=level,
        doc=doc,
        snapshot=snapshot,
        inventory=inventory,
        link_index=link_index,
    )


def _check_error(exc: Exception) -> Outcome:
    return Outcome("REVIEW", f"check error: {type(exc).__name__}: {exc}", [])


def _device_findings(policy: Policy, rule: Rule, devices: Iterable[DeviceContext]) -> list[Finding]:
    check = rule.check
    assert isinstance(check, DeviceCheck)
    dialects = check.dialects()
    findings: list[Finding] = []
    for device in devices:
        if not rule.applies.matches(device.platform, device.role, device.level):
            continue
        if dialects is not None and device.dialect not in dialects:
            continue
        if check.needs_config and device.doc is None:
            if device.dialect is None:
                continue  # no CLI: a config rule does not apply
            error = device.snapshot.error if device.snapshot is not None else None
            outcome = Outcome("REVIEW", f"configuration not collected: {error or 'not read'}", [])
        else:
            try:
                outcome = check.evaluate(device).capped()
            except Exception as exc:  # one bad check or config never stops the run
                outcome = _check_error(exc)
        findings.append(_finding(policy, rule, device.name, "device", device.site, device, outcome))
    return findings


def _scope_findings(policy: Policy, rule: Rule, context: AuditContext) -> list[Finding]:
    check = rule.check
    assert isinstance(check, ScopeCheck)
    try:
        results = check.evaluate_scope(context)
    except Exception as exc:  # the scope as one REVIEW finding, naming the error
        return [Finding(policy.name, rule.id, "REVIEW", rule.severity, "*", "site", None, None, str(exc))]
    findings: list[Finding] = []
    inventory = context.inventory
    for result in results:
        device = context.devices.get(result.device) if result.device is not None else None
        level = inventory.sites[result.site].level if inventory is not None and result.site else None
        role = device.role if device is not None else None
        platform = device.platform if device is not None else None
        if not rule.applies.matches(platform, role, level):
            continue
        findings.append(_entity_finding(policy, rule, result, device))
    return findings


def _entity_finding(
    policy: Policy, rule: Rule, result: EntityOutcome, device: DeviceContext | None
) -> Finding:
    return _finding(policy, rule, result.entity, result.kind, result.site, device, result.outcome.capped())


def _finding(
    policy: Policy,
    rule: Rule,
    entity: str,
    kind: Literal["device", "site", "link"],
    site: str | None,
    device: DeviceContext | None,
    outcome: Outcome,
) -> Finding:
    has_lines = any(e.line is not None for e in outcome.evidence)
    return Finding(
        policy=policy.name,
        rule=rule.id,
        status=outcome.status,
        severity=rule.severity,
        entity=entity,
        entity_kind=kind,
        site=site,
        platform=device.platform if device is not None else None,
        message=outcome.message,
        evidence=list(outcome.evidence) or ([Evidence(outcome.message)] if outcome.message else []),
        artifact=f"{device.name}.cfg" if device is not None and has_lines else None,
    )


def audit(
    policies: Sequence[Policy],
    snapshots: dict[str, Snapshot],
    inventory: Inventory | None,
    *,
    mode: Literal["live", "offline"],
    scope: Iterable[str] | None = None,
    limit: str | None = None,
    source: dict[str, str] | None = None,
) -> AuditRun:
    """Evaluate every rule of ``policies`` over the devices in ``scope`` (default: the snapshots).

    Args:
        snapshots: what was collected, by device name.
        scope: device names under audit; devices without a snapshot (no CLI) still get the
            inventory-level rules (topology, manual).
    """
    run = AuditRun(mode=mode, limit=limit, source=dict(source or {}))
    names = sorted(set(scope) if scope is not None else set(snapshots))
    started = time.process_time()
    links = index_links(inventory) if inventory is not None else None
    devices = {name: device_context(name, snapshots.get(name), inventory, links) for name in names}
    parsed = time.process_time()
    context = AuditContext(
        inventory=inventory,
        devices=devices,
        sites={d.site for d in devices.values() if d.site is not None},
        live=mode == "live",
        link_index=links or {},
    )
    for policy in policies:
        run.policies[policy.name] = {
            "title": policy.title.model_dump(),
            "rules": [r.id for r in policy.rules],
        }
        for rule in policy.rules:
            run.rules[rule.id] = rule.catalogue(policy.name)
            if rule.per_device:
                run.findings += _device_findings(policy, rule, devices.values())
            elif inventory is not None:
                run.findings += _scope_findings(policy, rule, context)
    finished = time.process_time()
    run.devices = {n: d.platform or d.dialect or "unknown" for n, d in devices.items() if d.doc is not None}
    run.errors = {n: s.error for n, s in snapshots.items() if s.error and n in devices}
    run.warnings = {
        n: str(s.extra["state_error"])
        for n, s in snapshots.items()
        if "state_error" in s.extra and n in devices
    }
    if inventory is not None:
        used = {f.site for f in run.findings if f.site in inventory.sites}
        run.sites = {
            s: {"name": inventory.sites[s].name_zh, "level": inventory.sites[s].level} for s in sorted(used)
        }
    run.timings = {"parse_s": round(parsed - started, 4), "checks_s": round(finished - parsed, 4)}
    run.finished = time.time()
    return run
