"""The CLI engine in-process (no SSH): grammar, errors, pipes, dialogs, config editing, rendering."""

from __future__ import annotations

import hashlib

import pytest
from cli_twin import PASSWORD, topology

from egovnet.lab.cli import CliSession, Question, Reply, build_network, dialect_for, get_dialect
from egovnet.lab.cli.files import flash_name, write_file
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import LabNetwork


@pytest.fixture
def network() -> LabNetwork:
    specs, links = topology("127.66.251")
    return build_network(specs, links)


def session(network: LabNetwork, name: str) -> CliSession:
    device = network.devices[name]
    dialect = dialect_for(device)
    assert dialect is not None
    return CliSession(network, device, dialect, flags={"secret": PASSWORD})


def run(s: CliSession, *lines: str) -> str:
    """Type lines; returns the text of the last reply (questions included)."""
    text = ""
    for line in lines:
        result = s.handle(line)
        text = result.text
    return text


def section(tree: ConfigNode, header: str) -> list[str]:
    node = tree.child(header)
    assert node is not None
    return [child.text for child in node.children]


# ----------------------------------------------------------------------------- grammar and errors
def test_abbreviations_resolve_to_the_full_command(network: LabNetwork) -> None:
    s = session(network, "HW5")
    assert run(s, "dis cur") == run(s, "display current-configuration")
    assert run(s, "dis int br").splitlines()[10] == run(s, "display interface brief").splitlines()[10]
    assert run(s, "dis cur | i sysname") == "sysname HW5"
    ios = session(network, "ISR1")
    run(ios, "enable", PASSWORD)
    assert run(ios, "sh ip int br") == run(ios, "show ip interface brief")
    assert "ISR1 uptime is" in run(ios, "sh ver")


def test_error_strings_and_caret(network: LabNetwork) -> None:
    s = session(network, "HW5")
    assert run(s, "display frobnicate") == (
        " " * len("<HW5>display ") + "^\nError: Unrecognized command found at '^' position."
    )
    assert run(s, "dis") == " " * len("<HW5>dis") + "^\nError: Incomplete command found at '^' position."
    assert run(s, "d") == " " * len("<HW5>") + "^\nError: Ambiguous command found at '^' position."
    cmw = session(network, "H3C7")
    assert run(cmw, "display frobnicate").endswith("\n % Unrecognized command found at '^' position.")
    ios = session(network, "ISR1")
    assert (
        run(ios, "show frobnicate") == " " * len("ISR1>show ") + "^\n% Invalid input detected at '^' marker."
    )
    assert run(ios, "e") == '% Ambiguous command:  "e"'
    assert run(ios, "show") == "% Incomplete command."


def test_pipes(network: LabNetwork) -> None:
    s = session(network, "HW5")
    assert run(s, "display current-configuration | include ^interface").splitlines() == [
        f"interface {name}"
        for name in (
            "Vlanif100",
            "GigabitEthernet0/0/1",
            "GigabitEthernet0/0/2",
            "GigabitEthernet0/0/3",
            "GigabitEthernet0/0/4",
            "LoopBack0",
            "NULL0",
        )
    ]
    assert run(s, "display current-configuration | begin user-interface vty").splitlines()[:2] == [
        "user-interface vty 0 4",
        " authentication-mode aaa",
    ]
    assert run(s, "display current-configuration | count ^interface") == "Number of matching lines: 7"
    assert "interface" not in run(s, "display current-configuration | exclude interface")
    assert run(s, "display current-configuration | section interface LoopBack0").splitlines() == [
        "interface LoopBack0",
        " ip address 10.255.0.1 255.255.255.255",
    ]
    assert run(s, "display version | frobnicate x").endswith(
        "Error: Unrecognized command found at '^' position."
    )


