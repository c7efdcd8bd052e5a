"""Kind-specific state behind EGOVNET-LAB-MIB: WLC access points, 5G CPE radio, OLT subscribers.

These are pure functions of the model (``spec.extra`` + faults + topology), written so that an
indicator computed by the monitor from SNMP can be recomputed by hand from the same inventory inputs.
The rules are documented object by object in ``monitors/mibs/EGOVNET-LAB-MIB.txt``; keep both in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from egovnet.lab.model import InterfaceState, LabDevice, LabNetwork
from egovnet.lab.snmp.facts import round_half_up

# ---------------------------------------------------------------------------------------------------
# Wireless controllers


@dataclass(frozen=True)
class AccessPoint:
    """One AP as its controller reports it (a row of egovWlcApTable)."""

    index: int
    name: str
    site: str
    online: bool
    clients: int


def _ap_twin_up(network: LabNetwork, name: str) -> bool:
    """An AP that is itself a twin device is online only while powered and with a live uplink."""
    twin = network.devices.get(name)
    if twin is None:
        return True
    if twin.faults.device_down:
        return False
    cabled = [state for state in network.interface_states(twin) if state.peer_device is not None]
    return not cabled or any(state.oper_up for state in cabled)


def access_points(network: LabNetwork, device: LabDevice) -> list[AccessPoint]:
    """The controller's AP list from ``extra["aps"]`` (dicts: ``name``, ``site``, ``online``, ``clients``).

    An AP is online when its entry says so (default true), it is not in the controller's
    ``faults.aps_down``, and, if the AP is a twin device too, that device is up with a live uplink.
    An offline AP has no associated clients.
    """
    result = []
    entries: Sequence[Mapping[str, Any]] = device.spec.extra.get("aps", ())
    for index, entry in enumerate(entries, start=1):
        name = str(entry["name"])
        twin = network.devices.get(name)
        site = str(entry.get("site", twin.spec.site_id if twin else ""))
        online = (
            bool(entry.get("online", True))
            and name not in device.faults.aps_down
            and _ap_twin_up(network, name)
        )
        clients = int(entry.get("clients", 0)) if online else 0
        result.append(AccessPoint(index, name, site, online, clients))
    return result


# ---------------------------------------------------------------------------------------------------
# 5G CPEs

RSRP_NO_SIGNAL_DBM = -156  # bottom of the 3GPP NR SS-RSRP reporting range
SINR_NO_SIGNAL_TENTHS = -230  # bottom of the NR SS-SINR reporting range, in 0.1 dB
DEFAULT_RSRP_DBM = -95.0
DEFAULT_SINR_DB = 10.0
DEFAULT_BAND = "n78"
RADIO_MEDIA = ("5g",)


@dataclass(frozen=True)
class Cell:
    """Radio state of a 5G CPE (the egovCpe scalars)."""

    up: bool
    rsrp_dbm: int
    sinr_tenths_db: int
    band: str
    cell_id: str
    radio_interface: str | None


def radio_interface(network: LabNetwork, device: LabDevice, states: Sequence[InterfaceState]) -> str | None:
    """``extra["radio_interface"]``, else the first interface cabled with a radio medium, else the first."""
    explicit = device.spec.extra.get("radio_interface")
    if explicit:
        return str(explicit)
    for state in states:
        far = network.peer(device.name, state.name)
        if far is not None and far[2].medium in RADIO_MEDIA:
            return state.name
    return states[0].name if states else None


def cell(network: LabNetwork, device: LabDevice, states: Sequence[InterfaceState]) -> Cell:
    """The CPE's cell: up when ``extra["cell_up"]`` (default true) and the radio interface is up.

    A cabled radio interface follows its link (a cut link or a down peer takes the cell down); an
    uncabled one follows its admin state. RSRP (dBm) and SINR (dB, served in tenths) come from
    ``extra["rsrp_dbm"]``/``extra["sinr_db"]`` while the cell is up and read as the bottom of the
    3GPP reporting range (no signal) while it is down.
    """
    extra = device.spec.extra
    name = radio_interface(network, device, states)
    state = next((s for s in states if s.name == name), None)
    radio_up = state is not None and (state.oper_up if state.peer_device is not None else state.admin_up)
    up = bool(extra.get("cell_up", True)) and radio_up
    return Cell(
        up=up,
        rsrp_dbm=round_half_up(float(extra.get("rsrp_dbm", DEFAULT_RSRP_DBM))) if up else RSRP_NO_SIGNAL_DBM,
        sinr_tenths_db=(
            round_half_up(float(extra.get("sinr_db", DEFAULT_SINR_DB)) * 10) if up else SINR_NO_SIGNAL_TENTHS
        ),
        band=str(extra.get("band", DEFAULT_BAND)),
        cell_id=str(extra.get("cell_id", "")),
        radio_interface=name,
    )


# ---------------------------------------------------------------------------------------------------
# OLTs

AREAS = ("urban", "rural")
TECHNOLOGIES = ("ftth", "dsl", "other")
RATE_BUCKETS = ("lt100", "from100to200", "from200to500", "from500to1000", "ge1000")
# Share of FTTH subscribers per contracted-rate bucket when the inventory gives no rate_mix_<area>.
DEFAULT_FTTH_RATE_MIX: dict[str, tuple[float, ...]] = {
    "urban": (0.0, 0.2, 0.4, 0.2, 0.2),
    "rural": (0.1, 0.4, 0.3, 0.1, 0.1),
}


def split(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` by ``shares`` with cumulative round-half-up, so the parts always add up.

    part_i = rhu(total * (s_1 + ... + s_i) / S) - rhu(total * (s_1 + ... + s_{i-1}) / S), S = sum(shares).
    Example: split(235, (0.5, 0.3, 0.2)) = [118, 70, 47] (rhu(117.5)=118, rhu(188)=188, 235).
    """
    weight = sum(shares)
    if total <= 0 or weight <= 0:
        return [0 for _ in shares]
    parts, cumulative, previous = [], 0.0, 0
    for share in shares:
        cumulative += share
        upto = round_half_up(total * cumulative / weight)
        parts.append(upto - previous)
        previous = upto
    return parts


