"""Reports: JUnit XML and SARIF validate against their schemas, the JSON record round-trips, and the
HTML report opens in headless Chromium with no console error and working drill-down."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from chromium_helper import Page, chromium_binary
from lxml import etree

from egovnet.audit import AuditRun, audit, load_policies, read_directory
from egovnet.audit.report import to_html, to_junit, to_sarif
from egovnet.inventory import Inventory

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture
def run(backups_dir: Path, small: Inventory) -> AuditRun:
    return audit(load_policies(), read_directory(backups_dir, small), small, mode="offline")


def test_junit_validates_against_the_xsd(run: AuditRun) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit.xsd")))
    document = etree.fromstring(to_junit(run).encode("utf-8"))
    schema.assertValid(document)
    cases = document.findall(".//testcase")
    assert len(cases) == len(run.findings) == int(document.get("tests"))
    assert int(document.get("failures")) == len(document.findall(".//failure")) == run.counts()["FAIL"]
    assert int(document.get("skipped")) == len(document.findall(".//skipped")) == run.counts()["REVIEW"]
    for suite in document.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
    failure = document.find(".//testcase[@name='BL-MGMT-01 Telnet server disabled [stray-sw]']/failure")
    assert failure is not None and "telnet server enable" in (failure.text or "")


def _sarif_semantics(log: dict[str, object]) -> None:
    """What the JSON schema cannot say (SARIF 2.1.0 §3.27.6, §3.27.9, §3.4.4, §3.14.14)."""
    sarif_run = log["runs"][0]  # type: ignore[index]
    rules = sarif_run["tool"]["driver"]["rules"]
    bases = sarif_run.get("originalUriBaseIds", {})
    for base in bases.values():
        assert base["uri"].endswith("/")
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        if result["kind"] != "fail":
            assert result["level"] == "none"
        for location in result["locations"]:
            artifact = location.get("physicalLocation", {}).get("artifactLocation")
            if artifact:
                assert artifact["uriBaseId"] in bases


def test_sarif_validates_against_the_schema(run: AuditRun, backups_dir: Path) -> None:
    schema = json.loads((SCHEMAS / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for include_pass in (False, True):
        log = json.loads(json.dumps(to_sarif(run, backups_dir, include_pass=include_pass)))
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
        _sarif_semantics(log)
    results = to_sarif(run, backups_dir)["runs"][0]["results"]
    telnet = next(r for r in results if r["ruleId"] == "BL-MGMT-01" and r["kind"] == "fail")
    region = telnet["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "stray-sw.cfg" and region["region"]["startLine"] > 1
    lines = (backups_dir / "stray-sw.cfg").read_text().splitlines()
    assert lines[region["region"]["startLine"] - 1] == "telnet server enable"


def test_json_record_round_trips(run: AuditRun) -> None:
    again = AuditRun.from_dict(json.loads(json.dumps(run.to_dict())))
    assert again.to_dict() == run.to_dict()


@pytest.mark.skipif(chromium_binary() is None, reason="headless Chromium is not installed")
def test_html_report_opens_in_chromium_without_console_errors(run: AuditRun, tmp_path: Path) -> None:
    page_path = tmp_path / "audit.html"
    page_path.write_text(to_html(run), encoding="utf-8")
    binary = chromium_binary()
    assert binary is not None
    with Page(binary) as page:
        page.open(page_path.as_uri() + "#rule-BL-MGMT-01")
        assert page.errors() == []
        assert page.evaluate("document.getElementById('rule-BL-MGMT-01').open") is True
        sites = page.evaluate("document.querySelectorAll('#sites > details.group').length")
        assert sites >= 4
        page.evaluate("document.querySelector('button[data-filter=FAIL]').click()")
        shown = page.evaluate(
            "Array.from(document.querySelectorAll('#rules > details.group'))"
            ".filter(function (d) { return !d.classList.contains('hidden'); })"
            ".map(function (d) { return d.id; })"
        )
        assert "rule-BL-MGMT-01" in shown and "rule-BL-BANNER-01" not in shown
        page.evaluate("document.getElementById('search').value = 'stray'")
        page.evaluate("document.getElementById('search').dispatchEvent(new Event('input'))")
        visible_sites = page.evaluate(
            "Array.from(document.querySelectorAll('#sites > details.group'))"
            ".filter(function (d) { return !d.classList.contains('hidden'); }).length"
        )
        assert visible_sites == 1
        assert page.errors() == []
