"""An ordered, indented configuration tree shared by every simulated dialect.

VRP, Comware and IOS all print their running configuration as top-level commands with indented
children (one space per level) and a separator line (``#`` or ``!``) between sections. The twin keeps
the running, saved and candidate configurations as trees of this one kind, so that config commands
(including ``undo``/``no`` negation) edit a tree and ``display current-configuration`` renders it back.
Rendering details (separators, header and trailer lines) belong to each dialect; this module only
knows about lines and their nesting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class ConfigNode:
    """One configuration line and the lines nested under it.

    Attributes:
        text: the command text, without indentation (``""`` for the root).
        children: nested lines in device order.
    """

    text: str = ""
    children: list[ConfigNode] = field(default_factory=list)

    def child(self, text: str) -> ConfigNode | None:
        """Return the child whose text is exactly ``text``."""
        for node in self.children:
            if node.text == text:
                return node
        return None

    def children_starting(self, prefix: str) -> list[ConfigNode]:
        """Children whose text starts with ``prefix`` (for example every ``interface ``)."""
        return [node for node in self.children if node.text.startswith(prefix)]

    def ensure(self, text: str) -> ConfigNode:
        """Return the child ``text``, appending it first when it is absent."""
        found = self.child(text)
        if found is None:
            found = ConfigNode(text)
            self.children.append(found)
        return found

    def remove(self, text: str) -> bool:
        """Remove the child ``text``; report whether it existed."""
        for index, node in enumerate(self.children):
            if node.text == text:
                del self.children[index]
                return True
        return False

    def remove_where(self, predicate: Callable[[ConfigNode], bool]) -> int:
        """Remove every child matching ``predicate``; return how many were removed."""
        before = len(self.children)
        self.children = [node for node in self.children if not predicate(node)]
        return before - len(self.children)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, ConfigNode]]:
        """Yield ``(depth, node)`` for every descendant, depth first, in order."""
        for node in self.children:
            yield depth, node
            yield from node.walk(depth + 1)

    def copy(self) -> ConfigNode:
        """A deep copy (candidate configurations start as copies of running)."""
        return ConfigNode(self.text, [node.copy() for node in self.children])

    def lines(self, indent: str = " ") -> list[str]:
        """The tree as indented lines, without any separators."""
        return [indent * depth + node.text for depth, node in self.walk()]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConfigNode):
            return NotImplemented
        return self.text == other.text and self.children == other.children

    __hash__ = None  # type: ignore[assignment]


def parse_config(text: str, comment_prefixes: Iterable[str] = ("#", "!")) -> ConfigNode:
    """Parse indented configuration text into a tree.

    Separator and comment lines (``#``, ``!``) and blank lines are dropped; indentation decides nesting,
    so the function serves every dialect. A line indented deeper than its predecessor becomes that
    predecessor's child, as on the devices themselves.
    """
    prefixes = tuple(comment_prefixes)
    root = ConfigNode()
    stack: list[tuple[int, ConfigNode]] = [(-1, root)]
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip()
        if not stripped or stripped.startswith(prefixes):
            continue
        indent = len(line) - len(stripped)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else root
        node = ConfigNode(stripped)
        parent.children.append(node)
        stack.append((indent, node))
    return root
