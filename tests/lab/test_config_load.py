"""Booting devices from stored configuration text (``lab up --from-backups``), in-process, per dialect.

A loaded text is printed back verbatim while the configuration is unchanged, operational state follows
it, a change renders the tree as usual, and a text the dialect could not have printed is refused with
its line. The end-to-end path (real CLI, SSH, ``egovnet backup``) is in
``tests/twin/test_lab_from_backups.py``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_twin import PASSWORD, topology

from egovnet.change.backup import BackupStore
from egovnet.lab.backups import BackupLoadError, boot_from_backups, read_backups
from egovnet.lab.cli import CliSession, build_network, dialect_for
from egovnet.lab.cli.dialect import ConfigTextError, Dialect
from egovnet.lab.cli.text import config_changed_at
from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.runtime import render_config

NAMES = ("HW5", "HW8", "H3C7", "ISR1")
DIALECTS = {"HW5": "vrp5", "HW8": "vrp8", "H3C7": "comware7", "ISR1": "ios"}
#: Lines that add a loopback with a description, typed in each dialect (VRP8 commits).
CHANGE = {
    "HW5": ("system-view", "interface LoopBack9", "description rehearsal", "return"),
    "HW8": ("system-view", "interface LoopBack9", "description rehearsal", "commit", "return"),
    "H3C7": ("system-view", "interface LoopBack9", "description rehearsal", "return"),
    "ISR1": ("enable", PASSWORD, "configure terminal", "interface Loopback9", "description rehearsal", "end"),
}
UNDO = {
    "HW5": ("system-view", "undo interface LoopBack9", "return"),
    "HW8": ("system-view", "undo interface LoopBack9", "commit", "return"),
    "H3C7": ("system-view", "undo interface LoopBack9", "return"),
    "ISR1": ("enable", PASSWORD, "configure terminal", "no interface Loopback9", "end"),
}


@pytest.fixture
def network() -> LabNetwork:
    specs, links = topology("127.66.252")
    return build_network(specs, links)


def _dialect(device: LabDevice) -> Dialect:
    dialect = dialect_for(device)
    assert dialect is not None
    return dialect


def _type(network: LabNetwork, device: LabDevice, lines: tuple[str, ...]) -> None:
    session = CliSession(network, device, _dialect(device), flags={"secret": PASSWORD})
    for line in lines:
        session.handle(line)


def _as_backup(device: LabDevice) -> str:
    """The device's printed config with a comment line no renderer writes (so verbatim is visible)."""
    return render_config(device).replace("\n", "\n! kept from the backup\n", 1)


@pytest.mark.parametrize("name", NAMES)
def test_loaded_text_is_printed_verbatim_until_changed(network: LabNetwork, name: str) -> None:
    device = network.devices[name]
    dialect = _dialect(device)
    text = _as_backup(device)
    dialect.check_config_text(text)
    device.boot_from(text, dialect.parse_config_text(text))
    device.boot_time -= 86_400  # booted yesterday: the change below is dated now, not at boot
    assert render_config(device) == text and render_config(device, "saved") == text

    _type(network, device, CHANGE[name])
    changed = render_config(device)
    assert "! kept from the backup" not in changed and " description rehearsal" in changed
    assert config_changed_at(device, device.running) > device.boot_time + 3_600
    assert dialect.parse_config_text(changed) == device.running  # the rendering reads back as the tree
    assert render_config(device, "saved") == text  # not saved yet

    _type(network, device, UNDO[name])
    assert render_config(device) == text  # back to the loaded configuration: the loaded bytes again


def test_operational_state_follows_the_loaded_text(network: LabNetwork) -> None:
    device = network.devices["HW5"]
    dialect = _dialect(device)
    text = render_config(device).replace("sysname HW5", "sysname HW5-rehearsal")
    text = text.replace(
        "#\ninterface NULL0",
        "#\ninterface LoopBack9\n ip address 10.250.9.9 255.255.255.255\n#\ninterface NULL0",
    )
    device.boot_from(text, dialect.parse_config_text(text))
    assert device.hostname() == "HW5-rehearsal"
    loop = next(s for s in network.interface_states(device) if s.name == "LoopBack9")
    assert loop.oper_up and loop.ipv4 == [ipaddress.IPv4Interface("10.250.9.9/32")]
    assert network.owner_of(ipaddress.IPv4Address("10.250.9.9")) is device
    device.reboot()
    assert render_config(device) == text  # the loaded text is also the saved configuration


