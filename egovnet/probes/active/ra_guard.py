"""RA-guard verification with a harmless RA, plain and in its RFC 7113 evasion variants.

The sender leg (``--iface``, an access port that should be ``role host``) sends the canary of
:func:`egovnet.probes.craft.canary_ra`: router lifetime 0, the documentation prefix with A=0, L=0
and zero lifetimes, and a marker option with a nonce per variant; hosts that receive it install
nothing. The listener leg (``--listen-iface``, another host port of the VLAN) waits ``timeout_s``.
Every variant that arrives is RA guard missing or bypassed: ``ACT-RAG-001`` (MLPS 8.1.3.3b).
"""

from __future__ import annotations

import secrets
import time
from typing import ClassVar

from egovnet.probes import craft
from egovnet.probes.active.base import ActiveCheck, ActiveRun, CheckError
from egovnet.probes.active.l2 import Listener, interface_mac, send_frames

#: The fragmented variant's marker travels in its second fragment, which is what the listener sees.
VARIANTS = ("plain", "dstopt", "hbh-dstopt", "fragmented")
LISTEN_BPF = "icmp6 or (ip6 and (ip6[6] == 0 or ip6[6] == 44 or ip6[6] == 60))"


class RaGuardCheck(ActiveCheck):
    """Does a router advertisement from a host port reach another host port?"""

    name: ClassVar[str] = "ra_guard"
    description: ClassVar[str] = "RA guard with a harmless RA (lifetime 0, documentation prefix) + RFC 7113"

    def run(self, run: ActiveRun) -> list[str]:
        if not run.interface or not run.listen_interface:
            raise CheckError("ra_guard needs --iface (sender leg) and --listen-iface (listener leg)")
        segment = f"{run.interface}>{run.listen_interface}"
        nonce = secrets.token_hex(6)
        mac = interface_mac(run.interface)
        variants = {
            name: craft.evasion_variants(craft.canary_ra(mac, f"{nonce}-{name}"))[name] for name in VARIANTS
        }
        if run.dry_run:
            run.planned += [f"RA canary {name} on {run.interface}" for name in variants]
            return []
        listener = Listener(run.listen_interface, LISTEN_BPF)
        for frames in variants.values():
            send_frames(run.interface, frames, run.limiter)
        marker = nonce.encode()
        arrived = listener.collect(run.context.settings.active.timeout_s, lambda frame: marker in frame)
        through = sorted(
            {name for name in variants for frame in arrived if f"{nonce}-{name}".encode() in frame}
        )
        if through:
            run.book.report(
                "ACT-RAG-001",
                run.context.segment(segment),
                time.time(),
                f"RA canary from {run.interface} reached {run.listen_interface}: {', '.join(through)}",
                detail=f"variants through: {', '.join(through)}",
                facts={"variants_through": through, "sent": sorted(variants)},
                labels={"origin": "self-test"},
            )
        return [segment]
