"""The small expression language of indicators and alert rules: selectors and comparisons.

Deliberately not a general expression evaluator (nothing is ``eval``-ed): a test is

* ``metric OP number`` on a device's scalar, e.g. ``egovnet_cpe_rsrp_dbm >= -105``, or
* ``AGG(metric{label=value,label!=value}) OP number`` over a device's series, with AGG one of
  ``count``, ``sum``, ``min``, ``max``, e.g. ``count(egovnet_ip_address_ifindex{family=ipv6}) >= 1``,

and a condition is ``OP number`` (``== 1``). Parsing fails loudly with the offending text, so a typo
in ``indicators.yml`` or ``alerts.yml`` is an error at load time, not a silently false indicator.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from egovnet.monitor.metrics import short_name

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
AGGREGATES: dict[str, Callable[[list[float]], float]] = {
    "count": lambda values: float(len(values)),
    "sum": lambda values: float(sum(values)),
    "min": min,
    "max": max,
}

_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_OP = r"==|!=|>=|<=|>|<"
_SELECTOR = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(?:\{([^}]*)\})?\s*$")
_TEST = re.compile(rf"^\s*(?:(count|sum|min|max)\((.+)\)|([^()]+?))\s*({_OP})\s*({_NUMBER})\s*$")
_CONDITION = re.compile(rf"^\s*({_OP})\s*({_NUMBER})\s*$")
_MATCHER = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(=|!=)\s*\"?([^\"]*?)\"?\s*$")


class ExpressionError(ValueError):
    """An expression that does not parse; the message quotes it."""


@dataclass(frozen=True)
class Selector:
    """A metric and label matchers: ``egovnet_if_oper_status{link_role!=,ifname=GE0}``.

    A matcher with an empty value tests presence: ``link_role!=`` means "has a link_role".
    """

    metric: str
    equal: tuple[tuple[str, str], ...] = ()
    not_equal: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Selector:
        """Parse ``metric{a=b,c!=d}``."""
        match = _SELECTOR.match(text)
        if not match:
            raise ExpressionError(f"not a metric selector: {text!r}")
        equal: list[tuple[str, str]] = []
        not_equal: list[tuple[str, str]] = []
        for item in filter(str.strip, (match.group(2) or "").split(",")):
            parsed = _MATCHER.match(item)
            if not parsed:
                raise ExpressionError(f"not a label matcher: {item!r} in {text!r}")
            (equal if parsed.group(2) == "=" else not_equal).append((parsed.group(1), parsed.group(3)))
        return cls(short_name(match.group(1)), tuple(equal), tuple(not_equal))

    @classmethod
    def of(cls, metric: str, match: Mapping[str, str] | None = None) -> Selector:
        """A selector from a metric and a mapping of equality matchers."""
        return cls(short_name(metric), tuple(sorted((match or {}).items())))

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether a series' labels satisfy every matcher."""
        return all(labels.get(k, "") == v for k, v in self.equal) and all(
            labels.get(k, "") != v for k, v in self.not_equal
        )


@dataclass(frozen=True)
class Condition:
    """``OP number``."""

    op: str
    threshold: float

    @classmethod
    def parse(cls, text: str) -> Condition:
        """Parse ``>= -105``."""
        match = _CONDITION.match(text)
        if not match:
            raise ExpressionError(f"not a condition (OP number): {text!r}")
        return cls(match.group(1), float(match.group(2)))

    def holds(self, value: float) -> bool:
        """Whether ``value OP threshold``."""
        return OPERATORS[self.op](value, self.threshold)

    def __str__(self) -> str:
        return f"{self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Check:
    """``[AGG(]selector[)] OP number`` on one device."""

    selector: Selector
    condition: Condition
    aggregate: str | None = None
    text: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> Check:
        """Parse ``count(m{a=b}) >= 1`` or ``m >= 1``."""
        match = _TEST.match(text)
        if not match:
            raise ExpressionError(f"not a test (metric OP number): {text!r}")
        aggregate, inner, bare, op, number = match.groups()
        selector = Selector.parse(inner if aggregate else bare)
        return cls(selector, Condition(op, float(number)), aggregate, text.strip())

    def evaluate(self, series: Iterable[tuple[Mapping[str, str], float]]) -> bool:
        """Whether the test holds over a device's series of the metric (no series: false, or count 0)."""
        values = [value for labels, value in series if self.selector.matches(labels)]
        if self.aggregate is None:
            return len(values) == 1 and self.condition.holds(values[0])
        if not values and self.aggregate != "count":
            return False
        return self.condition.holds(AGGREGATES[self.aggregate](values))
