"""ansible-lint, production profile, over the playbooks, the roles and the in-repo collection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ANSIBLE_LINT = str(Path(sys.executable).with_name("ansible-lint"))


def test_ansible_lint_production_profile_passes(repo: Path, tmp_path: Path) -> None:
    # The syntax checks need no hosts: an empty inventory spares each of them parsing the county's.
    empty = tmp_path / "empty.yml"
    empty.write_text("all: {}\n", encoding="utf-8")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(Path.home()),
        "NO_COLOR": "1",
        "ANSIBLE_INVENTORY": str(empty),
    }
    out = subprocess.run(
        [ANSIBLE_LINT, "--offline", "--profile", "production", "playbooks", "roles", "collections"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert out.returncode == 0, out.stdout[-8000:] + out.stderr[-8000:]
    assert "Profile 'production' was required, and it passed" in out.stdout + out.stderr
