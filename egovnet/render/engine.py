"""Render a device's intended configuration: context once, one template per capability, assembled.

Jinja runs with ``StrictUndefined`` so a missing variable can never render as an empty string and
silently drop a command; the error is re-raised as :class:`RenderError` naming the host, the
variable and the template file and line. Every rendered fragment is checked for control characters
before it is parsed (values are validated by the inventory, but overrides and templates are not), so
no value can smuggle an extra command line into a device.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from egovnet.inventory import Inventory
from egovnet.platforms import PLATFORMS
from egovnet.render.configtext import assemble
from egovnet.render.context import RenderContext, build_context
from egovnet.render.dialect import Dialect, InterfaceNames, load_dialect, templates_root
from egovnet.render.errors import RenderError
from egovnet.render.topology import Topology

#: Characters that must never reach a device: C0/C1 controls (except the line feed), DEL, U+2028/9.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_UNDEFINED = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def _v6(value: ipaddress.IPv6Interface | ipaddress.IPv6Address | ipaddress.IPv6Network) -> str:
    """IPv6 as the devices print it: compressed, upper case."""
    return str(value).upper()


def _mask(value: ipaddress.IPv4Interface | ipaddress.IPv4Network) -> str:
    return str(value.netmask)


def _wildcard(value: ipaddress.IPv4Interface | ipaddress.IPv4Network) -> str:
    return str(value.hostmask)


def _acl_wildcard(value: ipaddress.IPv4Network) -> str:
    """ACL rules print a host's all-zero wildcard as ``0`` on VRP and Comware."""
    return "0" if value.prefixlen == 32 else str(value.hostmask)


@cache
def _environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # device configuration text, not HTML
    )
    env.filters.update(v6=_v6, mask=_mask, wildcard=_wildcard, acl_wildcard=_acl_wildcard)
    return env


def capabilities(platform: str, templates: str | Path | None = None) -> tuple[str, ...]:
    """The capability templates of a platform, in rendering order."""
    return load_dialect(templates_root(templates), platform).capabilities


def applicable(ctx: RenderContext, capability: str) -> bool:
    """Whether a capability applies to the device (IPv6 per migration wave, 5G where a CPE hangs)."""
    if capability == "ipv6":
        return ctx.settings.ipv6
    if capability == "wireless_5g":
        return ctx.device.role in ("wlc", "access") and any(p.fiveg and p.routed for p in ctx.ports)
    return True


class Renderer:
    """Renders devices of one inventory, sharing its topology indexes across devices."""

    def __init__(self, inventory: Inventory, templates: str | Path | None = None) -> None:
        self.inventory = inventory
        self.root = templates_root(templates)
        self.env = _environment(self.root)
        self.topology = Topology(inventory, self._names)

    def _names(self, platform: str) -> InterfaceNames:
        """A platform's interface names (a peer without templates gets VRP's, only for descriptions)."""
        if (self.root / platform / "dialect.yml").is_file():
            return load_dialect(self.root, platform).names
        return InterfaceNames(loopback="LoopBack0", vlan_interface="Vlanif", aggregate="Eth-Trunk")

    def dialect(self, host: str) -> Dialect:
        device = self.inventory.devices.get(host)
        if device is None:
            raise RenderError(host, "no such device in the inventory")
        known = PLATFORMS.get(device.platform)
        if known is None or known.dialect is None:
            raise RenderError(host, f"platform {device.platform} has no CLI dialect; nothing to render")
        try:
            return load_dialect(self.root, device.platform)
        except FileNotFoundError as error:
            raise RenderError(host, str(error)) from None

    def context(self, host: str, overrides: dict[str, Any] | None = None) -> RenderContext:
        dialect = self.dialect(host)
        device = self.inventory.devices[host]
        hostvars = {**device.vars, **(overrides or {})}
        return build_context(self.topology, dialect, device, hostvars)

    def render(
        self,
        host: str,
        overrides: dict[str, Any] | None = None,
        capability: str | None = None,
        *,
        redact: bool = False,
    ) -> str:
        """The device's intended configuration (or one capability's part of it).

        ``redact`` hides the keys and hashes for display; never push a redacted config.
        """
        ctx = self.context(host, overrides)
        names = ctx.dialect.capabilities
        if capability is not None:
            if capability not in names:
                raise RenderError(host, f"unknown capability {capability!r} (known: {', '.join(names)})")
            if not applicable(ctx, capability):
                raise RenderError(host, f"capability {capability!r} does not apply to this device")
            names = (capability,)
        variables = ctx.as_jinja()
        fragments = [self._fragment(ctx, name, variables) for name in names if applicable(ctx, name)]
        text = assemble(fragments, ctx.dialect)
        return ctx.secret.redact(text) if redact else text

    def _fragment(self, ctx: RenderContext, capability: str, variables: dict[str, Any]) -> str:
        name = f"{ctx.device.platform}/{capability}.j2"
        try:
            text = self.env.get_template(name).render(variables)
        except jinja2.UndefinedError as error:
            raise RenderError(ctx.host, _undefined(error, name)) from None
        except jinja2.TemplateNotFound:
            raise RenderError(ctx.host, f"template {name} is missing") from None
        except jinja2.TemplateError as error:
            raise RenderError(ctx.host, f"{name}: {error}") from None
        _refuse_control(ctx.host, name, text)
        return text


def _undefined(error: jinja2.UndefinedError, template: str) -> str:
    """Name the variable and where the template used it, instead of a Jinja traceback."""
    match = _UNDEFINED.search(error.message or "")
    variable = next((g for g in match.groups() if g), "?") if match else "?"
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(template):
            line = tb.tb_lineno
        tb = tb.tb_next
    where = f"{template} line {line}" if line else template
    return f"variable '{variable}' is undefined ({where}: {error.message})"


def _refuse_control(host: str, template: str, text: str) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        found = _CONTROL.search(line)
        if found:
            command = line[: found.start()].strip().split(" ")[0] or "?"
            raise RenderError(
                host,
                f"{template}: rendered line {number} ({command} ...) contains control character "
                f"{found.group()!r}; refusing to produce a config that would inject CLI input",
            )


def render(
    inventory: Inventory,
    device_name: str,
    overrides: dict[str, Any] | None = None,
    *,
    capability: str | None = None,
    templates: str | Path | None = None,
) -> str:
    """Render one device's intended configuration (see :class:`Renderer`)."""
    return Renderer(inventory, templates).render(device_name, overrides, capability)


def render_all(
    inventory: Inventory, names: Iterable[str] | None = None, *, templates: str | Path | None = None
) -> dict[str, str]:
    """Render many devices (default: every device whose platform has a CLI dialect)."""
    renderer = Renderer(inventory, templates)
    if names is None:
        names = [n for n, d in sorted(inventory.devices.items()) if PLATFORMS[d.platform].dialect]
    return {name: renderer.render(name) for name in names}
