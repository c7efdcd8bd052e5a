"""The map's data: sites and the links between them, their polled state and the single points of failure.

Single points of failure come from the audit's topology graph (:class:`egovnet.audit.graph.Topology`,
built from the inventory): a site is marked when it hosts a device that every path from another
site to the core goes through, a link when it is such a path's only cable. Link states come from the
monitor's snapshot, judged by the same code the indicators use (the interface at either end that
answered; :class:`egovnet.monitor.indicators.Evaluator`), so the map and the ``dual_homed_sites``
indicator cannot disagree about a link. Without a snapshot every state is ``unknown``.
"""

from __future__ import annotations

from collections import defaultdict

from egovnet.audit.graph import PointsOfFailure, Topology, describe_link
from egovnet.inventory import Inventory, Link
from egovnet.monitor.indicators import UP, Evaluator
from egovnet.monitor.metrics import Snapshot
from egovnet.report.layout import radial_layout
from egovnet.report.model import LinkRow, SiteEdge, SiteNode, TopologyCounts, TopologySection

EXTERNAL = "ext:"


def _link_state(evaluator: Evaluator | None, link: Link) -> str:
    if evaluator is None:
        return "unknown"
    # The indicators' own judgement of a link (either end that answered); see the module docstring.
    values = evaluator.link_state(link)
    if values is None:
        return "unknown"
    return "up" if values.get("if_oper_status") == UP else "down"


def _site_state(polled: int, up: int) -> str:
    if polled == 0:
        return "unknown"
    return "up" if up == polled else "down" if up == 0 else "partial"


def _edge_state(up: int, down: int) -> str:
    if down:
        return "degraded" if up else "down"
    return "up" if up else "unknown"


def _far_site(inventory: Inventory, link: Link) -> str:
    if link.b_device and link.b_device in inventory.devices:
        return inventory.devices[link.b_device].site
    return EXTERNAL + str(link.external or link.b_device)


def _links(inventory: Inventory, evaluator: Evaluator | None, spof: set[tuple[str, str]]) -> list[LinkRow]:
    """Every cabled or radio link (mirror ports carry no traffic and are left out)."""
    rows = []
    for link in inventory.links:
        if link.role == "mirror" or link.a_device not in inventory.devices:
            continue
        ends = sorted((link.a_device, link.b_device or ""))
        rows.append(
            LinkRow(
                description=describe_link(link),
                a_site=inventory.devices[link.a_device].site,
                b_site=_far_site(inventory, link),
                role=link.role,
                speed_mbps=link.speed_mbps,
                state=_link_state(evaluator, link),
                spof=(ends[0], ends[1]) in spof,
            )
        )
    return rows


def _edges(rows: list[LinkRow]) -> list[SiteEdge]:
    """One line per pair of sites, with how many of its links are up, down or not known."""
    grouped: dict[tuple[str, str], list[LinkRow]] = defaultdict(list)
    for row in rows:
        if row["a_site"] != row["b_site"]:
            grouped[min(row["a_site"], row["b_site"]), max(row["a_site"], row["b_site"])].append(row)
    edges = []
    for (a, b), links in sorted(grouped.items()):
        up, down = sum(r["state"] == "up" for r in links), sum(r["state"] == "down" for r in links)
        edges.append(
            SiteEdge(
                a=a,
                b=b,
                links=len(links),
                up=up,
                down=down,
                unknown=len(links) - up - down,
                state=_edge_state(up, down),
                spof=any(r["spof"] for r in links),
            )
        )
    return edges


def _node(
    node_id: str,
    name: str,
    level: str,
    where: tuple[float, float],
    polled: list[bool] | None = None,
    found: PointsOfFailure | None = None,
    spof: list[str] | None = None,
) -> SiteNode:
    """A map node: a site (its polled devices' health, its points of failure) or an external network."""
    health = polled or []
    points = found or PointsOfFailure(True)
    return SiteNode(
        id=node_id,
        name_zh=name,
        level=level,
        township=None,
        x=where[0],
        y=where[1],
        state=_site_state(len(health), sum(health)),
        devices_polled=len(health),
        devices_up=sum(health),
        spof=bool(spof),
        spof_devices=spof or [],
        failure_points=sorted(points.devices) + sorted(f"{a}--{b}" for a, b in points.links),
        reachable=points.reachable,
    )


def _nodes(
    inventory: Inventory, snapshot: Snapshot | None, points: dict[str, PointsOfFailure], externals: list[str]
) -> list[SiteNode]:
    """Sites (state from their polled devices) and the external networks, placed on the map."""
    where = radial_layout(inventory.sites.values(), externals)
    health: dict[str, list[bool]] = defaultdict(list)
    for name, metrics in (snapshot.devices if snapshot is not None else {}).items():
        if name in inventory.devices:
            health[inventory.devices[name].site].append(metrics.up)
    spof = {d for p in points.values() for d in p.devices}
    nodes = []
    for site in sorted(inventory.sites.values(), key=lambda s: (s.number, s.id)):
        node = _node(
            site.id,
            site.name_zh,
            site.level,
            where[site.id],
            health.get(site.id),
            points[site.id],
            sorted(spof & set(site.devices)),
        )
        node["township"] = site.township
        nodes.append(node)
    return nodes + [_node(ext, ext.removeprefix(EXTERNAL), "external", where[ext]) for ext in externals]


def topology_section(
    inventory: Inventory, snapshot: Snapshot | None, source: str, at: float | None = None
) -> TopologySection:
    """Sites, links, their states and the single points of failure, laid out for the map."""
    graph = Topology(inventory, {})
    points = {s.id: graph.site_failure_points(s.devices) for s in inventory.sites.values()}
    spof_devices = sorted({d for p in points.values() for d in p.devices})
    evaluator = Evaluator(inventory, snapshot) if snapshot is not None else None
    rows = _links(inventory, evaluator, {pair for p in points.values() for pair in p.links})
    externals = sorted({r["b_site"] for r in rows if r["b_site"].startswith(EXTERNAL)})
    nodes = _nodes(inventory, snapshot, points, externals)
    counts = TopologyCounts(
        sites=len(inventory.sites),
        links=len(rows),
        sites_down=sum(n["state"] == "down" for n in nodes),
        spof_devices=len(spof_devices),
        spof_links=sum(r["spof"] for r in rows),
        down_links=sum(r["state"] == "down" for r in rows),
        single_homed_sites=sum(bool(n["failure_points"]) for n in nodes),
    )
    return TopologySection(
        available=True,
        source=source,
        at=at,
        note="" if evaluator is not None else "链路状态未知：尚无监控记录 / link states unknown: no poll yet",
        link_states=evaluator is not None,
        nodes=nodes,
        edges=_edges(rows),
        links=rows,
        spof_devices=spof_devices,
        counts=counts,
    )
