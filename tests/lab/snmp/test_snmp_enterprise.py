"""EGOVNET-LAB-MIB (WLC APs, 5G CPE radio, OLT subscribers) and HOST-RESOURCES read back the model.

The expected numbers are worked out by hand from the twin's inputs (``snmp_twin.build_twin``), so a
wrong derivation in the agent cannot agree with itself.
"""

from __future__ import annotations

from typing import Any

from snmp_twin import APS, AgentThread, get, walk

from egovnet.lab.model import LabNetwork

E = "1.3.6.1.4.1.99999.2.1"
WLC, CPE, OLT = f"{E}.1", f"{E}.2", f"{E}.3"


def by_index(rows: list[tuple[tuple[int, ...], Any]], column_oid: str) -> dict[tuple[int, ...], Any]:
    prefix = tuple(int(x) for x in column_oid.split("."))
    return {name[len(prefix) :]: value for name, value in rows if name[: len(prefix)] == prefix}


def ap_table(device: str = "wlc-01") -> dict[str, tuple[bytes, int, int]]:
    rows = walk(device, f"{WLC}.4")
    names = by_index(rows, f"{WLC}.4.1.2")
    sites, status, clients = (by_index(rows, f"{WLC}.4.1.{n}") for n in (3, 4, 5))
    return {name.decode(): (sites[i], status[i], clients[i]) for i, name in names.items()}


def test_wlc_access_points(agent: AgentThread) -> None:
    assert ap_table() == {
        "ap-01": (b"qishan", 1, 12),
        "ap-02": (b"qishan_v01", 1, 5),
        "ap-03": (b"qishan_v02", 2, 0),  # configured offline: no clients
    }
    assert list(get("wlc-01", f"{WLC}.1.0", f"{WLC}.2.0", f"{WLC}.3.0").values()) == [3, 2, 17]
    assert [entry["name"] for entry in APS] == ["ap-01", "ap-02", "ap-03"]


def test_ap_goes_offline_with_faults(agent: AgentThread, restore_twin: LabNetwork) -> None:
    wlc, ap = restore_twin.devices["wlc-01"], restore_twin.devices["ap-02"]
    agent.run(setattr, ap.faults, "device_down", True)  # the AP is a twin device: power it off
    assert ap_table()["ap-02"] == (b"qishan_v01", 2, 0)
    agent.run(setattr, ap.faults, "device_down", False)
    assert ap_table()["ap-02"][1] == 1
    agent.run(restore_twin.set_link_down, "wlc-01", "GigabitEthernet0/0/2")  # cut its cable
    assert ap_table()["ap-02"][1:] == (2, 0)
    agent.run(wlc.faults.aps_down.add, "ap-01")  # an AP that is not a twin device
    assert ap_table()["ap-01"] == (b"qishan", 2, 0)
    assert list(get("wlc-01", f"{WLC}.2.0", f"{WLC}.3.0").values()) == [0, 0]


def test_cpe_radio(agent: AgentThread, twin: LabNetwork) -> None:
    cellular = twin.devices["cpe-01"].ifindex["Cellular0"]
    values = get("cpe-01", *(f"{CPE}.{n}.0" for n in range(1, 7)))
    # rsrp_dbm -87.4 -> -87 dBm; sinr_db 13.25 -> 132.5 tenths -> 133 (half up)
    assert list(values.values()) == [1, -87, 133, b"n41", b"460-00-350492", cellular]


def test_cpe_cell_down_when_its_link_is(agent: AgentThread, restore_twin: LabNetwork) -> None:
    agent.run(restore_twin.set_link_down, "core-01", "GE1/0/3")
    assert list(get("cpe-01", f"{CPE}.1.0", f"{CPE}.2.0", f"{CPE}.3.0").values()) == [2, -156, -230]
    agent.run(restore_twin.set_link_down, "core-01", "GE1/0/3", False)
    assert list(get("cpe-01", f"{CPE}.1.0").values()) == [1]
    # the far end shut down has the same effect
    agent.run(lambda: restore_twin.devices["core-01"].running.ensure("interface GE1/0/3").ensure("shutdown"))
    assert list(get("cpe-01", f"{CPE}.1.0").values()) == [2]


