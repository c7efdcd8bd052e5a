"""What Huawei VRP V5 and V8 share: messages, keywords, renderers, save and rollback.

Formats follow real device output as captured in ntc-templates' ``tests/huawei_vrp`` samples and
the regular expressions of napalm-huawei-vrp (``display interface`` sections split on ``current
state``, ``Internet Address is a/b``, ``X, subnet is Y/len``, ``ESN of slot N: <sn>``).
:mod:`egovnet.lab.cli.vrp5` and :mod:`egovnet.lab.cli.vrp8` differ only where the two versions
print differently (version banner, LLDP brief columns, commit).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import ClassVar

from egovnet.lab.cli import baseconf, confedit, files
from egovnet.lab.cli.dialect import Command, CommandError, keywords, sections
from egovnet.lab.cli.huawei_show import HuaweiShow
from egovnet.lab.cli.session import CliSession, Result
from egovnet.lab.cli.text import (
    cipher,
    clock,
    dotted_address_line,
    engine_id,
    grouped,
    v4_words,
)
from egovnet.lab.cli.vrpfamily import ALL, USER
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec, LabDevice

VRP_ERRORS = {
    "unrecognized": "Error: Unrecognized command found at '^' position.",
    "ambiguous": "Error: Ambiguous command found at '^' position.",
    "incomplete": "Error: Incomplete command found at '^' position.",
    "wrong": "Error: Wrong parameter found at '^' position.",
}

VRP_VOCABULARY = keywords(
    """
    sysname, interface, description, shutdown, ip address, ip route-static, ip vpn-instance,
    ip binding, ipv6, ipv6 enable, ipv6 address, ipv6 route-static, portswitch, port link-type,
    port default vlan, port trunk allow-pass, port hybrid, mtu, speed, duplex, negotiation, vlan,
    vlan batch, aaa, local-user, authentication-scheme, authorization-scheme, accounting-scheme,
    domain, user-interface, authentication-mode, protocol, user, idle-timeout, stelnet, ssh, telnet,
    lldp, snmp-agent, snmp-agent sys-info, snmp-agent sys-info location, snmp-agent sys-info contact,
    snmp-agent sys-info version, snmp-agent community, snmp-agent target-host, snmp-agent trap,
    snmp-agent usm-user, snmp-agent group, snmp-agent mib-view, snmp-agent local-engineid,
    ntp-service, info-center, clock, dns, acl, rule, traffic-filter, ospf, ospfv3, area, network,
    bgp, peer, ipv4-family, ipv6-family, import-route, router-id, stp, dhcp, http, header,
    loopback-detect, eth-trunk, mode, trust, qos, nqa, bfd, vrrp, arp, mac-address, set, isis,
    route-policy, ip-prefix, if-match, apply, ftp, local-aaa-user, password, default-route-advertise,
    destination-address, frequency, probe-count, silent-interface, start, test-type, nd, type,
    hrp, hrp enable, hrp interface, hrp auto-sync, observe-port, port-mirroring
    """
)

#: How VRP prints its configuration: top-level lines by feature (equal ranks in natural order).
VRP_ORDER = (
    r"^sysname ",
    r"^hrp ",
    r"^ipv6$",
    r"^vlan batch ",
    r"^vlan ",
    r"^(undo )?telnet ",
    r"^(undo )?(http|ftp) ",
    r"^clock timezone ",
    r"^acl number ",
    r"^acl ipv6 number ",
    r"^acl ",
    r"^aaa$",
    r"^ntp-service ",
    r"^observe-port ",
    r"^interface Vlanif",
    r"^interface Eth-Trunk",
    r"^interface (?!LoopBack|NULL|Tunnel)",
    r"^interface ",
    r"^ospf ",
    r"^ospfv3 ",
    r"^ip route-static ",
    r"^ipv6 route-static ",
    r"^info-center ",
    r"^snmp-agent$",
    r"^snmp-agent local-engineid ",
    r"^snmp-agent community ",
    r"^snmp-agent sys-info ",
    r"^snmp-agent group ",
    r"^snmp-agent target-host ",
    r"^snmp-agent mib-view ",
    r"^snmp-agent usm-user ",
    r"^snmp-agent ",
    r"^lldp ",
    r"^stelnet ",
    r"^ssh user ",
    r"^ssh ",
    r"^header ",
    r"^user-interface ",
    r"^nqa ",
)

#: How sections print their lines (the parent regex, then its children's order).
VRP_CHILD_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"^interface ",
        (
            r"^(undo )?portswitch",
            r"^description ",
            r"^(undo )?shutdown",
            r"^port link-type ",
            r"^port default vlan ",
            r"^port ",
            r"^eth-trunk ",
            r"^ipv6 enable",
            r"^ip address ",
            r"^ipv6 address ",
            r"^vrrp ",
            r"^mode ",
            r"^ospfv3 ",
            r"^ospf ",
            r"^nd ",
            r"^port-mirroring ",
        ),
    ),
    (
        r"^aaa$",
        (
            r"^authentication-scheme ",
            r"^authorization-scheme ",
            r"^accounting-scheme ",
            r"^local-aaa-user wrong-password ",
            r"^local-aaa-user password policy ",
            r"^domain ",
            r"^local-user ",
        ),
    ),
    (r"^local-aaa-user password policy ", (r"^password history ", r"^password expire ")),
    (
        r"^user-interface ",
        (r"^acl \d", r"^acl ipv6 ", r"^authentication-mode ", r"^idle-timeout ", r"^protocol "),
    ),
    (
        r"^ospf(v3)?( |$)",
        (r"^router-id ", r"^default-route-advertise", r"^import-route ", r"^silent-interface ", r"^area "),
    ),
    (r"^acl ", (r"^description ", r"^rule ")),
    (
        r"^nqa test-instance ",
        (r"^test-type ", r"^destination-address ", r"^frequency ", r"^probe-count ", r"^source-", r"^start "),
    ),
)


def _check_ipv4(word: str, index: int) -> None:
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        raise CommandError("wrong", index) from None


class Huawei(HuaweiShow):
    """Shared by VRP5 and VRP8."""

    errors: ClassVar[dict[str, str]] = VRP_ERRORS
    default_hostname = "HUAWEI"
    config_vocabulary = VRP_VOCABULARY
    global_prefixes = keywords(
        """
        sysname, interface, vlan, aaa, user-interface, snmp-agent, stelnet, ssh, ntp-service,
        info-center, ip route-static, ipv6 route-static, clock, dns, bgp, http, telnet, header,
        route-policy, ip vpn-instance, ip-prefix, ftp, nqa, hrp, observe-port
        """
    )
    global_lines = ("ipv6", "bfd", "lldp enable")
    section_rules = (
        *sections(
            r"^interface \S+",
            r"^aaa$",
            r"^user-interface ",
            r"^vlan \d+$",
            r"^ospf( \d+)?( router-id \S+)?( vpn-instance \S+)?$",
            r"^ospfv3( \d+)?( vpn-instance \S+)?$",
            r"^bgp \d+",
            r"^acl (ipv6 )?(number |name )?\S+( match-order \S+)?$",
            r"^isis( \d+)?$",
            r"^route-policy ",
            r"^ip vpn-instance \S+$",
            r"^nqa test-instance ",
        ),
        *sections(r"^area \S+$", top_level=False, parents=r"^ospf(v3)?( |$)"),
        *sections(r"^ipv4-family", r"^ipv6-family", top_level=False, parents=r"^(bgp |ip vpn-instance )"),
        *sections(r"^local-aaa-user password policy ", top_level=False, parents=r"^aaa$"),
    )
    rules = confedit.EditRules(
        "undo",
        single_value=(
            "sysname",
            "description",
            "ip address",
            "mtu",
            "port link-type",
            "port default vlan",
            "snmp-agent sys-info location",
            "snmp-agent sys-info contact",
            "authentication-mode",
            "protocol inbound",
            "user privilege level",
            "clock timezone",
            "router-id",
            "hrp interface *",
            "observe-port *",
        ),
        secondary_markers=("sub",),
        stored_negations=("portswitch", "hrp auto-sync"),
        defaults=("portswitch", "hrp auto-sync"),
        normalize=dotted_address_line,
        top_order=VRP_ORDER,
        child_order=VRP_CHILD_ORDER,
    )
    logical_types = ("LoopBack", "Vlanif", "Eth-Trunk", "Tunnel", "NULL")
    pipe_names = ("include", "exclude", "begin", "count", "section")
    system_view_message = "Enter system view, return user view with Ctrl+Z."
    mgmt_default = "Vlanif100"
    startup_file = "vrpcfg.zip"

    # ----------------------------------------------------------------- commands
    def commands(self) -> Sequence[Command]:
        return [
            *super().commands(),
            Command(
                "screen-length 0 temporary",
                USER,
                lambda s, a: (
                    "Info: The configuration takes effect on the current user terminal interface only."
                ),
            ),
            Command("display esn", ALL, lambda s, a: f"ESN of slot 0: {s.device.spec.serial}"),
            Command("display lldp neighbor", ALL, lambda s, a: "\n".join(self.render_lldp(s))),
            Command("display lldp neighbor brief", ALL, lambda s, a: "\n".join(self.render_lldp_brief(s))),
            Command(
                "display interface description", ALL, lambda s, a: "\n".join(self.render_descriptions(s))
            ),
            Command("rollback configuration to file <file>", USER, self._rollback),
        ]

    def render_lldp_brief(self, s: CliSession) -> list[str]:
        raise NotImplementedError

    #: Models whose ports are routed (no ``portswitch``): AR and NetEngine routers, USG firewalls.
    router_models = ("AR", "NE", "USG")

    def is_switch(self, spec: DeviceSpec) -> bool:
        return not spec.model.upper().startswith(self.router_models)

    #: Models with hot standby (HRP): the USG firewalls.
    hrp_models = ("USG",)
    mirror_directions = ("inbound", "outbound", "both")

    def check_line(self, s: CliSession, words: list[str]) -> None:
        """Refuse what the device refuses of HRP and port mirroring.

        ``hrp`` exists only on firewalls; a heartbeat names a port and the partner's IPv4 address; an
        observe port names a port; ``port-mirroring`` sits on an interface and needs its observe port
        to exist already, which is what makes the order of a remediation matter.
        """
        super().check_line(s, words)
        if words[0] == "hrp" and not s.device.spec.model.upper().startswith(self.hrp_models):
            raise CommandError("unrecognized", 0)
        if words[:2] == ["hrp", "interface"]:
            if len(words) != 5 or words[3] != "remote":
                raise CommandError("incomplete" if len(words) < 5 else "wrong")
            self.interface_name(s, words[2], 2)
            _check_ipv4(words[4], 4)
        elif words[0] == "observe-port":
            if len(words) != 4 or words[2] != "interface":
                raise CommandError("incomplete" if len(words) < 4 else "wrong")
            if not words[1].isdigit():
                raise CommandError("wrong", 1)
            self.interface_name(s, words[3], 3)
        elif words[0] == "port-mirroring":
            if not (s.view.path and s.view.path[-1].startswith("interface ")):
                raise CommandError("unrecognized", 0)
            if len(words) < 5:
                raise CommandError("incomplete")
            direction = words[4] in self.mirror_directions
            if len(words) > 5 or words[1:3] != ["to", "observe-port"] or not direction:
                raise CommandError("wrong")
            if not s.edit_tree().children_starting(f"observe-port {words[3]} interface "):
                raise CommandError("wrong", 3)

    def os_version(self, spec: DeviceSpec) -> str:
        return spec.os_version or "V200R011C10SPC500"

    def series(self, spec: DeviceSpec) -> str:
        return spec.model.split("-")[0] if spec.model else "S5720"

    def config_header(self, device: LabDevice) -> list[str]:
        return [f"!Software Version {self.os_version(device.spec)}"]

    # ----------------------------------------------------------------- base configuration
    def base_config(self, spec: DeviceSpec) -> ConfigNode:
        ports = baseconf.plan(spec, baseconf.mgmt_interface(spec, self.mgmt_default))
        user = baseconf.local_user(spec)
        root = ConfigNode()
        add = root.ensure
        add(f"sysname {spec.name}")
        vlans = [v for p in ports if p.mgmt and (v := baseconf.mgmt_vlan(p.name))]
        if vlans:
            add(f"vlan batch {' '.join(vlans)}")
        if baseconf.has_ipv6(ports):
            add("ipv6")
        aaa = add("aaa")
        for line in (
            "authentication-scheme default",
            "authorization-scheme default",
            "accounting-scheme default",
            "domain default",
            "domain default_admin",
            f"local-user {user} password irreversible-cipher {cipher(user, '$1a$')}$",
            f"local-user {user} privilege level 15",
            f"local-user {user} service-type terminal ssh",
        ):
            aaa.ensure(line)
        order = sorted(ports, key=lambda p: (not p.name.startswith("Vlanif"), not p.physical))
        for item in order:
            section = add(f"interface {item.name}")
            if item.description:
                section.ensure(f"description {item.description}")
            if item.physical and item.routed and self.is_switch(spec):
                section.ensure("undo portswitch")
            for v4 in item.ipv4:
                section.ensure(f"ip address {v4_words(v4)}" + (" sub" if v4 != item.ipv4[0] else ""))
            if item.ipv6:
                section.ensure("ipv6 enable")
            for v6 in item.ipv6:
                section.ensure(f"ipv6 address {v6.with_prefixlen.upper()}")
        add("interface NULL0")
        add("lldp enable")
        add("stelnet server enable")
        for line in (
            f"ssh user {user}",
            f"ssh user {user} authentication-type password",
            f"ssh user {user} service-type stelnet",
        ):
            add(line)
        add("snmp-agent")
        mac = spec.ports[0].mac if spec.ports else "00:e0:fc:00:00:00"
        add(f"snmp-agent local-engineid {engine_id('800007DB03', mac)}")
        add(f"snmp-agent community read cipher {cipher(baseconf.snmp_community(spec), '%^%#')}")
        if baseconf.snmp_contact(spec):
            add(f"snmp-agent sys-info contact {baseconf.snmp_contact(spec)}")
        if spec.location:
            add(f"snmp-agent sys-info location {spec.location}")
        add("snmp-agent sys-info version v2c v3")
        add("user-interface con 0").ensure("authentication-mode aaa")
        vty = add("user-interface vty 0 4")
        vty.ensure("authentication-mode aaa")
        vty.ensure("protocol inbound ssh")
        return self.ordered(root, spec)

    def sys_description(self, spec: DeviceSpec) -> list[str]:
        return [
            f"Huawei {spec.model}",
            "Huawei Versatile Routing Platform Software",
            f"VRP (R) software, Version {self.vrp_number} ({self.series(spec)} {self.os_version(spec)})",
            "Copyright (C) 2000-2021 HUAWEI TECH Co., Ltd.",
        ]

    vrp_number = "5.170"

    # ----------------------------------------------------------------- files, save, rollback
    def render_dir(self, s: CliSession, path: str) -> str:
        names = sorted(s.device.files)
        if path and files.flash_name(path) is not None:
            wanted = files.flash_name(path)
            names = [n for n in names if n == wanted]
            if not names:
                return "Error: No file found."
        rows = [
            f"{index:>5}  -rw-  {grouped(len(s.device.files[n])):>13}  "
            f"{clock(files.mtime(s.device, n), '%b %d %Y %H:%M:%S')}   {n}"
            for index, n in enumerate(names)
        ]
        total = files.CAPACITY // 1024
        return "\n".join(
            [
                "Directory of flash:/",
                "",
                "  Idx  Attr     Size(Byte)  Date        Time       FileName",
                *rows,
                "",
                f"{grouped(total)} KB total ({grouped(files.free_bytes(s.device) // 1024)} KB free)",
            ]
        )

    def save(self, s: CliSession, args: dict[str, str]) -> Result:
        def do_save() -> Result:
            self.store_startup(s)
            return (
                "Now saving the current configuration to the slot 0.\n"
                "Info: Save the configuration successfully."
            )

        return self.confirm(
            "Warning: The current configuration will be written to the device. Continue? [Y/N]:",
            do_save,
            "Info: Save the configuration cancelled.",
        )

    def save_file(self, s: CliSession, args: dict[str, str]) -> Result:
        name = files.flash_name(args["file"])
        if name is None or not name.endswith((".cfg", ".zip", ".dat")):
            raise CommandError("wrong", 1)

        def do_save() -> Result:
            text = self.render_config(s.device, s.device.running) + "\n"
            files.write_file(s.device, name, text.encode())
            return "Now saving the current configuration to the slot 0.\nSave the configuration successfully."

        return self.confirm(
            f"Are you sure to save the configuration to flash:/{name}? [Y/N]:",
            do_save,
            "Info: Save the configuration cancelled.",
        )

    def _rollback(self, s: CliSession, args: dict[str, str]) -> Result:
        name = files.flash_name(args["file"])
        if name is None or name not in s.device.files:
            return "Error: The file does not exist."

        def do_rollback() -> Result:
            if s.device.faults.reject_commit:
                return "Error: Failed to roll back the configuration. The configuration is locked."
            s.device.running = self.parse_config_text(s.device.files[name].decode(errors="replace"))
            s.device.candidate = None
            return "Info: Rollback of the configuration succeeded."

        return self.confirm(
            f"Warning: All configurations will be rolled back to the configurations in file {name}."
            " Continue? [Y/N]:",
            do_rollback,
            "Info: Rollback cancelled.",
        )

    # ----------------------------------------------------------------- ping
    def render_ping(self, s: CliSession, target: str, ok: bool, count: int, size: int, v6: bool) -> str:
        shown = target.upper() if v6 else target
        lines = [f"  PING {shown}{' ' if v6 else ''}: {size}  data bytes, press CTRL_C to break"]
        for seq in range(1, min(count, 100) + 1):
            if not ok:
                lines.append("    Request time out")
            elif v6:
                lines += [
                    f"    Reply from {shown}",
                    f"    bytes={size} Sequence={seq} hop limit=64  time = 1 ms",
                ]
            else:
                lines.append(f"    Reply from {target}: bytes={size} Sequence={seq} ttl=255 time=1 ms")
        received = min(count, 100) if ok else 0
        sent = min(count, 100)
        lines += [
            "",
            f"  --- {shown} ping statistics ---",
            f"    {sent} packet(s) transmitted",
            f"    {received} packet(s) received",
            f"    {100.0 * (sent - received) / sent if sent else 0:.2f}% packet loss",
        ]
        if ok:
            lines.append("    round-trip min/avg/max = 1/1/1 ms")
        return "\n".join([*lines, ""])
