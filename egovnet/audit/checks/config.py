"""``kind: config``: required and forbidden lines per dialect, inside sections, with thresholds.

A rule lists, per dialect, assertions that must all hold. Each assertion is one typed record whose
key names its kind::

    ios:
      - in: {path: ['^line vty '], each: true}      # every VTY section ...
        require: '^transport input ssh$'           # ... must carry this line
      - forbid: '^ip http server$'
      - setting: telnet server                     # contradictory lines: the last one wins
        enable: '^telnet server enable$'
        disable: '^undo telnet server enable$'
        want: disabled
        default: disabled                          # what an absent line means on this dialect
      - number: '^exec-timeout (?P<min>\\d+) (?P<sec>\\d+)$'
        factors: {min: 1, sec: 0.016667}
        op: '<='
        value: 10
        zero_is_never: true                        # exec-timeout 0 0 never logs out
      - ref: '^access-class (?P<name>\\S+) in$'     # follow a reference to its section
        section: '^ip access-list \\S+ {name}$'
        then: [{forbid: '^permit any$'}]
      - any_of: [[...], [...]]                     # one alternative must hold
      - review: two-factor login needs the bastion's records
        evidence: ['^hwtacacs']

Patterns are Python regular expressions searched in each line's text (indentation removed);
``in`` scopes an assertion to the sections reached by a chain of header patterns. Missing
sections give ``missing`` (REVIEW by default: a config that lacks the section cannot prove the
rule either way, research note security.md §1.6).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from egovnet.audit.checks.base import CheckModel, DeviceCheck, Outcome
from egovnet.audit.configdoc import ConfigDoc, Located
from egovnet.audit.context import DeviceContext
from egovnet.audit.results import Evidence, Status, worst

Regex = re.Pattern[str]
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "==": operator.eq,
}


def _named_groups(text: str) -> str:
    """``(?P<host>[0-9.]+)`` -> ``<host>`` (balanced parentheses)."""
    while (start := text.find("(?P<")) >= 0:
        name_end = text.index(">", start)
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0) if text[end - 1 : end] != "\\" else 0
            if depth == 0:
                break
        text = text[:start] + f"<{text[start + 4 : name_end]}>" + text[end + 1 :]
    return text


def _show(pattern: Regex) -> str:
    """A pattern as an engineer reads it: ``'info-center loghost <host>'``."""
    text = _named_groups(pattern.pattern.removeprefix("^").removesuffix("$"))
    for regex, plain in ((r"\d+", "N"), (r"\S+", "X"), (r"\s+", " "), (r"\s", " "), ("\\", "")):
        text = text.replace(regex, plain)
    return f"'{text}'"


class Scope(CheckModel):
    """Where an assertion looks: sections reached by one header pattern per nesting level.

    Attributes:
        path: header patterns, outermost first (``['^aaa$', '^local-aaa-user password policy']``).
        each: every matching section must satisfy the assertion (else: at least one).
        where / unless: keep only sections that have (do not have) a child line matching.
        missing: the status when no section matches.
    """

    path: list[Regex]
    each: bool = True
    where: Regex | None = None
    unless: Regex | None = None
    missing: Status = "REVIEW"

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"path": [value]}
        if isinstance(value, list):
            return {"path": value}
        return value

    def describe(self) -> str:
        text = " > ".join(p.pattern for p in self.path)
        if self.where is not None:
            text += f" having /{self.where.pattern}/"
        if self.unless is not None:
            text += f" without /{self.unless.pattern}/"
        return text

    def select(self, doc: ConfigDoc, start: Located) -> list[Located]:
        found = doc.sections(self.path, start)
        if self.where is not None:
            where = self.where
            found = [s for s in found if doc.lines(s, where)]
        if self.unless is not None:
            unless = self.unless
            found = [s for s in found if not doc.lines(s, unless)]
        return found


class Assertion(CheckModel):
    """Common fields: an optional scope and a human description used in messages."""

    in_: Scope | None = Field(None, alias="in")
    say: str | None = None

    def describe(self) -> str:
        raise NotImplementedError

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        """Evaluate in one section (or at the top level)."""
        raise NotImplementedError

    def run(self, doc: ConfigDoc, start: Located) -> Outcome:
        """Evaluate, applying the scope."""
        if self.in_ is None:
            return self.check(doc, start)
        sections = self.in_.select(doc, start)
        if not sections:
            where = self.in_.describe()
            return Outcome(self.in_.missing, f"no section {where}", [Evidence(f"missing section: {where}")])
        outcomes = [self.check(doc, section) for section in sections]
        if not self.in_.each:
            passing = [o for o in outcomes if o.status == "PASS"]
            if passing:
                return Outcome("PASS", passing[0].message, [e for o in passing for e in o.evidence])
        return _combine(outcomes)


def _combine(outcomes: Sequence[Outcome]) -> Outcome:
    """All must hold: the worst status, with the messages and evidence of the outcomes that gave it.

    A FAIL shows only what failed (not the lines that were fine); a PASS shows everything that
    proved it.
    """
    status = worst([o.status for o in outcomes])
    deciding = [o for o in outcomes if o.status == status]
    messages = list(dict.fromkeys(o.message for o in deciding if o.message))
    return Outcome(status, "; ".join(messages), [e for o in deciding for e in o.evidence])


def _missing(doc: ConfigDoc, here: Located, what: str) -> Evidence:
    section = tuple(p.text for p in (*here.parents, here.node) if p is not doc.root)
    return Evidence(f"missing: {what}", None, section)


class Require(Assertion):
    """At least ``min`` lines (or ``min`` distinct values of group ``distinct``) match."""

    require: Regex
    min: int = Field(1, ge=1)
    distinct: str | None = None
    missing: Status = "FAIL"

    def describe(self) -> str:
        return self.say or _show(self.require)

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        found = doc.lines(here, self.require)
        if self.distinct is not None:
            group = self.distinct
            count = len(
                {m.group(group) for f in found if (m := self.require.search(f.text)) and m.group(group)}
            )
        else:
            count = len(found)
        evidence = [doc.evidence(f) for f in found]
        if count >= self.min:
            return Outcome("PASS", f"found {self.describe()}", evidence)
        need = f" ({count} of {self.min})" if self.min > 1 else ""
        return Outcome(
            self.missing,
            f"missing {self.describe()}{need}",
            [*evidence, _missing(doc, here, self.describe())],
        )


class Forbid(Assertion):
    """No line matches."""

    forbid: Regex

    def describe(self) -> str:
        return self.say or _show(self.forbid)

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        found = doc.lines(here, self.forbid)
        if found:
            return Outcome("FAIL", f"forbidden {self.describe()}", [doc.evidence(f) for f in found])
        return Outcome("PASS", f"no {self.describe()}", [])


class Setting(Assertion):
    """An on/off feature written as contradictory lines: the last matching line wins.

    ``default`` is what the dialect does when neither line is printed; ``unknown`` gives REVIEW
    (the default depends on the release: read the runtime state).
    """

    setting: str
    enable: Regex
    disable: Regex
    want: Literal["enabled", "disabled"]
    default: Literal["enabled", "disabled", "unknown"] = "unknown"

    def describe(self) -> str:
        return self.say or self.setting

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        on = doc.lines(here, self.enable)
        off = doc.lines(here, self.disable)
        if on or off:
            order = {id(child): i for i, child in enumerate(here.node.children)}
            last = max([*on, *off], key=lambda f: order[id(f.node)])
            state = "enabled" if any(last.node is f.node for f in on) else "disabled"
            # The deciding line first (it is the finding's location), then the lines it overrides.
            earlier = sorted(
                (f for f in [*on, *off] if f.node is not last.node), key=lambda f: order[id(f.node)]
            )
            evidence = [doc.evidence(last), *(doc.evidence(f) for f in earlier)]
            if earlier:
                evidence.append(Evidence(f"last line wins: {evidence[0].text}"))
        elif self.default == "unknown":
            return Outcome(
                "REVIEW",
                f"{self.describe()}: not in the configuration and the default depends on the release",
                [_missing(doc, here, f"{_show(self.enable)} or {_show(self.disable)}")],
            )
        else:
            state = self.default
            evidence = [Evidence(f"not configured: {self.describe()} is {state} by default")]
        status: Status = "PASS" if state == self.want else "FAIL"
        return Outcome(status, f"{self.describe()} {state}", evidence)


class Number(Assertion):
    """A numeric threshold on the last matching line: ``value(line) <op> value``.

    The line's value is the sum of its named groups times ``factors`` (``idle-timeout M S`` ->
    minutes). ``zero_is_never``: 0 means "no limit" (``idle-timeout 0 0``) and fails an upper bound.
    ``default``: the value a device uses when the line is absent (``None``: absence gives ``missing``).
    """

    number: Regex
    op: Literal["<=", "<", ">=", ">", "=="]
    value: float
    factors: dict[str, float] = Field(default_factory=lambda: {"value": 1.0})
    zero_is_never: bool = False
    default: float | None = None
    missing: Status = "FAIL"

    def describe(self) -> str:
        return self.say or _show(self.number)

    def _measure(self, text: str) -> float:
        match = self.number.search(text)
        assert match is not None
        return sum(float(match.group(g) or 0) * f for g, f in self.factors.items())

    def _judge(self, measured: float) -> Status:
        if self.zero_is_never and measured == 0:
            return "FAIL"
        return "PASS" if _OPS[self.op](measured, self.value) else "FAIL"

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        found = doc.lines(here, self.number)
        if not found:
            if self.default is None:
                return Outcome(
                    self.missing, f"missing {self.describe()}", [_missing(doc, here, self.describe())]
                )
            status = self._judge(self.default)
            return Outcome(
                status,
                f"{self.describe()}: not configured, default {self.default:g} {self.op} {self.value:g}",
                [Evidence(f"not configured: default {self.default:g} applies")],
            )
        measured = self._measure(found[-1].text)
        status = self._judge(measured)
        never = " (0 = never)" if self.zero_is_never and measured == 0 else ""
        verdict = "within" if status == "PASS" else "violates"
        return Outcome(
            status,
            f"{self.describe()}: {measured:g}{never} {verdict} {self.op} {self.value:g}",
            [doc.evidence(f) for f in found],
        )


class Lines(Assertion):
    """Every line matching ``lines`` must match ``must`` and must not match ``must_not``."""

    lines: Regex
    must: Regex | None = None
    must_not: Regex | None = None
    missing: Status = "REVIEW"

    def describe(self) -> str:
        return self.say or _show(self.lines)

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        found = doc.lines(here, self.lines)
        if not found:
            return Outcome(self.missing, f"no {self.describe()}", [_missing(doc, here, self.describe())])
        bad = [
            f
            for f in found
            if (self.must is not None and not self.must.search(f.text))
            or (self.must_not is not None and self.must_not.search(f.text))
        ]
        if bad:
            return Outcome(
                "FAIL", f"{len(bad)} {self.describe()} line(s) non-compliant", [doc.evidence(f) for f in bad]
            )
        return Outcome("PASS", f"every {self.describe()} line compliant", [doc.evidence(f) for f in found])


@lru_cache(maxsize=4096)
def _target(template: str, name: str) -> Regex:
    return re.compile(template.replace("{name}", re.escape(name)))


class Reference(Assertion):
    """Follow a reference (group ``name`` of ``ref``) to the top-level section it names, check it."""

    ref: Regex
    section: str
    then: list[AnyAssertion] = Field(default_factory=list)
    missing: Status = "FAIL"
    unreferenced: Status = "PASS"

    def describe(self) -> str:
        return self.say or _show(self.ref)

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        found = doc.lines(here, self.ref)
        if not found:
            return Outcome(self.unreferenced, f"no {self.describe()}", [])
        outcomes: list[Outcome] = []
        for line in found:
            match = self.ref.search(line.text)
            assert match is not None
            name = match.group("name")
            target = _target(self.section, name)
            sections = doc.sections([target])
            if not sections:
                outcomes.append(
                    Outcome(
                        self.missing,
                        f"{redacted(doc, line)} refers to {name}, which is not configured",
                        [doc.evidence(line), Evidence(f"missing section: {target.pattern}")],
                    )
                )
                continue
            inner = _combine([a.run(doc, sections[0]) for a in self.then]) if self.then else Outcome("PASS")
            outcomes.append(Outcome(inner.status, inner.message, [doc.evidence(line), *inner.evidence]))
        return _combine(outcomes)


def redacted(doc: ConfigDoc, line: Located) -> str:
    return doc.evidence(line).text


class Review(Assertion):
    """Always REVIEW: the configuration cannot prove the rule; ``evidence`` lines support a reviewer."""

    review: str
    evidence: list[Regex] = Field(default_factory=list)

    def describe(self) -> str:
        return self.say or self.review

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        lines = [doc.evidence(found) for pattern in self.evidence for found in doc.search(pattern)]
        return Outcome(
            "REVIEW", self.review.strip(), lines or [Evidence("no supporting configuration found")]
        )


class AnyOf(Assertion):
    """At least one alternative (a list of assertions that must all hold) holds."""

    any_of: list[list[AnyAssertion]]

    def describe(self) -> str:
        return self.say or "one of the alternatives"

    def check(self, doc: ConfigDoc, here: Located) -> Outcome:
        outcomes = [_combine([a.run(doc, here) for a in alternative]) for alternative in self.any_of]
        for outcome in outcomes:
            if outcome.status == "PASS":
                return outcome
        # None holds: an alternative that cannot be decided (REVIEW) outranks the failed ones.
        undecided = [o for o in outcomes if o.status == "REVIEW"]
        return _combine(undecided or outcomes)


_KEYS = ("require", "forbid", "setting", "number", "lines", "ref", "review", "any_of")


def _assertion_key(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((key for key in _KEYS if key in value), None)
    return next((key for key in _KEYS if hasattr(value, key)), None)


AnyAssertion = Annotated[
    Annotated[Require, Tag("require")]
    | Annotated[Forbid, Tag("forbid")]
    | Annotated[Setting, Tag("setting")]
    | Annotated[Number, Tag("number")]
    | Annotated[Lines, Tag("lines")]
    | Annotated[Reference, Tag("ref")]
    | Annotated[Review, Tag("review")]
    | Annotated[AnyOf, Tag("any_of")],
    Discriminator(_assertion_key),
]
Reference.model_rebuild()
AnyOf.model_rebuild()

DIALECTS = ("vrp5", "vrp8", "comware7", "ios")


class ConfigCheck(DeviceCheck):
    """Assertions per dialect, all of which must hold; a dialect without an entry is not checked."""

    kind: Literal["config"]
    vrp5: list[AnyAssertion] | None = None
    vrp8: list[AnyAssertion] | None = None
    comware7: list[AnyAssertion] | None = None
    ios: list[AnyAssertion] | None = None

    def dialects(self) -> frozenset[str]:
        return frozenset(d for d in DIALECTS if getattr(self, d) is not None)

    def assertions(self, dialect: str) -> list[Any]:
        found: list[Any] | None = getattr(self, dialect, None)
        if found is None:
            raise KeyError(f"no assertions for dialect {dialect}")
        return found

    def evaluate(self, device: DeviceContext) -> Outcome:
        doc = device.doc
        if doc is None or device.dialect is None:
            return Outcome("REVIEW", "no configuration was collected")
        return evaluate_assertions(self.assertions(device.dialect), doc)


def evaluate_assertions(assertions: Sequence[Any], doc: ConfigDoc) -> Outcome:
    """All assertions at the top level of ``doc``, combined (FAIL > REVIEW > PASS)."""
    return _combine([assertion.run(doc, doc.top) for assertion in assertions])
