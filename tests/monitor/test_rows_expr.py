"""Raw values to labelled rows (index, lookups, links, rates, ratios) and the test/selector language."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovnet.monitor.expr import Check, Condition, ExpressionError, Selector
from egovnet.monitor.plan import load_plan
from egovnet.monitor.profiles import IndexPart, TableDef
from egovnet.monitor.rates import Interval
from egovnet.monitor.rows import CounterBook, build_rows, decode_index, text
from egovnet.monitor.snmp import Value, oid_of


@pytest.fixture(scope="module")
def interface_table(repo: Path) -> TableDef:
    plan = load_plan(repo / "monitors" / "poll-plan.yml")
    return next(t for t in plan.modules["if_mib"].tables if t.name == "interface")


def test_index_decoding() -> None:
    inet = [IndexPart(label="address", type="inet")]
    assert decode_index(inet, (2, 16, 0xFE, 0x80, *([0] * 13), 1)) == {
        "address": "fe80::1",
        "family": "ipv6",
        "scope": "link_local",
    }
    assert decode_index(inet, (1, 4, 10, 99, 0, 1)) == {
        "address": "10.99.0.1",
        "family": "ipv4",
        "scope": "global",
    }
    assert decode_index(inet, (1, 4, 10, 99)) is None  # short
    enum = [IndexPart(label="area", type="enum", values={1: "urban", 2: "rural"}), IndexPart(label="n")]
    assert decode_index(enum, (2, 7)) == {"area": "rural", "n": "7"}
    assert decode_index(enum, (2, 7, 1)) is None  # too long


def test_text_labels() -> None:
    assert text("祁山镇".encode()) == "祁山镇"
    assert text(b"GE0/0/1\x00") == "GE0/0/1"
    assert text((1, 3, 6, 1)) == "1.3.6.1"


def test_rows_join_the_inventory_and_compute_rates_and_ratios(interface_table: TableDef) -> None:
    col = {c.metric: oid_of(c.oid) for c in interface_table.columns}
    name = oid_of(interface_table.lookups[0].oid)
    raw: dict[tuple[int, ...], dict[tuple[int, ...], Value]] = {
        name: {(1,): b"GE0/0/1", (2,): b"GE0/0/2"},
        col["if_admin_status"]: {(1,): 1, (2,): 1},
        col["if_oper_status"]: {(1,): 1, (2,): 2},
        col["if_high_speed_mbps"]: {(1,): 1000, (2,): 1000},
        col["if_in_octets"]: {(1,): 2_000_000_000},  # the down port's counters are not read (active rows)
        col["if_out_octets"]: {(1,): 2**60 + 5},
    }
    links = {
        "GE0/0/1": {"link": "a:GE0/0/1--b:GE1", "link_role": "primary", "peer": "b", "peer_interface": "GE1"}
    }
    book = CounterBook({"interface:1:if_in_octets": 1_250_000_000})
    rows = build_rows(interface_table, raw, book, Interval(60.0), links)
    assert [r.labels["ifname"] for r in rows] == ["GE0/0/1", "GE0/0/2"]
    up, down = rows
    assert up.labels["link_role"] == "primary" and "link" not in down.labels
    assert up.values["if_in_bits_per_second"] == pytest.approx(100e6)  # 750 MB in 60 s
    assert up.values["if_in_utilisation_percent"] == pytest.approx(10.0)
    assert "if_in_octets" not in down.values and down.values["if_oper_status"] == 2
    assert up.values["if_out_octets"] == 5.0  # raw counters are exported modulo 2^53 (float64-exact)
    assert book.current == {"interface:1:if_in_octets": 2_000_000_000, "interface:1:if_out_octets": 2**60 + 5}


def test_selectors_conditions_and_tests() -> None:
    selector = Selector.parse('egovnet_if_oper_status{link!=,link_role="primary"}')
    assert selector.metric == "if_oper_status"
    assert selector.matches({"link": "x", "link_role": "primary"})
    assert not selector.matches({"link_role": "primary"})  # no link label
    assert Condition.parse("!= 1").holds(2) and not Condition.parse(">= -105").holds(-110)
    count = Check.parse("count(egovnet_ip_address_ifindex{family=ipv6,scope=global}) >= 1")
    series = [({"family": "ipv6", "scope": "link_local"}, 3.0), ({"family": "ipv4", "scope": "global"}, 3.0)]
    assert not count.evaluate(series)
    assert count.evaluate([*series, ({"family": "ipv6", "scope": "global"}, 3.0)])
    scalar = Check.parse("egovnet_cpe_rsrp_dbm >= -105")
    assert scalar.evaluate([({}, -100.0)]) and not scalar.evaluate([]) and not scalar.evaluate([({}, -110.0)])


@pytest.mark.parametrize(
    "bad", ["rsrp >", "count(x >= 1", "x{a~b} == 1", "__import__('os') == 1", "x == one"]
)
def test_expressions_fail_loudly(bad: str) -> None:
    with pytest.raises(ExpressionError):
        Check.parse(bad)
