"""Booting the twin from configuration backups (``egovnet lab up --from-backups DIR``).

A change is best rehearsed on the configurations the devices really run, not on the twin's generated
starting configurations: ``egovnet backup`` keeps those, one ``<host>.cfg`` per device in a git
repository (:class:`~egovnet.change.backup.BackupStore`). This module reads them (from the working
tree or from any git revision), checks each with its device's dialect and boots the devices with
them. Every file is read and checked before any device is touched, so a bad backup stops the start
with the file and line named and nothing half-loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from egovnet.change.backup import BackupStore
from egovnet.inventory import Inventory
from egovnet.inventory.select import select_hosts
from egovnet.lab.cli.dialect import ConfigTextError
from egovnet.lab.cli.registry import get_dialect
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabNetwork
from egovnet.lab.specs import NOT_SERVED
from egovnet.platforms import platform as lookup_platform


class BackupLoadError(ValueError):
    """A backup set the twin cannot boot from; the message names the file (and line) and why."""


@dataclass(frozen=True)
class Backups:
    """The backups read for one twin start.

    Attributes:
        source: where they came from (``DIR`` or ``DIR@REVISION``), for messages.
        configs: host -> (text exactly as stored, tree parsed from it by the host's dialect).
        missing: served CLI devices without a backup (they keep their generated configuration).
    """

    source: str
    configs: Mapping[str, tuple[str, ConfigNode]]
    missing: tuple[str, ...]

    def summary(self) -> dict[str, object]:
        """What ``lab status`` reports about the backups the twin booted from."""
        return {"source": self.source, "loaded": len(self.configs), "missing": list(self.missing)}


def served_dialects(inventory: Inventory, limit: str | None) -> dict[str, str]:
    """Host -> CLI dialect of the devices ``lab up --limit`` serves over SSH (the ones with backups)."""
    result = {}
    for name in select_hosts(inventory, limit):
        platform = inventory.devices[name].platform
        dialect = lookup_platform(platform).dialect
        if platform not in NOT_SERVED and dialect is not None:
            result[name] = dialect
    return result


def read_backups(directory: Path, revision: str | None, dialects: Mapping[str, str]) -> Backups:
    """Read and check the backup of every host in ``dialects``; raise :class:`BackupLoadError`.

    ``revision`` is any git revision of the backup repository (``HEAD~3``, a commit id, a date with
    ``main@{2026-11-01}``); ``None`` reads the files as they are in ``directory``.
    """
    store = BackupStore(directory)
    source = f"{directory}@{revision}" if revision else str(directory)
    if not directory.is_dir():
        raise BackupLoadError(f"{directory}: no such backup directory")
    try:
        available = store.hosts(revision)
    except RuntimeError as exc:
        raise BackupLoadError(f"{directory}: cannot read revision {revision!r}: {exc}") from None
    if not available:
        raise BackupLoadError(f"{source}: holds no <host>.cfg backup (is it a backup directory?)")
    configs: dict[str, tuple[str, ConfigNode]] = {}
    for host, dialect_name in sorted(dialects.items()):
        if host not in available:
            continue
        where = f"{revision}:{host}.cfg" if revision else str(directory / f"{host}.cfg")
        text = _read(store, host, revision, where)
        dialect = get_dialect(dialect_name)
        try:
            dialect.check_config_text(text)
        except ConfigTextError as exc:
            raise BackupLoadError(f"{where}:{exc.line}: {exc.reason}") from None
        configs[host] = (text, dialect.parse_config_text(text))
    missing = tuple(sorted(host for host in dialects if host not in configs))
    return Backups(source, configs, missing)


def _read(store: BackupStore, host: str, revision: str | None, where: str) -> str:
    """The stored text of ``host``; undecodable bytes are reported with their line."""
    try:
        return store.read(host, revision)
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise BackupLoadError(f"{where}:{line}: not UTF-8 text ({exc.reason})") from None


def boot_from_backups(network: LabNetwork, backups: Backups) -> None:
    """Boot every device of ``network`` that has a backup with it (running and saved)."""
    for host, (text, tree) in backups.configs.items():
        network.devices[host].boot_from(text, tree.copy())
