"""The Ansible front end to end: the real ``ansible-playbook`` over the collection and roles, on a twin.

One twin per module (see ``conftest.py``); every test has its own state directory and holds whatever
order the tests run in: the check-mode test forces a diff (IPv6 on), the migration test only touches
hosts the others converge anyway.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ansible_twin import TWIN, AnsibleTwin

pytestmark = [pytest.mark.lab, pytest.mark.slow]

#: What site.yml must converge: every CLI device of the twin.
SITE = TWIN

#: Bigger batches than the production defaults (one county device at a time) for the convergence test;
#: the waves and their order are unchanged.
FAST = ("-e", "egovnet_serial_core=100% egovnet_serial_county=100% egovnet_serial_township=100%")

#: The check-mode test: devices of each dialect and each wave (none the migration test may change).
CHECK = "qm-dagg-01:qm-fw-01:jinzipai-tn-01:dept-caizheng-sw-01:dept-dangan-sw-01:dept-gonghui-sw-01"

#: The migration test: wave 1a (the core switches, one at a time, in name order) meets the refused
#: commit on its second device; the devices of the later waves must stay untouched.
MIGRATION = "level_county:jinzipai-tn-01:jinzipai-v01-sw-01:dept-dangan-sw-01:dept-gonghui-sw-01"
FAULTY = "qm-core-02"


def _records(state_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((state_dir / "changes").glob("*.json"))]


@pytest.mark.timeout(900)  # two runs over 61 devices: Ansible's cost per host and task, on 2 cores
def test_site_converges_then_reports_nothing_to_change(twin: AnsibleTwin, tmp_path: Path) -> None:
    hosts = twin.cli_hosts(SITE)
    platforms = Counter(twin.inventory.devices[h].platform for h in hosts)
    assert len(hosts) >= 50, platforms
    assert set(platforms) == {"huawei_vrp8", "huawei_vrp5", "h3c_comware7", "cisco_ios"}, platforms

    first = twin.playbook("site.yml", SITE, tmp_path, *FAST)
    assert first.returncode == 0, first.explain()
    assert set(first.recap) == set(hosts), first.explain()
    assert all(r["failed"] == 0 and r["unreachable"] == 0 for r in first.recap.values()), first.explain()
    statuses = Counter((h["host"], h["status"]) for record in _records(tmp_path) for h in record["hosts"])
    assert not [key for key in statuses if key[1] in ("failed", "rolled_back")], statuses

    second = twin.playbook("site.yml", SITE, tmp_path, *FAST)
    assert second.returncode == 0, second.explain()
    assert set(second.recap) == set(hosts), second.explain()
    changed = {h: r["changed"] for h, r in second.recap.items() if r["changed"] or r["failed"]}
    assert not changed, second.explain()


def test_check_diff_shows_the_change_and_touches_nothing(twin: AnsibleTwin, tmp_path: Path) -> None:
    served = twin.cli_hosts(TWIN)
    hosts = twin.cli_hosts(CHECK)
    before = twin.configs(served)

    run = twin.playbook("site.yml", CHECK, tmp_path, "--check", "--diff", "-e", "egovnet_ipv6=true")

    assert run.returncode == 0, run.explain()
    assert set(run.recap) == set(hosts), run.explain()
    for host in hosts:
        assert run.recap[host]["changed"] >= 1, run.explain()
        assert f"--- before: {host} (running)" in run.stdout, run.explain()
        assert f"+++ after: {host} (intended)" in run.stdout, run.explain()
    assert "+ ipv6 address " in run.stdout or "+  ipv6 address " in run.stdout, run.explain()
    assert twin.configs(served) == before
    kinds = {record["kind"] for record in _records(tmp_path)}
    assert kinds == {"plan"}, kinds


def test_ipv6_wave_with_a_refused_commit_rolls_back_and_stops(twin: AnsibleTwin, tmp_path: Path) -> None:
    served = twin.cli_hosts(TWIN)
    hosts = twin.cli_hosts(MIGRATION)
    before = twin.configs(served)
    twin.lab.fault(FAULTY, "reject-commit")
    try:
        run = twin.playbook("ipv6_migration.yml", MIGRATION, tmp_path)
    finally:
        twin.lab.heal(FAULTY)

    assert run.returncode != 0, run.explain()
    assert run.recap[FAULTY]["failed"] == 1, run.explain()
    for wave in ("1b", "1c", "2a", "2b", "3"):
        assert f"PLAY [IPv6 migration wave {wave} " not in run.stdout, run.explain()
    # The faulty device is restored byte for byte (running and saved), the engine proved it.
    after = twin.configs(served)
    assert after[FAULTY] == before[FAULTY]
    records = [h for r in _records(tmp_path) for h in r["hosts"] if h["host"] == FAULTY]
    assert [(h["status"], h["rollback_verified"]) for h in records] == [("rolled_back", True)], records
    assert "commit" in str(records[0]["error"])
    # Nothing else failed, and every device that did not run before the failure is untouched.
    assert all(r["failed"] == 0 for h, r in run.recap.items() if h != FAULTY), run.explain()
    untouched = [h for h in served if h not in run.recap or h not in hosts]
    assert untouched and all(after[h] == before[h] for h in untouched)
    later_waves = [h for h in hosts if twin.inventory.devices[h].role != "core"]
    assert later_waves and not set(later_waves) & set(run.recap), run.explain()
    # The core switch before it (name order) was migrated and passed the IPv6 gate.
    assert run.recap["qm-core-01"]["changed"] >= 1 and run.recap["qm-core-01"]["failed"] == 0, run.explain()
