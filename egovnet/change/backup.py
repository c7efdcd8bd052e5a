"""Configuration backups with history: a git repository, one file per device, one commit per run.

Engineers already read history with git (``git log -p qm-core-01.cfg``), so the store is a plain git
repository under a configurable path (default ``var/backups``) driven with the ``git`` command.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class BackupStore:
    """A directory of ``<host>.cfg`` files under git."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _git(self, *args: str) -> str:
        """Run git here and return its output, decoded as UTF-8 with line ends untouched.

        Configurations hold Chinese descriptions and must come back byte for byte, so the output is
        never decoded with the locale's encoding nor passed through universal-newline translation.
        """
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "egovnet",
            "GIT_AUTHOR_EMAIL": "egovnet@localhost",
            "GIT_COMMITTER_NAME": "egovnet",
            "GIT_COMMITTER_EMAIL": "egovnet@localhost",
        }
        out = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, env=env, check=False)
        if out.returncode != 0:
            error = out.stderr.decode("utf-8", errors="replace").strip()
            raise RuntimeError(f"git {' '.join(args)} failed in {self.path}: {error}")
        return out.stdout.decode("utf-8")

    def ensure(self) -> None:
        """Create the repository on first use."""
        self.path.mkdir(parents=True, exist_ok=True)
        if not (self.path / ".git").exists():
            self._git("init", "-q", "-b", "main")

    def write(self, host: str, config: str) -> None:
        """Store ``host``'s configuration text exactly as read (byte for byte, UTF-8).

        Thread-safe once :meth:`ensure` has run (each host writes its own file).
        """
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / f"{host}.cfg").write_text(config, encoding="utf-8", newline="")

    def read(self, host: str, revision: str | None = None) -> str:
        """The stored configuration of ``host`` (at ``revision`` when given)."""
        if revision is None:
            return (self.path / f"{host}.cfg").read_bytes().decode("utf-8")
        return self._git("show", f"{revision}:{host}.cfg")

    def hosts(self, revision: str | None = None) -> set[str]:
        """The hosts that have a backup (in the working tree, or at ``revision``)."""
        if revision is None:
            return {path.stem for path in self.path.glob("*.cfg") if path.is_file()}
        names = self._git("ls-tree", "-z", "--name-only", f"{revision}^{{tree}}").split("\0")
        return {name.removesuffix(".cfg") for name in names if name.endswith(".cfg") and "/" not in name}

    def commit(self, message: str) -> str | None:
        """Commit what changed; return the commit id, or ``None`` when nothing changed."""
        self.ensure()
        self._git("add", "-A")
        if not self._git("status", "--porcelain").strip():
            return None
        self._git("commit", "-q", "-m", message)
        return self._git("rev-parse", "HEAD").strip()

    def history(self, host: str) -> list[str]:
        """Commit ids that changed ``host``'s file, newest first."""
        if not (self.path / ".git").exists():
            return []
        return self._git("log", "--format=%H", "--", f"{host}.cfg").split()
