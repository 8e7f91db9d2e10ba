"""The first stage of a schema check: a schema compiled into Python closures that answer "valid?" exactly as
jsonschema would, for the subset of draft 2020-12 that kublint's schemas use. A valid document costs only
that, and jsonschema is never imported; ``kublint.schema`` asks jsonschema only about an invalid one."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from kublint.schema_files import Schema, load_schema, stem, target
from kublint.text import is_digits

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "deprecated",
    "readOnly", "writeOnly", "format",  # format is an annotation in 2020-12 unless a format checker is given
})
_NUMBER_LIMITS: dict[str, Callable[[float, float], bool]] = {
    "minimum": lambda x, v: x >= v,
    "maximum": lambda x, v: x <= v,
    "exclusiveMinimum": lambda x, v: x > v,
    "exclusiveMaximum": lambda x, v: x < v,
}


class Unsupported(Exception):
    """The schema uses a keyword the fast checker does not compile; jsonschema alone is used for it."""


def as_text(x: Any) -> str:
    """A string, or a YAML date as the string it was written as."""
    return x if isinstance(x, str) else x.isoformat()


def is_string(x: Any) -> bool:
    """A string or a YAML timestamp (``2026-06-01`` loads as a date), as after kubeadm's YAML-to-JSON."""
    return isinstance(x, str | datetime.date)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _is_integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


_TYPE_CHECKS: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": is_string,
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


