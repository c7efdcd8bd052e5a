"""The OID registry's walking rules and the pure derivations, without sockets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from egovnet.lab.model import Faults
from egovnet.lab.snmp.gate import FaultGate
from egovnet.lab.snmp.kinds import split
from egovnet.lab.snmp.mibs import build_registry
from egovnet.lab.snmp.registry import Column, MibRegistry, Missing, Scalar, Table, oid
from egovnet.lab.snmp.responders import estimated_size
from egovnet.lab.snmp.syntax import counter32, counter64, gauge, text


class ToyView:
    """A view whose tables are plain lists, so the test controls rows and applicability."""

    def __init__(self, rows: list[tuple[int, str]], show_b: bool = True) -> None:
        self.rows = rows
        self.show_b = show_b
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        return self._memo.setdefault(key, compute())


def identity(value: Any) -> Any:
    return value


TOY = MibRegistry[ToyView](
    [
        # Deliberately declared out of order: the registry sorts.
        Table(
            oid("1.3.6.1.9.1"),
            "tableB",
            lambda v: v.rows,
            lambda r: (r[0],),
            columns=(Column(2, "colB2", identity, lambda r, v: r[1]),),
            applies=lambda v: v.show_b,
        ),
        Scalar(oid("1.3.6.1.2"), "scalarA", identity, lambda v: "a"),
        Table(
            oid("1.3.6.1.5.1"),
            "tableS",
            lambda v: v.rows,
            lambda r: (r[0], len(r[1])),
            columns=(
                Column(1, "sparse", identity, lambda r, v: r[1] if r[0] % 2 else None),
                Column(3, "name", identity, lambda r, v: r[1]),
            ),
        ),
        Scalar(oid("1.3.6.1.10"), "scalarZ", identity, lambda v: "z"),
    ]
)


def walk_all(registry: MibRegistry[ToyView], view: ToyView) -> list[tuple[tuple[int, ...], Any]]:
    result: list[tuple[tuple[int, ...], Any]] = []
    name: tuple[int, ...] = (0,)
    for _ in range(1000):
        found = registry.next(name, view)
        if found is None:
            return result
        result.append(found)
        name = found[0]
    raise AssertionError("walk did not end")


def test_walk_is_lexicographic_and_skips_empty_cells() -> None:
    view = ToyView([(10, "ten"), (2, "two"), (3, "three")])
    assert walk_all(TOY, view) == [
        ((1, 3, 6, 1, 2, 0), "a"),
        ((1, 3, 6, 1, 5, 1, 1, 3, 5), "three"),  # row 2 has no 'sparse' value: skipped
        ((1, 3, 6, 1, 5, 1, 3, 2, 3), "two"),
        ((1, 3, 6, 1, 5, 1, 3, 3, 5), "three"),
        ((1, 3, 6, 1, 5, 1, 3, 10, 3), "ten"),
        ((1, 3, 6, 1, 9, 1, 2, 2), "two"),
        ((1, 3, 6, 1, 9, 1, 2, 3), "three"),
        ((1, 3, 6, 1, 9, 1, 2, 10), "ten"),
        ((1, 3, 6, 1, 10, 0), "z"),  # 10 sorts after 9 (numerically, not as text)
    ]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ((), (1, 3, 6, 1, 2, 0)),
        ((1, 3, 6, 1, 2), (1, 3, 6, 1, 2, 0)),  # the object itself -> its first instance
        ((1, 3, 6, 1, 2, 0), (1, 3, 6, 1, 5, 1, 1, 3, 5)),
        ((1, 3, 6, 1, 2, 0, 7), (1, 3, 6, 1, 5, 1, 1, 3, 5)),  # beyond the instance
        ((1, 3, 6, 1, 3), (1, 3, 6, 1, 5, 1, 1, 3, 5)),  # a gap between objects
        ((1, 3, 6, 1, 5, 1, 3, 2), (1, 3, 6, 1, 5, 1, 3, 2, 3)),  # a partial index
        ((1, 3, 6, 1, 5, 1, 3, 3, 99), (1, 3, 6, 1, 5, 1, 3, 10, 3)),
        ((1, 3, 6, 1, 9, 1, 2, 10), (1, 3, 6, 1, 10, 0)),
        ((1, 3, 6, 1, 10, 0), None),
        ((2,), None),
    ],
)
def test_getnext_from_anywhere(start: tuple[int, ...], expected: tuple[int, ...] | None) -> None:
    view = ToyView([(10, "ten"), (2, "two"), (3, "three")])
    found = TOY.next(start, view)
    assert (found[0] if found else None) == expected


def test_get_distinguishes_missing_object_from_missing_instance() -> None:
    view = ToyView([(2, "two")], show_b=False)
    assert TOY.get((1, 3, 6, 1, 2, 0), view) == "a"
    assert TOY.get((1, 3, 6, 1, 2, 1), view) is Missing.NO_SUCH_INSTANCE
    assert TOY.get((1, 3, 6, 1, 5, 1, 3, 2, 3), view) == "two"
    assert TOY.get((1, 3, 6, 1, 5, 1, 3, 7, 3), view) is Missing.NO_SUCH_INSTANCE
    assert TOY.get((1, 3, 6, 1, 5, 1, 1, 2, 3), view) is Missing.NO_SUCH_INSTANCE  # empty cell
    assert TOY.get((1, 3, 6, 1, 5, 1, 2, 2, 3), view) is Missing.NO_SUCH_OBJECT  # no such column
    assert TOY.get((1, 3, 6, 1, 9, 1, 2, 2), view) is Missing.NO_SUCH_OBJECT  # not on this device
    assert TOY.get((1, 3, 6, 1), view) is Missing.NO_SUCH_OBJECT
    # ... and a walk skips the inapplicable table entirely
    assert [name for name, _ in walk_all(TOY, view)][-1] == (1, 3, 6, 1, 10, 0)
    assert not any(name[:6] == (1, 3, 6, 1, 9, 1) for name, _ in walk_all(TOY, view))


def test_overlapping_objects_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        MibRegistry(
            [
                Scalar(oid("1.3.6.1.2"), "a", identity, lambda v: 1),
                Scalar(oid("1.3.6.1.2.5"), "b", identity, lambda v: 2),
            ]
        )


def test_served_registry_is_sorted_and_disjoint() -> None:
    bases = build_registry().bases()
    assert bases == sorted(bases)
    assert len(bases) == len(set(bases)) > 100


def test_syntax_wraps_and_caps() -> None:
    assert int(counter32(2**32 + 5)) == 5
    assert int(counter64(2**64 + 7)) == 7
    assert int(gauge(10_000 * 10**6)) == 2**32 - 1
    assert bytes(text("祁山镇")) == "祁山镇".encode()


def test_split_adds_up_and_rounds_half_up() -> None:
    assert split(235, (0.5, 0.3, 0.2)) == [118, 70, 47]
    assert split(94, (0.85, 0.10, 0.05)) == [80, 9, 5]
    assert split(120, (0.1, 0.4, 0.3, 0.1, 0.1)) == [12, 48, 36, 12, 12]
    assert split(7, (0.0, 0.0)) == [0, 0]
    assert sum(split(1001, (1 / 3, 1 / 3, 1 / 3))) == 1001


def test_loss_is_deterministic_per_device() -> None:
    class Device:
        name = "cpe-77"
        faults = Faults(snmp_loss=0.5)

    gate_a, gate_b = FaultGate(Device()), FaultGate(Device())
    outcomes_a = [gate_a.admit(b"x") is not None for _ in range(1000)]
    outcomes_b = [gate_b.admit(b"x") is not None for _ in range(1000)]
    assert outcomes_a == outcomes_b
    assert 400 < sum(outcomes_a) < 600
    Device.faults.snmp_loss = 1.0
    assert all(gate_a.admit(b"x") is None for _ in range(100))
    Device.faults.snmp_loss = 0.0
    assert all(gate_a.admit(b"x") == b"x" for _ in range(100))


def test_size_estimate_is_an_upper_bound() -> None:
    from pyasn1.codec.ber import encoder
    from pysnmp.proto import rfc1902
    from pysnmp.proto.api import v2c

    samples = [
        (rfc1902.ObjectName((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 100000)), counter64(2**63)),
        (rfc1902.ObjectName((1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 10, 0, 3, 1)), text("x" * 300)),
        (
            rfc1902.ObjectName((1, 3, 6, 1, 2, 1, 4, 34, 1, 5, 2, 16, *range(240, 256))),
            rfc1902.ObjectIdentifier((1, 3, 6, 1, 2, 1, 4, 32, 1, 5, 7, 2, 16, *range(240, 256), 64)),
        ),
    ]
    for name, value in samples:
        var_bind = v2c.VarBind()
        v2c.apiVarBind.set_oid_value(var_bind, (name, value))
        assert estimated_size(name, value) >= len(encoder.encode(var_bind))
