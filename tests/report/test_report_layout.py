"""The map of the county: every site placed once, inside the picture, on its level's ring and inside its
township's sector; the same inventory always gives the same picture."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from egovnet.inventory import Inventory, load_inventory
from egovnet.report.layout import CENTRE, HEIGHT, RINGS, WIDTH, radial_layout
from egovnet.report.svg import topology_map
from egovnet.report.topology import topology_section


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def _angle(point: tuple[float, float]) -> float:
    return math.atan2(point[1] - CENTRE[1], point[0] - CENTRE[0])


def test_every_site_on_its_ring_and_near_its_township(county: Inventory) -> None:
    where = radial_layout(county.sites.values(), ["ext:PE1", "ext:PE2"])
    assert where == radial_layout(list(reversed(county.sites.values())), ["ext:PE2", "ext:PE1"])
    assert set(where) == {*county.sites, "ext:PE1", "ext:PE2"}
    assert len(set(where.values())) == len(where), "two sites on one spot"
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in where.values())
    for site in county.sites.values():
        if site.level in ("township", "village", "department"):
            assert math.dist(where[site.id], CENTRE) == pytest.approx(RINGS[site.level], abs=0.2), site.id
    # going round the outer ring, each township's villages come in one run, around the township's spoke
    villages = sorted(
        (s for s in county.sites.values() if s.level == "village"), key=lambda s: _angle(where[s.id])
    )
    runs = [v.township for i, v in enumerate(villages) if v.township != villages[i - 1].township]
    assert sorted(runs) == sorted({v.township for v in villages})
    for township in set(runs):
        spoke = _angle(where[str(township)])
        offsets = [
            math.remainder(_angle(where[v.id]) - spoke, 2 * math.pi)
            for v in villages
            if v.township == township
        ]
        assert min(offsets) <= 1e-9 <= max(offsets) + 2e-9, township


def test_county_map_without_a_poll(county: Inventory) -> None:
    section = topology_section(county, None, "inventory")
    assert not section["link_states"] and section["counts"]["sites"] == len(county.sites)
    assert {e["state"] for e in section["edges"]} == {"unknown"}
    externals = [n for n in section["nodes"] if n["level"] == "external"]
    assert len(externals) == 2 and all(n["reachable"] for n in section["nodes"])
    drawing = str(topology_map(section))
    assert drawing.count("<circle cx=") - drawing.count('class="legend"') >= len(county.sites)
    assert drawing.count("data-edge=") == len(section["edges"])
