"""H3C Comware 7 (S5130/S6520 campus switches, MSR routers): netmiko ``hp_comware``, napalm
``h3c_comware``.

Comware shares the VRP skeleton but differs in wording clients parse: errors start with
`` % `` instead of ``Error:``, global lines of the configuration are indented by one space,
``save force`` saves without asking, and the operational tables follow Comware's own layouts
(napalm-h3c-comware parses them with its TextFSM templates, so the formats here are the
contract; see :mod:`egovnet.lab.cli.comware7_show`). NAPALM's driver enters ``system-view``
right after login (``enable()`` means system view on Comware), so every display command works
in every view.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from egovnet.lab.cli import baseconf, confedit, files
from egovnet.lab.cli.comware7_show import ComwareShow
from egovnet.lab.cli.dialect import Command, CommandError, keywords, sections
from egovnet.lab.cli.session import CliSession, Question, Result
from egovnet.lab.cli.text import (
    cipher,
    clock,
    dotted_address_line,
    engine_id,
    mac_dashed,
    uptime_comware,
    v4_words,
)
from egovnet.lab.cli.vrpfamily import ALL, USER
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec

COMWARE_ERRORS = {
    "unrecognized": " % Unrecognized command found at '^' position.",
    "ambiguous": " % Ambiguous command found at '^' position.",
    "incomplete": " % Incomplete command found at '^' position.",
    "wrong": " % Wrong parameter found at '^' position.",
}

#: How Comware 7 prints its configuration: top-level lines by feature (equal ranks in natural order).
COMWARE_ORDER = (
    r"^version ",
    r"^sysname ",
    r"^clock ",
    r"^(undo )?telnet ",
    r"^irf ",
    r"^lldp ",
    r"^password-recovery ",
    r"^password-control",
    r"^system-working-mode ",
    r"^vlan ",
    r"^interface NULL",
    r"^interface LoopBack",
    r"^interface Vlan-interface",
    r"^interface Route-Aggregation",
    r"^interface ",
    r"^ospf ",
    r"^ospfv3 ",
    r"^scheduler ",
    r"^line ",
    r"^ip route-static ",
    r"^ipv6 route-static ",
    r"^info-center ",
    r"^snmp-agent$",
    r"^snmp-agent local-engineid ",
    r"^snmp-agent community ",
    r"^snmp-agent sys-info ",
    r"^snmp-agent ",
    r"^ssh ",
    r"^ssh2 ",
    r"^(undo )?(ip http|ip https|ftp)",
    r"^ntp-service ",
    r"^acl ",
    r"^nqa ",
    r"^track ",
    r"^radius ",
    r"^domain ",
    r"^role ",
    r"^user-group ",
    r"^local-user ",
    r"^header ",
)

COMWARE_CHILD_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"^interface ",
        (
            r"^port link-mode ",
            r"^description ",
            r"^shutdown",
            r"^port link-type ",
            r"^port access vlan ",
            r"^port ",
            r"^link-aggregation ",
            r"^ip address ",
            r"^ipv6 address ",
            r"^vrrp ",
            r"^ospfv3 ",
            r"^ospf ",
            r"^ipv6 nd ",
        ),
    ),
    (r"^line ", (r"^authentication-mode ", r"^user-role ", r"^protocol inbound ", r"^idle-timeout ")),
    (
        r"^ospf(v3)?( |$)",
        (r"^default-route-advertise", r"^import-route ", r"^silent-interface ", r"^router-id ", r"^area "),
    ),
    (r"^local-user ", (r"^password ", r"^service-type ", r"^authorization-attribute ")),
    (r"^acl ", (r"^description ", r"^rule ")),
    (r"^nqa entry ", (r"^type ",)),
    (r"^type ", (r"^destination ", r"^frequency ", r"^probe count", r"^reaction ", r"^source ")),
)


class Comware7(ComwareShow):
    """Comware V7 dialect."""

    name = "comware7"
    errors: ClassVar[dict[str, str]] = COMWARE_ERRORS
    default_hostname = "H3C"
    global_indent = " "
    startup_file = "startup.cfg"
    system_view_message = "System View: return to User View with Ctrl+Z."
    view_labels: ClassVar[dict[str, str]] = {"line": "line"}
    mgmt_default = "Vlan-interface100"
    config_vocabulary = keywords(
        """
        version, sysname, interface, description, shutdown, ip address, ip route-static,
        ip vpn-instance, ipv6, ipv6 address, ipv6 route-static, port, port link-mode, port link-type,
        port access vlan, port trunk permit, port trunk pvid, mtu, speed, duplex, vlan, line,
        line class, authentication-mode, user-role, protocol, protocol inbound, idle-timeout,
        local-user, password, service-type, authorization-attribute, domain, role, user-group, ssh,
        ssh server, ssh user, telnet, lldp, lldp global, snmp-agent, snmp-agent sys-info,
        snmp-agent sys-info location, snmp-agent sys-info contact, snmp-agent sys-info version,
        snmp-agent community, snmp-agent target-host, snmp-agent trap, snmp-agent usm-user,
        snmp-agent group, snmp-agent mib-view, snmp-agent local-engineid, ntp-service, info-center,
        clock, dns, acl, rule, packet-filter, ospf, area, network, bgp, peer, address-family,
        import-route, router, stp, dhcp, header, irf, link-aggregation, radius, hwtacacs, scheme,
        password-recovery, system-working-mode, scheduler, qos, vrrp, arp, mac-address, combo,
        jumboframe, flow-control,
        nqa, ospfv3, password-control, ssh2, track, type, destination, frequency, reaction, name,
        router-id, default-route-advertise, silent-interface, ftp, ip http, ip https
        """
    )
    global_prefixes = keywords(
        """
        version, sysname, interface, vlan, line, local-user, domain, role, user-group, ssh, telnet,
        lldp global, snmp-agent, ntp-service, info-center, ip route-static, ipv6 route-static, clock,
        dns, bgp, header, irf, radius, hwtacacs, password-recovery, system-working-mode, scheduler,
        nqa, password-control, ssh2, track, ftp, ip http, ip https
        """
    )
    section_rules = (
        *sections(
            r"^interface \S+",
            r"^line ",
            r"^local-user ",
            r"^vlan \d+$",
            r"^ospf( \d+)?( router-id \S+)?( vpn-instance \S+)?$",
            r"^bgp \d+",
            r"^acl (ipv6 )?(basic |advanced |number |mac |name )\S+( match-order \S+)?$",
            r"^domain ",
            r"^role name ",
            r"^user-group ",
            r"^radius scheme ",
            r"^hwtacacs scheme ",
            r"^nqa entry ",
            r"^ospfv3( \d+)?( vpn-instance \S+)?$",
        ),
        *sections(r"^area \S+$", top_level=False, parents=r"^ospf(v3)?( |$)"),
        *sections(r"^address-family ", top_level=False, parents=r"^(bgp |ospf)"),
        *sections(r"^type \S+$", top_level=False, parents=r"^nqa entry "),
    )
    rules = confedit.EditRules(
        "undo",
        single_value=(
            "version",
            "sysname",
            "description",
            "ip address",
            "port link-mode",
            "port link-type",
            "snmp-agent sys-info location",
            "snmp-agent sys-info contact",
            "authentication-mode",
            "mtu",
            "password",
            "port access vlan",
        ),
        secondary_markers=("sub",),
        normalize=dotted_address_line,
        top_order=COMWARE_ORDER,
        child_order=COMWARE_CHILD_ORDER,
    )
    short_types = (
        ("Ten-GigabitEthernet", "XGE"),
        ("M-GigabitEthernet", "MGE"),
        ("GigabitEthernet", "GE"),
        ("FortyGigE", "FGE"),
        ("HundredGigE", "HGE"),
        ("Twenty-FiveGigE", "WGE"),
        ("Vlan-interface", "Vlan"),
        ("InLoopBack", "InLoop"),
        ("LoopBack", "Loop"),
        ("Bridge-Aggregation", "BAGG"),
        ("Route-Aggregation", "RAGG"),
    )
    logical_types = (
        "LoopBack",
        "Vlan-interface",
        "Bridge-Aggregation",
        "Route-Aggregation",
        "Tunnel",
        "NULL",
    )

    # ----------------------------------------------------------------- views and commands
    def label(self, header: str) -> str:
        words = header.split()
        if words[0] == "local-user" and len(words) >= 4:
            return f"luser-{words[3]}-{words[1]}"
        if words[0] == "vlan":
            return "vlan" + "".join(words[1:])
        return super().label(header)

    def commands(self) -> Sequence[Command]:
        return [
            *super().commands(),
            Command(
                "screen-length disable",
                USER,
                lambda s, a: "% Screen-length configuration is disabled for current user.",
            ),
            Command("save force", ALL, lambda s, a: self._save_now(s)),
            Command("display device manuinfo", ALL, lambda s, a: "\n".join(self.render_manuinfo(s))),
            Command(
                "display lldp neighbor-information list",
                ALL,
                lambda s, a: "\n".join(self.render_lldp_list(s)),
            ),
            Command(
                "display lldp neighbor-information verbose",
                ALL,
                lambda s, a: "\n".join(self.render_lldp_verbose(s, None)),
            ),
            Command(
                "display lldp neighbor-information interface <name> verbose",
                ALL,
                lambda s, a: "\n".join(self.render_lldp_verbose(s, self.interface_name(s, a["name"], 4))),
            ),
        ]

    def banner(self, s: CliSession) -> str:
        stars = "*" * 78
        return "\n".join(
            [
                "",
                stars,
                "* Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.*",
                "* Without the owner's prior written consent,                                 *",
                "* no decompiling or reverse-engineering shall be allowed.                    *",
                stars,
                "",
                "",
            ]
        )

    # ----------------------------------------------------------------- version and inventory
    def version_parts(self, spec: DeviceSpec) -> tuple[str, str]:
        """(``7.1.070``, ``3208P03``) from ``spec.os_version`` such as ``7.1.070, Release 3208P03``."""
        text = spec.os_version or "7.1.070, Release 3208P03"
        number = re.search(r"\d+\.\d+\.\d+", text)
        release = re.search(r"Release\s+(\S+)", text)
        tail = text.split()[-1] if text.split() else "3208P03"
        return (number.group(0) if number else "7.1.070", release.group(1) if release else tail)

    def render_version(self, s: CliSession) -> list[str]:
        spec = s.device.spec
        number, release = self.version_parts(spec)
        image = spec.model.lower().replace("-", "_")
        up = uptime_comware(s.device.uptime())
        return [
            f"H3C Comware Software, Version {number}, Release {release}",
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.",
            f"H3C {spec.model} uptime is {up}",
            "Last reboot reason : Cold reboot",
            "",
            f"Boot image: flash:/{image}-cmw710-boot-r{release.lower()}.bin",
            f"Boot image version: {number}, Release {release}",
            "  Compiled Jan 08 2021 11:00:00",
            f"System image: flash:/{image}-cmw710-system-r{release.lower()}.bin",
            f"System image version: {number}, Release {release}",
            "  Compiled Jan 08 2021 11:00:00",
            "",
            "Slot 1:",
            f"Uptime is {up.replace(', ', ',')}",
            f"{spec.model} with 1 Processor",
            f"BOARD TYPE:         {spec.model}",
            "DRAM:               1024M bytes",
            "FLASH:              512M bytes",
            "PCB 1 Version:      VER.A",
            "Bootrom Version:    147",
            "CPLD 1 Version:     002",
            f"Release Version:    H3C {spec.model}-{release}",
            "Patch Version  :    None",
            "Reboot Cause  :     ColdReboot",
            "[SubSlot 0] 24GE+4SFP Plus",
        ]

    def sys_description(self, spec: DeviceSpec) -> list[str]:
        number, release = self.version_parts(spec)
        return [
            f"H3C Comware Platform Software, Software Version {number},",
            f"Release {release}",
            f"H3C {spec.model}",
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.",
        ]

    def render_manuinfo(self, s: CliSession) -> list[str]:
        spec = s.device.spec
        made = clock(s.device.boot_time - 400 * 86400, "%Y-%m-%d")
        return [
            " Slot 1 CPU 0:",
            f"DEVICE_NAME          : {spec.model}",
            f"DEVICE_SERIAL_NUMBER : {spec.serial}",
            f"MAC_ADDRESS          : {mac_dashed(spec.ports[0].mac).upper() if spec.ports else 'NONE'}",
            f"MANUFACTURING_DATE   : {made}",
            "VENDOR_NAME          : H3C",
            " Fan 1:",
            "DEVICE_NAME          : LSPM1FANSA",
            f"DEVICE_SERIAL_NUMBER : {spec.serial}F1",
            f"MANUFACTURING_DATE   : {made}",
            "VENDOR_NAME          : H3C",
            " Power 1:",
            "The operation is not supported on the specified board.",
        ]

    # ----------------------------------------------------------------- base configuration
    def base_config(self, spec: DeviceSpec) -> ConfigNode:
        ports = baseconf.plan(spec, baseconf.mgmt_interface(spec, self.mgmt_default))
        user = baseconf.local_user(spec)
        number, release = self.version_parts(spec)
        root = ConfigNode()
        add = root.ensure
        add(f"version {number}, Release {release}")
        add(f"sysname {spec.name}")
        add("lldp global enable")
        add("password-recovery enable")
        add("vlan 1")
        for item in ports:
            vlan = baseconf.mgmt_vlan(item.name) if item.mgmt else None
            if vlan:
                add(f"vlan {vlan}")
        add("interface NULL0")
        for item in sorted(ports, key=lambda p: p.physical):
            section = add(f"interface {item.name}")
            if item.physical and item.routed:
                section.ensure("port link-mode route")
            if item.description:
                section.ensure(f"description {item.description}")
            for v4 in item.ipv4:
                section.ensure(f"ip address {v4_words(v4)}" + (" sub" if v4 != item.ipv4[0] else ""))
            for v6 in item.ipv6:
                section.ensure(f"ipv6 address {v6.with_prefixlen.upper()}")
        add("snmp-agent")
        mac = spec.ports[0].mac if spec.ports else "00:00:00:00:00:00"
        add(f"snmp-agent local-engineid {engine_id('800063A280', mac, '00000001')}")
        add(f"snmp-agent community read cipher {cipher(baseconf.snmp_community(spec), '$c$3$')}")
        if baseconf.snmp_contact(spec):
            add(f"snmp-agent sys-info contact {baseconf.snmp_contact(spec)}")
        if spec.location:
            add(f"snmp-agent sys-info location {spec.location}")
        add("snmp-agent sys-info version v2c v3")
        add("line class aux").ensure("user-role network-admin")
        vty = add("line vty 0 63")
        for line in ("authentication-mode scheme", "user-role network-operator", "protocol inbound ssh"):
            vty.ensure(line)
        add("ssh server enable")
        add(f"ssh user {user} service-type stelnet authentication-type password")
        add("domain system")
        local = add(f"local-user {user} class manage")
        for line in (
            f"password hash {cipher(user, '$h$6$')}",
            "service-type ssh",
            "authorization-attribute user-role network-admin",
            "authorization-attribute user-role network-operator",
        ):
            local.ensure(line)
        return self.ordered(root, spec)

    # ----------------------------------------------------------------- save and files
    def _save_now(self, s: CliSession, name: str | None = None) -> str:
        target = name or self.startup_file
        if target == self.startup_file:
            self.store_startup(s)
        else:
            text = self.render_config(s.device, s.device.running) + "\n"
            files.write_file(s.device, target, text.encode())
        return (
            "Validating file. Please wait...\n"
            "Saved the current configuration to mainboard device successfully."
        )

    def save(self, s: CliSession, args: dict[str, str]) -> Result:
        def ask_name() -> Result:
            def chosen(line: str) -> Result:
                name = files.flash_name(line) if line else self.startup_file
                if name is None:
                    return "The file name is invalid(does not end with .cfg)."
                if name in s.device.files:
                    return self.confirm(
                        f"flash:/{name} exists, overwrite? [Y/N]:",
                        lambda: self._save_now(s, name),
                        "Save operation cancelled.",
                    )
                return self._save_now(s, name)

            return Question(
                f"Please input the file name(*.cfg)[flash:/{self.startup_file}]\n"
                "(To leave the existing filename unchanged, press the enter key):",
                chosen,
            )

        return self.confirm(
            "The current configuration will be written to the device. Are you sure? [Y/N]:",
            ask_name,
            "Save operation cancelled.",
        )

    def save_file(self, s: CliSession, args: dict[str, str]) -> Result:
        name = files.flash_name(args["file"])
        if name is None or not name.endswith(".cfg"):
            raise CommandError("wrong", 1)
        return self.confirm(
            f"The current configuration will be saved to flash:/{name}. Continue? [Y/N]:",
            lambda: self._save_now(s, name),
            "Save operation cancelled.",
        )

    def render_dir(self, s: CliSession, path: str) -> str:
        wanted = files.flash_name(path) if path else None
        names = [n for n in sorted(s.device.files) if wanted is None or n == wanted]
        if wanted is not None and not names:
            return "The file or directory doesn't exist."
        rows = [
            f"{index:>4} -rw- {len(s.device.files[n]):>11} "
            f"{clock(files.mtime(s.device, n), '%b %d %Y %H:%M:%S')}   {n}"
            for index, n in enumerate(names)
        ]
        return "\n".join(
            [
                "Directory of flash:",
                *rows,
                "",
                f"{files.CAPACITY // 1024} KB total ({files.free_bytes(s.device) // 1024} KB free)",
            ]
        )

    def render_ping(self, s: CliSession, target: str, ok: bool, count: int, size: int, v6: bool) -> str:
        sent = min(count, 100)
        received = sent if ok else 0
        shown = target.upper() if v6 else target
        if v6:
            lines = [f"Ping6({size} data bytes): --> {shown}, press CTRL_C to break"]
            reply = f"{size} bytes from {shown}, icmp_seq={{}} hlim=64 time=1.000 ms"
            title = f"--- Ping6 statistics for {shown} ---"
        else:
            lines = [f"Ping {target} ({target}): {size} data bytes, press CTRL_C to break"]
            reply = f"{size} bytes from {target}: icmp_seq={{}} ttl=255 time=1.000 ms"
            title = f"--- Ping statistics for {target} ---"
        lines += [reply.format(seq) if ok else "Request time out" for seq in range(sent)]
        loss = 100.0 * (sent - received) / sent if sent else 0.0
        lines += [
            "",
            title,
            f"{sent} packet(s) transmitted, {received} packet(s) received, {loss:.1f}% packet loss",
        ]
        if ok:
            lines.append("round-trip min/avg/max/std-dev = 1.000/1.000/1.000/0.000 ms")
        return "\n".join(lines)