def json_type(x: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPE_CHECKS[name](x):
            return name
    return type(x).__name__


def _unbool(x: Any) -> Any:
    return ("\0bool", x) if isinstance(x, bool) else x


def equal(a: Any, b: Any) -> bool:
    """jsonschema's equality: true is not 1, and containers compare item by item."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return bool(_unbool(a) == _unbool(b))


def _unique(items: list[Any]) -> bool:
    if all(isinstance(i, str) for i in items):
        return len(set(items)) == len(items)
    return all(not equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def _all(checks: Sequence[Check]) -> Check:
    if not checks:
        return lambda x: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda x: a(x) and b(x)

    def run(x: Any) -> bool:
        return all(c(x) for c in checks)

    return run


class _Compiler:
    """Compiles a schema into a closure that answers "valid?" exactly as jsonschema would.

    Each ``_<family>`` method compiles the keywords of one family that the schema holds, appending their
    checks and recording the keywords it handled; a keyword no family handles makes the schema Unsupported.
    """

    def __init__(self) -> None:
        self.memo: dict[int, Check] = {}

    def compile(self, schema: Any, root: Schema) -> Check:
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        done = self.memo.get(id(schema))
        if done is not None:
            return done
        box: list[Check] = []
        self.memo[id(schema)] = lambda x: box[0](x)  # a recursive $ref meets the schema before it is done
        check = _all(self._keywords(schema, root))
        box.append(check)
        self.memo[id(schema)] = check
        return check

    def _keywords(self, s: Schema, root: Schema) -> list[Check]:
        checks: list[Check] = []
        handled = set(_ANNOTATIONS)
        self._values(s, checks, handled)
        self._objects(s, root, checks, handled)
        self._arrays(s, root, checks, handled)
        self._strings(s, checks, handled)
        for kw, cmp in _NUMBER_LIMITS.items():
            if kw in s:
                handled.add(kw)
                checks.append(_limit(cmp, s[kw]))
        self._combinators(s, root, checks, handled)
        unknown = [k for k in s if k not in handled and not k.startswith("x-kublint-")]
        if unknown:
            raise Unsupported(f"keywords {unknown}")
        return checks

    @staticmethod
    def _values(s: Schema, checks: list[Check], handled: set[str]) -> None:
        """``type``, ``enum`` and ``const`` (``const`` beside ``enum`` is left unhandled)."""
        if "type" in s:
            handled.add("type")
            types = [s["type"]] if isinstance(s["type"], str) else list(s["type"])
            if any(t not in _TYPE_CHECKS for t in types):
                raise Unsupported(f"type {s['type']!r}")
            tcs = [_TYPE_CHECKS[t] for t in types]
            checks.append(tcs[0] if len(tcs) == 1 else (lambda x: any(tc(x) for tc in tcs)))
        if "enum" in s or "const" in s:
            key = "enum" if "enum" in s else "const"
            handled.add(key)
            options = list(s["enum"]) if key == "enum" else [s["const"]]
            if all(isinstance(o, str) for o in options):
                strs = frozenset(options)
                checks.append(lambda x: isinstance(x, str) and x in strs)
            else:
                checks.append(lambda x: any(equal(x, o) for o in options))

    def _objects(self, s: Schema, root: Schema, checks: list[Check], handled: set[str]) -> None:
        if "properties" in s or "additionalProperties" in s or "required" in s:
            handled.update(("properties", "additionalProperties", "required"))
            checks.append(self._object(s, root))
        if "propertyNames" in s:
            handled.add("propertyNames")
            names = self.compile(s["propertyNames"], root)
            checks.append(lambda x: not isinstance(x, dict) or all(names(k) for k in x))

    def _arrays(self, s: Schema, root: Schema, checks: list[Check], handled: set[str]) -> None:
        if "items" in s:
            handled.add("items")
            item = self.compile(s["items"], root)
            checks.append(lambda x: not isinstance(x, list) or all(item(i) for i in x))
        if "minItems" in s:
            handled.add("minItems")
            lo = s["minItems"]
            checks.append(lambda x: not isinstance(x, list) or len(x) >= lo)
        if "maxItems" in s:
            handled.add("maxItems")
            hi = s["maxItems"]
            checks.append(lambda x: not isinstance(x, list) or len(x) <= hi)
        if s.get("uniqueItems") is True:
            checks.append(lambda x: not isinstance(x, list) or _unique(x))
        if "uniqueItems" in s:
            handled.add("uniqueItems")

    @staticmethod
    def _strings(s: Schema, checks: list[Check], handled: set[str]) -> None:
        if "pattern" in s:
            handled.add("pattern")
            rx = regex(s["pattern"])
            checks.append(lambda x: not is_string(x) or rx.search(as_text(x)) is not None)
        if "minLength" in s:
            handled.add("minLength")
            lo = s["minLength"]
            checks.append(lambda x: not is_string(x) or len(as_text(x)) >= lo)
        if "maxLength" in s:
            handled.add("maxLength")
            hi = s["maxLength"]
            checks.append(lambda x: not is_string(x) or len(as_text(x)) <= hi)

    def _combinators(self, s: Schema, root: Schema, checks: list[Check], handled: set[str]) -> None:
        """``$ref``, ``allOf``, ``anyOf``, ``oneOf``, ``not`` and ``if``/``then``/``else``."""
        if "$ref" in s:
            handled.add("$ref")
            ref_target, target_root = resolve(s["$ref"], root)
            checks.append(self.compile(ref_target, target_root))
        if "allOf" in s:
            handled.add("allOf")
            checks.append(_all([self.compile(sub, root) for sub in s["allOf"]]))
        if "anyOf" in s:
            handled.add("anyOf")
            subs = [self.compile(sub, root) for sub in s["anyOf"]]
            checks.append(lambda x: any(c(x) for c in subs))
        if "oneOf" in s:
            handled.add("oneOf")
            ones = [self.compile(sub, root) for sub in s["oneOf"]]
            checks.append(lambda x: sum(1 for c in ones if c(x)) == 1)
        if "not" in s:
            handled.add("not")
            neg = self.compile(s["not"], root)
            checks.append(lambda x: not neg(x))
        if "if" in s:
            handled.update(("if", "then", "else"))
            cond = self.compile(s["if"], root)
            then = self.compile(s.get("then", True), root)
            other = self.compile(s.get("else", True), root)
            checks.append(lambda x: then(x) if cond(x) else other(x))

    def _object(self, s: Schema, root: Schema) -> Check:
        props = {k: self.compile(v, root) for k, v in s.get("properties", {}).items()}
        extra_schema = s.get("additionalProperties", True)
        closed = extra_schema is False
        extra = None if extra_schema is True or closed else self.compile(extra_schema, root)
        required = tuple(s.get("required", ()))

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for k, v in x.items():
                f = props.get(k)
                if f is not None:
                    if not f(v):
                        return False
                elif closed or (extra is not None and not extra(v)):
                    return False
            return all(r in x for r in required)

        return check


def _limit(cmp: Callable[[float, float], bool], limit: float) -> Check:
    return lambda x: not _is_number(x) or cmp(x, limit)


@cache
def regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def resolve(ref: str, root: Schema) -> tuple[Any, Schema]:
    """``#/$defs/X`` within ``root``, or ``<$id of a schema in schemas/>#/...``."""
    uri, _, pointer = ref.partition("#")
    if uri and uri != root.get("$id"):
        name = uri.rsplit("/", 1)[-1]
        target_root = load_schema(name)
        if target_root.get("$id") != uri:
            raise Unsupported(f"$ref {ref!r}")
    else:
        target_root = root
    node: Any = target_root
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and is_digits(part) and int(part) < len(node):
            node = node[int(part)]
        else:
            raise Unsupported(f"$ref {ref!r} does not resolve")
    return node, target_root


_KNOWN_VALID: dict[int, Check] = {}  # id(subschema) -> its compiled check: stage two skips what passes


def known_valid(subschema: Any, value: Any) -> bool:
    """True when a compiled check of ``subschema`` passes ``value``: jsonschema need not descend there."""
    if not isinstance(subschema, dict):
        return False
    check = _KNOWN_VALID.get(id(subschema))
    return check is not None and check(value)


def fast_checker(schema_name: str, definition: str | None = None) -> Check | None:
    """The compiled first-stage check, or None when the schema uses a keyword it does not compile."""
    return _fast_checker(stem(schema_name), definition)


@cache
def _fast_checker(schema_name: str, definition: str | None) -> Check | None:
    root = load_schema(schema_name)
    compiler = _Compiler()
    try:
        check = compiler.compile(target(schema_name, definition), root)
    except Unsupported:
        return None
    _KNOWN_VALID.update(compiler.memo)
    return check
