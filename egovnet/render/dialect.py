"""Per-platform rendering facts, read from ``templates/<platform>/dialect.yml``.

Everything the engine must know about how a platform *prints* its configuration (the capability
templates and their order, the separator and trailer lines, the indentation of global commands, the
order of sections and of interface sub-commands, interface naming, keyword spellings) is data next to
that platform's templates, so that adding a dialect adds a directory and touches no engine code.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from egovnet.project import ROOT

#: Where the templates live unless ``$EGOVNET_TEMPLATES`` says otherwise: ``<repo>/templates``.
DEFAULT_TEMPLATES = ROOT / "templates"


class InterfaceNames(BaseModel):
    """How the platform spells the logical interfaces the templates create."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    loopback: str
    vlan_interface: str
    aggregate: str


class Dialect(BaseModel):
    """One platform's rendering facts.

    Attributes:
        platform: the inventory platform (directory name).
        capabilities: capability templates (``<name>.j2``) in the order they are rendered.
        separator: the line the device prints between sections (``#`` or ``!``).
        footer: the last line of the printed configuration (``return``, ``end``).
        global_indent: indentation of top-level commands that are not sections (Comware: one space).
        names: logical interface names.
        admin_hash_pattern: regex a local-user password hash must match (refuses plain text).
        floating_preference: route preference of floating (backup) static routes; above the IGP's
            external preference so they only win when the primary path is gone.
        ntp_auth: the NTP authentication algorithm keyword.
        snmp_auth: inventory ``egovnet_snmp.auth_protocol`` -> CLI keyword.
        snmp_priv: inventory ``egovnet_snmp.priv_protocol`` -> CLI keyword.
        print_order: regexes, in the order the device prints top-level lines; unmatched lines follow.
        child_order: parent regex -> child regexes, the order the device prints sub-commands.
        unseparated: sections printed back to back without a separator (``user-interface``, ``line``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    platform: str
    capabilities: tuple[str, ...]
    separator: str
    footer: str
    global_indent: str = ""
    names: InterfaceNames
    admin_hash_pattern: str
    floating_preference: int = Field(gt=0)
    ntp_auth: str
    snmp_auth: dict[str, str]
    snmp_priv: dict[str, str]
    print_order: tuple[str, ...] = ()
    child_order: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    unseparated: tuple[str, ...] = ()

    def top_weight(self, line: str) -> int:
        """Position of a top-level line in the device's print order."""
        return _weight(self.print_order, line)

    def joins(self, previous: str, line: str) -> bool:
        """Whether section ``line`` follows section ``previous`` without a separator line."""
        return any(re.search(p, previous) and re.search(p, line) for p in self.unseparated)

    def child_weights(self, parent: str) -> tuple[str, ...] | None:
        """The child print order of section ``parent``, if the dialect defines one."""
        for pattern, order in self.child_order.items():
            if re.search(pattern, parent):
                return order
        return None


def _weight(patterns: tuple[str, ...], line: str) -> int:
    for index, pattern in enumerate(patterns):
        if re.search(pattern, line):
            return index
    return len(patterns)


def child_weight(order: tuple[str, ...], line: str) -> int:
    """Position of a sub-command within its section's print order."""
    return _weight(order, line)


def templates_root(root: str | Path | None = None) -> Path:
    """The templates directory: ``root``, else ``$EGOVNET_TEMPLATES``, else the repository's."""
    if root is not None:
        return Path(root)
    env = os.environ.get("EGOVNET_TEMPLATES")
    return Path(env) if env else DEFAULT_TEMPLATES


@cache
def load_dialect(root: Path, platform: str) -> Dialect:
    """Read ``<root>/<platform>/dialect.yml`` once per process."""
    path = root / platform / "dialect.yml"
    if not path.is_file():
        raise FileNotFoundError(f"no templates for platform {platform!r} ({path} is missing)")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Dialect(platform=platform, **data)
