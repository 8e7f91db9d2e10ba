"""The nodes kublint composes YAML into, and the values it cannot read: shared by the composer, the path
index and construction."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 200  # deeper nesting is not configuration; it is rejected while composing

TAG = "tag:yaml.org,2002:"
STR = TAG + "str"
MERGE = TAG + "merge"


class Node:
    """A composed YAML node. ``start``/``end`` are character offsets into the source text (libyaml counts
    code points, so they index the decoded text directly, whatever its line breaks)."""

    __slots__ = ("end", "id", "start", "style", "tag", "value")

    id: str  # "scalar", "sequence" or "mapping"
    tag: str | None  # the explicit tag, or None for an untagged node
    value: Any  # str; list[Node]; list[tuple[Node, Node]]
    start: int
    end: int
    style: str | None  # a scalar's style: "" plain, "'", '"', "|", ">"; None for collections

    def __init__(self, id: str, tag: str | None, value: Any, start: int, end: int, style: str | None) -> None:
        self.id = id
        self.tag = tag
        self.value = value
        self.start = start
        self.end = end
        self.style = style

class Opaque:
    """A value under a tag kublint does not know (``!vault |``, ``!Ref x``): what it stands for is decided
    elsewhere (a vault, a template engine), so rules must not read it as the literal it wraps."""

    __slots__ = ("tag", "text")

    def __init__(self, tag: str, text: str) -> None:
        self.tag = tag
        self.text = text

    def __repr__(self) -> str:
        return f"Opaque({self.tag!r})"

    def __str__(self) -> str:
        return f"{self.tag} ..."

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and other.tag == self.tag and other.text == self.text

    def __hash__(self) -> int:
        return hash((self.tag, self.text))


def is_merge_key(node: Node) -> bool:
    return node.id == "scalar" and (
        node.tag == MERGE or (node.tag is None and node.style == "" and node.value == "<<")
    )

def merged_mappings(values: list[Node]) -> list[Node]:
    out: list[Node] = []
    for v in values:
        if v.id == "mapping":
            out.append(v)
        elif v.id == "sequence":
            out.extend(item for item in v.value if item.id == "mapping")
    return out
