"""``egovnet render HOST``: print a device's intended configuration (what it should print).

Keys and password hashes are shown as ``******`` unless ``--show-secrets`` is given, because the
output ends up in terminals, tickets and CI logs; the configuration pushed to devices is rendered by
the engine itself, never from this output.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from egovnet.cli.common import err_console, open_inventory
from egovnet.render import Renderer, RenderError


def command(
    host: Annotated[str, typer.Argument(help="Inventory host to render.")],
    inventory: Annotated[
        str | None, typer.Option("-i", "--inventory", help="Inventory directory (default: ansible.cfg's).")
    ] = None,
    capability: Annotated[
        str | None,
        typer.Option("--capability", help="Render one capability only (base, interfaces, ipv6, ...)."),
    ] = None,
    ipv6: Annotated[
        bool | None,
        typer.Option("--ipv6/--no-ipv6", help="Override the host's egovnet_ipv6 (preview a migration wave)."),
    ] = None,
    show_secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Print keys and password hashes instead of ******.")
    ] = False,
) -> None:
    """Render the intended configuration of HOST from its templates and the inventory."""
    model = open_inventory(inventory)
    overrides: dict[str, Any] = {} if ipv6 is None else {"egovnet_ipv6": ipv6}
    try:
        text = Renderer(model).render(host, overrides, capability, redact=not show_secrets)
    except RenderError as error:
        err_console.print(f"[bold red]render failed[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    typer.echo(text, nl=False)