# ----------------------------------------------------------------------------- views and dialogs
def test_vrp_views_and_save_dialog(network: LabNetwork) -> None:
    s = session(network, "HW5")
    assert run(s, "system-view") == "Enter system view, return user view with Ctrl+Z."
    assert s.prompt() == "[HW5]"
    run(s, "int g0/0/3")
    assert s.prompt() == "[HW5-GigabitEthernet0/0/3]"
    run(s, "desc abbreviated", "quit")
    assert s.prompt() == "[HW5]"
    run(s, "user-interface vty 0 4")
    assert s.prompt() == "[HW5-ui-vty0-4]"
    assert s.interrupt().text == "" and s.prompt() == "<HW5>"
    assert "description abbreviated" in section(s.device.running, "interface GigabitEthernet0/0/3")
    reply = s.handle("save")
    assert isinstance(reply, Question) and reply.text.endswith("Continue? [Y/N]:")
    assert run(s, "n") == "Info: Save the configuration cancelled."
    assert s.device.saved != s.device.running
    run(s, "save")
    assert run(s, "y").endswith("Info: Save the configuration successfully.")
    assert s.device.saved == s.device.running
    assert "vrpcfg.zip" in s.device.files
    bye = s.handle("quit")
    assert isinstance(bye, Reply) and bye.close and not bye.prompt


def test_vrp8_candidate_prompt_and_uncommitted_question(network: LabNetwork) -> None:
    s = session(network, "HW8")
    device = s.device
    run(s, "system-view")
    assert s.prompt() == "[~HW8]"
    run(s, "interface 10GE1/0/4", "description candidate-only")
    assert s.prompt() == "[*HW8-10GE1/0/4]"
    assert device.candidate is not None and device.candidate != device.running
    assert device.running.child("interface 10GE1/0/4") == ConfigNode("interface 10GE1/0/4")
    assert "description candidate-only" in run(s, "display configuration candidate")
    question = s.handle("return")
    assert isinstance(question, Question) and "[Y(yes)/N(no)/C(cancel)]" in question.text
    run(s, "c")
    assert s.prompt() == "[*HW8-10GE1/0/4]"
    run(s, "return", "y")
    assert s.prompt() == "<HW8>" and device.candidate is None
    assert "description candidate-only" in section(device.running, "interface 10GE1/0/4")
    run(s, "system-view", "sysname HW8-new")
    assert s.prompt() == "[*HW8]"
    run(s, "return", "n")
    assert device.hostname() == "HW8" and s.prompt() == "<HW8>"
    run(s, "system-view", "sysname HW8-new", "commit")
    assert s.prompt() == "[~HW8-new]"


def test_ios_modes_and_enable_secret(network: LabNetwork) -> None:
    s = session(network, "ISR1")
    assert s.prompt() == "ISR1>"
    question = s.handle("enable")
    assert isinstance(question, Question) and question.text == "Password: " and not s.echo
    assert run(s, "wrong") == "% Access denied" and s.prompt() == "ISR1>"
    run(s, "enable", PASSWORD)
    assert s.prompt() == "ISR1#"
    assert run(s, "conf t") == "Enter configuration commands, one per line.  End with CNTL/Z."
    run(s, "int gi0/2")
    assert s.prompt() == "ISR1(config-if)#"
    run(s, "hostname ISR1-new")  # a global command leaves the interface view
    assert s.prompt() == "ISR1-new(config)#"
    run(s, "line vty 0 4")
    assert s.prompt() == "ISR1-new(config-line)#"
    assert "ISR1-new uptime is" in run(s, "do show version")
    run(s, "end")
    assert s.prompt() == "ISR1-new#"


