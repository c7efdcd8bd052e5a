"""Wrong credentials and injected faults fail the way a real agent fails, seen through net-snmp."""

from __future__ import annotations

from snmp_twin import CREDENTIALS, V3, AgentThread, get, netsnmp

from egovnet.lab.model import LabNetwork

SYS_NAME = "1.3.6.1.2.1.1.5.0"
QUICK = 0.4  # seconds per try; every failing request below is tried twice (-r 1)


def v3_with(
    auth_key: str = CREDENTIALS.auth_key, priv_key: str = CREDENTIALS.priv_key, user: str = CREDENTIALS.user
) -> list[str]:
    return ["-v3", "-l", "authPriv", "-u", user, "-a", "SHA", "-A", auth_key, "-x", "AES", "-X", priv_key]


def times_out(device: str, auth: list[str] | None = None) -> bool:
    done = netsnmp("snmpget", device, SYS_NAME, auth=auth, timeout=QUICK)
    return done.returncode != 0 and "Timeout" in done.stderr and not done.stdout


def answers(device: str, auth: list[str] | None = None) -> bool:
    return get(device, SYS_NAME, auth=auth) == {(1, 3, 6, 1, 2, 1, 1, 5, 0): device.encode()}


def test_wrong_community_times_out(agent: AgentThread) -> None:
    assert answers("agg-01")
    assert times_out("agg-01", ["-v2c", "-c", "public"])
    assert times_out("agg-01", ["-v1", "-c", CREDENTIALS.community + "x"])


def test_wrong_v3_keys_are_rejected(agent: AgentThread) -> None:
    assert answers("agg-01", V3)
    wrong_auth = netsnmp("snmpget", "agg-01", SYS_NAME, auth=v3_with(auth_key="not-the-key"))
    assert wrong_auth.returncode != 0 and "Authentication failure" in wrong_auth.stderr
    wrong_priv = netsnmp("snmpget", "agg-01", SYS_NAME, auth=v3_with(priv_key="not-the-key"), timeout=QUICK)
    assert wrong_priv.returncode != 0 and not wrong_priv.stdout  # decryption error report
    unknown = netsnmp("snmpget", "agg-01", SYS_NAME, auth=v3_with(user="intruder"))
    assert unknown.returncode != 0 and "Unknown user name" in unknown.stderr


def test_v3_below_auth_priv_is_refused(agent: AgentThread) -> None:
    done = netsnmp(
        "snmpget",
        "agg-01",
        SYS_NAME,
        auth=["-v3", "-l", "authNoPriv", "-u", CREDENTIALS.user, "-a", "SHA", "-A", CREDENTIALS.auth_key],
    )
    assert done.returncode != 0 and not done.stdout


def test_read_only(agent: AgentThread) -> None:
    done = netsnmp("snmpset", "agg-01", SYS_NAME, "s", "hacked")
    assert done.returncode != 0 and "notWritable" in done.stderr
    assert answers("agg-01")


def test_snmp_loss_drops_requests(agent: AgentThread, restore_twin: LabNetwork) -> None:
    faults = restore_twin.devices["olt-01"].faults
    agent.run(setattr, faults, "snmp_loss", 1.0)
    assert times_out("olt-01")
    assert times_out("olt-01", V3)
    assert answers("agg-01")  # other devices are unaffected
    agent.run(setattr, faults, "snmp_loss", 0.0)
    assert answers("olt-01")


def test_device_down_answers_nothing_not_even_discovery(agent: AgentThread, restore_twin: LabNetwork) -> None:
    agent.run(setattr, restore_twin.devices["rtr-01"].faults, "device_down", True)
    assert times_out("rtr-01")
    assert times_out("rtr-01", V3)
    # its neighbour sees the link go down
    index = restore_twin.devices["agg-01"].ifindex["GigabitEthernet1/0/4"]
    assert get("agg-01", f"1.3.6.1.2.1.2.2.1.8.{index}") == {(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, index): 2}


def test_auth_failure_fault_acts_like_changed_credentials(
    agent: AgentThread, restore_twin: LabNetwork
) -> None:
    agent.run(setattr, restore_twin.devices["cpe-01"].faults, "auth_failure", True)
    assert times_out("cpe-01")  # v2c: as if the community had changed
    done = netsnmp("snmpget", "cpe-01", SYS_NAME, auth=V3)
    assert done.returncode != 0 and "Authentication failure" in done.stderr
    agent.run(restore_twin.devices["cpe-01"].faults.clear)
    assert answers("cpe-01", V3)
