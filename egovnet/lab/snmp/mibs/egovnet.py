"""EGOVNET-LAB-MIB: what the plan's indicators need that no standard MIB carries.

The OIDs sit under the placeholder enterprise number 99999 (documented as such in
``monitors/mibs/EGOVNET-LAB-MIB.txt``, which must stay in step with this table; a test resolves every
name below through ``snmptranslate`` and compares the OIDs). Each group exists only on its kind of
device: WLC tables on role ``wlc``, radio scalars on platform ``cpe_5g``, subscriber tables on platform
``huawei_smartax``; elsewhere a GET answers noSuchObject and a walk skips the group.
"""

from __future__ import annotations

from egovnet.lab.snmp import kinds
from egovnet.lab.snmp.registry import Column, MibObject, Scalar, Table, oid, under
from egovnet.lab.snmp.syntax import gauge, integer, text, unsigned
from egovnet.lab.snmp.view import DeviceView

EGOVNET_ENTERPRISE = oid("1.3.6.1.4.1.99999")  # placeholder private enterprise number
EGOVNET_LAB_MIB = under(EGOVNET_ENTERPRISE, 2)
OBJECTS = under(EGOVNET_LAB_MIB, 1)
WLC, CPE, OLT = under(OBJECTS, 1), under(OBJECTS, 2), under(OBJECTS, 3)

# (name, lower bound, upper bound or 0 = unbounded) in Mb/s, in index order 1..5.
RATE_BOUNDS = {
    "lt100": (0, 100),
    "from100to200": (100, 200),
    "from200to500": (200, 500),
    "from500to1000": (500, 1000),
    "ge1000": (1000, 0),
}


def is_wlc(view: DeviceView) -> bool:
    """The wireless-controller group applies to role ``wlc``."""
    return bool(view.spec.role == "wlc")


def is_cpe(view: DeviceView) -> bool:
    """The radio group applies to platform ``cpe_5g``."""
    return bool(view.spec.platform == "cpe_5g")


def is_olt(view: DeviceView) -> bool:
    """The subscriber group applies to platform ``huawei_smartax``."""
    return bool(view.spec.platform == "huawei_smartax")


def _aps(view: DeviceView) -> list[kinds.AccessPoint]:
    result: list[kinds.AccessPoint] = view.memo(
        "wlc:aps", lambda: kinds.access_points(view.network, view.device)
    )
    return result


def _cell(view: DeviceView) -> kinds.Cell:
    result: kinds.Cell = view.memo("cpe:cell", lambda: kinds.cell(view.network, view.device, view.states))
    return result


def _cube(view: DeviceView) -> dict[tuple[str, str, str], int]:
    result: dict[tuple[str, str, str], int] = view.memo("olt:cube", lambda: kinds.subscribers(view.device))
    return result


def _ordinal(names: tuple[str, ...], name: str) -> int:
    return names.index(name) + 1


def _totals(view: DeviceView, axis: int, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """(ordinal, subscribers) summed over the cube along one axis (0 area, 1 technology, 2 rate)."""
    sums = dict.fromkeys(names, 0)
    for key, count in _cube(view).items():
        sums[key[axis]] += count
    return [(_ordinal(names, name), count) for name, count in sums.items()]


def _bounds(ordinal: int) -> tuple[int, int]:
    """(lower, upper) Mb/s of rate bucket ``ordinal`` (1-based); upper 0 means unbounded."""
    return RATE_BOUNDS[kinds.RATE_BUCKETS[ordinal - 1]]


def _ifindex_of(view: DeviceView, name: str | None) -> int:
    state = view.states_by_name.get(name or "")
    return state.ifindex if state else 0


EGOVNET_MIB: list[MibObject] = [
    # --- wireless controllers ---------------------------------------------------------------------
    Scalar(under(WLC, 1), "egovWlcApTotal", gauge, lambda v: len(_aps(v)), is_wlc),
    Scalar(under(WLC, 2), "egovWlcApOnline", gauge, lambda v: sum(ap.online for ap in _aps(v)), is_wlc),
    Scalar(under(WLC, 3), "egovWlcClients", gauge, lambda v: sum(ap.clients for ap in _aps(v)), is_wlc),
    Table(
        under(WLC, 4, 1),
        "egovWlcApTable",
        _aps,
        lambda ap: (ap.index,),
        columns=(
            Column(2, "egovWlcApName", text, lambda ap, v: ap.name),
            Column(3, "egovWlcApSite", text, lambda ap, v: ap.site),
            Column(4, "egovWlcApStatus", integer, lambda ap, v: 1 if ap.online else 2),
            Column(5, "egovWlcApClients", gauge, lambda ap, v: ap.clients),
        ),
        applies=is_wlc,
    ),
    # --- 5G CPEs ----------------------------------------------------------------------------------
    Scalar(under(CPE, 1), "egovCpeCellStatus", integer, lambda v: 1 if _cell(v).up else 2, is_cpe),
    Scalar(under(CPE, 2), "egovCpeRsrp", integer, lambda v: _cell(v).rsrp_dbm, is_cpe),
    Scalar(under(CPE, 3), "egovCpeSinr", integer, lambda v: _cell(v).sinr_tenths_db, is_cpe),
    Scalar(under(CPE, 4), "egovCpeBand", text, lambda v: _cell(v).band, is_cpe),
    Scalar(under(CPE, 5), "egovCpeCellId", text, lambda v: _cell(v).cell_id, is_cpe),
    Scalar(
        under(CPE, 6),
        "egovCpeRadioIfIndex",
        integer,
        lambda v: _ifindex_of(v, _cell(v).radio_interface),
        is_cpe,
    ),
    # --- OLTs -------------------------------------------------------------------------------------
    Scalar(under(OLT, 1), "egovOltSubscribersTotal", gauge, lambda v: sum(_cube(v).values()), is_olt),
    Table(
        under(OLT, 2, 1),
        "egovOltSubscriberTable",
        rows=lambda v: list(_cube(v).items()),
        index=lambda item: (
            _ordinal(kinds.AREAS, item[0][0]),
            _ordinal(kinds.TECHNOLOGIES, item[0][1]),
            _ordinal(kinds.RATE_BUCKETS, item[0][2]),
        ),
        columns=(Column(4, "egovOltSubscribers", gauge, lambda item, v: item[1]),),
        applies=is_olt,
    ),
    Table(
        under(OLT, 3, 1),
        "egovOltTechTable",
        lambda v: _totals(v, 1, kinds.TECHNOLOGIES),
        lambda r: (r[0],),
        columns=(Column(2, "egovOltTechSubscribers", gauge, lambda r, v: r[1]),),
        applies=is_olt,
    ),
    Table(
        under(OLT, 4, 1),
        "egovOltRateTable",
        lambda v: _totals(v, 2, kinds.RATE_BUCKETS),
        lambda r: (r[0],),
        columns=(
            Column(2, "egovOltRateSubscribers", gauge, lambda r, v: r[1]),
            Column(3, "egovOltRateMinMbps", unsigned, lambda r, v: _bounds(r[0])[0]),
            Column(4, "egovOltRateMaxMbps", unsigned, lambda r, v: _bounds(r[0])[1]),
        ),
        applies=is_olt,
    ),
    Table(
        under(OLT, 5, 1),
        "egovOltAreaTable",
        lambda v: _totals(v, 0, kinds.AREAS),
        lambda r: (r[0],),
        columns=(Column(2, "egovOltAreaSubscribers", gauge, lambda r, v: r[1]),),
        applies=is_olt,
    ),
]
