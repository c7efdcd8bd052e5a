"""Cisco IOS (ISR routers): netmiko ``cisco_ios``, napalm ``ios``.

IOS sessions start in user EXEC (``R1>``); ``enable`` asks for the enable secret (the lab's
login password) and leads to ``R1#``; ``configure terminal`` to ``R1(config)#`` and section
commands to ``R1(config-if)#``; ``end``/Ctrl-Z return to ``R1#``. Negation is ``no``. Errors
are ``% Invalid input detected at '^' marker.`` with the caret under the offending word.
The configuration is printed with ``Building configuration...`` / ``Current configuration :
N bytes`` / ``!`` separators / ``end``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from egovnet.lab.cli import baseconf, confedit
from egovnet.lab.cli.dialect import Command, CommandError, keywords, parse_blocks, sections
from egovnet.lab.cli.ios_files import IosFiles
from egovnet.lab.cli.ios_show import IosShow
from egovnet.lab.cli.session import CliSession, Question, Reply, Result, View
from egovnet.lab.cli.text import cipher, clock, config_changed_at, ipv6_address_line, v4_words
from egovnet.lab.config_tree import ConfigNode
from egovnet.lab.model import DeviceSpec, LabDevice

EXEC = frozenset({"user", "enable"})
ENABLE = frozenset({"enable"})
CONFIG = frozenset({"system", "section"})
HEADERS = ("Building configuration", "Current configuration", "Using ")

#: How IOS prints its running configuration: top-level lines by feature (equal ranks in natural order).
IOS_ORDER = (
    r"^version ",
    r"^service ",
    r"^no service ",
    r"^hostname ",
    r"^boot-start-marker",
    r"^boot-end-marker",
    r"^logging buffered ",
    r"^enable ",
    r"^(no )?aaa ",
    r"^clock ",
    r"^(no )?ip domain",
    r"^ip scp ",
    r"^login ",
    r"^ipv6 unicast-routing",
    r"^security passwords ",
    r"^username ",
    r"^ipv6 nd raguard ",
    r"^ip ssh ",
    r"^vtp ",
    r"^vlan ",
    r"^archive",
    r"^interface Loopback",
    r"^interface Port-channel",
    r"^interface (?!Vlan)",
    r"^interface Vlan",
    r"^router ",
    r"^ipv6 router ",
    r"^ip forward-protocol ",
    r"^(no )?ip http ",
    r"^ip route ",
    r"^ip access-list ",
    r"^ipv6 route ",
    r"^ip sla ",
    r"^ipv6 access-list ",
    r"^logging ",
    r"^snmp-server ",
    r"^track ",
    r"^lldp ",
    r"^control-plane",
    r"^banner ",
    r"^line ",
    r"^ntp ",
)

IOS_CHILD_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"^interface ",
        (
            r"^description ",
            r"^switchport access ",
            r"^switchport mode ",
            r"^(no )?switchport",
            r"^channel-group ",
            r"^ip address ",
            r"^ip ospf ",
            r"^ipv6 address ",
            r"^ipv6 nd ",
            r"^ipv6 ospf ",
            r"^vrrp ",
            r"^shutdown",
            r"^negotiation ",
        ),
    ),
    (
        r"^line ",
        (
            r"^access-class ",
            r"^ipv6 access-class ",
            r"^exec-timeout ",
            r"^stopbits ",
            r"^login",
            r"^transport ",
        ),
    ),
    (
        r"^(ipv6 )?router ospf ",
        (r"^router-id ", r"^redistribute ", r"^passive-interface ", r"^network ", r"^default-information "),
    ),
    (r"^ip sla \d", (r"^icmp-echo ", r"^frequency ")),
    (r"^log config", (r"^logging ", r"^notify ", r"^hidekeys")),
)


def banner_line(text: str) -> str:
    """IOS stores a banner's delimiter as ETX and prints it as ``^C``: ``banner login #hi#`` -> ``^Chi^C``."""
    words = text.split(" ", 2)
    if len(words) < 3 or words[0] != "banner":
        return text
    body = words[2]
    for start, end in (("^C", "^C"), (body[:1], body[:1])):
        if len(body) >= 2 * len(start) and body.startswith(start) and body.endswith(end):
            return f"banner {words[1]} ^C{body[len(start) : len(body) - len(end)]}^C"
    return text


