"""Shared data and helpers of the renderer tests (imported by the test modules and conftest)."""

from __future__ import annotations

from hier_config import HConfig, get_hconfig

from egovnet.change.hier import rules_for

#: One county host per platform, used for the golden checks.
GOLDEN_HOSTS = {
    "huawei_vrp5": "qishan-v01-sw-01",
    "huawei_vrp8": "qm-dagg-01",
    "h3c_comware7": "jinzipai-v01-sw-01",
    "cisco_ios": "dept-xianwei-sw-01",
}


def parse(platform: str, text: str) -> HConfig:
    """Parse rendered text the way egovnet.change reads a device (same driver, same preprocessing)."""
    return get_hconfig(rules_for(platform).driver(), text)


def section(config: HConfig, header: str) -> list[str]:
    """The sub-commands of top-level section ``header`` (fails when the section is missing)."""
    child = config.get_child(equals=header)
    assert child is not None, f"section {header!r} missing"
    return [c.text for c in child.children]
