"""``egovnet report``: where it writes by default, what it prints, and that the same records give the
same document (only the generation time differs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_rig import Records, egovnet


def test_default_out_is_under_the_state_dir(small_path: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    output = egovnet("report", "-i", small_path, "--state-dir", state)
    page = state / "report" / "index.html"
    assert f"dashboard: {page.resolve().as_uri()}" in output
    assert page.is_file() and (state / "report" / "report.json").is_file()
    assert sorted(p.name for p in state.iterdir()) == ["report"]


def test_state_dir_from_the_environment(
    small_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVNET_STATE_DIR", str(tmp_path))
    egovnet("report", "-i", small_path)
    assert (tmp_path / "report" / "index.html").is_file()


def test_json_is_the_document_and_the_same_records_give_the_same_document(
    records: Records, tmp_path: Path
) -> None:
    printed = json.loads(
        egovnet("report", "--json", "-i", records.overlay, "--state-dir", records.state, "--out", tmp_path)
    )
    assert printed == json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    first = json.loads((records.out / "report.json").read_text(encoding="utf-8"))
    assert printed["generated"] >= first["generated"]
    assert {k: v for k, v in printed.items() if k != "generated"} == {
        k: v for k, v in first.items() if k != "generated"
    }
