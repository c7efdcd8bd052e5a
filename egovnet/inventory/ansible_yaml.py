"""Reads an Ansible YAML inventory directory exactly as Ansible does, keeping where every value came from.

Ansible itself is the engineers' front end and reads ``inventories/<name>/`` natively; egovnet must see
the same hosts, groups and variables (the Nornir plugin is checked against ``ansible-inventory --list``).
This module implements the parts of Ansible's behaviour the county inventory uses:

* the ``yaml`` inventory plugin (nested ``children``/``hosts``/``vars``, several files merged in sorted
  order, a directory source read recursively),
* ``group_vars/`` and ``host_vars/`` (a file ``NAME.yml`` or a directory ``NAME/`` of files),
* variable precedence: ``all`` inline vars, other groups' inline vars by (depth, priority, name),
  ``group_vars/all``, other ``group_vars`` files in the same group order, inline host vars, ``host_vars``,
* the ``constructed`` plugin's ``keyed_groups`` for plain variable keys.

Anything else (INI files, host ranges, Jinja keys in ``keyed_groups``) is reported as an issue rather
than guessed at. Unlike Ansible's own loader it records the file and key path of every variable, so
validation errors can name them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from egovnet.inventory.errors import InventoryIssue

_YAML_EXTS = (".yml", ".yaml", ".json")
# Ansible's INVENTORY_IGNORE_EXTS / IGNORE_PATTERNS defaults, plus the always-ignored names.
_IGNORED_EXTS = (
    ".pyc",
    ".pyo",
    ".swp",
    ".bak",
    "~",
    ".rpm",
    ".md",
    ".txt",
    ".rst",
    ".orig",
    ".ini",
    ".cfg",
    ".retry",
)
_IGNORED_NAMES = re.compile(r"^(\..*|host_vars|group_vars|vars_plugins)$")
_GROUP_KEYS = {"vars", "children", "hosts"}


class VaultValue(str):
    """An ``!vault`` scalar: kept encrypted, shown the way ``ansible-inventory`` shows it."""

    __slots__ = ()


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML plus Ansible's two tags (``!vault`` and ``!unsafe``)."""


def _vault(loader: yaml.Loader, node: yaml.Node) -> VaultValue:
    return VaultValue(loader.construct_scalar(node))  # type: ignore[arg-type]


