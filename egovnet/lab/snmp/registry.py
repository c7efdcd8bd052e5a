"""An OID -> getter registry that answers GET and GETNEXT in strict lexicographic order.

Every MIB object the twin serves is declared once, as data: a :class:`Scalar` or a :class:`Table` of
:class:`Column` getters. The registry flattens them into one sorted list of *nodes* (a scalar, or one
column of a table) whose base OIDs never nest, so that

* GET is a binary search for the node whose base is a prefix of the requested OID, then a lookup of the
  instance suffix (``.0`` or the row index) in that node;
* GETNEXT is a binary search for the node holding the OID (or the first one after it), then the first
  instance suffix greater than the requested one, falling through to the following nodes.

Tuple comparison in Python is exactly SNMP's lexicographic OID order (a prefix sorts first), so
nothing here needs a custom comparator. Values are computed from a per-request *view* of one device
(see :mod:`egovnet.lab.snmp.view`); the registry knows nothing about devices, which keeps the walking
logic testable on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import pairwise
from typing import Any, Generic, Protocol, TypeVar

OID = tuple[int, ...]


class RowCache(Protocol):
    """What the registry needs from a view: a per-request memo for computed table rows."""

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Return the value cached under ``key``, computing it once per request."""
        ...


V = TypeVar("V", bound=RowCache)
R = TypeVar("R")


def oid(text: str) -> OID:
    """``"1.3.6.1"`` -> ``(1, 3, 6, 1)``; MIB definitions read better as dotted strings."""
    return tuple(int(part) for part in text.strip(".").split("."))


def under(base: OID, *subs: int) -> OID:
    """The OID ``subs`` below ``base``: ``under(ifEntry, 2)`` is ifDescr."""
    return (*base, *subs)


def always(_view: Any) -> bool:
    """The default applicability predicate: the object exists on every device."""
    return True


@dataclass(frozen=True)
class Scalar(Generic[V]):
    """A scalar object; its single instance is ``oid.0``.

    Attributes:
        oid: the object identifier (without the ``.0`` instance suffix).
        name: the MIB descriptor, for error messages and documentation.
        syntax: a callable turning the getter's plain value into an SNMP value (``rfc1902.Gauge32``...).
        get: computes the plain value from the view.
        applies: whether the object exists on this device at all (``noSuchObject`` otherwise).
    """

    oid: OID
    name: str
    syntax: Callable[[Any], Any]
    get: Callable[[V], Any]
    applies: Callable[[V], bool] = always


@dataclass(frozen=True)
class Column(Generic[V, R]):
    """One accessible column of a table.

    Attributes:
        sub: the column number under the table's entry OID.
        name: the MIB descriptor.
        syntax: converts the plain value into an SNMP value.
        get: computes the plain value from one row (and the view); ``None`` leaves the cell empty.
    """

    sub: int
    name: str
    syntax: Callable[[Any], Any]
    get: Callable[[R, V], Any]


@dataclass(frozen=True)
class Table(Generic[V, R]):
    """A conceptual table: rows computed from the view, indexed by an OID suffix.

    Attributes:
        entry: the OID of the table's entry (``ifEntry`` = 1.3.6.1.2.1.2.2.1).
        name: the MIB descriptor of the table.
        rows: computes the row objects of this device at request time.
        index: the instance suffix of a row (``(ifIndex,)``, ``(addrType, len, *octets)``...).
        columns: the accessible columns; not-accessible index columns are simply not listed.
        applies: whether the table exists on this device at all.
    """

    entry: OID
    name: str
    rows: Callable[[V], Iterable[R]]
    index: Callable[[R], OID]
    columns: Sequence[Column[V, R]]
    applies: Callable[[V], bool] = always

    def sorted_rows(self, view: V) -> tuple[list[OID], list[R]]:
        """Row indices in lexicographic order plus the rows, computed once per request."""

        def compute() -> tuple[list[OID], list[R]]:
            pairs = sorted(((self.index(row), row) for row in self.rows(view)), key=lambda p: p[0])
            return [p[0] for p in pairs], [p[1] for p in pairs]

        result: tuple[list[OID], list[R]] = view.memo("rows:" + self.name, compute)
        return result


MibObject = Scalar[Any] | Table[Any, Any]


