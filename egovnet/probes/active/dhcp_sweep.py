"""Rogue-DHCP sweep: one broadcast DISCOVER, every OFFER listed, unapproved servers reported.

The safe mode of the research note (§2.3): a DISCOVER with a random transaction id from a locally
administered client MAC that no real client uses, on the probe's access leg (``--iface``); the
probe never requests or accepts the lease. OFFERs for that transaction id arriving within
``timeout_s`` come from DHCP servers or relays on the segment; any not on the allow-list (gateways,
``dhcp_servers``; the same list as the passive detector) is ``ACT-DHCP-001``.
"""

from __future__ import annotations

import random
import time
from typing import ClassVar

from egovnet.probes import craft
from egovnet.probes.active.base import ActiveCheck, ActiveRun, CheckError
from egovnet.probes.active.l2 import Listener, random_mac, send_frames
from egovnet.probes.detectors.dhcp import OPT_MESSAGE_TYPE, OPT_SERVER_ID, dhcp_options
from egovnet.probes.detectors.servers import ServerAllowList
from egovnet.probes.packet import headers, ip_src_dst, mac

LISTEN_BPF = "udp and (port 67 or port 68)"
OFFER = 2
ALL = "*"


class DhcpSweepCheck(ActiveCheck):
    """Which DHCP servers answer on this segment?"""

    name: ClassVar[str] = "dhcp_sweep"
    description: ClassVar[str] = "broadcast DISCOVER, list every OFFER, report unapproved servers"

    def run(self, run: ActiveRun) -> list[str]:
        if not run.interface:
            raise CheckError("dhcp_sweep needs --iface (the probe's access leg)")
        xid = random.getrandbits(32)
        client = random_mac()
        if run.dry_run:
            run.planned.append(f"DHCP DISCOVER xid {xid:#x} from {client} on {run.interface}")
            return []
        listener = Listener(run.interface, LISTEN_BPF)
        send_frames(run.interface, [craft.dhcp_discover(client, xid)], run.limiter)
        offers = listener.collect(run.context.settings.active.timeout_s, lambda frame: _is_offer(frame, xid))
        allowed = ServerAllowList.of(run.context)
        for frame in offers:
            head = headers(frame)
            source, _ = ip_src_dst(frame, head)
            ether = mac(frame, 6)
            options = dhcp_options(frame[head.l4 + 8 :])
            server_id = options.get(OPT_SERVER_ID, b"")
            server = ".".join(str(b) for b in server_id) if len(server_id) == 4 else source
            if allowed.allows(source, ether) and (server == source or allowed.allows(server, None)):
                continue
            offered = ".".join(str(b) for b in frame[head.l4 + 8 + 16 : head.l4 + 8 + 20])
            run.book.report(
                "ACT-DHCP-001",
                run.context.host(source, ether),
                time.time(),
                f"unapproved DHCP server {server} ({ether}) offered {offered} on {run.interface}",
                frame=frame,
                facts={"server": server, "server_mac": ether, "offered": offered, "xid": f"{xid:#x}"},
                labels={"origin": "self-test"},
            )
        return [ALL]


def _is_offer(frame: bytes, xid: int) -> bool:
    head = headers(frame)
    if head.l4 < 0:
        return False
    payload = frame[head.l4 + 8 :]
    if len(payload) < 240 or payload[0] != 2 or int.from_bytes(payload[4:8], "big") != xid:
        return False
    kind = dhcp_options(payload).get(OPT_MESSAGE_TYPE, b"\x00")
    return kind[:1] == bytes([OFFER])
