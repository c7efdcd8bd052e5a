"""Reading facts out of a device configuration tree, for every dialect (the twin and the engine).

The twin derives interface state from its running configuration, and the engine reads the same facts
(addresses per interface, shutdown, IPv6 enablement) from configurations it fetched; both use this one
reader so they can never disagree about what a configuration says.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from egovnet.lab.config_tree import ConfigNode, parse_config

__all__ = [
    "HOSTNAME_COMMAND",
    "InterfaceConfig",
    "interfaces_from_text",
    "parse_config",
    "parse_printed",
    "read_interface_config",
]


@dataclass
class InterfaceConfig:
    """What the running configuration says about one interface."""

    name: str
    shutdown: bool = False
    description: str = ""
    ipv4: list[ipaddress.IPv4Interface] = field(default_factory=list)
    ipv6: list[ipaddress.IPv6Interface] = field(default_factory=list)
    ipv6_enabled: bool = False
    #: The aggregate this port is a member of (``Eth-Trunk1``): its layer-3 settings live there.
    bundle: str = ""


#: How a member port names its aggregate, per dialect: (command words, aggregate interface prefix).
_BUNDLE_MEMBERSHIP = {
    "vrp5": (("eth-trunk",), "Eth-Trunk"),
    "vrp8": (("eth-trunk",), "Eth-Trunk"),
    "comware7": (("port", "link-aggregation", "group"), "Bridge-Aggregation"),
    "ios": (("channel-group",), "Port-channel"),
}


# Keyword differences the generic interface reader needs. Dialect packages own everything else.
HOSTNAME_COMMAND = {"vrp5": "sysname", "vrp8": "sysname", "comware7": "sysname", "ios": "hostname"}
_IPV6_NEEDS_ENABLE = {"vrp5": True, "vrp8": True, "comware7": False, "ios": False}


#: Lines a device prints around its configuration that are not configuration: the ``#``/``!``
#: separators and headers, VRP V8's indented sub-block ``#``, and the ``return``/``end`` trailers.
_PRINTED_NOISE = ("#", "!")
_TRAILERS = ("return", "end")


def parse_printed(text: str) -> ConfigNode:
    """Parse a configuration as a device prints it (``display current-configuration``/``show run``).

    Comware prints global commands indented by one space, so ``parse_config`` alone would read
    `` ip route-static ...`` after a ``line vty`` section as a child of that section. Here every
    block between column-0 separators is dedented by its first line's indentation first (what the
    devices' own parsers do); separators, headers and the trailer are dropped. VRP and IOS text,
    whose global lines sit at column 0, parse exactly as with ``parse_config``.
    """
    root = ConfigNode()
    stack: list[tuple[int, ConfigNode]] = [(-1, root)]
    base: int | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip()
        if not stripped:
            continue
        if stripped.startswith(_PRINTED_NOISE):
            if line[0] in _PRINTED_NOISE:  # a separator at column 0 closes the block
                base = None
                del stack[1:]
            continue
        indent = len(line) - len(stripped)
        if base is None:
            base = indent
            if stripped in _TRAILERS and indent == 0:
                continue
        depth = max(indent - base, 0)
        while stack[-1][0] >= depth:
            stack.pop()
        node = ConfigNode(stripped)
        stack[-1][1].children.append(node)
        stack.append((depth, node))
    return root


def _parse_ipv4(words: list[str]) -> ipaddress.IPv4Interface | None:
    """``ip address A M`` with M dotted or a prefix length (VRP/Comware accept both)."""
    if len(words) < 4:
        return None
    try:
        return ipaddress.IPv4Interface(f"{words[2]}/{words[3]}")
    except ValueError:
        return None


def _parse_ipv6(words: list[str]) -> ipaddress.IPv6Interface | None:
    """``ipv6 address X/len`` or ``ipv6 address X len``; link-local/auto forms are skipped."""
    if len(words) < 3 or words[2] in ("auto", "dhcp-alloc"):
        return None
    text = words[2] if "/" in words[2] else f"{words[2]}/{words[3]}" if len(words) > 3 else ""
    try:
        return ipaddress.IPv6Interface(text)
    except ValueError:
        return None


def read_interface_config(tree: ConfigNode, dialect: str) -> dict[str, InterfaceConfig]:
    """Extract per-interface admin state, description and addresses from a config tree."""
    result: dict[str, InterfaceConfig] = {}
    needs_enable = _IPV6_NEEDS_ENABLE.get(dialect, False)
    for section in tree.children_starting("interface "):
        name = section.text.split(None, 1)[1]
        conf = InterfaceConfig(name)
        member_words, bundle_prefix = _BUNDLE_MEMBERSHIP.get(dialect, ((), ""))
        for line in section.children:
            words = line.text.split()
            if not words:
                continue
            if words == ["shutdown"]:
                conf.shutdown = True
            elif words[0] == "description":
                conf.description = line.text.split(None, 1)[1] if len(words) > 1 else ""
            elif words[:2] == ["ip", "address"]:
                v4 = _parse_ipv4(words)
                if v4 is not None:
                    conf.ipv4.append(v4)
            elif words[:2] == ["ipv6", "address"]:
                v6 = _parse_ipv6(words)
                if v6 is not None:
                    conf.ipv6.append(v6)
            elif words == ["ipv6", "enable"]:
                conf.ipv6_enabled = True
            elif (
                member_words
                and tuple(words[: len(member_words)]) == member_words
                and len(words) > len(member_words)
            ):
                conf.bundle = f"{bundle_prefix}{words[len(member_words)]}"
        if not needs_enable:
            conf.ipv6_enabled = conf.ipv6_enabled or bool(conf.ipv6)
        result[name] = conf
    return result


def interfaces_from_text(text: str, dialect: str) -> dict[str, InterfaceConfig]:
    """Per-interface facts from configuration text as a device prints it."""
    return read_interface_config(parse_config(text), dialect)
