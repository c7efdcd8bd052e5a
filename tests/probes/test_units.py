"""Pure functions of the probe: wire parsers, filters, settings caps, the gateway table file."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netns import require_libpcap
from pydantic import ValidationError
from traffic import Lan

from egovnet.inventory import Inventory
from egovnet.probes import craft
from egovnet.probes.context import ProbeContext
from egovnet.probes.detectors import DETECTORS, build_detectors
from egovnet.probes.dnswire import parse_query, registered_domain, suffixes
from egovnet.probes.engine import Dispatcher
from egovnet.probes.findings import FindingBook, fingerprint
from egovnet.probes.gateways import GatewayTable, load_gateways
from egovnet.probes.packet import eui64_mac, header_length, headers, link_local_of, normal_mac
from egovnet.probes.settings import ProbeSettings, load_settings
from egovnet.snmpwire import parse_header


def test_snmp_header_of_each_version() -> None:
    v2c = craft.snmp_request("public", 300)
    assert parse_header(v2c) == parse_header(craft.snmp_request("public", 1))
    header = parse_header(v2c)
    assert header is not None and (header.version, header.community, header.pdu) == ("v2c", b"public", "get")
    assert parse_header(craft.snmp_request("x" * 200, 1, version=0)).community == b"x" * 200  # type: ignore[union-attr]
    assert parse_header(bytes.fromhex("303e020103") + bytes(59)).version == "v3"  # type: ignore[union-attr]
    assert parse_header(b"\x30\x01") is None and parse_header(b"GET /") is None


def test_dns_question_and_registered_domain() -> None:
    frame = craft.dns_query(
        "02:00:00:00:00:01", "10.0.0.1", "02:00:00:00:00:02", "10.0.0.2", "A.B.Example.gov.cn", "TXT"
    )
    question = parse_query(frame[42:])
    assert question is not None and (question.name, question.qtype) == ("a.b.example.gov.cn", 16)
    assert registered_domain("a.b.example.gov.cn") == "example.gov.cn"
    assert registered_domain("x.pirate.sea") == "pirate.sea"
    assert suffixes("a.b.c") == ["a.b.c", "b.c", "c"]


def test_mac_and_eui64_helpers() -> None:
    assert normal_mac("00E0-FC12-3456") == "00:e0:fc:12:34:56"
    with pytest.raises(ValueError, match="not a MAC"):
        normal_mac("00:11")
    link_local = link_local_of("00:e0:fc:12:34:56")
    assert str(link_local) == "fe80::2e0:fcff:fe12:3456" and eui64_mac(link_local) == "00:e0:fc:12:34:56"
    assert eui64_mac(ipaddress.IPv6Address("fe80::1")) is None


def test_headers_and_evidence_length() -> None:
    telnet = craft.tcp_session(
        "02:00:00:00:00:01", "10.0.0.1", "02:00:00:00:00:02", "10.0.0.2", 23, b"secret"
    )[3]
    head = headers(telnet)
    assert (head.ethertype, head.proto, head.l4) == (0x0800, 6, 34)
    assert header_length(telnet) == 54 and b"secret" not in telnet[: header_length(telnet)]
    fragments = craft.evasion_variants(craft.canary_ra("02:00:00:00:00:01", "n"))["fragmented"]
    assert headers(fragments[0]).fragmented and headers(fragments[1]).l4 == -1


def test_every_detector_filter_compiles_with_libpcap(lan: Lan) -> None:
    """The kernel filters are real BPF: libpcap compiles each one (no root needed)."""
    require_libpcap()
    from scapy.arch.common import compile_filter

    book = FindingBook()
    for detector in build_detectors(lan.context(), book):
        expression = detector.bpf()
        program = compile_filter(expression, linktype=1)
        assert program.bf_len > 0, detector.name


def test_cleartext_filter_is_scoped_to_device_networks(lan: Lan) -> None:
    (cleartext,) = build_detectors(lan.context(), FindingBook(), ["cleartext"])
    expression = cleartext.bpf()
    assert "tcp port 23" in expression and "net 10.98.0.0/15" in expression  # management + links, collapsed


def test_unknown_detector_is_refused(lan: Lan) -> None:
    with pytest.raises(KeyError, match="unknown detector"):
        build_detectors(lan.context(), FindingBook(), ["nope"])
    assert set(DETECTORS) >= {"ra", "dhcp6", "arp", "dhcp", "cleartext", "scan", "dns_ioc", "dns_tunnel"}


def test_active_safety_caps_are_enforced_by_the_settings() -> None:
    with pytest.raises(ValidationError):
        ProbeSettings.model_validate({"active": {"communities": ["a", "b", "c", "d"]}})
    with pytest.raises(ValidationError):
        ProbeSettings.model_validate({"active": {"rate_pps": 500}})


def test_settings_file_loads(repo: Path) -> None:
    loaded = load_settings(repo / "monitors" / "probes.yml")
    assert loaded.scan.port_threshold == 15 and loaded.active.access_matrix["management"].allow
    with pytest.raises(FileNotFoundError):
        load_settings(repo / "nope.yml")


def test_committed_gateway_table_is_up_to_date(repo: Path, gateways: GatewayTable) -> None:
    """The generated file is regenerated, never edited (snmp_exporter's rule)."""
    path = repo / "monitors" / "probe-gateways.yml"
    assert path.read_text(encoding="utf-8") == gateways.as_yaml(), "run: egovnet probe gateways"
    assert load_gateways(path).binding == gateways.binding


def test_gateway_table_covers_every_site_lan(county: Inventory, gateways: GatewayTable) -> None:
    core = gateways.sites["county_dc"]
    assert len(core.routers) == 2 and any(mac.startswith("00:00:5e:00:01") for mac in core.bindings.values())
    lans = [s for s in county.sites.values()]
    assert len(gateways.sites) == len(lans)
    for entry in gateways.sites.values():
        assert entry.lan_ipv6.subnet_of(entry.site_ipv6)


def test_observed_macs_win_over_the_twin(county: Inventory) -> None:
    from egovnet.probes.gateways import build_gateways

    table = build_gateways(county, {"qishan-v01-sw-01": {"Vlanif10": "00e0-fc00-0001"}})
    entry = table.sites["qishan_v01"]
    assert entry.source == "observed" and "00:e0:fc:00:00:01" in entry.bindings.values()


def test_fingerprint_is_stable_identity() -> None:
    assert fingerprint("NET-RA-001", "02:00:00:00:00:01", "site:x") == fingerprint(
        "NET-RA-001", "02:00:00:00:00:01", "site:x"
    )
    assert len({fingerprint("NET-RA-001", "a", "s"), fingerprint("NET-RA-001", "a", "t")}) == 2


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=0, max_size=200))
def test_prefilter_survives_any_bytes(frame: bytes) -> None:
    context = ProbeContext(settings=ProbeSettings())
    dispatcher = Dispatcher(build_detectors(context, FindingBook()))
    for prefix in (b"", bytes(12) + b"\x08\x00", bytes(12) + b"\x86\xdd", bytes(12) + b"\x08\x06"):
        dispatcher.feed(1.0, prefix + frame)
    dispatcher.finish()