class Missing(Enum):
    """Why a GET found no value: the SNMP exception value to answer with."""

    NO_SUCH_OBJECT = "noSuchObject"
    NO_SUCH_INSTANCE = "noSuchInstance"


@dataclass(frozen=True)
class _Node(Generic[V]):
    """A leaf of the flattened registry: one scalar or one table column."""

    base: OID
    scalar: Scalar[V] | None = None
    table: Table[V, Any] | None = None
    column: Column[V, Any] | None = None

    def applies(self, view: V) -> bool:
        if self.scalar is not None:
            return self.scalar.applies(view)
        assert self.table is not None
        return self.table.applies(view)

    def value_at(self, suffix: OID, view: V) -> Any:
        """The SNMP value of instance ``suffix`` or a :class:`Missing` marker."""
        if self.scalar is not None:
            if suffix != (0,):
                return Missing.NO_SUCH_INSTANCE
            return self.scalar.syntax(self.scalar.get(view))
        assert self.table is not None and self.column is not None
        indices, rows = self.table.sorted_rows(view)
        position = bisect_left(indices, suffix)
        if position == len(indices) or indices[position] != suffix:
            return Missing.NO_SUCH_INSTANCE
        plain = self.column.get(rows[position], view)
        return Missing.NO_SUCH_INSTANCE if plain is None else self.column.syntax(plain)

    def first_after(self, suffix: OID | None, view: V) -> tuple[OID, Any] | None:
        """The first instance strictly after ``suffix`` (``None``: the first of all) and its value."""
        if self.scalar is not None:
            if suffix is not None and suffix >= (0,):
                return None
            return (0,), self.scalar.syntax(self.scalar.get(view))
        assert self.table is not None and self.column is not None
        indices, rows = self.table.sorted_rows(view)
        start = 0 if suffix is None else bisect_right(indices, suffix)
        for position in range(start, len(indices)):
            plain = self.column.get(rows[position], view)
            if plain is not None:
                return indices[position], self.column.syntax(plain)
        return None


@dataclass
class MibRegistry(Generic[V]):
    """All served objects, flattened and sorted; answers GET and GETNEXT for one view at a time."""

    objects: Sequence[MibObject]
    _nodes: list[_Node[V]] = field(init=False, repr=False)
    _bases: list[OID] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        nodes: list[_Node[V]] = []
        for obj in self.objects:
            if isinstance(obj, Scalar):
                nodes.append(_Node(obj.oid, scalar=obj))
            else:
                nodes.extend(_Node(under(obj.entry, col.sub), table=obj, column=col) for col in obj.columns)
        nodes.sort(key=lambda node: node.base)
        for before, after in pairwise(nodes):
            if after.base[: len(before.base)] == before.base:
                raise ValueError(f"MIB nodes overlap: {before.base} contains {after.base}")
        self._nodes = nodes
        self._bases = [node.base for node in nodes]

    def bases(self) -> list[OID]:
        """The base OID of every scalar and column, sorted (documentation and tests)."""
        return list(self._bases)

    def _containing(self, name: OID) -> tuple[int, _Node[V] | None]:
        """Index of the first node after ``name`` and the node whose base prefixes ``name``."""
        position = bisect_right(self._bases, name)
        if position:
            candidate = self._nodes[position - 1]
            if name[: len(candidate.base)] == candidate.base:
                return position, candidate
        return position, None

    def get(self, name: OID, view: V) -> Any:
        """The value of instance ``name`` or a :class:`Missing` marker."""
        _, node = self._containing(name)
        if node is None or not node.applies(view):
            return Missing.NO_SUCH_OBJECT
        return node.value_at(name[len(node.base) :], view)

    def next(self, name: OID, view: V) -> tuple[OID, Any] | None:
        """The first instance after ``name`` in lexicographic order, or ``None`` at the end of the MIB."""
        position, node = self._containing(name)
        if node is not None and node.applies(view):
            found = node.first_after(name[len(node.base) :], view)
            if found is not None:
                return node.base + found[0], found[1]
        for candidate in self._nodes[position:]:
            if not candidate.applies(view):
                continue
            found = candidate.first_after(None, view)
            if found is not None:
                return candidate.base + found[0], found[1]
        return None
