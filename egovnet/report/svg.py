"""Pictures for the dashboard as inline SVG, drawn in Python: the map, gauges, sparklines, bars.

Inline SVG keeps the page one self-contained file (no script library, no network: the NOC opens it
from a share), and drawing here rather than in the template keeps the geometry testable. Every text
is escaped: site names and alert summaries come from inventories and packets.

Numbers that the page shows carry ``data-ptr`` (a JSON pointer, RFC 6901, into ``report.json``)
and ``data-digits`` (how they were rounded), so a test can read each one back and compare it with
the document it came from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from egovnet.report.layout import CENTRE as MAP_CENTRE
from egovnet.report.layout import HEIGHT, RINGS, WIDTH
from egovnet.report.model import SiteNode, TopologySection

COLOURS = {
    "up": "#2e7d32",
    "partial": "#c77700",
    "degraded": "#c77700",
    "down": "#c62828",
    "unknown": "#9e9e9e",
    "spof": "#7b1fa2",
    "met": "#2e7d32",
    "missed": "#c62828",
    "track": "#e3e6ea",
    "ink": "#1f3a5f",
}
#: Gauge label per unit; a situation score is out of 100 like a share.
SUFFIX = {"percent": "%", "mbps": "Mb/s", "score": "分 score"}
NODE_RADIUS = {"county": 16.0, "township": 10.0, "department": 6.0, "village": 6.0, "external": 9.0}
LABELLED = ("county", "township", "external")
MAX_LABELS = 24  # a ring with more sites than this is labelled on hover only


def number(value: float | None, digits: int = 1) -> str:
    """How the page prints a figure (``—`` for no value)."""
    return "—" if value is None else f"{value:.{digits}f}"


def num(value: float | None, ptr: str, digits: int = 1, tag: str = "span") -> Markup:
    """A figure tagged with its place in ``report.json``."""
    return Markup(
        f'<{tag} class="num" data-ptr="{escape(ptr)}" data-digits="{digits}">{number(value, digits)}</{tag}>'
    )


# -- gauge and sparkline ---------------------------------------------------------------------------
def _arc_point(cx: float, cy: float, r: float, fraction: float) -> tuple[float, float]:
    angle = math.pi * (1.0 - fraction)
    return round(cx + r * math.cos(angle), 2), round(cy - r * math.sin(angle), 2)


def gauge(value: float | None, target: float, unit: str, met: bool | None, ptr: str) -> Markup:
    """A half-dial: the value's arc (green met, red missed, grey no data) and the target's tick."""
    cx, cy, r = 60.0, 58.0, 46.0
    top = 100.0 if unit in ("percent", "score") else max(target * 1.5, (value or 0.0) * 1.1, 1.0)
    start = _arc_point(cx, cy, r, 0.0)
    end = _arc_point(cx, cy, r, 1.0)
    parts = [
        f'<svg class="gauge" viewBox="0 0 120 78" width="120" height="78" role="img" '
        f'aria-label="{escape(number(value))} / {target:g}">',
        f'<path d="M{start[0]} {start[1]} A{r} {r} 0 0 1 {end[0]} {end[1]}" fill="none" '
        f'stroke="{COLOURS["track"]}" stroke-width="11"/>',
    ]
    if value is not None:
        fraction = min(max(value / top, 0.0), 1.0)
        tip = _arc_point(cx, cy, r, fraction)
        colour = COLOURS["met" if met else "missed"]
        parts.append(
            f'<path d="M{start[0]} {start[1]} A{r} {r} 0 0 1 {tip[0]} {tip[1]}" fill="none" '
            f'stroke="{colour}" stroke-width="11"/>'
        )
    inner = _arc_point(cx, cy, r - 9, min(target / top, 1.0))
    outer = _arc_point(cx, cy, r + 9, min(target / top, 1.0))
    parts.append(
        f'<line x1="{inner[0]}" y1="{inner[1]}" x2="{outer[0]}" y2="{outer[1]}" '
        f'stroke="{COLOURS["ink"]}" stroke-width="2.5"><title>target {target:g}</title></line>'
    )
    parts.append(
        f'<text x="{cx}" y="{cy - 4}" text-anchor="middle" font-size="17" font-weight="600" class="num" '
        f'data-ptr="{escape(ptr)}" data-digits="1">{number(value)}</text>'
    )
    parts.append(
        f'<text x="{cx}" y="{cy + 14}" text-anchor="middle" font-size="10" fill="#555">'
        f"{escape(SUFFIX.get(unit, unit))}</text></svg>"
    )
    return Markup("".join(parts))


def sparkline(values: Sequence[float | None], target: float | None = None, label: str = "") -> Markup:
    """The values as a small line (oldest left), the last one dotted, the target dashed."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup('<span class="muted" title="not enough history">—</span>')
    width, height, pad = 130.0, 30.0, 3.0
    scale = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)

    def at(index: int, value: float) -> tuple[float, float]:
        y = height - pad - (value - low) / span * (height - 2 * pad)
        return round(pad + index * step, 1), round(y, 1)

    line = " ".join(f"{x},{y}" for x, y in (at(i, v) for i, v in points))
    last = at(*points[-1])
    shown = ", ".join(number(v) for _, v in points)
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)} trend"><title>{escape(label)}: {escape(shown)}</title>',
    ]
    if target is not None:
        y = at(0, target)[1]
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#999" stroke-dasharray="3 3"/>')
    parts.append(f'<polyline points="{line}" fill="none" stroke="{COLOURS["ink"]}" stroke-width="1.6"/>')
    parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="2.6" fill="{COLOURS["ink"]}"/></svg>')
    return Markup("".join(parts))


