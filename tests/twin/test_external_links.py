"""Links whose far end is outside the inventory (the county egress to the city's PE routers) are up.

The provider's routers are not simulated, but the cables to them are: the egress port is up at the
link's speed until ``egovnet lab fault DEV link-down IFNAME`` cuts it, and ``heal`` restores it. Seen
in the model, over SNMP with net-snmp's ``snmpget`` and in the VRP CLI through netmiko. The served
twin listens on SSH 30042 / SNMP 24181 (+ the xdist worker number).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from child_processes import worker_offset
from netmiko import ConnectHandler
from twin_tools import snmpget, threaded_twin

from egovnet.inventory import Inventory, load_inventory
from egovnet.lab import faults
from egovnet.lab.control import LabClient
from egovnet.lab.model import InterfaceState, LabNetwork
from egovnet.lab.runtime import LabOptions, build_network

EGRESS = ("qm-egress-01", "qm-egress-02")
UPLINK = "10GE0/1/0"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"


@pytest.fixture(scope="module")
def county(qimen_path: Path) -> Inventory:
    return load_inventory(qimen_path)


def _state(network: LabNetwork, device: str, ifname: str) -> InterfaceState:
    return next(s for s in network.interface_states(network.devices[device]) if s.name == ifname)


def test_the_egress_uplinks_are_external_links_of_the_inventory(county: Inventory) -> None:
    external = {(link.a_device, link.a_interface) for link in county.links if link.external}
    assert external == {(device, UPLINK) for device in EGRESS}


def test_an_external_link_is_up_until_cut_and_healed(county: Inventory) -> None:
    network = build_network(county, "qm-egress-*")
    for device in EGRESS:
        state = _state(network, device, UPLINK)
        assert state.oper_up and state.speed_mbps == 10_000 and state.peer_device is None
    assert not _state(network, "qm-egress-01", "10GE0/1/2").oper_up  # an uncabled port stays down
    faults.inject(network, "qm-egress-01", "link-down", [UPLINK])
    assert not _state(network, "qm-egress-01", UPLINK).oper_up
    assert _state(network, "qm-egress-02", UPLINK).oper_up
    assert faults.active(network) == {"qm-egress-01": [f"link-down {UPLINK}"]}
    faults.heal(network)
    assert _state(network, "qm-egress-01", UPLINK).oper_up and faults.active(network) == {}
    with pytest.raises(faults.FaultError, match="no link is cabled"):
        faults.inject(network, "qm-egress-01", "link-down", ["10GE0/1/2"])


def test_copies_of_a_grown_twin_keep_their_external_links(county: Inventory) -> None:
    network = build_network(county, "qm-egress-*", devices=4)
    assert _state(network, "qm-egress-01~1", UPLINK).oper_up


def test_snmp_and_the_cli_serve_the_egress_uplink_up_and_follow_faults(
    qimen_path: Path, tmp_path: Path
) -> None:
    offset = worker_offset()
    options = LabOptions(
        qimen_path, tmp_path, "qm-egress-01", 30042 + offset, 24181 + offset, telnet_port=30142 + offset
    )
    with threaded_twin(options) as runtime:
        device = runtime.network.devices["qm-egress-01"]
        oid = f"{IF_OPER_STATUS}.{device.ifindex[UPLINK]}"
        address, lab = device.spec.address, LabClient(tmp_path)
        conn = ConnectHandler(
            device_type="huawei_vrpv8",
            host=address,
            port=options.ssh_port,
            username="egovnet",
            password="egovnet-lab-1",
            conn_timeout=20,
        )
        try:

            def observed() -> tuple[str, str, str]:
                """(ifOperStatus, PHY, Protocol) of the uplink, over SNMP and in the CLI."""
                brief = conn.send_command("display interface brief")
                row = next(line.split() for line in brief.splitlines() if line.startswith(UPLINK + " "))
                oper = snmpget(address, options.snmp_port, oid)
                return {"1": "up", "2": "down"}.get(oper, oper), row[1], row[2]

            assert observed() == ("up", "up", "up")
            lab.fault("qm-egress-01", "link-down", [UPLINK])
            assert observed() == ("down", "down", "down")
            lab.heal("qm-egress-01")
            assert observed() == ("up", "up", "up")
        finally:
            conn.disconnect()
