"""Live capture: two namespaces joined by veth; a rogue RA and an ARP spoof sent from one are found by
``egovnet probe passive --iface`` in the other (one AF_PACKET socket and kernel BPF per detector).
The active L2 checks run the same way across a Linux bridge (a switch without RA guard or DHCP
snooping) and a receiver probe point for the firewall-policy check."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from netns import EGOVNET, PYTHON, Lab, require_netns
from traffic import ATTACKER_MAC, Lan

pytestmark = pytest.mark.slow
ACTIVE = (EGOVNET, "probe", "active")

SENDER = """
import socket, sys, time
frames = [bytes.fromhex(h) for h in sys.argv[2:]]
with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
    sock.bind((sys.argv[1], 0))
    for _ in range(4):  # bounded: 4 rounds, 0.3 s apart
        for frame in frames:
            sock.send(frame)
        time.sleep(0.3)
"""

ROGUE_DHCP = """
import socket, sys, time
from egovnet.probes import craft
from egovnet.probes.detectors.dhcp import dhcp_options
iface, mac, address = sys.argv[1:4]
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
sock.bind((iface, 0))
sock.settimeout(0.5)
print("ready", file=sys.stderr, flush=True)
deadline = time.monotonic() + 15
while time.monotonic() < deadline:  # bounded: answers DISCOVERs for 15 s at most
    try:
        frame = sock.recv(65535)
    except socket.timeout:
        continue
    if len(frame) > 282 and frame[23] == 17 and frame[36:38] == b"\\x00\\x43" and frame[42] == 1:
        xid = frame[46:50]
        client = frame[70:76].hex(":")
        offer = bytearray(craft.dhcp_exchange(mac, address, client, "10.200.0.99")[1])
        offer[46:50] = xid
        sock.send(bytes(offer))
"""


def _json(done: Any) -> dict[str, Any]:
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_rogue_ra_and_arp_spoof_are_found_live(lan: Lan, tmp_path: Path) -> None:
    require_netns()
    with Lab("p") as lab:
        attacker, probe = lab.namespace("a"), lab.namespace("q")
        lab.veth(attacker, lab.name("va"), probe, lab.name("vq"))
        watcher = lab.start(
            probe, EGOVNET, "probe", "passive", "--iface", lab.name("vq"), "--duration", "5",
            "--site", lan.site, "--state-dir", str(tmp_path), "--json",
        )  # fmt: skip
        from egovnet.probes import craft

        victim = lan.host(9)
        rogue_ra = craft.router_advert(ATTACKER_MAC, [lan.prefix.supernet(8)], routes=[])
        spoof = craft.arp_spoof(ATTACKER_MAC, lan.gw_ip, victim[0], victim[1])
        legit = craft.router_advert(lan.router.mac, [lan.prefix])
        lab.wait_for(watcher, "capturing on")
        sent = lab.run(
            attacker, PYTHON, "-c", SENDER, lab.name("va"), rogue_ra.hex(), spoof.hex(), legit.hex()
        )
        assert sent.returncode == 0, sent.stderr
        out, err = watcher.communicate(timeout=60)
        assert watcher.returncode == 0, out + err
    result = json.loads(out)
    assert result["stats"]["frames"] >= 8 and result["stats"]["drops"] == 0
    found = {(f["rule"], f["entity"]["id"]) for f in result["findings"]}
    assert ("NET-RA-001", ATTACKER_MAC) in found and ("NET-ARP-001", ATTACKER_MAC) in found
    assert {f["rule"] for f in result["findings"]} == {"NET-RA-001", "NET-ARP-001"}, (
        "the gateway's own RA is fine"
    )
    assert {a["rule"]["attack"][0] for a in result["alerts"]} == {"T1557", "T1557.002"}


def test_ra_guard_dhcp_sweep_and_firewall_policy(lan: Lan, tmp_path: Path) -> None:
    """A bridge with no RA guard, a rogue DHCP server on it, and no firewall between probe points."""
    require_netns()
    settings = tmp_path / "probes.yml"
    settings.write_text(
        textwrap.dedent(
            """
            active:
              firewall_policy:
                - {name: telnet-to-dmz, proto: tcp, port: 23, expect: deny}
                - {name: https-to-dmz, proto: tcp, port: 443, expect: allow}
                - {name: syslog-to-dmz, proto: udp, port: 514, expect: allow}
            """
        ),
        encoding="utf-8",
    )
    with Lab("b") as lab:
        switch, probe, rogue = lab.namespace("s"), lab.namespace("q"), lab.namespace("r")
        legs = [lab.name(n) for n in ("q1", "q2", "r1")]
        lab.veth(probe, legs[0], switch, lab.name("s1"))
        lab.veth(probe, legs[1], switch, lab.name("s2"))
        lab.veth(rogue, legs[2], switch, lab.name("s3"))
        lab.bridge(switch, lab.name("br"), [lab.name("s1"), lab.name("s2"), lab.name("s3")])
        lab.run(probe, "ip", "addr", "add", "10.200.0.1/24", "dev", legs[0])
        lab.run(rogue, "ip", "addr", "add", "10.200.0.2/24", "dev", legs[2])
        common = [
            "--state-dir",
            str(tmp_path / "state"),
            "--timeout",
            "1.5",
            "--json",
            "--settings",
            str(settings),
        ]

        guard = _json(
            lab.run(
                probe, *ACTIVE, "--check", "ra_guard", "--iface", legs[0], "--listen-iface", legs[1], *common
            )
        )
        (finding,) = guard["findings"]
        assert finding["rule"] == "ACT-RAG-001"
        assert finding["facts"]["variants_through"] == ["dstopt", "fragmented", "hbh-dstopt", "plain"]

        server = lab.start(rogue, PYTHON, "-c", ROGUE_DHCP, legs[2], ATTACKER_MAC, "10.200.0.2")
        lab.wait_for(server, "ready")
        try:
            sweep = _json(lab.run(probe, *ACTIVE, "--check", "dhcp_sweep", "--iface", legs[0], *common))
        finally:
            server.kill()
            server.communicate(timeout=10)
        (offer,) = sweep["findings"]
        assert offer["rule"] == "ACT-DHCP-001" and offer["entity"]["mac"] == ATTACKER_MAC

        marks = tmp_path / "marks.json"
        receiver = lab.start(rogue, EGOVNET, "probe", "marks", "--iface", legs[2], "--duration", "60",
                             "--out", str(marks))  # fmt: skip
        lab.wait_for(receiver, "listening for marks")
        policy_run = lab.run(
            probe, *ACTIVE, "--check", "fw_policy", "--receiver", "10.200.0.2", "--marks", str(marks), *common
        )
        received = receiver.communicate(timeout=30)
        assert receiver.returncode == 0, received
        policy = _json(policy_run)
    rows = {(f["rule"], f["facts"]["row"]) for f in policy["findings"]}
    assert rows == {("ACT-FW-001", "telnet-to-dmz")}, (
        "no firewall: the denied row is delivered, allowed rows too"
    )