def stacked_bar(parts: Sequence[tuple[str, int, str]], width: float = 640.0) -> Markup:
    """One bar split by count (label, count, colour), each part titled with its label and count."""
    total = sum(count for _, count, _ in parts)
    if not total:
        return Markup('<span class="muted">—</span>')
    x, rects = 0.0, []
    for label, count, colour in parts:
        if not count:
            continue
        size = width * count / total
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{size:.1f}" height="20" fill="{colour}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        x += size
    return Markup(
        f'<svg class="bar" viewBox="0 0 {width} 20" width="100%" height="20" preserveAspectRatio="none" '
        f'role="img" aria-label="distribution">{"".join(rects)}</svg>'
    )


# -- the map ---------------------------------------------------------------------------------------
def _node_title(node: SiteNode) -> str:
    lines = [f"{node['name_zh']} ({node['id']}) · {node['level']} · {node['state']}"]
    if node["devices_polled"]:
        lines.append(f"devices up {node['devices_up']}/{node['devices_polled']}")
    if node["spof_devices"]:
        lines.append("single point of failure for others: " + ", ".join(node["spof_devices"]))
    if node["failure_points"]:
        lines.append("depends on: " + ", ".join(node["failure_points"]))
    if not node["reachable"]:
        lines.append("not connected to the core")
    return "\n".join(lines)


