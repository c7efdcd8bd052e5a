"""Inventory problems as records: every one names the file, the key path inside it and the reason.

The loader and the validators never stop at the first problem; they collect :class:`InventoryIssue`
records so that an engineer fixes a broken inventory in one pass, and the CLI prints them all and
exits with status 2 instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class InventoryIssue:
    """One thing wrong with the inventory.

    Attributes:
        file: path of the file the value came from (relative to the inventory directory when inside it).
        key: dotted key path inside that file (``all.children.county...hosts.qm-core-01.platform``);
            list items as ``uplinks[0]``.
        reason: what is wrong, in words a network engineer would use.
    """

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.reason}"


class InventoryError(Exception):
    """Raised with every issue found when an inventory cannot be loaded or does not validate."""

    def __init__(self, issues: list[InventoryIssue]) -> None:
        self.issues = sorted(set(issues))
        super().__init__(f"{len(self.issues)} inventory error(s):\n" + "\n".join(map(str, self.issues)))
