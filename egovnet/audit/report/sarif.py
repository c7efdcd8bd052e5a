"""SARIF 2.1.0: findings as static-analysis results over the configuration files.

Code-scanning tools (GitHub/GitLab security dashboards, SARIF viewers) group results by rule and
point into files; here the "files" are the device configurations (``<host>.cfg`` relative to the
backup directory), and each evidence line with a line number becomes a region. Findings about a
site or a link have a logical location instead. PASS and REVIEW are results of kind ``pass`` and
``review`` (level ``none``, as the specification requires for kinds other than ``fail``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from egovnet import __version__
from egovnet.audit.results import AuditRun, Finding

#: SARIF level of a FAIL per severity.
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE_ID = "CONFIGS"


def _time(ts: float | None) -> str:
    return datetime.fromtimestamp(ts or 0, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _rule(rule_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    title = meta.get("title", {})
    remediation = meta.get("remediation", {})
    help_text = "\n".join(f"{k}: {v}" for k, v in remediation.items())
    return {
        "id": rule_id,
        "name": rule_id.replace("-", ""),
        "shortDescription": {"text": title.get("en", rule_id)},
        "fullDescription": {
            "text": f"{title.get('zh', '')} / {title.get('en', '')}. {meta.get('rationale', '')}".strip()
        },
        "help": {"text": help_text or "-"},
        "defaultConfiguration": {"level": LEVELS.get(str(meta.get("severity")), "warning")},
        "properties": {
            "tags": [meta.get("policy", ""), *meta.get("ids", [])],
            "severity": meta.get("severity"),
            "policy": meta.get("policy"),
            "checkKind": meta.get("kind"),
        },
    }


def _locations(finding: Finding) -> list[dict[str, Any]]:
    logical = {
        "name": finding.entity,
        "kind": "resource",
        "fullyQualifiedName": f"{finding.site or '-'}/{finding.entity}",
    }
    lines = [e for e in finding.evidence if e.line is not None]
    if finding.artifact and lines:
        return [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.artifact, "uriBaseId": BASE_ID},
                    "region": {"startLine": e.line, "snippet": {"text": e.text}},
                },
                "logicalLocations": [logical],
            }
            for e in lines[:10]
        ]
    return [{"logicalLocations": [logical]}]


def _result(finding: Finding, index: int) -> dict[str, Any]:
    kind = {"FAIL": "fail", "REVIEW": "review", "PASS": "pass"}[finding.status]
    evidence = "; ".join(e.text for e in finding.evidence[:5])
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "kind": kind,
        "level": LEVELS[finding.severity] if kind == "fail" else "none",
        "message": {
            "text": f"{finding.entity}: {finding.message or finding.status}"
            + (f" ({evidence})" if evidence else "")
        },
        "locations": _locations(finding),
        "partialFingerprints": {"egovnetFinding/v1": finding.fingerprint},
        "properties": {
            "status": finding.status,
            "severity": finding.severity,
            "site": finding.site or "",
            "policy": finding.policy,
        },
    }


def to_sarif(run: AuditRun, base: str | Path | None = None, include_pass: bool = False) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log (a JSON-ready dict).

    Args:
        base: the directory the ``<host>.cfg`` artifacts are relative to (the offline directory or
            the backup store), recorded as the ``CONFIGS`` base URI.
        include_pass: also report PASS results (kind ``pass``); off by default, since code-scanning
            services cap the number of results and the JSON output already has every finding.
    """
    rule_ids = list(run.rules)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "egovnet-audit",
                "version": __version__,
                "rules": [_rule(r, run.rules[r]) for r in rule_ids],
            }
        },
        "automationDetails": {"id": f"egovnet-audit/{run.mode}/{run.id}"},
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": _time(run.started),
                "endTimeUtc": _time(run.finished or run.started),
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, index[f.rule])
            for f in run.findings
            if f.rule in index and (include_pass or f.status != "PASS")
        ],
    }
    if base is not None:
        sarif_run["originalUriBaseIds"] = {BASE_ID: {"uri": Path(base).resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}