def _legend(y: float) -> str:
    items = [
        ("circle", COLOURS["up"], "正常 up"),
        ("circle", COLOURS["partial"], "部分 partial"),
        ("circle", COLOURS["down"], "中断 down"),
        ("circle", COLOURS["unknown"], "未知 unknown"),
        ("ring", COLOURS["spof"], "单点故障 single point of failure"),
        ("line", COLOURS["down"], "链路中断 link down"),
        ("wide", COLOURS["spof"], "单点链路 single-point link"),
        ("dash", COLOURS["unknown"], "状态未知 link state unknown"),
    ]
    parts = [f'<g class="legend" transform="translate(12 {y})" font-size="13">']
    for index, (kind, colour, text) in enumerate(items):
        ty = index * 19
        if kind == "circle":
            parts.append(f'<circle cx="8" cy="{ty}" r="6" fill="{colour}"/>')
        elif kind == "ring":
            parts.append(f'<circle cx="8" cy="{ty}" r="6" fill="#fff" stroke="{colour}" stroke-width="3.5"/>')
        else:
            width = {"line": 3.5, "wide": 7, "dash": 2}[kind]
            dash = ' stroke-dasharray="5 4"' if kind == "dash" else ""
            parts.append(
                f'<line x1="0" y1="{ty}" x2="18" y2="{ty}" stroke="{colour}" stroke-width="{width}"{dash}/>'
            )
        parts.append(f'<text x="26" y="{ty + 4}">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)


def topology_map(section: TopologySection) -> Markup:
    """County at the centre, departments, townships and villages on rings; states, SPOFs, legend."""
    where = {n["id"]: (n["x"], n["y"]) for n in section["nodes"]}
    per_level = Counter(n["level"] for n in section["nodes"])
    parts = [
        f'<svg id="topology-map" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" '
        'aria-label="拓扑图 topology map" xmlns="http://www.w3.org/2000/svg">',
        '<g class="rings" fill="none" stroke="#eef0f3" stroke-width="1">',
        *(
            f'<circle cx="{MAP_CENTRE[0]}" cy="{MAP_CENTRE[1]}" r="{r}"/>'
            for level, r in RINGS.items()
            if level != "county" and per_level[level]
        ),
        '</g><g class="edges">',
    ]
    for edge in section["edges"]:
        (x1, y1), (x2, y2) = where[edge["a"]], where[edge["b"]]
        coords = f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"'
        if edge["spof"]:
            parts.append(
                f'<line {coords} stroke="{COLOURS["spof"]}" stroke-width="7" stroke-opacity="0.45"/>'
            )
        # Down links are the message: drawn wide and opaque; working or unknown ones stay in the background.
        width, opacity = (3.5, 1.0) if edge["down"] else (1.2, 0.6)
        dash = ' stroke-dasharray="5 4"' if edge["state"] == "unknown" else ""
        parts.append(
            f'<line {coords} stroke="{COLOURS[edge["state"]]}" stroke-width="{width}" '
            f'stroke-opacity="{opacity}"{dash} '
            f'data-edge="{escape(edge["a"])}|{escape(edge["b"])}" data-state="{edge["state"]}" '
            f'data-spof="{int(edge["spof"])}"><title>{escape(edge["a"])} — {escape(edge["b"])}: '
            f"{edge['links']} link(s), {edge['up']} up, {edge['down']} down, {edge['unknown']} unknown"
            f"</title></line>"
        )
    parts.append('</g><g class="nodes">')
    for node in section["nodes"]:
        r = NODE_RADIUS.get(node["level"], 6.0)
        ring = (
            f' stroke="{COLOURS["spof"]}" stroke-width="4"'
            if node["spof"]
            else ' stroke="#fff" stroke-width="1"'
        )
        if not node["reachable"]:
            ring = ' stroke="#000" stroke-width="2" stroke-dasharray="2 2"'
        parts.append(
            f'<a href="#site-{escape(node["id"])}"><circle cx="{node["x"]}" cy="{node["y"]}" r="{r}" '
            f'fill="{COLOURS[node["state"]]}"{ring} data-site="{escape(node["id"])}" '
            f'data-state="{node["state"]}" data-spof="{int(node["spof"])}">'
            f"<title>{escape(_node_title(node))}</title></circle></a>"
        )
        if node["level"] in LABELLED or per_level[node["level"]] <= MAX_LABELS:
            parts.append(
                f'<text x="{node["x"]}" y="{node["y"] + r + 13}" text-anchor="middle" font-size="13">'
                f"{escape(node['name_zh'])}</text>"
            )
    parts.append("</g>")
    parts.append(_legend(20.0))
    parts.append("</svg>")
    return Markup("".join(parts))
