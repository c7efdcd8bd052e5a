"""Any input yields the model or InventoryError, never another exception (hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovnet.inventory import Inventory, InventoryError, load_inventory

SMALL = Path(__file__).resolve().parent.parent / "inventory_data" / "small"
KEYS = st.sampled_from(
    [
        "all",
        "children",
        "hosts",
        "vars",
        "uplinks",
        "platform",
        "role",
        "model",
        "ansible_host",
        "site_id",
        "site_number",
        "site_level",
        "peer",
        "interface",
        "speed",
        "ipv4",
        "plugin",
        "keyed_groups",
        "key",
        "x\n",
        "core-01",
        "[1:3]",
        "a:b",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["10.98.0.1", "10.99.0.2/30", "huawei_vrp5", "village", "2001:db8::/40", "\x00", "a\nb"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)


def _load(directory: Path) -> Inventory | InventoryError:
    try:
        return load_inventory(directory)
    except InventoryError as error:
        assert error.issues, "an InventoryError always lists its issues"
        assert all(issue.reason for issue in error.issues)
        return error


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(KEYS, VALUES, max_size=4))
def test_random_documents(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "inv"
        shutil.copytree(SMALL, target)
        (target / "extra.yml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        _load(target)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.lists(
        st.sampled_from(
            [
                "all",
                "children",
                "county",
                "site_county_dc",
                "hosts",
                "core-01",
                "core-02",
                "uplinks",
                "vars",
                "0",
            ]
        ),
        min_size=1,
        max_size=7,
    ),
    value=VALUES,
)
def test_random_edits_of_a_valid_inventory(path: list[str], value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "inv"
        shutil.copytree(SMALL, target)
        hosts = target / "hosts.yml"
        data = yaml.safe_load(hosts.read_text(encoding="utf-8"))
        node: Any = data
        for part in path[:-1]:
            if isinstance(node, dict) and part in node and isinstance(node[part], dict | list):
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
        if isinstance(node, dict):
            node[path[-1]] = value
        hosts.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        _load(target)


@settings(max_examples=80, deadline=None)
@given(raw=st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "inv"
        shutil.copytree(SMALL, target)
        (target / "hosts.yml").write_bytes(raw)
        result = _load(target)
        assert isinstance(result, InventoryError)
