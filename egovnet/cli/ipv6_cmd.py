"""``egovnet ipv6 plan | status | websites``: the dual-stack migration."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egovnet.cli.common import console, open_inventory, print_json
from egovnet.inventory.select import select_hosts
from egovnet.ipv6.plan import address_plan
from egovnet.ipv6.status import migration_status, save_status, status_record
from egovnet.ipv6.websites import WebsiteChecker, resolver_for

app = typer.Typer(
    help="IPv6 dual-stack migration: address plan, status read from devices, website checks.",
    no_args_is_help=True,
)
InventoryOpt = Annotated[
    str | None, typer.Option("-i", "--inventory", help="Inventory (the lab overlay for the twin).")
]
Limit = Annotated[str | None, typer.Option("--limit", "-l", help="Ansible-style host pattern.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
StateDir = Annotated[
    Path, typer.Option("--state-dir", envvar="EGOVNET_STATE_DIR", help="Where ipv6/status.json is kept.")
]


@app.command("plan")
def plan(inventory: InventoryOpt = None, limit: Limit = None, as_json: Json = False) -> None:
    """Print the IPv6 address plan derived from the county prefix (sites, loopbacks, links)."""
    inv = open_inventory(inventory)
    names = set(select_hosts(inv, limit)) if limit else None
    data = address_plan(inv, names)
    if as_json:
        print_json(data)
        return
    console.print(f"county prefix {data['county_prefix']}")
    sites = Table("site", "名称", "level", "prefix", "LAN /64", title="sites", title_justify="left")
    for row in data["sites"]:
        sites.add_row(row["site"], row["name_zh"], row["level"], row["prefix"], row["lan"])
    console.print(sites)
    links = Table("end a", "IPv6 a", "end b", "IPv6 b", "role", title="links", title_justify="left")
    for row in data["links"]:
        links.add_row(row["a"], row["a_ipv6"], row["b"], row["b_ipv6"], row["role"])
    console.print(links)


@app.command("status")
def status(
    inventory: InventoryOpt = None,
    limit: Limit = None,
    workers: int = 20,
    as_json: Json = False,
    state_dir: StateDir = Path("var"),
) -> None:
    """Per site: not started / partial / dual-stack / verified, read from the devices; kept for the report."""
    inv = open_inventory(inventory)
    records = migration_status(inv, select_hosts(inv, limit), workers)
    record = status_record(records, limit)
    save_status(state_dir, record)
    sites: dict[str, str] = record["sites"]
    if as_json:
        print_json(record)
        return
    table = Table("site", "名称", "state", "devices", title="IPv6 migration", title_justify="left")
    for site, state in sites.items():
        members = [r for r in records if r.site == site]
        table.add_row(
            site, inv.sites[site].name_zh, state, ", ".join(f"{r.device}:{r.state}" for r in members)
        )
    console.print(table)
    console.print(dict(Counter(sites.values())))
    raise typer.Exit(1 if any(r.state == "unreachable" for r in records) else 0)


@app.command("websites")
def websites(
    inventory: InventoryOpt = None,
    nameserver: Annotated[
        str | None, typer.Option(help="Resolver address[:port] (default: the system's).")
    ] = None,
    https_port: Annotated[int, typer.Option(help="HTTPS port of the sites.")] = 443,
    cafile: Annotated[str | None, typer.Option(help="Extra CA bundle (a private CA).")] = None,
    max_links: Annotated[int, typer.Option(help="Linked pages checked per level.")] = 10,
    as_json: Json = False,
) -> None:
    """Check every government website: AAAA, TCP 443 and HTTP 200 over IPv6, and links two levels down."""
    inv = open_inventory(inventory)
    checker = WebsiteChecker(
        resolver_for(nameserver), https_port=https_port, cafile=cafile, max_links=max_links
    )
    sites = [(w.name, w.url, w.owner) for w in sorted(inv.websites.values(), key=lambda w: w.name)]
    results = checker.check_all(sites)
    if as_json:
        print_json([r.to_dict() for r in results])
    else:
        table = Table("site", "url", "AAAA", "TCP", "HTTP", "level 2", "level 3", "verdict")
        for r in results:
            share = [r.links_ok_share(level) for level in (2, 3)]
            table.add_row(
                r.name,
                r.url,
                ",".join(r.home.aaaa) or "-",
                "yes" if r.home.tcp else "no",
                str(r.home.status or "-"),
                *("-" if s is None else f"{s:.0%}" for s in share),
                "[green]pass[/]" if r.ok else f"[red]fail[/] {r.home.error or ''}",
            )
        console.print(table)
        console.print(f"{sum(r.ok for r in results)} of {len(results)} websites support IPv6")
    raise typer.Exit(0 if all(r.ok for r in results) else 1)