# ----------------------------------------------------------------------------- configuration editing
def test_negation_and_single_value_lines(network: LabNetwork) -> None:
    s = session(network, "HW5")
    run(s, "system-view", "interface GigabitEthernet0/0/1")
    run(s, "description replaced", "ip address 10.99.0.1 30")
    lines = section(s.device.running, "interface GigabitEthernet0/0/1")
    # printed in the device's order (undo portswitch first), whatever order they were typed in
    assert lines == ["undo portswitch", "description replaced", "ip address 10.99.0.1 255.255.255.252"]
    run(s, "ip address 10.99.1.1 255.255.255.0 sub", "undo description", "shutdown")
    assert section(s.device.running, "interface GigabitEthernet0/0/1") == [
        "undo portswitch",
        "shutdown",
        "ip address 10.99.0.1 255.255.255.252",
        "ip address 10.99.1.1 255.255.255.0 sub",
    ]
    run(s, "undo ip address 10.99.1.1 24 sub", "undo shutdown", "portswitch")
    assert section(s.device.running, "interface GigabitEthernet0/0/1") == [
        "ip address 10.99.0.1 255.255.255.252"
    ]
    run(s, "undo ip address")
    assert section(s.device.running, "interface GigabitEthernet0/0/1") == []
    run(s, "quit", "interface LoopBack7", "ip address 10.255.7.1 32", "quit")
    assert s.device.running.child("interface LoopBack7") is not None
    run(s, "undo interface loopback7")
    assert s.device.running.child("interface LoopBack7") is None
    assert run(s, "interface GigabitEthernet9/9/9").endswith("Error: Wrong parameter found at '^' position.")
    assert run(s, "ip address 10.1.1.300 24").endswith("Error: Wrong parameter found at '^' position.")
    assert run(s, "frobnicate on").endswith("Error: Unrecognized command found at '^' position.")


def test_ios_negations_kept_as_lines(network: LabNetwork) -> None:
    s = session(network, "ISR1")
    run(s, "enable", PASSWORD, "configure terminal", "no ip domain lookup", "no cdp run")
    assert s.device.running.child("no ip domain lookup") is not None
    run(s, "ip domain lookup")  # the default: removes the negation, is not shown itself
    assert s.device.running.child("no ip domain lookup") is None
    assert s.device.running.child("ip domain lookup") is None
    assert s.device.running.child("no cdp run") is not None
    assert run(s, "interface Gi0/2", "ip address 10.1.1.1 24").endswith(
        "% Invalid input detected at '^' marker."
    )


# ----------------------------------------------------------------------------- rendering and files
@pytest.mark.parametrize("name", ["HW5", "HW8", "H3C7", "ISR1"])
def test_rendered_configuration_parses_back(network: LabNetwork, name: str) -> None:
    device = network.devices[name]
    dialect = dialect_for(device)
    assert dialect is not None
    text = dialect.render_config(device, device.running)
    assert dialect.parse_config_text(text) == device.running


def test_vendor_configuration_layouts(network: LabNetwork) -> None:
    vrp = get_dialect("vrp5").render_config(network.devices["HW5"], network.devices["HW5"].running)
    assert vrp.startswith("!Software Version V200R011C10SPC500\n#\nsysname HW5\n#\n")
    assert vrp.endswith("\n#\nreturn")
    cmw = get_dialect("comware7").render_config(network.devices["H3C7"], network.devices["H3C7"].running)
    assert cmw.startswith("#\n version 7.1.070, Release 3208P03\n#\n sysname H3C7\n")
    assert (
        "\n#\ninterface GigabitEthernet1/0/1\n port link-mode route\n description to-HW8-10GE1/0/2\n" in cmw
    )
    ios = get_dialect("ios").render_config(network.devices["ISR1"], network.devices["ISR1"].running)
    header, _, body = ios.partition("\n!\n")
    assert header.startswith("Building configuration...\n\nCurrent configuration : ")
    assert int(header.split(": ")[1].split()[0]) == len(("!\n" + body + "\n").encode())
    assert ios.endswith("\n!\nend")
    assert "interface GigabitEthernet0/2\n shutdown\n negotiation auto\n" in ios


def test_base_config_follows_the_spec(network: LabNetwork) -> None:
    hw5 = network.devices["HW5"].running
    assert section(hw5, "interface GigabitEthernet0/0/2") == [
        "undo portswitch",
        "description to-ISR1-GigabitEthernet0/1",
        "ipv6 enable",
        "ip address 10.99.0.13 255.255.255.252",
        "ipv6 address 2001:DB8:0:4::1/64",
    ]
    assert section(hw5, "interface Vlanif100") == [
        "description management",
        "ip address 192.168.100.1 255.255.255.0",
    ]
    assert hw5.child("snmp-agent sys-info location Qimen county data centre") is not None
    ios = network.devices["ISR1"].running
    assert section(ios, "interface Loopback0") == [
        "description management",
        "ip address 10.255.0.4 255.255.255.255",
    ]
    assert ios.child("ip scp server enable") is not None


