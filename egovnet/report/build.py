"""Gather the latest records into one document and write the dashboard: ``report.json``, ``index.html``.

``report.json`` is written first and the page is rendered from the document read back from it, so
the page cannot show a figure the JSON does not hold. The latest audit run is also rendered in full
as ``audit.html`` (the audit's own report), the drill-down's last step to the evidence.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from egovnet.atomic import write_json
from egovnet.audit.report import to_html as audit_html
from egovnet.inventory import Inventory
from egovnet.report.auditing import audit_section
from egovnet.report.html import render
from egovnet.report.model import FORMAT, ReportDoc
from egovnet.report.monitoring import indicators_section, load_snapshot
from egovnet.report.stores import alerts_section, ipv6_section, probes_section
from egovnet.report.topology import topology_section

AUDIT_PAGE = "audit.html"


@dataclass(frozen=True)
class Written:
    """Where the dashboard went."""

    page: Path
    document: Path
    audit_page: Path | None


def build_report(inventory: Inventory, state_dir: Path) -> tuple[ReportDoc, str | None]:
    """The dashboard's document, and the full HTML of the latest audit run (``None`` without one)."""
    loaded = load_snapshot(state_dir)
    data, snapshot = loaded if loaded is not None else (None, None)
    indicators = indicators_section(state_dir, data)
    audit, run = audit_section(state_dir, AUDIT_PAGE)
    county = next((s.name_zh for s in inventory.sites.values() if s.level == "county"), "")
    doc = ReportDoc(
        format=FORMAT,
        generated=time.time(),
        inventory=str(inventory.path),
        state_dir=str(state_dir),
        county=county,
        indicators=indicators,
        topology=topology_section(inventory, snapshot, str(inventory.path), indicators["at"]),
        ipv6=ipv6_section(state_dir, inventory),
        audit=audit,
        alerts=alerts_section(state_dir),
        probes=probes_section(state_dir),
    )
    return doc, audit_html(run) if run is not None else None


def write_report(inventory: Inventory, state_dir: Path, out: Path) -> Written:
    """Build the document and write ``report.json``, ``index.html`` and ``audit.html`` under ``out``."""
    doc, audit_page = build_report(inventory, state_dir)
    document = out / "report.json"
    write_json(document, doc)
    stored = cast(ReportDoc, json.loads(document.read_text(encoding="utf-8")))
    page = out / "index.html"
    page.write_text(render(stored), encoding="utf-8")
    audit_path = None
    if audit_page is not None:
        audit_path = out / AUDIT_PAGE
        audit_path.write_text(audit_page, encoding="utf-8")
    return Written(page, document, audit_path)