class Ios(IosFiles, IosShow):
    """Cisco IOS dialect."""

    name = "ios"
    default_hostname = "Router"
    config_headers = HEADERS
    config_trailer = "end"
    pipe_names = ("include", "exclude", "begin", "section", "count")
    errors: ClassVar[dict[str, str]] = {
        "unrecognized": "% Invalid input detected at '^' marker.",
        "wrong": "% Invalid input detected at '^' marker.",
        "incomplete": "% Incomplete command.",
        "ambiguous": "% Ambiguous command",
    }
    config_vocabulary = keywords(
        """
        version, service, hostname, boot-start-marker, boot-end-marker, enable, enable secret, aaa,
        username, interface, description, shutdown, ip address, ip domain, ip domain name,
        ip domain-name, ip domain lookup, ip name-server, ip scp, ip scp server, ip ssh, ip http,
        ip route, ip access-list, ip forward-protocol, ip cef, ip ospf, ipv6, ipv6 address,
        ipv6 enable, ipv6 unicast-routing, ipv6 route, negotiation, duplex, speed, mtu, switchport,
        encapsulation, standby, vrrp, line, login, transport, transport input, exec-timeout,
        stopbits, password, privilege, snmp-server, snmp-server community, snmp-server location,
        snmp-server contact, ntp, logging, lldp, lldp run, cdp, archive, path, write-memory, file,
        file prompt, banner, crypto, license, redundancy, control-plane, router, network,
        passive-interface, neighbor, address-family, redistribute, router-id, access-list, permit,
        deny, remark, vlan, name, spanning-tree, clock, policy-map, class-map, class, match,
        access-class, channel-group, default-information, device-role, frequency, hidekeys,
        icmp-echo, log, notify, security, track, vtp, ip sla, ipv6 nd, ipv6 router, ipv6 access-list,
        ipv6 traffic-filter, ip access-group
        """
    )
    global_prefixes = keywords(
        """
        version, service, hostname, boot-start-marker, boot-end-marker, enable, aaa, username,
        interface, line, router, ip domain, ip name-server, ip scp, ip ssh, ip http, ip route,
        ip access-list, ip forward-protocol, ip cef, ipv6 unicast-routing, ipv6 route, snmp-server,
        ntp, logging host, logging source-interface, logging buffered, logging trap, logging console,
        logging facility, lldp run, lldp timer, lldp holdtime, cdp run, archive, file, banner,
        crypto key, crypto pki, license, redundancy, control-plane, access-list, spanning-tree mode,
        spanning-tree extend, spanning-tree vlan, clock, policy-map, class-map, ip sla, ipv6 access-list,
        ipv6 nd raguard policy, ipv6 router, login block-for, login on-failure, login on-success,
        security, track, vtp
        """
    )
    section_rules = (
        *sections(
            r"^interface \S+",
            r"^line ",
            r"^router ",
            r"^ip access-list ",
            r"^archive$",
            r"^vlan \d+$",
            r"^control-plane$",
            r"^redundancy$",
            r"^policy-map ",
            r"^class-map ",
            r"^ip sla \d+$",
            r"^ipv6 access-list ",
            r"^ipv6 router ",
            r"^ipv6 nd raguard policy ",
        ),
        *sections(r"^address-family ", top_level=False, parents=r"^router "),
        *sections(r"^class \S+", top_level=False, parents=r"^policy-map "),
        *sections(r"^log config$", top_level=False, parents=r"^archive$"),
    )
    rules = confedit.EditRules(
        "no",
        single_value=(
            "hostname",
            "description",
            "ip address",
            "mtu",
            "speed",
            "duplex",
            "snmp-server location",
            "snmp-server contact",
            "ip domain name",
            "ip domain-name",
            "enable secret",
            "transport input",
            "ip ssh version",
            "switchport mode",
            "switchport access vlan",
            "exec-timeout",
            "clock timezone",
            "negotiation",
        ),
        secondary_markers=("secondary",),
        # IOS prints these negations whenever they are in force ("no aaa new-model"), whether or not
        # the positive line was there before; a Catalyst's routed port shows "no switchport".
        explicit_negations=(
            "ip domain lookup",
            "ip http server",
            "ip http secure-server",
            "cdp run",
            "service pad",
            "aaa new-model",
            "service password-encryption",
            "ip source-route",
            "switchport",
        ),
        defaults=("ip domain lookup", "cdp run", "service pad", "ip source-route", "switchport"),
        normalize=lambda text: banner_line(ipv6_address_line(text)),
        top_order=IOS_ORDER,
        child_order=IOS_CHILD_ORDER,
        sequenced=(r"^ip access-list (standard|extended) ",),
    )
    short_types = (
        ("TenGigabitEthernet", "Te"),
        ("GigabitEthernet", "Gi"),
        ("FastEthernet", "Fa"),
        ("Loopback", "Lo"),
        ("Port-channel", "Po"),
        ("Vlan", "Vl"),
        ("Tunnel", "Tu"),
    )
    logical_types = ("Loopback", "Vlan", "Port-channel", "Tunnel", "Null")
    unshown_prefixes = ("snmp-server user ",)
    # the mode name IOS shows in the prompt, by the leading words of the section header
    labels: ClassVar[tuple[tuple[str, str], ...]] = (
        ("interface", "if"),
        ("line", "line"),
        ("router", "router"),
        ("ip access-list standard", "std-nacl"),
        ("ip access-list extended", "ext-nacl"),
        ("ipv6 access-list", "ipv6-acl"),
        ("ip sla", "ip-sla"),
        ("ipv6 router", "rtr"),
        ("ipv6 nd raguard policy", "ra-guard"),
        ("archive", "archive"),
        ("log config", "archive-log-cfg"),
        ("vlan", "vlan"),
        ("address-family", "router-af"),
        ("control-plane", "cp"),
    )

    # ----------------------------------------------------------------- views and prompts
    def prompt(self, s: CliSession) -> str:
        host = s.device.hostname()
        kind = s.view.kind
        if kind == "user":
            return f"{host}>"
        if kind == "enable":
            return f"{host}#"
        if kind == "system":
            return f"{host}(config)#"
        header = s.view.path[-1]
        label = next((name for prefix, name in self.labels if header.startswith(prefix)), header.split()[0])
        return f"{host}(config-{label})#"

    def lldp_port_id(self, name: str) -> str:
        return self.short(name)

    def error(self, s: CliSession, kind: str, column: int) -> str:
        if kind == "ambiguous":
            return f'% Ambiguous command:  "{s.flags.get("line", "")}"'
        return super().error(s, kind, column)

    def dispatch(self, s: CliSession, line: str, indent: int = 0) -> Result:
        s.flags["line"] = line
        return super().dispatch(s, line, indent)

    def interrupt(self, s: CliSession) -> Reply:
        if s.in_config:
            s.reset_to("enable")
        return Reply()

    # ----------------------------------------------------------------- command table
    def commands(self) -> Sequence[Command]:
        return [
            Command("enable", EXEC, self._enable),
            Command("disable", ENABLE, lambda s, a: self._leave(s, "user")),
            Command("exit", frozenset({"user", "enable", "system", "section"}), self._exit),
            Command("logout", EXEC, lambda s, a: Reply(prompt=False, close=True)),
            Command("end", CONFIG, lambda s, a: self._leave(s, "enable")),
            Command("do <command...>", CONFIG, self._do),
            Command("terminal length <n>", EXEC, lambda s, a: ""),
            Command("terminal width <n>", EXEC, lambda s, a: ""),
            Command("configure terminal", ENABLE, self._configure),
            Command("configure replace <args...>", ENABLE, lambda s, a: self.replace(s, a["args"].split())),
            Command("write", ENABLE, lambda s, a: self.save_startup(s)),
            Command("write memory", ENABLE, lambda s, a: self.save_startup(s)),
            Command("copy <source> <target>", ENABLE, lambda s, a: self.copy(s, a["source"], a["target"])),
            Command("dir", ENABLE, lambda s, a: self.dir(s, "")),
            Command("dir <path>", ENABLE, lambda s, a: self.dir(s, a["path"])),
            Command("verify /md5 <path>", ENABLE, lambda s, a: self.verify_md5(s, a["path"])),
            Command("more <path>", ENABLE, lambda s, a: self.more(s, a["path"])),
            Command("delete <args...>", ENABLE, lambda s, a: self.delete(s, a["args"].split())),
            Command("ping <args...>", EXEC, lambda s, a: self.render_ping(s, a["args"].split())),
            Command("show version", EXEC, lambda s, a: self.render_version(s)),
            Command("show clock", EXEC, lambda s, a: clock(fmt="*%H:%M:%S.000 UTC %a %b %d %Y")),
            Command(
                "show running-config", ENABLE, lambda s, a: self.render_config(s.device, s.device.running)
            ),
            Command("show startup-config", ENABLE, lambda s, a: self.render_startup(s)),
            Command("show interfaces", EXEC, lambda s, a: self.render_interfaces(s, None)),
            Command(
                "show interfaces <name...>",
                EXEC,
                lambda s, a: self.render_interfaces(s, self.interface_name(s, a["name"], 2)),
            ),
            Command("show ip interface", EXEC, lambda s, a: self.render_ip(s)),
            Command("show ip interface brief", EXEC, lambda s, a: self.render_ip_brief(s)),
            Command("show ipv6 interface", EXEC, lambda s, a: self.render_ipv6(s)),
            Command("show ipv6 interface brief", EXEC, lambda s, a: self.render_ipv6_brief(s)),
            Command("show lldp neighbors", EXEC, lambda s, a: self.render_lldp(s)),
            Command("show lldp neighbors detail", EXEC, lambda s, a: self.render_lldp_detail(s)),
            Command("show hosts", EXEC, lambda s, a: self.render_hosts(s)),
            Command("show archive", ENABLE, lambda s, a: self.archive(s)),
            Command(
                "show archive config rollback timer",
                ENABLE,
                lambda s, a: "%No Rollback Confirmed Change pending",
            ),
            Command(
                "show archive config incremental-diffs <args...>",
                ENABLE,
                lambda s, a: self.incremental_diffs(s, a["args"].split()[0]),
            ),
            Command(
                "show archive config differences <args...>",
                ENABLE,
                lambda s, a: self.differences(s, a["args"].split()),
            ),
        ]

    def _enable(self, s: CliSession, args: dict[str, str]) -> Result:
        if s.view.kind == "enable":
            return ""
        secret = s.flags.get("secret")

        def answer(line: str) -> Result:
            if secret is not None and line != secret:
                return "% Access denied"
            s.push(View("enable"))
            return Reply()

        return Question("Password: ", answer, echo=False)

    def _leave(self, s: CliSession, kind: str) -> Result:
        """``end`` (back to ``#``) and ``disable`` (back to ``>``)."""
        s.reset_to(kind)
        return ""

    def _exit(self, s: CliSession, args: dict[str, str]) -> Result:
        if s.view.kind in ("user", "enable"):
            return Reply(prompt=False, close=True)
        s.pop()
        return ""

    def _do(self, s: CliSession, args: dict[str, str]) -> Result:
        views, s.views = s.views, [View("enable")]
        try:
            return self.dispatch(s, args["command"])
        finally:
            s.views = views

    def _configure(self, s: CliSession, args: dict[str, str]) -> Result:
        s.push(View("system"))
        return "Enter configuration commands, one per line.  End with CNTL/Z."

    def check_line(self, s: CliSession, words: list[str]) -> None:
        super().check_line(s, words)
        if words[:2] == ["ip", "address"] and len(words) >= 4 and words[3].isdigit():
            raise CommandError("wrong", 3)

    # ----------------------------------------------------------------- configuration text
    def separator(self) -> str:
        return "!"

    def body(self, device: LabDevice, tree: ConfigNode) -> list[str]:
        changed = clock(config_changed_at(device, device.running), "%H:%M:%S UTC %a %b %d %Y")
        lines = ["!", f"! Last configuration change at {changed}", "!"]
        previous: tuple[str, bool] | None = None
        for node in tree.children:
            section = bool(node.children) or any(r.pattern.match(node.text) for r in self.section_rules)
            first = node.text.split()[0]
            if previous is not None and (section or previous[1] or previous[0] != first):
                lines.append("!")
            lines.append(node.text)
            lines.extend(confedit.printed(node, self.rules, 1))
            previous = (first, section)
        return [*lines, "!", "end"]

    def render_tree(self, device: LabDevice, tree: ConfigNode) -> str:
        body = "\n".join(self.body(device, tree))
        size = len(body.encode()) + 1
        return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{body}"

    def render_startup(self, s: CliSession) -> str:
        body = "\n".join(self.body(s.device, s.device.saved))
        return f"Using {len(body.encode()) + 1} out of 262144 bytes\n{body}"

    def render_file(self, s: CliSession, tree: ConfigNode) -> str:
        return "\n".join(self.body(s.device, tree))

    def parse_config_text(self, text: str) -> ConfigNode:
        kept = [
            line
            for line in text.splitlines()
            if not line.startswith(self.config_headers) and line.strip() != self.config_trailer
        ]
        tree = confedit.number_entries(parse_blocks("\n".join(kept), "!"), self.rules)
        return confedit.canonical(tree, self.rules)

    # ----------------------------------------------------------------- base configuration
    def base_config(self, spec: DeviceSpec) -> ConfigNode:
        ports = baseconf.plan(spec, baseconf.mgmt_interface(spec, "Loopback0"))
        user = baseconf.local_user(spec)
        major = ".".join(self.os_version(spec).split("(")[0].split(".")[:2])
        domain = spec.extra.get("domain", "egov.local")
        root = ConfigNode()
        add = root.ensure
        for line in (
            f"version {major}",
            "service timestamps debug datetime msec",
            "service timestamps log datetime msec",
            "no service password-encryption",
            f"hostname {spec.name}",
            "boot-start-marker",
            "boot-end-marker",
            f"enable secret 5 {cipher(user + '-enable', '$1$')}",
            "no aaa new-model",
            f"ip domain name {domain}",
            "ip scp server enable",
        ):
            add(line)
        if baseconf.has_ipv6(ports):
            add("ipv6 unicast-routing")
        add(f"username {user} secret 5 {cipher(user, '$1$')}")  # privilege 1: `enable` is needed
        for item in sorted(ports, key=lambda p: not p.physical):
            section = add(f"interface {item.name}")
            if item.description:
                section.ensure(f"description {item.description}")
            for v4 in item.ipv4:
                section.ensure(f"ip address {v4_words(v4)}" + (" secondary" if v4 != item.ipv4[0] else ""))
            for v6 in item.ipv6:
                section.ensure(f"ipv6 address {v6.with_prefixlen.upper()}")
            if item.physical and not item.cabled and not item.routed:
                section.ensure("shutdown")
            if item.physical:
                section.ensure("negotiation auto")
        for line in (
            "ip forward-protocol nd",
            "no ip http server",
            "no ip http secure-server",
            "ip ssh version 2",
            f"snmp-server community {baseconf.snmp_community(spec)} RO",
        ):
            add(line)
        if spec.location:
            add(f"snmp-server location {spec.location}")
        if baseconf.snmp_contact(spec):
            add(f"snmp-server contact {baseconf.snmp_contact(spec)}")
        add("lldp run")
        add("control-plane")
        add("line con 0").ensure("stopbits 1")
        vty = add("line vty 0 4")
        vty.ensure("login local")
        vty.ensure("transport input ssh")
        return self.ordered(root, spec)
