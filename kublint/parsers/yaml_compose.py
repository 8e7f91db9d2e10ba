"""Compose libyaml's event stream into nodes, iteratively and with bounded cost.

Three limits keep hostile input cheap: nesting deeper than ``MAX_DEPTH``; an alias to a collection that is
still open (a recursive structure, which no JSON document, and so no Kubernetes object, can be); and alias
expansion past the ratio that Kubernetes' own YAML reader allows. That reader (go-yaml, since the "billion
laughs" fix for CVE-2019-11253) refuses a document once more than 100 aliases and 1,000 nodes are decoded
and the share of nodes decoded through aliases exceeds 99% up to 400,000 nodes, falling to 10% at
4,000,000. kublint never expands aliases itself, but schema checks and rules walk values, so a document
Kubernetes would refuse is refused here too, at its largest alias.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kublint.parsers.yaml_nodes import MAX_DEPTH, Node

_RATIO_LOW, _RATIO_HIGH = 400_000, 4_000_000


class ComposeError(NamedTuple):
    message: str
    offset: int  # character offset of the mistake


class Composed(NamedTuple):
    root: Node | None  # None for an empty document or one with an error
    error: ComposeError | None


class Stream(NamedTuple):
    documents: list[Composed]
    error: Exception | None  # a syntax error from libyaml ends the stream; the documents before it stay


_events: Any = None


def _event_classes() -> Any:
    global _events
    if _events is None:
        import yaml.events as ev

        _events = ev
    return _events


def _parser(text: str) -> Any:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml: its pure parser reads the same grammar, slower
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class _PureParser(Reader, Scanner, Parser):  # type: ignore[misc]
            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

        return _PureParser(text)
    return CParser(text)


def compose_stream(text: str) -> Stream:
    ev = _event_classes()
    documents: list[Composed] = []
    try:
        get = _parser(text).get_event
        get()  # StreamStartEvent
        end = ev.StreamEndEvent
        while type(get()) is not end:  # a DocumentStartEvent
            documents.append(_document(get, ev))
    except _TooDeep as deep:
        documents.append(Composed(None, deep.error))
    except Exception as exc:  # yaml.YAMLError, and whatever the C reader raises on text it cannot encode
        return Stream(documents, exc)
    return Stream(documents, None)


def _document(get: Any, ev: Any) -> Composed:
    scalar_t, alias_t = ev.ScalarEvent, ev.AliasEvent
    seq_start, map_start = ev.SequenceStartEvent, ev.MappingStartEvent
    seq_end, map_end = ev.SequenceEndEvent, ev.MappingEndEvent
    stack: list[Node] = []  # open collections
    pending: list[Node | None] = []  # per open mapping: a key waiting for its value
    open_ids: set[int] = set()
    anchors: dict[str, Node] = {}
    aliases: list[tuple[int, str, Node, Node]] = []  # (offset, name, target, parent) of each alias
    root: Node | None = None
    while True:
        e = get()
        t = type(e)
        if t is scalar_t:
            node = Node("scalar", e.tag, e.value, e.start_mark.index, e.end_mark.index, e.style)
            if e.anchor is not None:
                anchors[e.anchor] = node
        elif t is map_start or t is seq_start:
            node = Node(
                "mapping" if t is map_start else "sequence", e.tag, [], e.start_mark.index, 0, None
            )
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(ComposeError(f"YAML nesting deeper than {MAX_DEPTH} levels", node.start))
            if e.anchor is not None:
                anchors[e.anchor] = node
            stack.append(node)
            pending.append(None)
            open_ids.add(id(node))
            continue
        elif t is map_end or t is seq_end:
            node = stack.pop()
            pending.pop()
            open_ids.discard(id(node))
            node.end = e.end_mark.index
        elif t is alias_t:
            offset = e.start_mark.index
            target = anchors.get(e.anchor)
            if target is None:
                return _fail(get, ev, f"YAML syntax error: found undefined alias *{e.anchor}", offset)
            if id(target) in open_ids:
                return _fail(
                    get, ev, f"alias *{e.anchor} is inside the collection it names (a recursive structure, "
                    "which no Kubernetes object can be)", offset,
                )
            node = target
            if stack:
                aliases.append((offset, e.anchor, target, stack[-1]))
        else:  # DocumentEndEvent
            break
        if not stack:
            root = node
            continue
        top = stack[-1]
        if top.id == "sequence":
            top.value.append(node)
        else:
            key = pending[-1]
            if key is None:
                pending[-1] = node
            else:
                top.value.append((key, node))
                pending[-1] = None
    if root is not None and aliases:
        message = _expansion(root, aliases)
        if message is not None:
            return Composed(None, ComposeError(message[0], message[1]))
    return Composed(root, None)


class _TooDeep(Exception):
    """Nesting past MAX_DEPTH ends the file: libyaml's scanner checks every open flow level on each token,
    so reading on through 100,000 ``[`` would take minutes."""

    def __init__(self, error: ComposeError) -> None:
        super().__init__(error.message)
        self.error = error


def _fail(get: Any, ev: Any, message: str, offset: int) -> Composed:
    """Skip the rest of the document (libyaml still checks its syntax), keeping the stream readable."""
    end = ev.DocumentEndEvent
    while type(get()) is not end:
        pass
    return Composed(None, ComposeError(message, offset))


def _expansion(root: Node, aliases: list[tuple[int, str, Node, Node]]) -> tuple[str, int] | None:
    """go-yaml's limit, counted without expanding: for every subtree, the nodes it expands to and how many
    of them are decoded through an alias, memoised on the shared nodes (the structure is acyclic:
    recursive aliases were refused while composing)."""
    targets: dict[int, list[Node]] = {}
    for _, _, target, parent in aliases:
        targets.setdefault(id(parent), []).append(target)
    sizes: dict[int, tuple[int, int]] = {}

    def measure(node: Node) -> tuple[int, int]:  # depth is at most MAX_DEPTH: recursion is safe here
        known = sizes.get(id(node))
        if known is not None:
            return known
        children: list[Node] = []
        if node.id == "sequence":
            children = node.value
        elif node.id == "mapping":
            children = [n for pair in node.value for n in pair]
        nodes, via = 1, 0
        for child in children:
            n, v = measure(child)
            nodes, via = nodes + n, via + v
        for target in targets.get(id(node), ()):  # an alias child: all of its nodes come through the alias
            n, v = measure(target)
            via += n - v
        sizes[id(node)] = (nodes, via)
        return nodes, via

    total, via = measure(root)
    if via <= 100 or total <= 1000:
        return None
    if total <= _RATIO_LOW:
        allowed = 0.99
    elif total >= _RATIO_HIGH:
        allowed = 0.10
    else:
        allowed = 0.99 - 0.89 * (total - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW)
    if via / total <= allowed:
        return None
    offset, name, target, _ = max(aliases, key=lambda a: measure(a[2])[0])
    return (
        f"YAML alias expansion exceeds the limit: the document expands to {total:,} nodes, {via:,} of them "
        f"through aliases (*{name} alone to {measure(target)[0]:,}); Kubernetes' YAML reader refuses more "
        f"than {allowed:.0%} through aliases at that size (excessive aliasing)",
        offset,
    )