def _rate_mix(extra: Mapping[str, Any], area: str) -> tuple[float, ...]:
    given = extra.get(f"rate_mix_{area}")
    if given is None:
        return DEFAULT_FTTH_RATE_MIX[area]
    if isinstance(given, Mapping):
        return tuple(float(given.get(bucket, 0.0)) for bucket in RATE_BUCKETS)
    return tuple(float(share) for share in given)


def subscribers(device: LabDevice) -> dict[tuple[str, str, str], int]:
    """Subscriber counts of an OLT by (area, technology, rate bucket); every combination is present.

    Inputs from ``extra``: ``subscribers`` (else ``households``) = S; ``urban_share`` (default 1 if
    ``area``/the site's area is urban, else 0); ``ftth_share`` (default 1) and ``other_share``
    (default 0), DSL being the rest; ``rate_mix_urban``/``rate_mix_rural`` (FTTH shares per bucket,
    defaults in :data:`DEFAULT_FTTH_RATE_MIX`). Steps, each with :func:`split`:
    S -> (urban, rural); each area -> (ftth, dsl, other); FTTH of each area -> rate buckets.
    DSL and other subscribers are contracted below 100 Mb/s (bucket ``lt100``).
    """
    extra = device.spec.extra
    total = int(extra.get("subscribers", extra.get("households", 0)))
    area = str(extra.get("area", device.spec.site_area or "rural"))
    urban_share = float(extra.get("urban_share", 1.0 if area == "urban" else 0.0))
    ftth_share = float(extra.get("ftth_share", 1.0))
    other_share = float(extra.get("other_share", 0.0))
    dsl_share = max(0.0, 1.0 - ftth_share - other_share)
    cube = {(a, t, b): 0 for a in AREAS for t in TECHNOLOGIES for b in RATE_BUCKETS}
    for area_name, area_total in zip(AREAS, split(total, (urban_share, 1.0 - urban_share)), strict=True):
        ftth, dsl, other = split(area_total, (ftth_share, dsl_share, other_share))
        cube[(area_name, "dsl", "lt100")] = dsl
        cube[(area_name, "other", "lt100")] = other
        for bucket, count in zip(RATE_BUCKETS, split(ftth, _rate_mix(extra, area_name)), strict=True):
            cube[(area_name, "ftth", bucket)] = count
    return cube
