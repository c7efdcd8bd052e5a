"""One broken inventory per error class; each must be reported with its exact file, key and reason.

Each case copies the small valid inventory, applies one mistake a network engineer makes, and checks
the loader names the file, the key path and the reason, with nothing raised but InventoryError.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from egovnet.inventory import InventoryError, load_inventory

HOSTS = "hosts.yml"
CORE1 = "all.children.county.children.site_county_dc.hosts.core-01"
CORE2 = "all.children.county.children.site_county_dc.hosts.core-02"
ALPHA = "all.children.townships.children.tw_alpha.children"
V01 = f"{ALPHA}.site_alpha_v01.hosts.alpha-v01-sw-01"
V02 = f"{ALPHA}.site_alpha_v02.hosts.alpha-v02-sw-01"
TN = f"{ALPHA}.site_alpha.hosts.alpha-tn-01"
EDU = "all.children.departments.children.site_dept_edu.hosts.dept-edu-sw-01"

Edit = Callable[[dict[str, Any]], None]


def _host(data: dict[str, Any], path: str) -> dict[str, Any]:
    node: Any = data
    for part in path.split("."):
        node = node[part]
    return node  # type: ignore[no-any-return]


def _broken(
    tmp_path: Path, small_path: Path, edit: Edit | None = None, raw: str | None = None
) -> InventoryError:
    target = tmp_path / "inv"
    shutil.copytree(small_path, target)
    hosts = target / HOSTS
    if raw is not None:
        hosts.write_text(raw, encoding="utf-8")
    if edit is not None:
        data = yaml.safe_load(hosts.read_text(encoding="utf-8"))
        edit(data)
        hosts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        load_inventory(target)
    return info.value


def _set(path: str, key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _host(data, path)[key] = value

    return edit


def _uplink(path: str, index: int, key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _host(data, path)["uplinks"][index][key] = value

    return edit


def _delete(path: str, key: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        del _host(data, path)[key]

    return edit


def _duplicate_host(data: dict[str, Any]) -> None:
    hosts = _host(data, "all.children.departments.children.site_dept_edu.hosts")
    hosts["core-01"] = {
        "ansible_host": "10.98.100.9",
        "platform": "huawei_vrp5",
        "role": "access",
        "model": "S5735-L24T4X-A1",
    }


def _second_link_same_port(data: dict[str, Any]) -> None:
    _host(data, V02)["uplinks"].append(
        {
            "interface": "GigabitEthernet1/0/26",
            "peer": "alpha-tn-01",
            "peer_interface": "Ten-GigabitEthernet1/0/1",
            "speed": 1000,
            "medium": "fibre",
            "role": "backup",
            "ipv4": "10.99.0.26/30",
            "peer_ipv4": "10.99.0.25/30",
        }
    )


def _group_loop(data: dict[str, Any]) -> None:
    _host(data, f"{ALPHA}.site_alpha")["children"] = {"tw_alpha": None}


def _village_without_uplink(data: dict[str, Any]) -> None:
    del _host(data, V01)["uplinks"]


def _device_without_site(data: dict[str, Any]) -> None:
    data["all"]["children"]["stray"] = {
        "hosts": {
            "stray-sw-01": {
                "ansible_host": "10.98.1.9",
                "platform": "huawei_vrp5",
                "role": "access",
                "model": "S5735-L24T4X-A1",
            }
        }
    }


KNOWN = (
    "cisco_ios, cpe_5g, h3c_comware7, h3c_fitap, huawei_fitap, huawei_smartax, huawei_vrp5, "
    "huawei_vrp8, linux"
)
SITE_V02 = f"{ALPHA}.site_alpha_v02.vars"

CASES: list[tuple[str, Edit | None, str | None, str, str, str]] = [
    (
        "unknown platform",
        _set(CORE1, "platform", "junos"),
        None,
        HOSTS,
        f"{CORE1}.platform",
        f"unknown platform 'junos' (known: {KNOWN})",
    ),
    (
        "duplicate host",
        _duplicate_host,
        None,
        HOSTS,
        "all.children.departments.children.site_dept_edu.hosts.core-01",
        "host 'core-01' is defined twice (first at hosts.yml: "
        + CORE1
        + "); list it without variables to add it "
        "to another group",
    ),
    (
        "duplicate address",
        _set(CORE2, "ansible_host", "10.98.0.1"),
        None,
        HOSTS,
        f"{CORE2}.ansible_host",
        "management address 10.98.0.1 is already used by core-01",
    ),
    (
        "link to unknown device",
        _uplink(V01, 0, "peer", "alpha-tn-99"),
        None,
        HOSTS,
        f"{V01}.uplinks[0].peer",
        "link to unknown device 'alpha-tn-99'",
    ),
    (
        "link to unknown interface",
        _uplink(V01, 0, "peer_interface", "Ten-GigabitEthernet1/0/99"),
        None,
        HOSTS,
        f"{V01}.uplinks[0].peer_interface",
        "device alpha-tn-01 (S6520X-26C-SI) has no interface 'Ten-GigabitEthernet1/0/99'",
    ),
    (
        "interface used twice",
        _second_link_same_port,
        None,
        HOSTS,
        f"{V02}.uplinks[1].peer_interface",
        "interface alpha-tn-01 Ten-GigabitEthernet1/0/1 is already used by the link at "
        f"hosts.yml: {V01}.uplinks[0]",
    ),
    (
        "overlapping site prefixes",
        _set(SITE_V02, "site_lan_ipv4", "10.100.3.0/24"),
        None,
        HOSTS,
        f"{SITE_V02}.site_lan_ipv4",
        "10.100.3.0/24 overlaps site alpha_v01's 10.100.3.0/24",
    ),
    (
        "out-of-plan link prefix",
        _uplink(EDU, 0, "ipv4", "192.168.7.2/30"),
        None,
        HOSTS,
        f"{EDU}.uplinks[0].peer_ipv4",
        "link ends 192.168.7.2/30 and 10.99.0.21/30 are not two addresses of one subnet",
    ),
    (
        "out-of-plan management address",
        _set(CORE2, "ansible_host", "192.168.0.2"),
        None,
        HOSTS,
        f"{CORE2}.ansible_host",
        "management address 192.168.0.2 is outside the management range 10.98.0.0/16",
    ),
    (
        "site does not exist",
        _set(V02, "site_id", "alpha_v09"),
        None,
        HOSTS,
        f"{V02}.site_id",
        "site 'alpha_v09' does not exist",
    ),
    (
        "device in no site",
        _device_without_site,
        None,
        HOSTS,
        "all.children.stray.hosts.stray-sw-01",
        "device 'stray-sw-01' belongs to no site (put it under a group that defines site_id)",
    ),
    (
        "village without uplink",
        _village_without_uplink,
        None,
        HOSTS,
        f"{ALPHA}.site_alpha_v01",
        "village site alpha_v01 has no uplink: none of its devices (alpha-v01-sw-01) "
        "has a link to another site",
    ),
    (
        "CLI injection",
        _set(CORE1, "snmp_location", "dc\nsysname evil"),
        None,
        HOSTS,
        f"{CORE1}.snmp_location",
        "value contains control character '\\n': it would inject extra lines into rendered device configs",
    ),
    (
        "bad IP syntax",
        _set(CORE2, "ansible_host", "10.98.0.300"),
        None,
        HOSTS,
        f"{CORE2}.ansible_host",
        "Input is not a valid IPv4 address",
    ),
    (
        "missing required field",
        _delete(CORE2, "model"),
        None,
        HOSTS,
        f"{CORE2}.model",
        "required field 'model' is missing",
    ),
    (
        "bad medium",
        _uplink(V01, 0, "medium", "carrier-pigeon"),
        None,
        HOSTS,
        f"{V01}.uplinks[0].medium",
        "Input should be 'fibre', 'copper', '5g' or 'microwave' (got 'carrier-pigeon')",
    ),
    (
        "reserved Ansible name",
        _set(CORE1, "serial", "ABC123"),
        None,
        HOSTS,
        f"{CORE1}.serial",
        "'serial' is a reserved Ansible name; it cannot be a host variable "
        "(use another name, e.g. asset_serial)",
    ),
    (
        "unknown hardware model",
        _set(CORE1, "model", "CE9999"),
        None,
        HOSTS,
        f"{CORE1}.model",
        "unknown hardware model 'CE9999' (add it to egovnet/inventory/hardware.yml)",
    ),
    (
        "YAML syntax error",
        None,
        "all:\n  children:\n    county: [unclosed\n",
        HOSTS,
        "line 4 column 1",
        "YAML syntax error: did not find expected ',' or ']'",
    ),
    (
        "duplicate site number",
        _set(SITE_V02, "site_number", 3),
        None,
        HOSTS,
        f"{SITE_V02}.site_number",
        "site number 3 is already used at hosts.yml: " + f"{ALPHA}.site_alpha_v01.vars.site_number",
    ),
    (
        "link speed above port speed",
        _uplink(V02, 0, "speed", 10000),
        None,
        HOSTS,
        f"{V02}.uplinks[0].speed",
        "link speed 10000 Mb/s exceeds port GigabitEthernet1/0/25 of alpha-v02-sw-01 (1000 Mb/s)",
    ),
    (
        "group loop",
        _group_loop,
        None,
        HOSTS,
        f"{ALPHA}.site_alpha.children.tw_alpha",
        "group 'tw_alpha' cannot be a child of 'site_alpha': it would make a loop of groups",
    ),
]


@pytest.mark.parametrize(
    ("edit", "raw", "file", "key", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_inventory_names_file_key_and_reason(
    tmp_path: Path, small_path: Path, edit: Edit | None, raw: str | None, file: str, key: str, reason: str
) -> None:
    error = _broken(tmp_path, small_path, edit, raw)
    found = [(i.file, i.key, i.reason) for i in error.issues]
    assert (file, key, reason) in found, "\n".join(map(str, error.issues))


def test_all_errors_are_reported_at_once(tmp_path: Path, small_path: Path) -> None:
    def several(data: dict[str, Any]) -> None:
        _set(CORE1, "platform", "junos")(data)
        _set(CORE2, "ansible_host", "10.98.0.300")(data)
        _uplink(V01, 0, "peer", "nowhere")(data)

    error = _broken(tmp_path, small_path, several)
    keys = {i.key for i in error.issues}
    assert {f"{CORE1}.platform", f"{CORE2}.ansible_host", f"{V01}.uplinks[0].peer"} <= keys


def test_the_small_inventory_itself_is_valid(small_path: Path) -> None:
    inventory = load_inventory(small_path)
    assert sorted(inventory.devices) == [
        "alpha-tn-01",
        "alpha-v01-sw-01",
        "alpha-v02-sw-01",
        "core-01",
        "core-02",
        "dept-edu-sw-01",
    ]
    assert inventory.sites["alpha_v01"].devices == ("alpha-v01-sw-01",)
    assert [w.url for w in inventory.websites.values()] == ["https://www.example.gov.cn/"]
