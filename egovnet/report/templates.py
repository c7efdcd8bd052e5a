"""How egovnet's HTML pages load their Jinja templates: one environment per template directory.

Pages are escaped by default (inventories, configurations and packets supply their text) and fail on
an undefined name rather than render an empty cell (StrictUndefined), so a renamed record field
breaks a test instead of silently blanking a column. Used by the dashboard and the audit report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jinja2


@cache
def page_template(directory: Path, name: str) -> jinja2.Template:
    """Template ``name`` of ``directory``, compiled once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name)


def when(epoch: float | None) -> str:
    """A record's time as the NOC reads it (UTC; ``—`` for none)."""
    if epoch is None:
        return "—"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
