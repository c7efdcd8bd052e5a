"""The extranet as a graph: inventory links, corrected by what LLDP saw, and its single points of failure.

Nodes are devices, edges are links (mirror ports carry no traffic and are left out). Where both
ends of a link were read live, a link LLDP does not show is taken out of the graph: the audit then
judges the network that is, not the one that was planned. LLDP is compared with the whole cabling
plan, mirror links included: a sensor cabled to a core's observe port is planned, even though no
traffic path runs over it.

A device's single points of failure towards the core are found on the block-cut tree of the graph
plus a virtual node joined to every core device: the cut vertices on the tree path from the device
to that node are the devices on *every* path to the core, and the single-edge blocks on it are the
links on every path (bridges, unless doubled by a parallel link). A site's points of failure are
those shared by all its devices, so the block-cut tree is built once per run, not once per site.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from egovnet.audit.snapshot import Snapshot
from egovnet.inventory import Inventory, Link

_CORE = "__core__"

#: A node of the block-cut tree: ("B", block index) or ("C", cut vertex name).
TreeNode = tuple[str, int | str]
_PORT = re.compile(r"(\d+(?:/\d+)*)$")


def port_key(name: str) -> str:
    """The numeric tail of an interface name: ``XGE1/0/25`` and ``Ten-GigabitEthernet1/0/25`` agree."""
    match = _PORT.search(name)
    return match.group(1) if match else name


def describe_link(link: Link) -> str:
    """``a a-if -- b b-if (role, speed)`` as an engineer reads a cabling plan."""
    far = f"{link.b_device} {link.b_interface}" if link.b_device else f"{link.external} (external)"
    return f"{link.a_device} {link.a_interface} -- {far} ({link.role}, {link.speed_mbps} Mb/s)"


@dataclass(frozen=True)
class PointsOfFailure:
    """What every path from a device (or site) to the core goes through."""

    reachable: bool
    devices: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()


class Topology:
    """Inventory graph with LLDP corrections and single-point-of-failure queries."""

    def __init__(self, inventory: Inventory, snapshots: dict[str, Snapshot]) -> None:
        self.inventory = inventory
        self.core = sorted(n for n, d in inventory.devices.items() if d.role == "core")
        self.unseen: list[Link] = []
        self.unplanned: list[tuple[str, str, str]] = []
        self._cabling: dict[tuple[str, str], list[Link]] = {}
        for link in inventory.links:
            if link.b_device:
                self._cabling.setdefault(_pair(link.a_device, str(link.b_device)), []).append(link)
        self._links = {
            pair: carrying
            for pair, links in self._cabling.items()
            if (carrying := [link for link in links if link.role != "mirror"])
        }
        self._apply_lldp(snapshots)
        self.graph = nx.Graph()
        self.graph.add_nodes_from(inventory.devices)
        self.multiplicity: Counter[tuple[str, str]] = Counter()
        for pair, links in self._links.items():
            seen = [link for link in links if link not in self.unseen]
            if seen:
                self.graph.add_edge(*pair)
                self.multiplicity[pair] = len(seen)

    def _apply_lldp(self, snapshots: dict[str, Snapshot]) -> None:
        """Drop planned links LLDP does not show (both ends read live); note unplanned neighbours."""
        polled = {n: s for n, s in snapshots.items() if s.lldp is not None}
        for (a, b), links in self._cabling.items():
            if a not in polled or b not in polled:
                continue
            seen_a = Counter(port_key(n.local_interface) for n in polled[a].lldp or [] if n.name == b)
            seen_b = Counter(port_key(n.local_interface) for n in polled[b].lldp or [] if n.name == a)
            for link in links:
                here, there = _ends(link, a)
                key_a, key_b = port_key(here), port_key(there)
                if seen_a[key_a] > 0 or seen_b[key_b] > 0:
                    seen_a[key_a] -= 1
                    seen_b[key_b] -= 1
                else:
                    self.unseen.append(link)
        for name, snapshot in polled.items():
            for neighbour in snapshot.lldp or []:
                if (
                    neighbour.name in self.inventory.devices
                    and _pair(name, neighbour.name) not in self._cabling
                ):
                    self.unplanned.append((name, neighbour.local_interface, neighbour.name))

    def links_between(self, a: str, b: str) -> list[Link]:
        return self._links.get(_pair(a, b), [])

    # -- single points of failure ------------------------------------------------------------------
    @cached_property
    def _tree(self) -> tuple[dict[TreeNode, TreeNode], dict[str, TreeNode], list[set[str]]]:
        """Block-cut tree of graph + core node: parent pointers towards the core node."""
        graph = self.graph.copy()
        graph.add_edges_from((_CORE, c) for c in self.core)
        blocks = [set(b) for b in nx.biconnected_components(graph)]
        cuts = set(nx.articulation_points(graph))
        tree = nx.Graph()
        position: dict[str, TreeNode] = {}
        for index, block in enumerate(blocks):
            tree.add_node(("B", index))
            for node in block:
                if node in cuts:
                    tree.add_edge(("B", index), ("C", node))
                    position[node] = ("C", node)
                else:
                    position[node] = ("B", index)
        parent: dict[TreeNode, TreeNode] = {}
        start = position.get(_CORE)
        if start is not None:
            parent[start] = start
            queue = deque([start])
            while queue:
                here = queue.popleft()
                for there in tree.neighbors(here):
                    if there not in parent:
                        parent[there] = here
                        queue.append(there)
        return parent, position, blocks

    def device_failure_points(self, device: str) -> PointsOfFailure:
        """Devices and links on every path from ``device`` to the core."""
        if device in self.core:
            return PointsOfFailure(True)
        parent, position, blocks = self._tree
        here = position.get(device)
        if here is None or here not in parent:
            return PointsOfFailure(False)
        devices: set[str] = set()
        links: set[tuple[str, str]] = set()
        while True:
            kind, value = here
            if kind == "C" and value not in (device, _CORE):
                devices.add(str(value))
            elif kind == "B":
                block = blocks[int(value)]
                if len(block) == 2 and _CORE not in block:
                    pair = _pair(*sorted(block))
                    if self.multiplicity[pair] == 1:
                        links.add(pair)
            if parent[here] == here:
                break
            here = parent[here]
        return PointsOfFailure(True, frozenset(devices), frozenset(links))

    def site_failure_points(self, devices: Iterable[str]) -> PointsOfFailure:
        """Points of failure shared by every device of a site (the site's own devices excluded)."""
        members = set(devices)
        results = [self.device_failure_points(d) for d in sorted(members)]
        reachable = [r for r in results if r.reachable]
        if not reachable:
            return PointsOfFailure(False)
        shared_devices = frozenset.intersection(*(r.devices for r in reachable)) - members
        shared_links = frozenset.intersection(*(r.links for r in reachable))
        shared_links = frozenset(p for p in shared_links if not set(p) <= members)
        return PointsOfFailure(True, shared_devices, shared_links)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _ends(link: Link, here: str) -> tuple[str, str]:
    """(interface on ``here``, interface on the other end)."""
    if link.a_device == here:
        return link.a_interface, str(link.b_interface)
    return str(link.b_interface), link.a_interface