@pytest.mark.parametrize(
    ("name", "edit", "marker", "reason"),
    [
        (
            "HW5",
            lambda t: t.replace("sysname HW5", "sysname HW5\nfrobnicate all"),
            "frob",
            "'frobnicate all'",
        ),
        ("ISR1", lambda t: t.replace("hostname ISR1", "hostname ISR1\nsysname R"), "sysname", "'sysname R'"),
        ("HW8", lambda t: t.rsplit("#\nreturn", 1)[0], None, "does not end with 'return'"),
        ("ISR1", lambda t: t.removesuffix("!\nend"), None, "does not end with 'end'"),
        ("H3C7", lambda t: t.replace(" sysname H3C7", " sysname H3C7\x1b[0m"), "\x1b", "U+001B"),
    ],
    ids=["unknown-command", "other-vendor", "truncated-vrp", "truncated-ios", "control-character"],
)
def test_texts_the_dialect_could_not_print_are_refused_with_their_line(
    network: LabNetwork, name: str, edit: Callable[[str], str], marker: str | None, reason: str
) -> None:
    device = network.devices[name]
    lines = edit(render_config(device)).splitlines()
    with pytest.raises(ConfigTextError) as caught:
        _dialect(device).check_config_text("\n".join(lines))
    expected = len(lines) if marker is None else next(i for i, t in enumerate(lines, 1) if marker in t)
    assert caught.value.line == expected and reason in caught.value.reason, caught.value


def test_base_configurations_of_every_dialect_pass_the_check(network: LabNetwork) -> None:
    for device in network.devices.values():
        _dialect(device).check_config_text(render_config(device))


# ----------------------------------------------------------------------------- the backup repository
def _store(path: Path, network: LabNetwork) -> BackupStore:
    store = BackupStore(path)
    store.ensure()
    for name in ("HW5", "ISR1"):
        store.write(name, _as_backup(network.devices[name]))
    store.commit("first")
    return store


def test_backups_boot_their_devices_and_report_the_missing(network: LabNetwork, tmp_path: Path) -> None:
    _store(tmp_path, network)
    backups = read_backups(tmp_path, None, DIALECTS)
    assert sorted(backups.configs) == ["HW5", "ISR1"] and backups.missing == ("H3C7", "HW8")
    generated = render_config(network.devices["HW8"])
    boot_from_backups(network, backups)
    assert render_config(network.devices["ISR1"]) == (tmp_path / "ISR1.cfg").read_text(encoding="utf-8")
    assert render_config(network.devices["HW8"]) == generated
    assert backups.summary() == {"source": str(tmp_path), "loaded": 2, "missing": ["H3C7", "HW8"]}


def test_a_revision_reads_the_files_as_they_were(network: LabNetwork, tmp_path: Path) -> None:
    store = _store(tmp_path, network)
    first = (tmp_path / "HW5.cfg").read_text(encoding="utf-8")
    store.write("HW5", first.replace("sysname HW5", "sysname HW5-later"))
    store.write("HW8", render_config(network.devices["HW8"]))
    store.commit("second")
    old = read_backups(tmp_path, "HEAD~1", DIALECTS)
    assert old.configs["HW5"][0] == first and old.missing == ("H3C7", "HW8")
    assert old.source == f"{tmp_path}@HEAD~1"
    assert "sysname HW5-later" in read_backups(tmp_path, "HEAD", DIALECTS).configs["HW5"][0]
    with pytest.raises(BackupLoadError, match="cannot read revision 'no-such-rev'"):
        read_backups(tmp_path, "no-such-rev", DIALECTS)


def test_undecodable_or_unknown_backups_name_file_and_line(network: LabNetwork, tmp_path: Path) -> None:
    _store(tmp_path, network)
    path = tmp_path / "ISR1.cfg"
    lines = path.read_bytes().splitlines()
    bad = lines.index(b"hostname ISR1") + 2
    path.write_bytes(b"\n".join([*lines[: bad - 1], b"\xff\xfe", *lines[bad - 1 :]]))
    with pytest.raises(BackupLoadError) as caught:
        read_backups(tmp_path, None, DIALECTS)
    assert str(caught.value).startswith(f"{path}:{bad}: not UTF-8 text")
    with pytest.raises(BackupLoadError, match="no such backup directory"):
        read_backups(tmp_path / "nowhere", None, DIALECTS)
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackupLoadError, match=r"holds no <host>\.cfg backup"):
        read_backups(tmp_path / "empty", None, DIALECTS)