def _unsafe(loader: yaml.Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_Loader.add_constructor("!vault", _vault)
_Loader.add_constructor("!unsafe", _unsafe)


@dataclass
class Origin:
    """Where a value was written: file and dotted key path."""

    file: str
    key: str


@dataclass
class RawGroup:
    """A group as the files define it (before precedence is applied)."""

    name: str
    vars: dict[str, Any] = field(default_factory=dict)
    var_origin: dict[str, Origin] = field(default_factory=dict)
    file_vars: dict[str, Any] = field(default_factory=dict)
    file_var_origin: dict[str, Origin] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    depth: int = 0
    origin: Origin | None = None

    @property
    def priority(self) -> int:
        value = self.vars.get("ansible_group_priority", 1)
        return int(value) if isinstance(value, int) else 1


@dataclass
class RawHost:
    """A host: its inline vars, host_vars file vars and direct group memberships."""

    name: str
    vars: dict[str, Any] = field(default_factory=dict)
    var_origin: dict[str, Origin] = field(default_factory=dict)
    file_vars: dict[str, Any] = field(default_factory=dict)
    file_var_origin: dict[str, Origin] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    origin: Origin | None = None
    definitions: list[Origin] = field(default_factory=list)


@dataclass
class AnsibleInventoryData:
    """Groups, hosts and the issues met while reading them."""

    root: Path
    groups: dict[str, RawGroup]
    hosts: dict[str, RawHost]
    issues: list[InventoryIssue]
    files: list[str]

    def ancestors(self, group: str) -> list[str]:
        """``group`` and every group above it."""
        seen: list[str] = []
        stack = [group]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.append(name)
            stack.extend(self.groups[name].parents)
        return seen

    def host_groups(self, host: str) -> list[RawGroup]:
        """Every group ``host`` belongs to, directly or through a parent, sorted as Ansible sorts them."""
        names: set[str] = set()
        for group in self.hosts[host].groups:
            names.update(self.ancestors(group))
        groups = [self.groups[n] for n in names]
        return sorted(groups, key=lambda g: (g.depth, g.priority, g.name))

    def hostvars(self, host: str, with_origin: bool = False) -> dict[str, Any]:
        """The host's variables after Ansible's precedence rules (hash_behaviour=replace)."""
        merged, origins = self._merge(host)
        return {k: (v, origins[k]) for k, v in merged.items()} if with_origin else merged

    def var_origins(self, host: str) -> dict[str, Origin]:
        """Which file and key each of the host's effective variables came from."""
        return self._merge(host)[1]

    def _merge(self, host: str) -> tuple[dict[str, Any], dict[str, Origin]]:
        raw = self.hosts[host]
        groups = self.host_groups(host)
        all_group = self.groups["all"]
        others = [g for g in groups if g.name != "all"]
        layers: list[tuple[Mapping[str, Any], Mapping[str, Origin]]] = [
            (all_group.vars, all_group.var_origin)
        ]
        layers += [(g.vars, g.var_origin) for g in others]
        layers.append((all_group.file_vars, all_group.file_var_origin))
        layers += [(g.file_vars, g.file_var_origin) for g in others]
        layers.append((raw.vars, raw.var_origin))
        layers.append((raw.file_vars, raw.file_var_origin))
        merged: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for values, where in layers:
            for key, value in values.items():
                merged[key] = value
                origins[key] = where[key]
        return merged, origins


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path, issues: list[InventoryIssue]) -> tuple[bool, Any]:
    """Parse one YAML file; a syntax error becomes an issue naming the line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return True, yaml.load(handle, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        issues.append(InventoryIssue(_rel(root, path), where, f"YAML syntax error: {exc.problem}"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        issues.append(InventoryIssue(_rel(root, path), "", f"cannot read: {exc}"))
    return False, None


def _walk_sources(root: Path) -> Iterator[Path]:
    """Inventory source files under a directory, in Ansible's (sorted, recursive) order."""
    for name in sorted(os.listdir(root)):
        if _IGNORED_NAMES.match(name) or name.endswith(_IGNORED_EXTS):
            continue
        path = root / name
        if path.is_dir():
            yield from _walk_sources(path)
        else:
            yield path


