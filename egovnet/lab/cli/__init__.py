"""The digital twin's SSH command line: a generic CLI engine plus one module per dialect.

``vrp5`` (Huawei VRP V5), ``vrp8`` (Huawei VRP V8 with commit), ``comware7`` (H3C Comware 7) and
``ios`` (Cisco IOS) each turn the shared :class:`~egovnet.lab.model.LabDevice` into what the
real device prints, so that unmodified netmiko, NAPALM, hier_config and ntc-templates work
against the twin. :mod:`egovnet.lab.ssh_server` puts sessions on the wire.

Typical use::

    network = build_network(specs, links)           # base configs from each dialect
    session = CliSession(network, network.devices["HW5"], get_dialect("vrp5"))
    reply = session.handle("display interface brief")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from egovnet.lab.cli.dialect import CommandError, Dialect
from egovnet.lab.cli.registry import dialect_for, get_dialect
from egovnet.lab.cli.session import CliSession, Question, Reply, View
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec, LabDevice, LabNetwork, LinkSpec

__all__ = [
    "CliSession",
    "CommandError",
    "Dialect",
    "Question",
    "Reply",
    "View",
    "build_device",
    "build_network",
    "dialect_for",
    "get_dialect",
    "with_peers",
]


def with_peers(spec: DeviceSpec, links: Iterable[LinkSpec]) -> DeviceSpec:
    """``spec`` with ``extra["peers"]`` filled from the topology (port descriptions use it)."""
    peers: dict[str, tuple[str, str] | str] = {}
    for link in links:
        if link.a_device == spec.name:
            peers[link.a_interface] = (link.b_device, link.b_interface) if link.b_device else link.external
        elif link.b_device == spec.name:
            peers[link.b_interface] = (link.a_device, link.a_interface)
    if not peers:
        return spec
    return replace(spec, extra={**spec.extra, "peers": {**peers, **dict(spec.extra.get("peers", {}))}})


def build_device(spec: DeviceSpec, links: Iterable[LinkSpec] = ()) -> LabDevice:
    """A device with its dialect's starting configuration (empty for SNMP-only kinds)."""
    full = with_peers(spec, links)
    dialect = get_dialect(spec.dialect) if spec.dialect else None
    return LabDevice(full, dialect.base_config(full) if dialect else ConfigNode())


def build_network(specs: Iterable[DeviceSpec], links: Iterable[LinkSpec]) -> LabNetwork:
    """A whole twin from inventory specs and links."""
    link_list = list(links)
    return LabNetwork([build_device(spec, link_list) for spec in specs], link_list)