def test_flash_paths_and_vrp_rollback(network: LabNetwork) -> None:
    assert [flash_name(p) for p in ("flash:/a.cfg", "flash:a.cfg", "/flash:/a.cfg", "a.cfg", "nvram:x")] == [
        "a.cfg",
        "a.cfg",
        "a.cfg",
        "a.cfg",
        None,
    ]
    s = session(network, "HW5")
    before = s.device.running.copy()
    assert run(s, "dir backup.cfg") == "Error: No file found."
    run(s, "save backup.cfg")
    assert run(s, "y").endswith("Save the configuration successfully.")
    run(s, "system-view", "sysname changed", "return")
    assert s.device.hostname() == "changed"
    run(s, "rollback configuration to file backup.cfg")
    assert run(s, "y") == "Info: Rollback of the configuration succeeded."
    assert s.device.running == before
    run(s, "delete /unreserved /quiet backup.cfg")
    assert "backup.cfg" not in s.device.files


def test_ios_copy_prompts_until_file_prompt_quiet(network: LabNetwork) -> None:
    s = session(network, "ISR1")
    run(s, "enable", PASSWORD)
    assert isinstance(s.handle("copy running-config flash:/backup.txt"), Question)
    assert run(s, "").endswith("bytes/sec)")
    assert s.device.files["backup.txt"].decode().startswith("!\n! Last configuration change")
    run(s, "configure terminal", "file prompt quiet", "end")
    write_file(s.device, "merge.txt", b"hostname merged\ninterface GigabitEthernet0/2\n description m\nend\n")
    assert run(s, "copy flash:/merge.txt running-config").endswith("bytes/sec)")
    assert s.device.hostname() == "merged"
    assert "description m" in section(s.device.running, "interface GigabitEthernet0/2")
    digest = hashlib.md5(s.device.files["merge.txt"]).hexdigest()
    assert run(s, "verify /md5 flash:/merge.txt").endswith(f"verify /md5 (flash:/merge.txt) = {digest}")
    assert run(s, "configure replace flash:/backup.txt force") == "Total number of passes: 1\nRollback Done"
    assert s.device.hostname() == "ISR1"


def test_sub_view_lines_stay_in_their_section(network: LabNetwork) -> None:
    """Lines that look global but belong to the current view (``acl 2000 inbound`` in a VTY,
    ``ospf cost`` on an interface) stay there; real global lines leave the view first."""
    vrp = session(network, "HW5")
    run(vrp, "system-view", "user-interface vty 0 4", "acl 2000 inbound", "interface GigabitEthernet0/0/1")
    run(vrp, "ospf cost 10", "ospf 1 router-id 10.255.0.1", "area 0.0.0.0", "network 10.99.0.0 0.0.0.3")
    tree = vrp.device.running
    assert "acl 2000 inbound" in section(tree, "user-interface vty 0 4")
    assert "ospf cost 10" in section(tree, "interface GigabitEthernet0/0/1")
    ospf = tree.child("ospf 1 router-id 10.255.0.1")
    assert ospf is not None and ospf.child("area 0.0.0.0") == ConfigNode(
        "area 0.0.0.0", [ConfigNode("network 10.99.0.0 0.0.0.3")]
    )
    assert vrp.prompt() == "[HW5-ospf-1-router-id-10.255.0.1-area-0.0.0.0]"
    ios = session(network, "ISR1")
    run(ios, "enable", PASSWORD, "configure terminal", "archive", "log config", "logging enable", "hidekeys")
    assert ios.prompt() == "ISR1(config-archive-log-cfg)#"
    run(ios, "snmp-server user ops v3group v3 auth sha secret", "end")
    archive = ios.device.running.child("archive")
    assert archive is not None and section(archive, "log config") == ["logging enable", "hidekeys"]
    assert not [n for n in ios.device.running.children if n.text.startswith("snmp-server user")]
