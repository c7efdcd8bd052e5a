"""The processes tests start outside pytest, and how they are stopped: by PID, never by name.

Shared by every test directory and the benchmarks that reuse the tests' helpers (``tests/`` is on
``sys.path`` through its conftest; a benchmark puts it there itself):

* :func:`worker_offset`: what each pytest-xdist worker adds to its ports, so that workers running
  twins or daemons at once never contend for one.
* :func:`detached_twin`: ``egovnet lab up --detach`` through the real CLI, ``egovnet lab down`` after.
* :func:`stop_process`: SIGTERM, then SIGKILL, for a daemon a helper started (snmpd, snmptrapd).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EGOVNET = str(Path(sys.executable).with_name("egovnet"))


def worker_offset() -> int:
    """The pytest-xdist worker number (0 for gw0 or without xdist)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0


@contextmanager
def detached_twin(repo: Path, run_dir: Path, *options: str, timeout: float = 180) -> Iterator[Path]:
    """A twin served in the background from ``run_dir``; yields its overlay inventory.

    ``options`` go to ``egovnet lab up`` as they are (``--limit``, ports). The twin is stopped with
    ``egovnet lab down``, which ends the process it recorded in ``run_dir``, whatever the test did.
    A twin that does not come up fails the test with the command's output and the twin's log.
    """
    up = subprocess.run(
        [EGOVNET, "lab", "up", "--detach", "--run-dir", str(run_dir), *options],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log = run_dir / "lab.log"
    assert up.returncode == 0, up.stdout + up.stderr + (log.read_text() if log.exists() else "")
    try:
        yield run_dir / "inventory"
    finally:
        subprocess.run([EGOVNET, "lab", "down", "--run-dir", str(run_dir)], cwd=repo, timeout=60, check=False)


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process this test run started: SIGTERM, then SIGKILL after 10 s (a no-op once it exited)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
