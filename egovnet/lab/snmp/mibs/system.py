"""SNMPv2-MIB system group, SNMP-FRAMEWORK-MIB engine group and HOST-RESOURCES-MIB (CPU, RAM).

CPU and memory use the standard HOST-RESOURCES-MIB (hrProcessorLoad, hrStorage with an hrStorageRam
row) rather than the vendors' entity MIBs, so one poller profile covers every platform.
"""

from __future__ import annotations

from typing import Any

from egovnet.lab.snmp.facts import Resources, resources, sys_contact, sys_descr, sys_location
from egovnet.lab.snmp.registry import Column, MibObject, Scalar, Table, oid
from egovnet.lab.snmp.syntax import counter32, integer, object_id, text, timeticks, zero
from egovnet.lab.snmp.view import DeviceView
from egovnet.platforms import platform

HR_STORAGE_RAM = oid("1.3.6.1.2.1.25.2.1.2")
HR_DEVICE_PROCESSOR = oid("1.3.6.1.2.1.25.3.1.3")
ZERO_DOT_ZERO = (0, 0)
SYS_SERVICES = 6  # datalink(2) + internet(4): switches and routers


def _engine_symbol(view: DeviceView, name: str) -> Any:
    (symbol,) = view.engine.get_mib_builder().import_symbols("__SNMP-FRAMEWORK-MIB", name)
    return symbol.syntax


def _has_engine(view: DeviceView) -> bool:
    return view.engine is not None


def _resources(view: DeviceView) -> Resources:
    result: Resources = view.memo("resources", lambda: resources(view.device))
    return result


SYSTEM: list[MibObject] = [
    Scalar(oid("1.3.6.1.2.1.1.1"), "sysDescr", text, lambda v: sys_descr(v.device)),
    Scalar(
        oid("1.3.6.1.2.1.1.2"),
        "sysObjectID",
        object_id,
        lambda v: oid(platform(v.spec.platform).sys_object_id),
    ),
    Scalar(oid("1.3.6.1.2.1.1.3"), "sysUpTime", timeticks, lambda v: v.uptime_ticks()),
    Scalar(oid("1.3.6.1.2.1.1.4"), "sysContact", text, lambda v: sys_contact(v.device)),
    Scalar(oid("1.3.6.1.2.1.1.5"), "sysName", text, lambda v: v.device.hostname()),
    Scalar(oid("1.3.6.1.2.1.1.6"), "sysLocation", text, lambda v: sys_location(v.device)),
    Scalar(oid("1.3.6.1.2.1.1.7"), "sysServices", integer, lambda v: SYS_SERVICES),
]

# The engine group is served from the engine that answers; in variant B all devices share one.
SNMP_ENGINE: list[MibObject] = [
    Scalar(
        oid("1.3.6.1.6.3.10.2.1.1"),
        "snmpEngineID",
        lambda value: value,
        lambda v: v.engine.snmpEngineID,
        _has_engine,
    ),
    Scalar(
        oid("1.3.6.1.6.3.10.2.1.2"),
        "snmpEngineBoots",
        integer,
        lambda v: int(_engine_symbol(v, "snmpEngineBoots")),
        _has_engine,
    ),
    Scalar(
        oid("1.3.6.1.6.3.10.2.1.3"),
        "snmpEngineTime",
        integer,
        lambda v: int(_engine_symbol(v, "snmpEngineTime").clone()),
        _has_engine,
    ),
    Scalar(
        oid("1.3.6.1.6.3.10.2.1.4"),
        "snmpEngineMaxMessageSize",
        integer,
        lambda v: int(_engine_symbol(v, "snmpEngineMaxMessageSize")),
        _has_engine,
    ),
]


def _processors(view: DeviceView) -> list[tuple[int, int]]:
    return list(enumerate(_resources(view).cpu_loads, start=1))


HOST_RESOURCES: list[MibObject] = [
    Scalar(oid("1.3.6.1.2.1.25.1.1"), "hrSystemUptime", timeticks, lambda v: v.uptime_ticks()),
    Scalar(oid("1.3.6.1.2.1.25.2.2"), "hrMemorySize", integer, lambda v: _resources(v).memory_kib),
    Table(
        oid("1.3.6.1.2.1.25.2.3.1"),
        "hrStorageTable",
        rows=lambda v: [_resources(v)],
        index=lambda r: (1,),
        columns=(
            Column(1, "hrStorageIndex", integer, lambda r, v: 1),
            Column(2, "hrStorageType", object_id, lambda r, v: HR_STORAGE_RAM),
            Column(3, "hrStorageDescr", text, lambda r, v: "RAM"),
            Column(4, "hrStorageAllocationUnits", integer, lambda r, v: 1024),
            Column(5, "hrStorageSize", integer, lambda r, v: r.memory_kib),
            Column(6, "hrStorageUsed", integer, lambda r, v: r.memory_used_kib),
            Column(7, "hrStorageAllocationFailures", counter32, zero),
        ),
    ),
    Table(
        oid("1.3.6.1.2.1.25.3.2.1"),
        "hrDeviceTable",
        rows=_processors,
        index=lambda r: (r[0],),
        columns=(
            Column(1, "hrDeviceIndex", integer, lambda r, v: r[0]),
            Column(2, "hrDeviceType", object_id, lambda r, v: HR_DEVICE_PROCESSOR),
            Column(3, "hrDeviceDescr", text, lambda r, v: f"CPU {r[0]}"),
            Column(4, "hrDeviceID", object_id, lambda r, v: ZERO_DOT_ZERO),
            Column(5, "hrDeviceStatus", integer, lambda r, v: 2),  # running
            Column(6, "hrDeviceErrors", counter32, zero),
        ),
    ),
    Table(
        oid("1.3.6.1.2.1.25.3.3.1"),
        "hrProcessorTable",
        rows=_processors,
        index=lambda r: (r[0],),
        columns=(
            Column(1, "hrProcessorFrwID", object_id, lambda r, v: ZERO_DOT_ZERO),
            Column(2, "hrProcessorLoad", integer, lambda r, v: r[1]),
        ),
    ),
]
