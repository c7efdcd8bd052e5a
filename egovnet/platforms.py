"""The one platform-name map: inventory platform -> every library's name for it.

netmiko, NAPALM, hier_config, ntc-templates and Ansible each spell the same operating system
differently (``huawei`` / ``huawei_vrp`` / ``HUAWEI_VRP`` / ...). Engine code asks this table for
capabilities and names and never compares vendor strings itself (netutils' ``lib_mapper`` idea).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    """Capabilities and library names of one inventory platform.

    Attributes:
        name: the inventory value (``platform: huawei_vrp5``).
        vendor: vendor name as the NOC reads it.
        dialect: the CLI dialect the twin and the engine speak, or ``None`` for devices without a
            managed CLI (5G CPEs, OLTs, fit APs, Linux servers are reached over SNMP only).
        netmiko: netmiko ``device_type``.
        napalm: NAPALM driver name (``None`` where no driver fits).
        hier_config: hier_config ``Platform`` member name.
        ntc_platform: ntc-templates platform key.
        negation: the word that negates a config line.
        commit: whether changes go to a candidate that needs ``commit`` (VRP V8).
        sys_object_id: the vendor's SNMP sysObjectID for this kind of device.
    """

    name: str
    vendor: str
    dialect: str | None
    netmiko: str | None = None
    napalm: str | None = None
    hier_config: str | None = None
    ntc_platform: str | None = None
    negation: str = "undo"
    commit: bool = False
    sys_object_id: str = "1.3.6.1.4.1.8072.3.2.10"


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "huawei_vrp8",
            "Huawei",
            "vrp8",
            netmiko="huawei_vrpv8",
            napalm="huawei_vrp",
            hier_config="HUAWEI_VRP",
            ntc_platform="huawei_vrp",
            commit=True,
            sys_object_id="1.3.6.1.4.1.2011.2.239.32",
        ),
        Platform(
            "huawei_vrp5",
            "Huawei",
            "vrp5",
            netmiko="huawei",
            napalm="huawei_vrp",
            hier_config="HUAWEI_VRP",
            ntc_platform="huawei_vrp",
            sys_object_id="1.3.6.1.4.1.2011.2.23.594",
        ),
        Platform(
            "h3c_comware7",
            "H3C",
            "comware7",
            netmiko="hp_comware",
            napalm="h3c_comware",
            hier_config="HP_COMWARE5",
            ntc_platform="hp_comware",
            sys_object_id="1.3.6.1.4.1.25506.11.1.239",
        ),
        Platform(
            "cisco_ios",
            "Cisco",
            "ios",
            netmiko="cisco_ios",
            napalm="ios",
            hier_config="CISCO_IOS",
            ntc_platform="cisco_ios",
            negation="no",
            sys_object_id="1.3.6.1.4.1.9.1.2134",
        ),
        Platform("cpe_5g", "Huawei", None, sys_object_id="1.3.6.1.4.1.2011.2.406.1"),
        Platform("huawei_smartax", "Huawei", None, sys_object_id="1.3.6.1.4.1.2011.2.248"),
        Platform("huawei_fitap", "Huawei", None, sys_object_id="1.3.6.1.4.1.2011.2.240.1"),
        Platform("h3c_fitap", "H3C", None, sys_object_id="1.3.6.1.4.1.25506.1.2360"),
        Platform("linux", "Linux", None, negation="", sys_object_id="1.3.6.1.4.1.8072.3.2.10"),
        Platform("website", "-", None, negation=""),
    )
}

CLI_DIALECTS: tuple[str, ...] = ("vrp5", "vrp8", "comware7", "ios")


def platform(name: str) -> Platform:
    """Look a platform up, naming the known ones when ``name`` is not one of them."""
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise KeyError(f"unknown platform {name!r} (known: {known})") from None
