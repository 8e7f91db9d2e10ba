"""Plain data from composed YAML nodes: YAML 1.2 scalars (as kublint has always resolved them), merge keys,
and Opaque values for tags kublint does not know."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

from kublint.parsers.yaml_nodes import STR, TAG, Node, Opaque, is_merge_key, merged_mappings

_COLLECTION_TAGS = frozenset(TAG + t for t in ("map", "seq", "omap", "pairs", "set"))

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
        return TAG + "null"
    first = value[0]
    if first in "tTfF" and value in _BOOLS:
        return TAG + "bool"
    if first in "-+0123456789.":
        if _INT.fullmatch(value) and any(c.isdigit() for c in value):
            return TAG + "int"
        if _FLOAT.fullmatch(value):
            return TAG + "float"
        if first.isdigit() and (_DATE_ONLY.fullmatch(value) or _is_datetime(value)):
            return TAG + "timestamp"
    return STR


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
    TAG + "null": lambda s: None,
    TAG + "bool": lambda s: _BOOLS.get(s, s.lower() == "true"),
    TAG + "int": _int,
    TAG + "float": _float,
    TAG + "timestamp": _timestamp,
    TAG + "binary": lambda s: base64.b64decode(s.encode("ascii"), validate=False),
}


def _scalar(node: Node) -> Any:
    tag = node.tag
    value: str = node.value
    if tag is None:
        if node.style != "":
            return value  # quoted and block scalars are strings
        tag = resolve(value)
        if tag == STR:
            return value
    elif tag in ("!", STR):
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


def construct(root: Node) -> tuple[Any, set[int]]:
    """Plain data from composed nodes, and the ids of the nodes that became Opaque values. The same node
    gives the same object, so aliases are shared, never expanded (the composer has bounded what a walk over
    the expansion costs); a repeated key keeps its first value, as the path index does; merged keys never
    override the mapping's own."""
    made: dict[int, Any] = {}
    opaque: set[int] = set()

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
                    opaque.add(key)
            made[key] = value
            return value
        if tag is not None and tag != "!" and tag not in _COLLECTION_TAGS:
            value = Opaque(tag, "")
            opaque.add(key)
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
        for merged in merged_mappings(merges):
            source = build(merged)
            if isinstance(source, dict):
                for k, v in source.items():
                    mapping.setdefault(k, v)
        return mapping

    return build(root), opaque


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
