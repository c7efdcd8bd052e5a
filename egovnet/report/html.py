"""The dashboard page: ``dashboard.html.j2`` over the report document, with the pictures of :mod:`.svg`.

One self-contained file: inline CSS, inline SVG, and a few lines of script that only open the
drill-down a link points at (the page works without it). The template receives the document as
read back from ``report.json`` and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from egovnet import __version__
from egovnet.report import svg
from egovnet.report.model import ReportDoc
from egovnet.report.templates import page_template, when


def pointer_key(key: object) -> str:
    """A dictionary key as one JSON-pointer step (RFC 6901: ``~`` and ``/`` escaped)."""
    return str(key).replace("~", "~0").replace("/", "~1")


#: Alerts listed per component on the page (a county audit can fire thousands; report.json has all).
ALERT_ROWS = 200

#: What the template may call besides the document.
HELPERS = {
    "alert_rows": ALERT_ROWS,
    "when": when,
    "pk": pointer_key,
    "num": svg.num,
    "gauge": svg.gauge,
    "sparkline": svg.sparkline,
    "stacked_bar": svg.stacked_bar,
    "topology_map": svg.topology_map,
    "colours": svg.COLOURS,
}


def render(doc: ReportDoc) -> str:
    """The dashboard as one HTML page."""
    template = page_template(Path(__file__).parent, "dashboard.html.j2")
    return template.render(doc=doc, version=__version__, **HELPERS)
