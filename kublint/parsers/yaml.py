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

import base64
import binascii
import datetime as dt
import re
from typing import Any, NamedTuple

from kublint.findings import Problem
from kublint.source import Pos, SourceFile, Span

PathKey = tuple[str | int, ...]
MAX_DEPTH = 200  # deeper nesting is not configuration; it is rejected while composing


class NodeLoc(NamedTuple):
    key: Span | None  # the key's span for mapping values; None for sequence items and the root
    value: Span


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
    from kublint.parsers.yaml_compose import compose_stream

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
            data, opaque = construct(root)
        except ScalarError as exc:
            result.errors.append(_problem_at(source, exc.problem, exc.offset))
            continue
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


def is_merge_key(node: Node) -> bool:
    return node.id == "scalar" and (
        node.tag == _MERGE or (node.tag is None and node.style == "" and node.value == "<<")
    )


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
            for merged in _merged_mappings(merges):
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


def _merged_mappings(values: list[Node]) -> list[Node]:
    out: list[Node] = []
    for v in values:
        if v.id == "mapping":
            out.append(v)
        elif v.id == "sequence":
            out.extend(item for item in v.value if item.id == "mapping")
    return out


def _duplicate(source: SourceFile, path: PathKey, k: str, first: Node, again: Node) -> Problem:
    line = source.pos_at(first.start).line
    return Problem(
        f'duplicate key "{k}" (first at line {line}); readers disagree on which value wins',
        node_span(source, again),
        anchor="/".join(str(p) for p in (*path, k)),
    )


# ---------------------------------------------------------------- construction

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_MERGE = _TAG + "merge"
_COLLECTION_TAGS = frozenset(_TAG + t for t in ("map", "seq", "omap", "pairs", "set"))

# YAML 1.2 as ruamel.yaml's resolver reads it (kublint's reader before libyaml), which keeps every finding
# the same: 1.2's core schema plus timestamps, '_' in numbers, '0o17' and '017'. A number needs a digit.
_INT = re.compile(r"[-+]?(?:0b[0-1_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9]{1,2})(?::(?P<tz_minute>[0-9]{2}))?))?)?"
)
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_MAX_DIGITS = 4300  # CPython's int() limit for decimal strings


def resolve(value: str) -> str:
    """The tag of an untagged plain scalar."""
    if value in _NULLS:
        return _TAG + "null"
    first = value[0]
    if first in "tTfF" and value in _BOOLS:
        return _TAG + "bool"
    if first in "-+0123456789.":
        if _INT.fullmatch(value) and any(c.isdigit() for c in value):
            return _TAG + "int"
        if _FLOAT.fullmatch(value):
            return _TAG + "float"
        if first.isdigit() and (_DATE_ONLY.fullmatch(value) or _is_datetime(value)):
            return _TAG + "timestamp"
    return _STR


def _is_datetime(value: str) -> bool:
    m = _TIMESTAMP.fullmatch(value)
    return m is not None and m.group("hour") is not None


