"""The probe's part of the HTML report: situation scores and open findings, self-contained.

``egovnet probe status --html FILE`` writes it; the suite's report (``egovnet.report``) can embed
:func:`html_section` as one section. Everything is escaped: summaries quote packet fields an
attacker controls (DNS names, banners).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from egovnet.probes.score import Score
from egovnet.probes.store import StoredFinding

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
    ".critical{background:#f8d7da}.major{background:#fde2c4}.minor{background:#fff3cd}"
)


def html_section(scores: Iterable[Score], findings: Iterable[StoredFinding]) -> str:
    """Two tables: scores per site and zone (with trend), and the open findings."""
    rows = "".join(
        f"<tr><td>{escape(s.kind)}</td><td>{escape(s.key)}</td><td>{s.score:.1f}</td>"
        f"<td>{escape(s.level)}</td><td>{s.arrow} {'' if s.trend is None else f'{s.trend:+.1f}'}</td>"
        f"<td>{s.open}</td></tr>"
        for s in scores
    )
    items = "".join(
        f"<tr class='{escape(f.severity)}'><td>{escape(f.severity)}</td><td>{escape(f.rule)}</td>"
        f"<td>{escape(', '.join(f.doc.get('attack', [])))}</td>"
        f"<td>{escape(str(f.doc['entity'].get('id')))}</td>"
        f"<td>{escape(str(f.site or ''))}</td><td>{f.count}</td><td>{escape(f.doc['last_seen'])}</td>"
        f"<td>{escape(f.doc['summary'])}</td></tr>"
        for f in findings
    )
    return (
        "<section id='probes'><h2>态势感知 security situation</h2>"
        "<table><tr><th>scope</th><th>name</th><th>score</th><th>level</th><th>trend</th><th>open</th></tr>"
        f"{rows}</table>"
        "<table><tr><th>severity</th><th>rule</th><th>ATT&amp;CK</th><th>entity</th><th>site</th>"
        f"<th>count</th><th>last seen</th><th>summary</th></tr>{items}</table></section>"
    )


def html_page(scores: Iterable[Score], findings: Iterable[StoredFinding]) -> str:
    """A standalone page around :func:`html_section`."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>egovnet probes</title>"
        f"<style>{_STYLE}</style></head><body>{html_section(scores, findings)}</body></html>"
    )
