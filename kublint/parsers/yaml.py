"""YAML as Kubernetes and Ansible read it: libyaml 0.2.5's events (through PyYAML's C parser), composed
here into nodes that keep their character offsets, then plain data with a span for every key and value.

Why this design (measured in the README): libyaml accepts what kubeadm, kubectl and Ansible accept, such as a
``:`` inside a plain scalar in a flow collection (``[https://10.0.0.21:2379]``), which ruamel.yaml.clib's
scanner refuses. Composing in Python over the C events is as fast as PyYAML's own C composer, and it is
iterative: the C composer recurses on the C stack and a run of 100,000 ``[`` ends the process. Composing here
also bounds what aliases may cost (see ``_expansion``) and never hands out a recursive structure.

The path index mirrors construction: a repeated key keeps its first value and the later ones are recorded
for SY002; merged keys (``<<``) are indexed under the mapping that merges them; aliased nodes are indexed
once and never descended into again. Scalars resolve by YAML 1.2's core schema (``yes`` is a string; kublint
has always read it so); a tag kublint does not know (``!vault``, ``!Ref``, ``!reference``) gives an
``Opaque`` value, never an error.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kublint.findings import Problem
from kublint.parsers.yaml_compose import compose_stream
from kublint.parsers.yaml_nodes import MAX_DEPTH, Node, Opaque, is_merge_key, merged_mappings
from kublint.parsers.yaml_values import ScalarError, construct
from kublint.source import Pos, SourceFile, Span

__all__ = ["MAX_DEPTH", "Node", "NodeLoc", "Opaque", "YamlDocument", "YamlParse", "node_span", "parse_yaml"]

PathKey = tuple[str | int, ...]


class NodeLoc(NamedTuple):
    key: Span | None  # the key's span for mapping values; None for sequence items and the root
    value: Span


# The index keeps the composed nodes and turns their offsets into spans only when a rule asks: a 5,000-node
# inventory has 200,000 keys and values, and few of them are ever reported.
# Documents built by hand (tests, other parsers) may give ready NodeLocs instead.
RawLoc = tuple[Any, Any] | NodeLoc  # (key node or None, value node)


class YamlDocument:
    __slots__ = ("data", "index", "opaque", "raw", "source")

    source: SourceFile
    index: int  # position in the stream, 0-based
    data: Any
    raw: dict[PathKey, RawLoc]
    opaque: tuple[PathKey, ...]  # where Opaque values are, for checks that must not judge them

    def __init__(
        self,
        source: SourceFile,
        index: int,
        data: Any,
        raw: dict[PathKey, RawLoc],
        opaque: tuple[PathKey, ...] = (),
    ) -> None:
        self.source = source
        self.index = index
        self.data = data
        self.raw = raw
        self.opaque = opaque

    def get(self, *path: str | int, default: Any = None) -> Any:
        cur = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(cur, list) or not -len(cur) <= part < len(cur):
                    return default
                cur = cur[part]
            else:
                if not isinstance(cur, dict) or part not in cur:
                    return default
                cur = cur[part]
        return cur

    def loc(self, *path: str | int, key: bool = False) -> Span:
        """The span of the value at ``path`` (or of its key), falling back to the nearest existing
        ancestor."""
        p: PathKey = tuple(path)
        while True:
            nl = self.raw.get(p)
            if isinstance(nl, NodeLoc):
                return nl.key if key and nl.key is not None else nl.value
            if nl is not None:
                node: Any = nl[0] if key and nl[0] is not None else nl[1]
                return node_span(self.source, node)
            if not p:
                return self.source.start_span()
            p = p[:-1]

    def node_loc(self, *path: str | int) -> NodeLoc | None:
        nl = self.raw.get(tuple(path))
        if nl is None or isinstance(nl, NodeLoc):
            return nl
        key_node: Any = nl[0]
        value_node: Any = nl[1]
        return NodeLoc(
            node_span(self.source, key_node) if key_node is not None else None,
            node_span(self.source, value_node),
        )

    @property
    def locs(self) -> dict[PathKey, RawLoc]:
        return self.raw

    def has(self, *path: str | int) -> bool:
        return tuple(path) in self.raw

    @property
    def span(self) -> Span:
        return self.loc()

    @property
    def api_version(self) -> str:
        v = self.get("apiVersion")
        return v if isinstance(v, str) else ""

    @property
    def kind(self) -> str:
        v = self.get("kind")
        return v if isinstance(v, str) else ""

    @property
    def anchor(self) -> str:
        """A logical name for this document, used in fingerprints."""
        return f"{self.kind or 'doc'}#{self.index}"

    def kind_span(self) -> Span:
        return self.loc("kind") if self.has("kind") else self.span


class YamlParse:
    __slots__ = ("documents", "duplicates", "errors")

    documents: list[YamlDocument]
    errors: list[Problem]  # SY001
    duplicates: list[Problem]  # SY002

    def __init__(
        self,
        documents: list[YamlDocument] | None = None,
        errors: list[Problem] | None = None,
        duplicates: list[Problem] | None = None,
    ) -> None:
        self.documents = [] if documents is None else documents
        self.errors = [] if errors is None else errors
        self.duplicates = [] if duplicates is None else duplicates


def parse_yaml(source: SourceFile) -> YamlParse:
    result = YamlParse()
    stream = compose_stream(source.text)
    for i, composed in enumerate(stream.documents):
        if composed.error is not None:
            result.errors.append(_problem_at(source, composed.error.message, composed.error.offset))
            continue
        root = composed.root
        if root is None:
            continue
        locs, dups = _index(source, root)
        try:
            data, opaque_nodes = construct(root)
        except ScalarError as exc:
            result.errors.append(_problem_at(source, exc.problem, exc.offset))
            continue
        opaque = _paths_of(opaque_nodes, locs) if opaque_nodes else ()
        result.duplicates.extend(dups)
        result.documents.append(YamlDocument(source, i, data, locs, opaque))
    if stream.error is not None:
        result.errors.append(_syntax_problem(source, stream.error))
    return result


# ---------------------------------------------------------------- errors


def _syntax_problem(source: SourceFile, exc: Exception) -> Problem:
    """A libyaml error as a finding where the mistake is."""
    position = getattr(exc, "position", None)
    if isinstance(position, int) and not hasattr(exc, "problem_mark"):  # a ReaderError: a bad character
        reason = getattr(exc, "reason", "unreadable character")
        character = getattr(exc, "character", None)
        shown = f" (U+{character:04X})" if isinstance(character, int) else ""
        offset = _char_offset(source.text, position)
        return _problem_at(source, f"YAML syntax error: {reason}{shown}", offset)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        context = f"{context} that starts at line {source.pos_at(int(context_mark.index)).line}"
        if "simple key" in context:  # 'key:value' without a space: the mistake is where the key starts
            mark = context_mark
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(message, source.start_span())
    return _problem_at(source, message, int(mark.index))


def _char_offset(text: str, byte_offset: int) -> int:
    """libyaml reports a bad character by its byte offset in the UTF-8 encoding."""
    return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "ignore"))


def _problem_at(source: SourceFile, message: str, offset: int) -> Problem:
    pos = source.pos_at(offset)
    line, col = pos.line, pos.col
    while line > 1 and not source.line_text(line).strip():  # an error at the end of the stream
        line -= 1
        col = len(source.line_text(line)) + 1
    width = len(source.line_text(line))
    col = max(1, min(col, width + 1))
    return Problem(message, Span(source.path, Pos(line, col), Pos(line, min(col + 1, width + 1) or col)))


# ---------------------------------------------------------------- spans


def node_span(source: SourceFile, node: Node) -> Span:
    start = source.pos_at(node.start)
    end = source.pos_at(node.end)
    if end.line > start.line and (end.col == 1 or _is_blank_prefix(source, end)):
        end = _clamp_back(source, start, end)
    if end < start:
        end = start
    return Span(source.path, start, end)


def _is_blank_prefix(source: SourceFile, end: Pos) -> bool:
    return not source.line_text(end.line)[: end.col - 1].strip()


def _clamp_back(source: SourceFile, start: Pos, end: Pos) -> Pos:
    """Block collections end at the start of the next token; move the end back to the last content line."""
    line = end.line - 1
    while line > start.line:
        text = source.line_text(line)
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            break
        line -= 1
    text = source.line_text(line)
    return Pos(line, len(text.rstrip()) + 1)


# ---------------------------------------------------------------- the path index

def _index(source: SourceFile, root: Node) -> tuple[dict[PathKey, RawLoc], list[Problem]]:
    locs: dict[PathKey, RawLoc] = {(): (None, root)}
    dups: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[PathKey, Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue  # an alias: its positions are the anchor's, and its children are indexed already
        seen.add(id(node))
        value = node.value
        if node.id == "mapping":
            first_keys: dict[str, Node] = {}
            merges: list[Node] = []
            for key_node, value_node in value:
                if key_node.id != "scalar":
                    continue
                if is_merge_key(key_node):
                    merges.append(value_node)
                    continue
                k = key_node.value
                if k in first_keys:
                    dups.append(_duplicate(source, path, k, first_keys[k], key_node))
                    continue
                first_keys[k] = key_node
                child = (*path, k)
                locs[child] = (key_node, value_node)
                if value_node.id != "scalar":
                    stack.append((child, value_node))
            # merged keys: explicit keys win, then the merged mappings in order (the first one listed wins)
            for merged in merged_mappings(merges):
                for key_node, value_node in merged.value:
                    if key_node.id != "scalar" or is_merge_key(key_node) or key_node.value in first_keys:
                        continue
                    first_keys[key_node.value] = key_node
                    locs[(*path, key_node.value)] = (key_node, value_node)
        elif node.id == "sequence":
            for i, item in enumerate(value):
                child = (*path, i)
                locs[child] = (None, item)
                if item.id != "scalar":
                    stack.append((child, item))
    return locs, dups

def _paths_of(nodes: set[int], locs: dict[PathKey, RawLoc]) -> tuple[PathKey, ...]:
    """Where the Opaque values are, for the rare document that has them."""
    return tuple(sorted((p for p, loc in locs.items() if id(loc[1]) in nodes), key=str))


def _duplicate(source: SourceFile, path: PathKey, k: str, first: Node, again: Node) -> Problem:
    line = source.pos_at(first.start).line
    return Problem(
        f'duplicate key "{k}" (first at line {line}); readers disagree on which value wins',
        node_span(source, again),
        anchor="/".join(str(p) for p in (*path, k)),
    )
