"""JUnit XML: one test case per rule x entity, one test suite per policy.

CI systems (GitLab, Jenkins) show JUnit natively, so a nightly audit's FAILs appear as failed tests
with the evidence as the failure text. REVIEW is reported as ``skipped`` (not provable, not
failed), PASS as a passing test case.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime

from egovnet.audit.results import AuditRun, Finding


def _evidence(finding: Finding) -> str:
    lines = []
    for e in finding.evidence:
        where = f"{' > '.join(e.section)}: " if e.section else ""
        line = f" (line {e.line})" if e.line is not None else ""
        lines.append(f"{where}{e.text}{line}")
    return "\n".join(lines)


def _case(suite: ET.Element, finding: Finding, run: AuditRun) -> None:
    title = run.rules.get(finding.rule, {}).get("title", {}).get("en", "")
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"{finding.policy}.{finding.entity}",
        name=f"{finding.rule} {title} [{finding.entity}]".replace("  ", " "),
        time="0",
    )
    if finding.status == "FAIL":
        failure = ET.SubElement(case, "failure", message=finding.message, type=finding.severity)
        failure.text = _evidence(finding)
    elif finding.status == "REVIEW":
        ET.SubElement(case, "skipped", message=f"REVIEW: {finding.message}")
        ET.SubElement(case, "system-out").text = _evidence(finding)
    elif finding.evidence:
        ET.SubElement(case, "system-out").text = _evidence(finding)


def to_junit(run: AuditRun) -> str:
    """The run as a JUnit XML document (UTF-8 text)."""
    by_policy: dict[str, list[Finding]] = defaultdict(list)
    for finding in run.findings:
        by_policy[finding.policy].append(finding)
    elapsed = f"{max((run.finished or run.started) - run.started, 0.0):.3f}"
    root = ET.Element(
        "testsuites",
        name=f"egovnet audit {run.id}",
        tests=str(len(run.findings)),
        failures=str(sum(f.status == "FAIL" for f in run.findings)),
        errors="0",
        skipped=str(sum(f.status == "REVIEW" for f in run.findings)),
        time=elapsed,
    )
    stamp = datetime.fromtimestamp(run.started, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    for index, policy in enumerate(run.policies):
        findings = sorted(by_policy.get(policy, []), key=lambda f: (f.rule, f.entity))
        suite = ET.SubElement(
            root,
            "testsuite",
            name=policy,
            id=str(index),
            tests=str(len(findings)),
            failures=str(sum(f.status == "FAIL" for f in findings)),
            errors="0",
            skipped=str(sum(f.status == "REVIEW" for f in findings)),
            time="0",
            timestamp=stamp,
            hostname=socket.gethostname(),
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (("run", run.id), ("mode", run.mode), ("limit", run.limit or "")):
            ET.SubElement(properties, "property", name=name, value=value)
        for finding in findings:
            _case(suite, finding, run)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
