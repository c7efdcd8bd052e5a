"""A dashboard before any engine has run: every section says what to run, nothing crashes, the page opens
without console errors, and the state directory is left as it was (no store is created by reading it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chromium_helper import Page, chromium_binary
from report_rig import assert_numbers_equal_document

from egovnet.inventory import Inventory, load_inventory
from egovnet.report.build import write_report

SECTIONS = ("indicators", "ipv6", "audit", "alerts", "probes")


@pytest.fixture(scope="module")
def small(small_path: Path) -> Inventory:
    return load_inventory(small_path)


def test_no_records_yet_reads_as_missing_not_as_clean(small: Inventory, tmp_path: Path) -> None:
    state, out = tmp_path / "state", tmp_path / "out"
    state.mkdir()
    written = write_report(small, state, out)
    assert list(state.iterdir()) == []
    doc = json.loads(written.document.read_text(encoding="utf-8"))
    for name in SECTIONS:
        assert doc[name]["available"] is False and "尚无" in doc[name]["note"], name
    assert doc["probes"]["headline"] is None and doc["alerts"]["firing"] == 0
    topology = doc["topology"]
    assert topology["available"] and not topology["link_states"]
    assert {e["state"] for e in topology["edges"]} == {"unknown"}
    assert {n["state"] for n in topology["nodes"]} == {"unknown"}
    assert topology["spof_devices"] == ["alpha-tn-01", "core-01"]  # the inventory alone shows them
    assert written.audit_page is None and not (out / "audit.html").exists()
    page = written.page.read_text(encoding="utf-8")
    for name in (*SECTIONS, "link-states"):
        assert f'data-missing="{name}"' in page, name


@pytest.mark.skipif(chromium_binary() is None, reason="headless Chromium is not installed")
def test_empty_dashboard_opens_in_chromium(small: Inventory, tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    written = write_report(small, tmp_path / "state", tmp_path / "out")
    doc = json.loads(written.document.read_text(encoding="utf-8"))
    binary = chromium_binary()
    assert binary is not None
    with Page(binary) as page:
        page.open(written.page.as_uri())
        assert page.errors() == []
        assert page.evaluate("document.querySelectorAll('[data-missing]').length") == len(SECTIONS) + 1
        assert assert_numbers_equal_document(page, doc) > 5
        page.screenshot(tmp_path / "empty.png")