class ScalarError(Exception):
    """A scalar whose type is known but whose value cannot be made (an integer of 5,000 digits, 30 February),
    reported at the scalar like a syntax error."""

    def __init__(self, problem: str, offset: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.offset = offset


def _scalar_error(node: Node, tag: str, why: str) -> ScalarError:
    text = node.value if len(node.value) <= 40 else f"{node.value[:20]}...({len(node.value)} characters)"
    return ScalarError(f"{text!r} cannot be read as a YAML {tag.rsplit(':', 1)[-1]}: {why}", node.start)


def _int(text: str) -> int:
    s = text.replace("_", "")
    sign = -1 if s[:1] == "-" else 1
    s = s.lstrip("+-")
    if s[:2] == "0b":
        return sign * int(s[2:], 2)
    if s[:2] == "0x":
        return sign * int(s[2:], 16)
    if s[:2] == "0o":
        return sign * int(s[2:], 8)
    if len(s) > _MAX_DIGITS:
        raise ValueError(f"more than {_MAX_DIGITS} digits")
    return sign * int(s)


def _float(text: str) -> float:
    s = text.replace("_", "").lower()
    sign = -1.0 if s[:1] == "-" else 1.0
    s = s.lstrip("+-")
    if s == ".inf":
        return sign * float("inf")
    if s == ".nan":
        return float("nan")
    return sign * float(s)


def _timestamp(text: str) -> dt.date | dt.datetime:
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        raise ValueError("not a timestamp")
    g = m.groupdict()
    year, month, day = int(g["year"]), int(g["month"]), int(g["day"])
    if g["hour"] is None:
        return dt.date(year, month, day)
    fraction = int((g["fraction"] or "0")[:6].ljust(6, "0"))
    tz: dt.tzinfo | None = None
    if g["tz"] == "Z":
        tz = dt.UTC
    elif g["tz_sign"]:
        delta = dt.timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
        tz = dt.timezone(-delta if g["tz_sign"] == "-" else delta)
    return dt.datetime(year, month, day, int(g["hour"]), int(g["minute"]), int(g["second"]), fraction, tz)


_MAKERS: dict[str, Any] = {
    _TAG + "null": lambda s: None,
    _TAG + "bool": lambda s: _BOOLS.get(s, s.lower() == "true"),
    _TAG + "int": _int,
    _TAG + "float": _float,
    _TAG + "timestamp": _timestamp,
    _TAG + "binary": lambda s: base64.b64decode(s.encode("ascii"), validate=False),
}


def _scalar(node: Node) -> Any:
    tag = node.tag
    value: str = node.value
    if tag is None:
        if node.style != "":
            return value  # quoted and block scalars are strings
        tag = resolve(value)
        if tag == _STR:
            return value
    elif tag in ("!", _STR):
        return value
    maker = _MAKERS.get(tag)
    if maker is None:
        return Opaque(tag, value)
    try:
        return maker(value)
    except (ValueError, OverflowError, binascii.Error, UnicodeEncodeError) as exc:
        why = str(exc).split(";")[0] or type(exc).__name__  # without Python's advice on int digits
        raise _scalar_error(node, tag, why) from None


_MAYBE_TYPED = frozenset("-+0123456789.~nNtTfF")  # first characters of plain scalars that may not be strings


def construct(root: Node) -> tuple[Any, tuple[PathKey, ...]]:
    """Plain data from composed nodes, and the paths of the Opaque values in it. The same node gives the
    same object, so aliases are shared, never expanded (the composer has bounded what a walk over the
    expansion costs); a repeated key keeps its first value, as the path index does; merged keys never
    override the mapping's own."""
    made: dict[int, Any] = {}
    opaque: list[tuple[int, Node]] = []  # (id of the parent's value, node), turned into paths at the end

    def build(node: Node) -> Any:
        key = id(node)
        if key in made:
            return made[key]
        kind = node.id
        tag = node.tag
        if kind == "scalar":
            text = node.value
            if tag is None and (node.style != "" or (text and text[0] not in _MAYBE_TYPED)):
                value: Any = text  # most scalars: strings that need no resolving
            else:
                value = _scalar(node)
                if type(value) is Opaque:
                    opaque.append((key, node))
            made[key] = value
            return value
        if tag is not None and tag != "!" and tag not in _COLLECTION_TAGS:
            value = Opaque(tag, "")
            opaque.append((key, node))
            made[key] = value
            return value
        if kind == "sequence":
            seq: list[Any] = []
            made[key] = seq
            seq.extend([build(item) for item in node.value])
            return seq
        mapping: dict[Any, Any] = {}
        made[key] = mapping
        merges: list[Node] = []
        for k_node, v_node in node.value:
            if k_node.id == "scalar":
                if is_merge_key(k_node):
                    merges.append(v_node)
                    continue
                k = build(k_node)
            else:
                k = _collection_key(k_node)
            if k in mapping or not _hashable(k):
                continue
            mapping[k] = build(v_node)
        for merged in _merged_mappings(merges):
            source = build(merged)
            if isinstance(source, dict):
                for k, v in source.items():
                    mapping.setdefault(k, v)
        return mapping

    data = build(root)
    return data, (_paths_of({id(n) for _, n in opaque}, root) if opaque else ())


def _paths_of(wanted: set[int], root: Node) -> tuple[PathKey, ...]:
    """Where the given nodes sit (their first place, aliases not followed), for the rare document with
    Opaque values."""
    out: list[PathKey] = []
    seen: set[int] = set()
    stack: list[tuple[PathKey, Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in wanted:
            out.append(path)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.id == "sequence":
            stack.extend(((*path, i), item) for i, item in enumerate(node.value))
        elif node.id == "mapping":
            stack.extend(((*path, k.value), v) for k, v in node.value if k.id == "scalar")
    return tuple(sorted(out, key=str))


def _collection_key(node: Node) -> Opaque:
    """A mapping or sequence used as a key (``? [a, b]``): valid YAML, but no configuration kublint reads
    has one, and JSON (what Kubernetes converts YAML to) has none."""
    return Opaque("?", str(node.start))


def _hashable(k: Any) -> bool:
    if type(k) is str:
        return True
    try:
        hash(k)
    except TypeError:
        return False
    return True