def _vars_files(base: Path) -> Iterator[tuple[str, Path]]:
    """(entity name, file) for group_vars/host_vars: ``NAME.yml`` files and ``NAME/`` directories."""
    if not base.is_dir():
        return
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            for sub in sorted(p for p in entry.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if sub.suffix in _YAML_EXTS or sub.suffix == "":
                    yield entry.name, sub
        elif entry.suffix in _YAML_EXTS or entry.suffix == "":
            yield entry.stem if entry.suffix else entry.name, entry


class _Reader:
    """Builds :class:`AnsibleInventoryData` from a directory (or a single file)."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.root = source if source.is_dir() else source.parent
        self.groups: dict[str, RawGroup] = {"all": RawGroup("all"), "ungrouped": RawGroup("ungrouped")}
        self.hosts: dict[str, RawHost] = {}
        self.issues: list[InventoryIssue] = []
        self.files: list[str] = []
        self.constructed: list[tuple[str, dict[str, Any]]] = []

    def issue(self, file: str, key: str, reason: str) -> None:
        self.issues.append(InventoryIssue(file, key, reason))

    def read(self) -> AnsibleInventoryData:
        if not self.source.exists():
            self.issue(str(self.source), "", "inventory path does not exist")
            return self._finish()
        sources = list(_walk_sources(self.source)) if self.source.is_dir() else [self.source]
        if not sources:
            self.issue(str(self.source), "", "no inventory files found")
        for path in sources:
            self._read_source(path)
        for name in list(self.groups):
            if name not in ("all",) and not self.groups[name].parents:
                self._link("all", name)
        for name, config in self.constructed:
            self._construct(name, config)
        self._read_vars_dirs()
        for host in self.hosts.values():
            if not host.groups:
                host.groups.append("ungrouped")
                self.groups["ungrouped"].hosts.append(host.name)
        return self._finish()

    def _finish(self) -> AnsibleInventoryData:
        return AnsibleInventoryData(self.root, self.groups, self.hosts, self.issues, self.files)

    # -- yaml plugin -------------------------------------------------------------------------------
    def _read_source(self, path: Path) -> None:
        rel = _rel(self.root, path)
        if path.suffix not in (".yml", ".yaml", ".json"):
            self.issue(rel, "", "not a YAML inventory file (egovnet reads YAML inventories only)")
            return
        ok, data = _read_yaml(path, self.root, self.issues)
        if not ok:
            return
        self.files.append(rel)
        if data is None:
            return
        if not isinstance(data, dict):
            self.issue(rel, "", f"expected a mapping of groups at the top, found {type(data).__name__}")
            return
        if "plugin" in data:
            if data["plugin"] in ("constructed", "ansible.builtin.constructed"):
                self.constructed.append((rel, data))
            else:
                self.issue(rel, "plugin", f"inventory plugin {data['plugin']!r} is not supported by egovnet")
            return
        for group, body in data.items():
            self._read_group(rel, str(group), body, str(group), parent=None)

    def _group(self, name: str) -> RawGroup:
        if name not in self.groups:
            self.groups[name] = RawGroup(name)
        return self.groups[name]

    def _link(self, parent: str, child: str, where: Origin | None = None) -> None:
        p, c = self._group(parent), self._group(child)
        if child in ("all", parent) or child in self._finish().ancestors(parent):
            origin = where or Origin("", "")
            self.issue(
                origin.file,
                origin.key,
                f"group {child!r} cannot be a child of {parent!r}: it would make a loop of groups",
            )
            return
        if child not in p.children:
            p.children.append(child)
        if parent not in c.parents:
            c.parents.append(parent)
        self._deepen(c, p.depth + 1)

    def _deepen(self, group: RawGroup, depth: int) -> None:
        """Ansible's depth: one more than the deepest parent, propagated downwards."""
        if depth <= group.depth:
            return
        group.depth = depth
        for child in group.children:
            self._deepen(self.groups[child], depth + 1)

    def _read_group(self, rel: str, name: str, body: Any, key: str, parent: str | None) -> None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            self.issue(
                rel, key, f"group name {name!r} is not a valid Ansible group name (letters, digits, _)"
            )
        group = self._group(name)
        if group.origin is None:
            group.origin = Origin(rel, key)
        if parent is not None:
            self._link(parent, name, Origin(rel, key))
        if body is None:
            return
        if not isinstance(body, dict):
            self.issue(
                rel, key, f"a group must be a mapping with vars/children/hosts, found {type(body).__name__}"
            )
            return
        for extra in sorted(set(map(str, body)) - _GROUP_KEYS):
            self.issue(rel, f"{key}.{extra}", "unexpected key in a group (expected vars, children or hosts)")
        variables = body.get("vars")
        if variables is not None:
            if isinstance(variables, dict):
                for var, value in variables.items():
                    group.vars[str(var)] = value
                    group.var_origin[str(var)] = Origin(rel, f"{key}.vars.{var}")
            else:
                self.issue(rel, f"{key}.vars", "group vars must be a mapping")
        hosts = body.get("hosts")
        if hosts is not None:
            if isinstance(hosts, dict):
                for host, host_vars in hosts.items():
                    self._read_host(rel, str(host), host_vars, f"{key}.hosts.{host}", name)
            else:
                self.issue(rel, f"{key}.hosts", "hosts must be a mapping of host name to variables")
        children = body.get("children")
        if children is not None:
            if isinstance(children, dict):
                for child, child_body in children.items():
                    self._read_group(rel, str(child), child_body, f"{key}.children.{child}", name)
            else:
                self.issue(rel, f"{key}.children", "children must be a mapping of group names")

    def _read_host(self, rel: str, name: str, variables: Any, key: str, group: str) -> None:
        if re.search(r"\[.*:.*\]", name) or ":" in name:
            self.issue(rel, key, "host ranges and host:port patterns are not supported; list each host")
            return
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = RawHost(name, origin=Origin(rel, key))
        if group not in host.groups:
            host.groups.append(group)
            self._group(group).hosts.append(name)
        if variables is None:
            return
        if not isinstance(variables, dict):
            self.issue(rel, key, f"host variables must be a mapping, found {type(variables).__name__}")
            return
        if variables:
            host.definitions.append(Origin(rel, key))
        for var, value in variables.items():
            host.vars[str(var)] = value
            host.var_origin[str(var)] = Origin(rel, f"{key}.{var}")

    # -- group_vars / host_vars ---------------------------------------------------------------------
    def _read_vars_dirs(self) -> None:
        for kind in ("group_vars", "host_vars"):
            for entity, path in _vars_files(self.root / kind):
                rel = _rel(self.root, path)
                ok, data = _read_yaml(path, self.root, self.issues)
                if not ok or data is None:
                    continue
                if not isinstance(data, dict):
                    self.issue(rel, "", "a vars file must hold a mapping of variables")
                    continue
                target: RawGroup | RawHost | None = (
                    self.groups.get(entity) if kind == "group_vars" else self.hosts.get(entity)
                )
                if target is None:
                    what = "group" if kind == "group_vars" else "host"
                    self.issue(rel, "", f"{kind} file for unknown {what} {entity!r}")
                    continue
                self.files.append(rel)
                for var, value in data.items():
                    target.file_vars[str(var)] = value
                    target.file_var_origin[str(var)] = Origin(rel, str(var))

    # -- constructed plugin -------------------------------------------------------------------------
    def _construct(self, rel: str, config: dict[str, Any]) -> None:
        for option in sorted(set(config) - {"plugin", "strict", "keyed_groups"}):
            self.issue(rel, option, "only keyed_groups of the constructed plugin are supported by egovnet")
        keyed = config.get("keyed_groups") or []
        if not isinstance(keyed, list):
            self.issue(rel, "keyed_groups", "keyed_groups must be a list")
            return
        data = self._finish()
        for index, entry in enumerate(keyed):
            where = f"keyed_groups[{index}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                self.issue(rel, where, "each keyed group needs a 'key'")
                continue
            key = entry["key"]
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                self.issue(rel, f"{where}.key", "only a plain variable name is supported as key")
                continue
            prefix, sep = str(entry.get("prefix", "")), str(entry.get("separator", "_"))
            for host in list(self.hosts):
                # constructed sees inline group and host vars (vars plugins are off by default)
                names: set[str] = set()
                for direct in self.hosts[host].groups:
                    names.update(data.ancestors(direct))
                values: dict[str, Any] = {}
                for member in sorted(
                    (self.groups[n] for n in names), key=lambda g: (g.depth, g.priority, g.name)
                ):
                    values.update(member.vars)
                values.update(self.hosts[host].vars)
                value = values.get(key)
                if value in (None, "") or not isinstance(value, str | int | float):
                    continue
                raw = f"{prefix}{sep}{value}" if prefix else str(value)
                gname = re.sub(r"[^A-Za-z0-9_]", "_", raw)
                self._link("all", gname)
                if gname not in self.hosts[host].groups:
                    self.hosts[host].groups.append(gname)
                    self.groups[gname].hosts.append(host)


def read_ansible_inventory(source: str | Path) -> AnsibleInventoryData:
    """Read an inventory directory or YAML file; problems are returned in ``issues``, never raised."""
    return _Reader(Path(source)).read()
