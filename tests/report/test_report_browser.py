"""The dashboard in headless Chromium: no console error, a screenshot, and every number on the page equal
to the ``report.json`` value it names (``data-ptr``, a JSON pointer), the map's colours included."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from chromium_helper import Page, chromium_binary
from report_rig import NUMBERS, Records, assert_numbers_equal_document

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="headless Chromium is not installed")


def test_dashboard_opens_without_errors_and_shows_the_documents_numbers(
    records: Records, tmp_path: Path
) -> None:
    doc = json.loads((records.out / "report.json").read_text(encoding="utf-8"))
    binary = chromium_binary()
    assert binary is not None
    with Page(binary) as page:
        page.resize(1400, 3200)
        page.open((records.out / "index.html").as_uri())
        assert page.errors() == []
        shot = tmp_path / "dashboard.png"
        page.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

        assert assert_numbers_equal_document(page, doc) > 60
        pointers = {p for p, _, _ in page.evaluate(NUMBERS)}
        rows = doc["indicators"]["rows"]
        assert {f"/indicators/rows/{i}/value" for i in range(len(rows))} <= pointers
        assert {"/audit/counts/FAIL", "/alerts/firing", "/probes/headline/score"} <= pointers

        # the map: one circle per node, colours and single points of failure as in the document
        nodes = page.evaluate(
            "Array.from(document.querySelectorAll('#topology-map circle[data-site]'))"
            ".map(function (c) { return [c.getAttribute('data-site'), c.getAttribute('data-state'),"
            " c.getAttribute('data-spof')]; })"
        )
        assert sorted(nodes) == sorted(
            [n["id"], n["state"], str(int(n["spof"]))] for n in doc["topology"]["nodes"]
        )
        edges = page.evaluate(
            "Array.from(document.querySelectorAll('#topology-map line[data-edge]'))"
            ".map(function (l) { return [l.getAttribute('data-edge'), l.getAttribute('data-state')]; })"
        )
        assert sorted(edges) == sorted([f"{e['a']}|{e['b']}", e["state"]] for e in doc["topology"]["edges"])
        assert ["alpha|alpha_v02", "down"] in edges

        # drill-down: a site on the map opens the site's audit findings
        assert page.evaluate("document.getElementById('site-alpha_v02').open") is False
        page.evaluate(
            "document.querySelector('#topology-map a[href=\"#site-alpha_v02\"]')"
            ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
        )
        deadline = time.monotonic() + 5
        while (
            not page.evaluate("document.getElementById('site-alpha_v02').open")
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)  # hashchange is dispatched after the click returns
        assert page.evaluate("document.getElementById('site-alpha_v02').open") is True
        assert page.evaluate("window.location.hash") == "#site-alpha_v02"
        assert page.evaluate("document.querySelectorAll('[data-missing]').length") == 0
        assert page.errors() == []
