"""Every config rule, per dialect, as a (rule, case) table: passing and failing fixtures.

The passing fixture of each (rule, dialect) is the unmodified base configuration of that dialect;
the failing ones (and the interesting passes: last line wins, vendor defaults) are mutations of it
listed in ``fixtures/cases.yml``. A completeness test keeps the table honest: a rule that gains a
dialect without a failing case fails the suite.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from casegen import FIXTURES, base_text, mutate

from egovnet.audit.checks.config import ConfigCheck, evaluate_assertions
from egovnet.audit.checks.manual import ManualCheck
from egovnet.audit.configdoc import ConfigDoc
from egovnet.audit.context import DeviceContext
from egovnet.audit.model import Rule
from egovnet.audit.policies import load_policies

TABLE = yaml.safe_load((FIXTURES / "cases.yml").read_text(encoding="utf-8"))
SEPARATOR = {"vrp5": "#", "vrp8": "#", "comware7": "#", "ios": "!"}
RULES = {rule.id: rule for policy in load_policies() for rule in policy.rules}
CONFIG_RULES = {i: r for i, r in RULES.items() if isinstance(r.check, ConfigCheck)}


def _base_name(rule: Rule, dialect: str) -> str:
    return "vrp5_firewall" if rule.id.startswith("FW-") else dialect


def _evaluate(rule: Rule, dialect: str, text: str) -> Any:
    assert isinstance(rule.check, ConfigCheck)
    return evaluate_assertions(rule.check.assertions(dialect), ConfigDoc(text, dialect))


def _base_cases() -> list[Any]:
    cases = []
    for rule_id, rule in sorted(CONFIG_RULES.items()):
        assert isinstance(rule.check, ConfigCheck)
        for dialect in sorted(rule.check.dialects()):
            expect = TABLE["base_status"].get(rule_id, {}).get(dialect, "PASS")
            cases.append(pytest.param(rule_id, dialect, expect, id=f"{rule_id}/{dialect}/base"))
    return cases


def _mutation_cases() -> list[Any]:
    seen: dict[str, int] = {}
    params = []
    for case in TABLE["cases"]:
        key = f"{case['rule']}/{case['dialect']}/{case['expect'].lower()}"
        seen[key] = seen.get(key, 0) + 1
        params.append(pytest.param(case, id=f"{key}{seen[key]}"))
    return params


@pytest.mark.parametrize(("rule_id", "dialect", "expect"), _base_cases())
def test_base_configuration(rule_id: str, dialect: str, expect: str) -> None:
    rule = CONFIG_RULES[rule_id]
    outcome = _evaluate(rule, dialect, base_text(_base_name(rule, dialect)))
    assert outcome.status == expect, (outcome.message, outcome.evidence)
    assert outcome.evidence or outcome.message


@pytest.mark.parametrize("case", _mutation_cases())
def test_case(case: dict[str, Any]) -> None:
    rule = CONFIG_RULES[case["rule"]]
    dialect = case["dialect"]
    text = mutate(base_text(case.get("base", _base_name(rule, dialect))), case, SEPARATOR[dialect])
    outcome = _evaluate(rule, dialect, text)
    assert outcome.status == case["expect"], (outcome.message, [e.text for e in outcome.evidence])
    if "evidence" in case:
        seen = [" > ".join((*e.section, e.text)) for e in outcome.evidence]
        assert any(case["evidence"] in text for text in seen), seen
    if outcome.status == "FAIL":
        assert outcome.evidence, "a FAIL must carry evidence"


def test_every_config_rule_fails_in_every_dialect() -> None:
    """Completeness: a failing fixture for each (rule, dialect). The exceptions are the pairs whose
    base gives REVIEW (``base_status``): a configuration alone can never fail them, and they need a
    passing case instead (the configuration that proves them)."""
    review_only = {(rule, dialect) for rule, dialects in TABLE["base_status"].items() for dialect in dialects}
    expected = {
        (rule_id, dialect)
        for rule_id, rule in CONFIG_RULES.items()
        if isinstance(rule.check, ConfigCheck)
        for dialect in rule.check.dialects()
    }
    failing = {(c["rule"], c["dialect"]) for c in TABLE["cases"] if c["expect"] == "FAIL"}
    passing = {(c["rule"], c["dialect"]) for c in TABLE["cases"] if c["expect"] == "PASS"}
    assert sorted(expected - review_only - failing) == []
    assert sorted(review_only - passing) == []


def test_cases_name_known_rules_and_dialects() -> None:
    for case in TABLE["cases"]:
        rule = CONFIG_RULES[case["rule"]]
        assert isinstance(rule.check, ConfigCheck)
        assert case["dialect"] in rule.check.dialects(), case


@pytest.mark.parametrize("rule_id", sorted(i for i, r in RULES.items() if isinstance(r.check, ManualCheck)))
def test_manual_rules_always_review_with_evidence(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert isinstance(rule.check, ManualCheck)
    for dialect in ("vrp5", "vrp8", "comware7", "ios"):
        name = _base_name(rule, dialect) if dialect == "vrp5" else dialect
        doc = ConfigDoc(base_text(name), dialect)
        device = DeviceContext("fx", None, dialect, None, None, None, doc, None)
        outcome = rule.check.evaluate(device)
        assert outcome.status == "REVIEW"
        assert outcome.message and outcome.evidence
