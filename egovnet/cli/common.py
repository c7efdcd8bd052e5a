"""Helpers every CLI command shares: where the inventory is, and how problems are printed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from egovnet.inventory import Inventory, InventoryError, load_inventory

# Tables are read in logs and CI output too: never crop them to 80 columns when not on a terminal.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200"))
console = Console(soft_wrap=True, width=_WIDTH)
err_console = Console(stderr=True, soft_wrap=True, width=_WIDTH)

DEFAULT_INVENTORY = "inventories/qimen"


def default_inventory() -> str:
    """``$EGOVNET_INVENTORY``, else the inventory ansible.cfg names, else ``inventories/qimen``."""
    env = os.environ.get("EGOVNET_INVENTORY")
    if env:
        return env
    cfg = Path("ansible.cfg")
    if cfg.is_file():
        for line in cfg.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "inventory" and value.strip():
                return value.strip()
    return DEFAULT_INVENTORY


def fail_with_issues(error: InventoryError, as_json: bool = False) -> NoReturn:
    """Print every inventory issue (file, key, reason) and exit with status 2."""
    if as_json:
        payload = {"valid": False, "errors": [issue.__dict__ for issue in error.issues]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        err_console.print(f"[bold red]{len(error.issues)} inventory error(s)[/]")
        for issue in error.issues:
            err_console.print(
                f"[cyan]{issue.file}[/]: [yellow]{issue.key}[/]: {issue.reason}", highlight=False
            )
    raise typer.Exit(2)


def open_inventory(path: str | None, as_json: bool = False) -> Inventory:
    """Load the inventory or exit 2 with every problem listed."""
    try:
        return load_inventory(path or default_inventory())
    except InventoryError as error:
        fail_with_issues(error, as_json)


def print_json(data: Any) -> None:
    """Machine output: JSON on stdout, UTF-8 kept readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
