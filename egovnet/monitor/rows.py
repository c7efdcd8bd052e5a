"""Raw SNMP values -> labelled rows and metric values, as the plan describes them (pure, no I/O).

Index arcs become labels (integers, named enums, InetAddress pairs with their family and scope),
string columns become labels, numbers are scaled and mapped, counters become rates through
:mod:`egovnet.monitor.rates`, and derived ratios are computed per row. Everything the plan cannot
express (a malformed index, an undecodable string) drops that row or label, never the cycle.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

from egovnet.monitor.metrics import Row
from egovnet.monitor.profiles import IndexPart, TableDef, ValueDef
from egovnet.monitor.rates import Interval, rate
from egovnet.monitor.snmp import END, OID, Value, oid_of

_FAMILIES = {1: "ipv4", 2: "ipv6", 3: "ipv4z", 4: "ipv6z"}
#: Raw counters are kept (and exported) modulo 2^53, the integers a float64 holds exactly
#: (snmp_exporter PR #351); rates are computed from the full-width integers before that.
EXPORT_MASK = 2**53 - 1


def text(value: Value) -> str:
    """A string value as a label: UTF-8 (GBK-safe replacement), NULs stripped; OIDs dotted."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").rstrip("\x00")
    if isinstance(value, tuple):
        return ".".join(str(arc) for arc in value)
    return "" if value is END else str(value)


def _scope(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link_local"
    return "global"


def decode_index(parts: Sequence[IndexPart], suffix: OID) -> dict[str, str] | None:
    """Labels from an index suffix, or ``None`` when the suffix does not fit the index definition."""
    labels: dict[str, str] = {}
    position = 0
    for part in parts:
        if part.type == "inet":
            if position + 2 > len(suffix):
                return None
            family, length = suffix[position], suffix[position + 1]
            raw = suffix[position + 2 : position + 2 + length]
            position += 2 + length
            if len(raw) != length or family not in (1, 2) or any(octet > 255 for octet in raw):
                return None
            try:
                address = ipaddress.ip_address(bytes(raw))
            except ValueError:
                return None
            labels[part.label] = str(address)
            labels["family"] = _FAMILIES[family]
            labels["scope"] = _scope(address)
            continue
        if position >= len(suffix):
            return None
        arc = suffix[position]
        position += 1
        labels[part.label] = part.values.get(arc, str(arc)) if part.type == "enum" else str(arc)
    return labels if position == len(suffix) else None


def number(definition: ValueDef, value: Value) -> float | None:
    """A gauge/timeticks value as exported: mapped, then scaled (timeticks in seconds)."""
    if not isinstance(value, int):
        return None
    if definition.map and value in definition.map:
        return definition.map[value]
    if definition.type == "timeticks":
        return value / 100.0 * definition.scale
    return value * definition.scale


@dataclass
class CounterBook:
    """Counter readings of one device from its previous poll, and discards counted this poll."""

    previous: Mapping[str, int]
    current: dict[str, int] = field(default_factory=dict)
    discards: dict[str, int] = field(default_factory=dict)

    def rate(
        self, key: str, definition: ValueDef, raw: int, elapsed: Interval, ceiling: float | None
    ) -> float | None:
        """Record ``raw`` and return the rate since the previous poll (``None``: discarded)."""
        assert definition.rate is not None
        self.current[key] = raw
        result = rate(
            self.previous.get(key), raw, definition.counter_bits, elapsed, definition.rate.scale, ceiling
        )
        if result.discard is not None:
            self.discards[result.discard] = self.discards.get(result.discard, 0) + 1
        return result.value


def _row_values(
    table: TableDef,
    suffix: OID,
    raw: Mapping[OID, Mapping[OID, Value]],
    book: CounterBook,
    elapsed: Interval,
) -> dict[str, float]:
    values: dict[str, float] = {}
    counters: list[tuple[ValueDef, int]] = []
    for column in table.columns:
        value = raw.get(oid_of(column.oid), {}).get(suffix, END)
        if not isinstance(value, int):
            continue
        if column.counter_bits:
            values[column.metric] = float(value & EXPORT_MASK)
            counters.append((column, value))
        else:
            converted = number(column, value)
            if converted is not None:
                values[column.metric] = converted
    key_prefix = table.name + ":" + ".".join(map(str, suffix)) + ":"
    for column, value in counters:
        assert column.rate is not None
        ceiling = None
        if column.rate.ceiling is not None and column.rate.ceiling.metric in values:
            ceiling = values[column.rate.ceiling.metric] * column.rate.ceiling.scale
        computed = book.rate(key_prefix + column.metric, column, value, elapsed, ceiling)
        if computed is not None:
            values[column.rate.metric] = computed
    for derived in table.derived:
        numerator, denominator = values.get(derived.numerator), values.get(derived.denominator)
        if numerator is not None and denominator:
            values[derived.metric] = numerator / denominator * derived.scale
    return values


def build_rows(
    table: TableDef,
    raw: Mapping[OID, Mapping[OID, Value]],
    book: CounterBook,
    elapsed: Interval,
    links: Mapping[str, Mapping[str, str]],
) -> list[Row]:
    """The rows of ``table`` from raw column values (column OID -> index suffix -> value).

    The row set is the indexes of the fast columns when the table has any (what exists now),
    otherwise those of its slow columns.
    """
    fast = [c for c in table.columns if c.cadence == "fast"] or list(table.columns)
    suffixes: set[OID] = set()
    for column in fast:
        suffixes.update(raw.get(oid_of(column.oid), {}))
    rows: list[Row] = []
    for suffix in sorted(suffixes):
        labels = decode_index(table.index, suffix)
        if labels is None:
            continue
        for lookup in table.lookups:
            value = raw.get(oid_of(lookup.oid), {}).get(suffix)
            if value is not None and value is not END:
                labels[lookup.label] = text(value)
        if table.inventory_links:
            labels.update(links.get(labels.get(table.inventory_links, ""), {}))
        rows.append(Row(labels, _row_values(table, suffix, raw, book, elapsed)))
    return rows


def scalar_values(
    scalars: Sequence[ValueDef],
    raw: Mapping[OID, Value],
    book: CounterBook,
    elapsed: Interval,
    numbers: MutableMapping[str, float],
    strings: MutableMapping[str, str],
) -> None:
    """Convert scalar values into ``numbers`` (gauges, counters and their rates) and ``strings``."""
    for scalar in scalars:
        value = raw.get(oid_of(scalar.oid), END)
        if value is END:
            continue
        if scalar.type == "text":
            strings[scalar.metric] = text(value)
        elif isinstance(value, int) and scalar.counter_bits:
            numbers[scalar.metric] = float(value & EXPORT_MASK)
            if scalar.rate is not None:
                computed = book.rate(":" + scalar.metric, scalar, value, elapsed, None)
                if computed is not None:
                    numbers[scalar.rate.metric] = computed
        else:
            converted = number(scalar, value)
            if converted is not None:
                numbers[scalar.metric] = converted
