"""From the inventory to poll targets: address, credentials, profile and the labels every series carries.

The inventory is the only source: a device's profile is chosen by its platform and role, its
credentials are its ``egovnet_snmp`` variables (environment lookups or Vault values, resolved here
and never printed), and the labels that tie a metric back to the county (``device``, ``site``,
``level``, ``role``, ``platform``; for cabled interfaces ``link``, ``link_role``, ``peer``,
``peer_interface``) come from the same typed model the rest of egovnet uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from egovnet.inventory import Inventory, Link
from egovnet.inventory.credentials import CredentialError, resolve
from egovnet.monitor.plan import PlanProfile, PollPlan
from egovnet.monitor.snmp import Endpoint, SnmpAuth

DEFAULT_PORT = 161


@dataclass(frozen=True)
class Target:
    """One device to poll.

    Attributes:
        endpoint: where and how (``None`` when the credentials could not be resolved).
        error: why the device cannot be polled (credentials), shown as health ``config_error``.
        labels: inventory labels of every series of the device.
        links: interface name -> labels of the inventory link cabled there.
    """

    name: str
    profile: PlanProfile
    endpoint: Endpoint | None
    labels: dict[str, str]
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class Unpolled:
    """A selected device no profile polls (fit APs, websites) and why."""

    name: str
    reason: str


def link_id(link: Link) -> str:
    """A stable name for a link, the same seen from either end."""
    far = f"{link.b_device}:{link.b_interface}" if link.b_device else str(link.external)
    return f"{link.a_device}:{link.a_interface}--{far}"


def link_labels(inventory: Inventory, device: str) -> dict[str, dict[str, str]]:
    """Interface name -> link labels for every link with an end on ``device``."""
    result: dict[str, dict[str, str]] = {}
    for link in inventory.links_of(device):
        if link.a_device == device:
            ifname, peer, peer_if = link.a_interface, link.b_device or "", link.b_interface or ""
            if not peer:
                peer = str(link.external or "")
        elif link.b_interface:
            ifname, peer, peer_if = link.b_interface, link.a_device, link.a_interface
        else:
            continue
        result[ifname] = {
            "link": link_id(link),
            "link_role": link.role,
            "peer": peer,
            "peer_interface": peer_if,
        }
    return result


def _auth(inventory: Inventory, name: str, version: int | None) -> tuple[SnmpAuth | None, int, str | None]:
    raw = inventory.devices[name].vars.get("egovnet_snmp")
    if not isinstance(raw, dict):
        return None, DEFAULT_PORT, "no egovnet_snmp variables"
    try:
        values = resolve("egovnet_snmp", raw)
        return SnmpAuth.from_vars(values, version), int(values.get("port", DEFAULT_PORT)), None
    except (CredentialError, ValueError) as exc:
        return None, DEFAULT_PORT, str(exc)


def build_targets(
    inventory: Inventory,
    plan: PollPlan,
    names: Iterable[str],
    version: int | None = None,
    timeout_s: float | None = None,
) -> tuple[list[Target], list[Unpolled]]:
    """Targets for the named devices, plus the ones that are not polled (with the reason).

    Arguments:
        version: force SNMP v2c (2) or v3 (3) instead of each device's ``egovnet_snmp.version``.
        timeout_s: override every profile's per-request timeout (a congested WAN, a busy lab host).
    """
    targets: list[Target] = []
    unpolled: list[Unpolled] = []
    for name in names:
        device = inventory.devices[name]
        profile = plan.profile_for(device.platform, device.role)
        if profile is None:
            unpolled.append(Unpolled(name, f"no monitor profile for {device.platform}/{device.role}"))
            continue
        if not profile.poll:
            unpolled.append(Unpolled(name, profile.reason))
            continue
        site = inventory.sites[device.site]
        labels = {
            "device": name,
            "site": site.id,
            "level": site.level,
            "role": device.role,
            "platform": device.platform,
        }
        auth, port, error = _auth(inventory, name, version)
        endpoint = (
            Endpoint(name, str(device.host), port, auth, timeout_s or profile.timeout_s, profile.retries)
            if auth is not None
            else None
        )
        targets.append(Target(name, profile, endpoint, labels, link_labels(inventory, name), error))
    return targets, unpolled


def renamed(target: Target, name: str, host: str) -> Target:
    """A copy of ``target`` under another name and address (the scale twin's ``device~k`` copies)."""
    endpoint = replace(target.endpoint, name=name, host=host) if target.endpoint else None
    return replace(target, name=name, endpoint=endpoint, labels={**target.labels, "device": name})