def test_olt_subscribers_by_hand(agent: AgentThread) -> None:
    # households 235, urban_share 0.4: urban rhu(94.0) = 94, rural 141.
    # urban (f .85, dsl .10, o .05): ftth rhu(79.9) = 80, rhu(89.3) = 89 -> dsl 9, other 5
    # rural: ftth rhu(119.85) = 120, rhu(133.95) = 134 -> dsl 14, other 7
    # urban ftth 80 by (0, .2, .4, .2, .2) cumulated: 0, 16, 48, 64, 80 -> 0, 16, 32, 16, 16
    # rural ftth 120 by (.1, .4, .3, .1, .1) cumulated: 12, 60, 96, 108, 120 -> 12, 48, 36, 12, 12
    # dsl and other are all below 100 Mb/s.
    cube = by_index(walk("olt-01", f"{OLT}.2"), f"{OLT}.2.1.4")
    expected = {
        (1, 1): [0, 16, 32, 16, 16],
        (1, 2): [9, 0, 0, 0, 0],
        (1, 3): [5, 0, 0, 0, 0],
        (2, 1): [12, 48, 36, 12, 12],
        (2, 2): [14, 0, 0, 0, 0],
        (2, 3): [7, 0, 0, 0, 0],
    }
    assert cube == {
        (area, tech, bucket + 1): count
        for (area, tech), counts in expected.items()
        for bucket, count in enumerate(counts)
    }
    assert list(get("olt-01", f"{OLT}.1.0").values()) == [235]
    assert list(by_index(walk("olt-01", f"{OLT}.3"), f"{OLT}.3.1.2").values()) == [200, 23, 12]
    rates = walk("olt-01", f"{OLT}.4")
    assert list(by_index(rates, f"{OLT}.4.1.2").values()) == [47, 64, 68, 28, 28]
    assert list(by_index(rates, f"{OLT}.4.1.3").values()) == [0, 100, 200, 500, 1000]
    assert list(by_index(rates, f"{OLT}.4.1.4").values()) == [100, 200, 500, 1000, 0]
    assert list(by_index(walk("olt-01", f"{OLT}.5"), f"{OLT}.5.1.2").values()) == [94, 141]
    # fibre share indicator: 200 / 235
    assert round(200 / 235, 4) == 0.8511


def test_groups_exist_only_on_their_kind(agent: AgentThread) -> None:
    # an empty subtree: net-snmp's walk falls back to a GET of the subtree itself
    assert walk("core-01", E) == [(tuple(int(x) for x in E.split(".")), "noSuchObject")]
    assert list(get("core-01", f"{WLC}.1.0", f"{CPE}.1.0", f"{OLT}.1.0").values()) == ["noSuchObject"] * 3
    assert list(get("olt-01", f"{CPE}.1.0").values()) == ["noSuchObject"]


def test_host_resources(agent: AgentThread) -> None:
    # agg-01: cpus 2 at 37 %, 4096 MiB, 41.5 % used -> 4194304 KiB, rhu(1740636.16) = 1740636 KiB
    assert [v for _, v in walk("agg-01", "1.3.6.1.2.1.25.3.3.1.2")] == [37, 37]
    storage = get(
        "agg-01",
        "1.3.6.1.2.1.25.2.3.1.2.1",
        "1.3.6.1.2.1.25.2.3.1.4.1",
        "1.3.6.1.2.1.25.2.3.1.5.1",
        "1.3.6.1.2.1.25.2.3.1.6.1",
        "1.3.6.1.2.1.25.2.2.0",
    )
    assert list(storage.values()) == [(1, 3, 6, 1, 2, 1, 25, 2, 1, 2), 1024, 4194304, 1740636, 4194304]


def test_error_counters_follow_the_configured_rate(agent: AgentThread, twin: LabNetwork) -> None:
    index = twin.devices["agg-01"].ifindex["GigabitEthernet1/0/1"]
    values = get("agg-01", f"1.3.6.1.2.1.2.2.1.11.{index}", f"1.3.6.1.2.1.2.2.1.14.{index}")
    packets, errors = values.values()
    assert packets > 0 and errors == int(packets * 0.001)
