"""The passive detectors over captures generated with scapy: every attack is found, benign traffic is not.

Each case writes a pcap and runs the same path as ``egovnet probe passive --pcap`` (RawPcapReader,
byte prefilter, detectors on hits).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from traffic import ATTACKER_MAC, ATTACKS, BENIGN, T0, Lan, dns_indicator, legit_router_ads, rogue_ra, run

from egovnet.probes import craft
from egovnet.probes.passive import run_capture
from egovnet.probes.settings import ProbeSettings


def _settings() -> ProbeSettings:
    settings = ProbeSettings()
    settings.dns.ioc_domains = ["evil-updates.example"]
    return settings


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_found(name: str, lan: Lan, tmp_path: Path) -> None:
    scenario, rule_id, entity = ATTACKS[name]
    book = run(tmp_path, scenario(lan), lan.context(_settings()))
    found = book.by_rule(rule_id)
    assert found, f"{name}: no {rule_id}; got {[f.rule.id for f in book]}"
    finding = found[0]
    if entity is not None:
        assert finding.entity.id == entity
    doc = finding.as_dict()
    assert doc["attack"] and doc["fingerprint"] and doc["first_seen"] <= doc["last_seen"]
    assert doc["evidence"], "every finding carries packet (or probe) evidence"
    json.dumps(doc)  # serialisable as is


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_traffic_raises_nothing(name: str, lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, BENIGN[name](lan), lan.context(_settings()))
    assert not book.findings, [f.summary for f in book]


def test_benign_mix_raises_nothing(lan: Lan, tmp_path: Path) -> None:
    frames = [item for scenario in BENIGN.values() for item in scenario(lan)]
    assert len(frames) > 500
    assert not run(tmp_path, frames, lan.context(_settings())).findings


def test_repeated_events_update_one_finding(lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, rogue_ra(lan) + rogue_ra(lan), lan.context())
    (finding,) = book.by_rule("NET-RA-001")
    assert finding.count == 6 and finding.first_seen == T0 and finding.last_seen == T0 + 2
    assert len(book.by_rule("NET-RA-001")) == 1


def test_flood_of_forged_sources_is_one_flood_finding(lan: Lan, tmp_path: Path) -> None:
    scenario = ATTACKS["RA flood"][0]
    book = run(tmp_path, scenario(lan), lan.context())
    (flood,) = book.by_rule("NET-RA-002")
    assert flood.count > 150 and flood.facts["peak_per_s"] > 10
    assert len(book.by_rule("NET-RA-001")) <= 11, "forged sources are folded into the flood"


def test_gateway_spoof_found_without_the_gateway_ever_arping(lan: Lan, tmp_path: Path) -> None:
    """The trial's miss: the gateway never ARPs in the capture; the seeded table still knows its MAC."""
    victim = lan.host(9)
    book = run(
        tmp_path, [(T0, craft.arp_spoof(ATTACKER_MAC, lan.gw_ip, victim[0], victim[1]))], lan.context()
    )
    (finding,) = book.by_rule("NET-ARP-001")
    assert finding.facts == {"gateway": lan.gw_ip, "expected_mac": lan.gw_mac, "claimed_mac": ATTACKER_MAC}
    assert finding.entity.site == lan.site and finding.level == "critical"


def test_nmap_signature_raises_the_port_scan_to_critical(lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, ATTACKS["port scan"][0](lan), lan.context())
    (scan,) = book.by_rule("NET-SCAN-001")
    assert scan.level == "critical" and scan.facts["nmap_signature"] and scan.facts["failed_ports"] == 100
    (sweep,) = run(tmp_path, ATTACKS["address scan"][0](lan), lan.context(), "sweep").by_rule("NET-SCAN-002")
    assert sweep.level == "major" and sweep.facts["failed_hosts"] == 40


def test_scanner_allow_list(lan: Lan, tmp_path: Path) -> None:
    settings = ProbeSettings(scanners=[lan.attacker_ip])
    assert not run(tmp_path, ATTACKS["port scan"][0](lan), lan.context(settings)).findings


def test_thresholds_are_configurable(lan: Lan, tmp_path: Path) -> None:
    settings = ProbeSettings.model_validate({"scan": {"address_threshold": 50}})
    assert not run(tmp_path, ATTACKS["address scan"][0](lan), lan.context(settings)).by_rule("NET-SCAN-002")


def test_snmp_community_is_never_written_unless_default(lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, ATTACKS["SNMPv1 with a private community"][0](lan), lan.context())
    text = json.dumps([f.as_dict() for f in book])
    assert "S3cret" not in text and "<16 chars>" in text
    public = run(tmp_path, ATTACKS["SNMP public"][0](lan), lan.context(), "public")
    (finding,) = public.by_rule("NET-MGMT-006")
    assert finding.count == 3 and finding.facts["community"] == "public" and finding.entity.type == "device"


def test_cleartext_evidence_keeps_headers_not_payload(lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, ATTACKS["telnet to a device"][0](lan), lan.context())
    sample = book.by_rule("NET-MGMT-001")[0].as_dict()["evidence"][0]
    assert b"admin".hex() not in sample["headers_hex"] and "TCP" in sample["summary"]


def test_our_own_ra_guard_canary_is_labelled_self_test(lan: Lan, tmp_path: Path) -> None:
    book = run(tmp_path, [(T0, craft.canary_ra(ATTACKER_MAC, "abc"))], lan.context())
    (finding,) = book.by_rule("NET-RA-001")
    assert finding.level == "info" and finding.labels == {"origin": "self-test"}


def test_without_a_probe_site_the_county_plan_is_the_scope(lan: Lan, tmp_path: Path) -> None:
    """A probe on a trunk (no --site): in-plan prefixes from the gateways pass, foreign ones do not."""
    context = lan.context(site=None)
    assert not run(tmp_path, legit_router_ads(lan), context).findings
    assert run(tmp_path, rogue_ra(lan), context, "rogue").by_rule("NET-RA-001")


def test_pcapng_and_vlan_tagged_frames(lan: Lan, tmp_path: Path) -> None:
    from scapy.layers.l2 import Dot1Q, Ether
    from scapy.utils import wrpcapng

    packets = []
    for when, frame in dns_indicator(lan) + rogue_ra(lan):
        ether = Ether(frame)
        tagged = Ether(src=ether.src, dst=ether.dst) / Dot1Q(vlan=10) / ether.payload
        tagged.time = when
        packets.append(tagged)
    path = tmp_path / "tagged.pcapng"
    wrpcapng(str(path), packets)
    result = run_capture(path, lan.context(_settings()))
    assert {f.rule.id for f in result.book} == {"NET-DNS-001", "NET-RA-001"}
    assert result.stats.frames == 4 and result.stats.first == pytest.approx(T0)


def test_truncated_and_garbage_frames_are_skipped(lan: Lan, tmp_path: Path) -> None:
    rogue = rogue_ra(lan)[0][1]
    frames = [(T0, rogue[:n]) for n in range(0, len(rogue), 7)] + [(T0 + 1, bytes(range(256)) * 2)]
    book = run(tmp_path, frames, lan.context())
    assert all(f.rule.id.startswith("NET-") for f in book)
