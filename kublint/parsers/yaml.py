"""YAML: one C-based compose per file, then construction from the same nodes, with a span for every key
and value.

The path index mirrors the constructor: with duplicate keys allowed ruamel keeps the first value, so the index
keeps the first key and records the later ones for SY002. Aliased nodes are indexed once and never descended
into again, so alias bombs cost nothing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kublint.findings import Problem
from kublint.source import Pos, SourceFile, Span

PathKey = tuple[str | int, ...]
MAX_DEPTH = 200  # deeper nesting is not configuration; it is rejected before construction


class NodeLoc(NamedTuple):
    key: Span | None  # the key's span for mapping values; None for sequence items and the root
    value: Span


# The index keeps the composed nodes and turns their marks into spans only when a rule asks: a 5,000-node
# inventory has 200,000 keys and values, and few of them are ever reported.
# Documents built by hand (tests, other parsers) may give ready NodeLocs instead.
RawLoc = tuple[Any, Any] | NodeLoc  # (key node or None, value node)


class YamlDocument:
    __slots__ = ("data", "index", "raw", "source")

    source: SourceFile
    index: int  # position in the stream, 0-based
    data: Any
    raw: dict[PathKey, RawLoc]

    def __init__(self, source: SourceFile, index: int, data: Any, raw: dict[PathKey, RawLoc]) -> None:
        self.source = source
        self.index = index
        self.data = data
        self.raw = raw

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
        """The span of the value at ``path`` (or of its key), falling back to the nearest existing "
            "ancestor."""
        p: PathKey = tuple(path)
        while True:
            nl = self.raw.get(p)
            if isinstance(nl, NodeLoc):
                return nl.key if key and nl.key is not None else nl.value
            if nl is not None:
                node = nl[0] if key and nl[0] is not None else nl[1]
                return _node_span(self.source, node)
            if not p:
                return self.source.start_span()
            p = p[:-1]

    def node_loc(self, *path: str | int) -> NodeLoc | None:
        nl = self.raw.get(tuple(path))
        if nl is None or isinstance(nl, NodeLoc):
            return nl
        return NodeLoc(
            _node_span(self.source, nl[0]) if nl[0] is not None else None, _node_span(self.source, nl[1])
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


_yaml_factory: Any = None
_resolver: Any = None


def _new_yaml() -> Any:
    global _yaml_factory, _resolver
    if _yaml_factory is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.resolver import VersionedResolver

        class _Resolver(VersionedResolver):
            # ruamel recomputes the YAML version for every scalar (~40% of compose time); files
            # kublint reads carry no %YAML directive, so the version is fixed
            @property
            def processing_version(self) -> tuple[int, int]:
                return (1, 2)

        _yaml_factory, _resolver = YAML, _Resolver
    y = _yaml_factory(typ="safe")
    y.allow_duplicate_keys = True
    y.Resolver = _resolver
    return y


def parse_yaml(source: SourceFile) -> YamlParse:
    result = YamlParse()
    y = _new_yaml()
    nodes: list[Any] = []  # documents before a syntax error are kept
    try:
        for node in y.compose_all(source.text):
            nodes.append(node)
    except RecursionError:
        result.errors.append(Problem("YAML nesting is too deep to be configuration", source.start_span()))
    except Exception as exc:  # ruamel raises many error types; all of them come from the user's input
        result.errors.append(_error_problem(source, exc))
    for i, node in enumerate(nodes):
        if node is None:
            continue
        try:
            locs, dups, depth_ok = _index(source, node)
        except RecursionError:
            depth_ok = False
        if not depth_ok:
            result.errors.append(
                Problem(f"YAML nesting deeper than {MAX_DEPTH} levels", _node_span(source, node))
            )
            continue
        try:
            data = construct(node, y.constructor)
        except RecursionError:
            result.errors.append(Problem("YAML nesting is too deep to be configuration", source.start_span()))
            continue
        except Exception as exc:
            result.errors.append(_error_problem(source, exc))
            continue
        result.duplicates.extend(dups)
        result.documents.append(YamlDocument(source, i, data, locs))
    return result


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def construct(root: Any, constructor: Any) -> Any:
    """Plain data from composed nodes: mappings, sequences and strings directly, every other scalar (ints,
    booleans, timestamps, unknown tags that must fail) through ruamel's constructor. The same node gives
    the same object, so aliases are shared, never expanded; a repeated key keeps its first value, as the
    path index does. A document with merge keys goes to ruamel whole."""
    made: dict[int, Any] = {}

    def build(node: Any) -> Any:
        key = id(node)
        if key in made:
            return made[key]
        tag = node.tag
        if node.id == "scalar":
            value = node.value if tag == _STR else _scalar(node, constructor)
            made[key] = value
            return value
        if node.id == "sequence" and tag == _SEQ:
            out: list[Any] = []
            made[key] = out
            out.extend(build(item) for item in node.value)
            return out
        if node.id == "mapping" and tag == _MAP:
            mapping: dict[Any, Any] = {}
            made[key] = mapping
            for k_node, v_node in node.value:
                if k_node.tag == _MERGE:
                    raise _Delegate
                k = build(k_node)
                try:
                    if k in mapping:
                        continue
                except TypeError:  # an unhashable key: ruamel says how
                    raise _Delegate from None
                mapping[k] = build(v_node)
            return mapping
        raise _Delegate  # sets, ordered maps, binary, tagged collections: rare, exact in ruamel

    try:
        return build(root)
    except _Delegate:
        return constructor.construct_document(root)


class _Delegate(Exception):
    pass


class ScalarError(Exception):
    """A scalar YAML resolves to a type whose value cannot be made (an integer of 5,000 digits, 30
    February): reported at the scalar, like a syntax error, since ruamel's marks are not on the error."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _scalar(node: Any, constructor: Any) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # not YAMLErrors: int() past 4,300 digits, datetime()
        text = node.value if len(node.value) <= 40 else f"{node.value[:20]}...({len(node.value)} characters)"
        kind = str(node.tag).rsplit(":", 1)[-1]
        why = str(exc).split(";")[0]  # without Python's advice on sys.set_int_max_str_digits
        raise ScalarError(f"{text!r} cannot be read as a YAML {kind}: {why}", node.start_mark) from None


def _error_problem(source: SourceFile, exc: Exception) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        context = f"{context} that starts at line {int(context_mark.line) + 1}"
        if "simple key" in context:  # 'key:value' without a space: the mistake is where the key starts
            mark = context_mark
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(message, source.start_span())
    line = min(int(mark.line) + 1, source.line_count)
    col = int(mark.column) + 1
    while line > 1 and not source.line_text(line).strip():  # an error at the end of the stream
        line -= 1
        col = len(source.line_text(line)) + 1
    width = len(source.line_text(line))
    col = max(1, min(col, width + 1))
    return Problem(message, Span(source.path, Pos(line, col), Pos(line, min(col + 1, width + 1) or col)))


def _mark_pos(source: SourceFile, mark: Any) -> Pos:
    line = int(mark.line) + 1
    if line > source.line_count:
        line = source.line_count
        return Pos(line, len(source.line_text(line)) + 1)
    return Pos(line, int(mark.column) + 1)


def _node_span(source: SourceFile, node: Any) -> Span:
    sm, em = node.start_mark, node.end_mark
    if sm.line == em.line and em.line + 1 < source.line_count:  # one-line nodes (most): no clamping needed
        return Span(source.path, Pos(sm.line + 1, sm.column + 1), Pos(em.line + 1, em.column + 1))
    start = _mark_pos(source, node.start_mark)  # clamp: marks may point past the last line
    end = _mark_pos(source, node.end_mark)
    if (end.line > start.line and end.col == 1) or (end.line > start.line and _is_blank_prefix(source, end)):
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


def _index(source: SourceFile, root: Any) -> tuple[dict[PathKey, RawLoc], list[Problem], bool]:
    locs: dict[PathKey, RawLoc] = {(): (None, root)}
    dups: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[PathKey, Any]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if len(path) > MAX_DEPTH:
            return locs, dups, False
        if id(node) in seen:
            continue  # an alias: its positions are the anchor's, and its children are indexed already
        seen.add(id(node))
        value = node.value
        if node.id == "mapping":
            first_keys: dict[str, Any] = {}
            for key_node, value_node in value:
                if key_node.id != "scalar":
                    continue
                k = key_node.value
                if k in first_keys:
                    first = first_keys[k].start_mark.line + 1
                    dups.append(
                        Problem(
                            f'duplicate key "{k}" (first at line {first}); '
                            "readers disagree on which value wins",
                            _node_span(source, key_node),
                            anchor=_anchor((*path, k)),
                        )
                    )
                    continue
                first_keys[k] = key_node
                child = (*path, k)
                locs[child] = (key_node, value_node)
                if value_node.id != "scalar":
                    stack.append((child, value_node))
        elif node.id == "sequence":
            for i, item in enumerate(value):
                child = (*path, i)
                locs[child] = (None, item)
                if item.id != "scalar":
                    stack.append((child, item))
    return locs, dups, True


def _anchor(path: PathKey) -> str:
    return "/".join(str(p) for p in path)
