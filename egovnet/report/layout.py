"""Where each site sits on the dashboard's map: a radial layout computed from the inventory alone.

The county data centre is the centre, departments an inner ring, townships the middle ring and
villages the outer ring, each village inside its township's sector (sectors are as wide as the
township has villages, so a county of 157 villages stays legible). External networks the county
uplinks to sit above the rings. Nothing is random or iterative: the same inventory always gives the
same picture, so two days' dashboards can be compared by eye and a test can check a position.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

from egovnet.inventory import Site

WIDTH, HEIGHT = 1000.0, 1060.0
CENTRE = (500.0, 560.0)
#: Ring radius per site level (the county ring is used only when there are several county sites).
RINGS = {"county": 40.0, "department": 150.0, "township": 290.0, "village": 430.0}
EXTERNAL_Y = 36.0
EXTERNAL_GAP = 170.0
START = -math.pi / 2  # the first sector starts at twelve o'clock, under the external uplinks
VILLAGE_STEP = 2 * math.pi / 36  # at most this far apart, so a small township's villages stay near it
TURNS = 12  # rotations tried for the department ring

Point = tuple[float, float]


def _polar(radius: float, angle: float) -> Point:
    return (round(CENTRE[0] + radius * math.cos(angle), 1), round(CENTRE[1] + radius * math.sin(angle), 1))


def _ring(ids: list[str], radius: float, avoid: Sequence[float] = ()) -> dict[str, Point]:
    """Evenly around a ring, turned as far as possible from the ``avoid`` angles (township spokes)."""
    if not ids:
        return {}
    if len(ids) == 1 and radius == RINGS["county"]:
        return {ids[0]: CENTRE}
    step = 2 * math.pi / len(ids)

    def clearance(turn: float) -> float:
        angles = [START + i * step + turn for i in range(len(ids))]
        return min((abs(math.remainder(b - a, 2 * math.pi)) for b in angles for a in avoid), default=0.0)

    turn = max((k * step / TURNS for k in range(TURNS)), key=lambda t: (round(clearance(t), 6), -t))
    return {site: _polar(radius, START + i * step + turn) for i, site in enumerate(ids)}


def radial_layout(sites: Iterable[Site], externals: Iterable[str] = ()) -> dict[str, Point]:
    """Position of every site id (and of every external network name), in SVG user units."""
    by_level: dict[str, list[Site]] = defaultdict(list)
    for site in sorted(sites, key=lambda s: (s.number, s.id)):
        by_level[site.level].append(site)
    positions = _ring([s.id for s in by_level["county"]], RINGS["county"])
    townships = [s.id for s in by_level["township"]]
    villages: dict[str, list[str]] = {t: [] for t in townships}
    for village in by_level["village"]:
        villages.setdefault(village.township if village.township in villages else "", []).append(village.id)
    total = sum(max(1, len(members)) for members in villages.values())
    start, spokes = START, []
    for township, members in villages.items():
        span = 2 * math.pi * max(1, len(members)) / total
        middle = start + span / 2
        spokes.append(middle)
        if township:
            positions[township] = _polar(RINGS["township"], middle)
        step = min(span / max(1, len(members)), VILLAGE_STEP)
        for index, member in enumerate(members):
            positions[member] = _polar(RINGS["village"], middle + (index - (len(members) - 1) / 2) * step)
        start += span
    positions |= _ring([s.id for s in by_level["department"]], RINGS["department"], spokes)
    names = sorted(set(externals))
    for index, name in enumerate(names):
        positions[name] = (round(CENTRE[0] + (index - (len(names) - 1) / 2) * EXTERNAL_GAP, 1), EXTERNAL_Y)
    return positions
