"""The twin's ``ap-down`` fault: a controller reports one of its access points offline."""

from __future__ import annotations

import pytest

from egovnet.inventory import Inventory
from egovnet.lab import faults
from egovnet.lab.runtime import build_network
from egovnet.lab.snmp import kinds


def test_ap_down_takes_one_ap_offline_until_healed(county: Inventory) -> None:
    network = build_network(county, "tw_qishan")
    wlc = network.devices["qishan-ac-01"]
    managed = [ap.name for ap in kinds.access_points(network, wlc)]
    target = managed[3]
    faults.inject(network, "qishan-ac-01", "ap-down", [target])
    aps = {ap.name: ap for ap in kinds.access_points(network, wlc)}
    assert not aps[target].online and aps[target].clients == 0
    assert all(ap.online for name, ap in aps.items() if name != target)
    assert faults.active(network) == {"qishan-ac-01": [f"ap-down {target}"]}
    faults.heal(network, "qishan-ac-01")
    assert all(ap.online for ap in kinds.access_points(network, wlc)) and faults.active(network) == {}


@pytest.mark.parametrize(
    ("device", "args", "message"),
    [
        ("qishan-ac-01", [], "needs the access point"),
        ("qishan-ac-01", ["xiaolukou-ap-01"], "manages no access point"),
        ("qishan-tn-01", ["qishan-ap-01"], "manages no access point"),
    ],
)
def test_ap_down_refuses_what_the_controller_does_not_manage(
    county: Inventory, device: str, args: list[str], message: str
) -> None:
    network = build_network(county, "tw_qishan")
    with pytest.raises(faults.FaultError, match=message):
        faults.inject(network, device, "ap-down", args)
