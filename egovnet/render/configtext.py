"""Assemble capability fragments into the configuration text the device itself would print.

Each capability template renders a fragment in a normal form (top-level commands at column 0, one
space per nesting level, no separators). A device interleaves capabilities when it prints (the IPv6
address sits inside the interface that ``interfaces.j2`` created, the VTY ACL inside the line that
``base.j2`` opened), so fragments are parsed into one tree, merged section by section, ordered by
the dialect's print order and printed with the dialect's separators, global indentation and trailer.
The result is what ``display current-configuration`` / ``show running-config`` shows, which is what
the intended configuration is diffed against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from egovnet.render.dialect import Dialect, child_weight


@dataclass
class Node:
    """One configuration line and its sub-commands."""

    text: str
    children: list[Node] = field(default_factory=list)
    _index: dict[str, Node] = field(default_factory=dict, repr=False)

    def child(self, text: str) -> Node:
        """The child ``text``, created at the end when absent (merging keeps first occurrence order)."""
        found = self._index.get(text)
        if found is None:
            found = Node(text)
            self.children.append(found)
            self._index[text] = found
        return found

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Node]]:
        for node in self.children:
            yield depth, node
            yield from node.walk(depth + 1)


def parse_fragment(text: str, separators: Iterable[str] = ("#", "!")) -> Node:
    """Parse a normal-form fragment; separator and blank lines are ignored, indentation nests."""
    marks = tuple(separators)
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip(" ")
        if not stripped or stripped in marks:
            continue
        indent = len(line) - len(stripped)
        while stack[-1][0] >= indent:
            stack.pop()
        node = stack[-1][1].child(stripped)
        stack.append((indent, node))
    return root


def merge(into: Node, other: Node) -> None:
    """Merge ``other``'s lines into ``into``: same line, same place; new lines appended."""
    for node in other.children:
        merge(into.child(node.text), node)


def order(root: Node, dialect: Dialect) -> None:
    """Sort top-level lines and section children into the dialect's print order (stable)."""
    root.children.sort(key=lambda node: dialect.top_weight(node.text))
    for node in root.children:
        _order_children(node, dialect)


def _order_children(node: Node, dialect: Dialect) -> None:
    weights = dialect.child_weights(node.text)
    if weights is not None:
        node.children.sort(key=lambda child: child_weight(weights, child.text))
    for child in node.children:
        _order_children(child, dialect)


def dump(root: Node, dialect: Dialect) -> str:
    """Print the tree as the device does: separators between blocks, trailer line at the end."""
    lines: list[str] = []
    previous: Node | None = None
    for node in root.children:
        if previous is None or _separated(previous, node, dialect):
            lines.append(dialect.separator)
        lines.append(("" if node.children else dialect.global_indent) + node.text)
        lines.extend(" " * (depth + 1) + child.text for depth, child in node.walk())
        previous = node
    lines += [dialect.separator, dialect.footer]
    return "\n".join(lines) + "\n"


def _separated(previous: Node, node: Node, dialect: Dialect) -> bool:
    """A separator opens every section and every change of first keyword among global commands."""
    if node.children or previous.children:
        return not (node.children and previous.children and dialect.joins(previous.text, node.text))
    return previous.text.split()[0] != node.text.split()[0]


def assemble(fragments: Iterable[str], dialect: Dialect) -> str:
    """Merge rendered capability fragments into one ordered, device-printed configuration."""
    root = Node("")
    for fragment in fragments:
        merge(root, parse_fragment(fragment))
    order(root, dialect)
    return dump(root, dialect)
