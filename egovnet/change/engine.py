"""Plan, apply, verify and roll back: "make running equal intended", safely, in parallel.

For each host: read the running config (the backup), render the intended config, compute the exact
remediation with hier_config, and — only when committing — send it, commit/save, and **verify** by
re-reading: the remediation must now be empty. Any failure after the first line was sent restores the
backup (the remediation from the current config back to the backup) and proves the restored config
identical to the backup. One device's failure never touches another; batches (``--batch N``) stop at
the first failed batch, like ``serial`` with ``max_fail_percentage: 0``.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from egovnet.change import hier
from egovnet.change.backup import BackupStore
from egovnet.change.lock import device_lock
from egovnet.change.records import ChangeRun, HostChange
from egovnet.devices.dialects import dialect_of, has_cli, stable_text
from egovnet.devices.session import DeviceSession, Target
from egovnet.devices.targets import target_for
from egovnet.inventory import Inventory
from egovnet.inventory.nornir_plugin import nornir_for

Renderer = Callable[[Inventory, str], str]
T = TypeVar("T")


#: Sessions tried to restore a backup before a host is declared failed (each resumes where the last stopped).
RESTORE_ATTEMPTS = 12


class VerifyError(RuntimeError):
    """The device still differs from intended after the change."""


def _default_renderer(overrides: dict[str, Any] | None) -> Renderer:
    from egovnet.render import render

    def run(inventory: Inventory, host: str) -> str:
        text: str = render(inventory, host, overrides)
        return text

    return run


@dataclass
class ChangeEngine:
    """The engine under ``egovnet plan/apply`` and the Ansible modules.

    Attributes:
        inventory: the validated inventory (county or lab overlay).
        state_dir: where backups (a git repository), locks and change records live.
        workers: devices handled at once (Nornir's threaded runner).
        overrides: render-time variable overrides (e.g. ``{"egovnet_ipv6": True}`` for a wave).
        connect: how to open a session (tests and the twin use the default, netmiko over SSH).
    """

    inventory: Inventory
    state_dir: Path = Path("var")
    workers: int = 20
    overrides: dict[str, Any] | None = None
    renderer: Renderer | None = None
    connect: Callable[[Target], DeviceSession] = DeviceSession
    progress: Callable[[HostChange], None] | None = None
    _render: Renderer = field(init=False)

    def __post_init__(self) -> None:
        self._render = self.renderer or _default_renderer(self.overrides)

    @property
    def backups(self) -> BackupStore:
        return BackupStore(self.state_dir / "backups")

    @contextmanager
    def _backups_locked(self) -> Iterator[BackupStore]:
        """The backup store, held exclusively across processes while the block runs.

        Each Ansible task of each host is its own process running its own engine over one state
        directory. Two ``git commit`` at once fail on git's index lock, and a commit that stages
        while another process is rewriting its file finds a change it did not stage; so creating
        the repository, writing a backup and committing all go through this (blocking, short) lock.
        """
        locks = self.state_dir / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        fd = os.open(locks / ".backups.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self.backups
        finally:
            os.close(fd)

    # -- per host ------------------------------------------------------------------------------------------
    def _host(self, name: str, commit: bool) -> HostChange:
        device = self.inventory.devices[name]
        record = HostChange(host=name, platform=device.platform)
        started = time.monotonic()
        try:
            with device_lock(self.state_dir / "locks", name):
                self._change(record, commit)
        except Exception as exc:  # one device's failure is its own record, never the run's
            record.status = "failed" if record.status not in ("rolled_back",) else record.status
            record.error = record.error or f"{type(exc).__name__}: {exc}"
        record.seconds = round(time.monotonic() - started, 3)
        if self.progress:
            self.progress(record)
        return record

    def _change(self, record: HostChange, commit: bool) -> None:
        device = self.inventory.devices[record.host]
        target = target_for(device)
        intended = self._render(self.inventory, record.host)
        with self.connect(target) as session:
            backup = session.running_config()
            with self._backups_locked() as store:
                store.write(record.host, backup)
            record.commands = hier.remediation(device.platform, backup, intended)
            record.diff = _diff(record.host, backup, intended)
            if not record.commands:
                record.status = "unchanged"
                return
            if not commit:
                record.status = "planned"
                return
            try:
                self._push(session, record.commands)
                after = session.running_config()
                left = hier.remediation(device.platform, after, intended)
                if left:
                    raise VerifyError(f"still differs from intended after the change: {left[:5]}")
                record.status = "applied"
                return
            except Exception as exc:
                record.error = f"{type(exc).__name__}: {exc}"
        self._restore(record, target, backup)

    def _push(self, session: DeviceSession, commands: Sequence[str]) -> None:
        session.configure(commands)
        session.commit()
        session.save()

    def _restore(self, record: HostChange, target: Target, backup: str) -> None:
        """Put the backup back (on a fresh session: the old one may be the thing that broke)."""
        dialect = dialect_of(record.platform)
        last_error = ""
        # Each attempt recomputes the rollback from what the device now holds, so a session that is cut
        # mid-way (a flaky link, a device dropping sessions) still makes progress on the next one.
        for _attempt in range(RESTORE_ATTEMPTS):
            try:
                with self.connect(target) as session:
                    current = session.running_config()
                    record.rollback_commands = hier.remediation(record.platform, current, backup)
                    if record.rollback_commands:
                        self._push(session, record.rollback_commands)
                    restored = session.running_config()
                record.rollback_verified = stable_text(dialect, restored) == stable_text(dialect, backup)
                record.status = "rolled_back" if record.rollback_verified else "failed"
                if not record.rollback_verified:
                    record.error = f"{record.error}; restored config differs from the backup"
                return
            except Exception as exc:  # the device may still be faulty: try again, then give up
                last_error = f"{type(exc).__name__}: {exc}"
                time.sleep(1.0)
        record.status = "failed"
        record.rollback_verified = False
        record.error = f"{record.error}; restore failed: {last_error}"

    # -- runs ----------------------------------------------------------------------------------------------
    def _each(self, names: Sequence[str], work: Callable[[str], T]) -> list[T]:
        """``work`` on every host in parallel (Nornir's threaded runner), results in ``names`` order.

        One host needs no thread pool: it runs inline, which spares an Ansible task (one process per
        host) loading every Nornir connection plugin.
        """
        if len(names) == 1:
            return [work(names[0])]
        nr = nornir_for(self.inventory, names, self.workers)
        results = nr.run(task=lambda task: work(task.host.name), on_failed=True)
        return [results[name][0].result for name in names]

    def run(
        self, names: Sequence[str], commit: bool, batch: int | None = None, limit: str | None = None
    ) -> ChangeRun:
        """Plan (``commit=False``) or apply the change on ``names``; save the record and the backups."""
        run = ChangeRun(kind="apply" if commit else "plan", dry_run=not commit, limit=limit)
        with self._backups_locked() as store:
            store.ensure()
        cli_names = [n for n in names if has_cli(self.inventory.devices[n].platform)]
        size = batch or len(cli_names) or 1
        batches = [cli_names[i : i + size] for i in range(0, len(cli_names), size)]
        for index, group in enumerate(batches):
            run.hosts += self._each(group, lambda name: self._host(name, commit))
            if commit and any(h.failed for h in run.hosts):
                for rest in batches[index + 1 :]:
                    run.hosts += [
                        HostChange(
                            host=n,
                            platform=self.inventory.devices[n].platform,
                            status="skipped",
                            error="an earlier batch failed",
                        )
                        for n in rest
                    ]
                break
        run.finished = time.time()
        with self._backups_locked() as store:
            run.backup_commit = store.commit(f"{run.kind} {run.id}: pre-change running configs")
        run.save(self.state_dir / "changes")
        return run

    def backup(self, names: Sequence[str]) -> tuple[dict[str, str | None], str | None]:
        """Read every device's running config in parallel and commit them; return errors and commit id."""
        with self._backups_locked() as store:
            store.ensure()
        cli_names = [n for n in names if has_cli(self.inventory.devices[n].platform)]

        def read(name: str) -> str | None:
            try:
                with self.connect(target_for(self.inventory.devices[name])) as session:
                    text = session.running_config()
                with self._backups_locked() as store:
                    store.write(name, text)
                return None
            except Exception as exc:  # one unreachable device does not stop the backup
                return f"{type(exc).__name__}: {exc}"

        errors = dict(zip(cli_names, self._each(cli_names, read), strict=True))
        with self._backups_locked() as store:
            commit = store.commit(f"backup {time.strftime('%Y-%m-%d %H:%M:%S')}: {len(cli_names)} devices")
        return errors, commit


def _diff(host: str, running: str, intended: str) -> str:
    return "".join(
        difflib.unified_diff(
            running.splitlines(keepends=True),
            intended.splitlines(keepends=True),
            fromfile=f"{host} (running)",
            tofile=f"{host} (intended)",
            n=2,
        )
    )
