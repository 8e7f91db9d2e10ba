"""JSON Schemas from ``schemas/``: validators built once, errors turned into Problems where the fix goes.

A document is checked in two stages. First a checker compiled from the schema into Python closures (the
subset of draft 2020-12 that kublint's schemas use) answers valid or not. A valid document costs only that,
and jsonschema is never imported. Otherwise jsonschema finds the errors, descending only into the parts the
first stage rejects (a 5,000-node inventory with one bad node costs one node's detailed validation), and each
error becomes a Problem:

* an unknown key (``additionalProperties: false``) at the key itself, with a "did you mean" from the allowed
  names, or the schema's own note for a field that moved (``x-kublint-moved``);
* a missing required key at its parent object;
* a wrong type, value or form at the value, with the schema's note for it (``x-kublint-messages``, keyed by
  keyword, or ``type/<json type of the value>``);
* ``oneOf``/``anyOf`` as the schema's note, else the most relevant sub-error.

The ``x-kublint-*`` keywords are annotations: jsonschema ignores them. YAML timestamps (``2026-06-01`` loads
as a date) count as strings, as they would after kubeadm's YAML-to-JSON conversion.
"""

from __future__ import annotations

import datetime
import importlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from kublint.findings import Problem
from kublint.parsers.yaml import PathKey, YamlDocument
from kublint.resources import schemas_dir
from kublint.source import Span
from kublint.text import is_digits

Check = Callable[[Any], bool]
Schema = dict[str, Any]

SUFFIX = ".schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
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
_LIMIT_PHRASES = {
    "minimum": "at least", "maximum": "at most",
    "exclusiveMinimum": "greater than", "exclusiveMaximum": "less than",
}
_TYPE_NAMES = {
    "object": "a map", "array": "a list", "string": "a string", "integer": "an integer", "number": "a number",
    "boolean": "true or false", "null": "empty (null)",
}


# --- loading ----------------------------------------------------------------------------------------------


def _stem(schema_name: str) -> str:
    return schema_name[: -len(SUFFIX)] if schema_name.endswith(SUFFIX) else schema_name


def load_schema(schema_name: str) -> Schema:
    """The schema ``schemas/<name>.schema.json`` (``name`` with or without the suffix), parsed once."""
    return _load(_stem(schema_name))


@cache
def _load(stem: str) -> Schema:
    path = schemas_dir() / f"{stem}{SUFFIX}"
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a schema is a JSON object")
    return data


def schema_names() -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in schemas_dir().glob(f"*{SUFFIX}"))


def _target(schema_name: str, definition: str | None) -> Schema:
    root = load_schema(schema_name)
    if definition is None:
        return root
    defs = root.get("$defs", {})
    if definition not in defs:
        raise KeyError(f"schema {_stem(schema_name)} has no definition {definition!r}")
    sub = defs[definition]
    if not isinstance(sub, dict):
        raise ValueError(f"schema {_stem(schema_name)} definition {definition!r} is not an object")
    return sub


# --- the fast checker -------------------------------------------------------------------------------------


class Unsupported(Exception):
    """The schema uses a keyword the fast checker does not compile; jsonschema alone is used for it."""


def _text(x: Any) -> str:
    return x if isinstance(x, str) else x.isoformat()


def _is_string(x: Any) -> bool:
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
    "string": _is_string,
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


def _json_type(x: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPE_CHECKS[name](x):
            return name
    return type(x).__name__


def _unbool(x: Any) -> Any:
    return ("\0bool", x) if isinstance(x, bool) else x


def _equal(a: Any, b: Any) -> bool:
    """jsonschema's equality: true is not 1, and containers compare item by item."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(_unbool(a) == _unbool(b))


def _unique(items: list[Any]) -> bool:
    if all(isinstance(i, str) for i in items):
        return len(set(items)) == len(items)
    return all(not _equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


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
    """Compiles a schema into a closure that answers "valid?" exactly as jsonschema would."""

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
                checks.append(lambda x: any(_equal(x, o) for o in options))
        if "properties" in s or "additionalProperties" in s or "required" in s:
            handled.update(("properties", "additionalProperties", "required"))
            checks.append(self._object(s, root))
        if "propertyNames" in s:
            handled.add("propertyNames")
            names = self.compile(s["propertyNames"], root)
            checks.append(lambda x: not isinstance(x, dict) or all(names(k) for k in x))
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
        if "pattern" in s:
            handled.add("pattern")
            rx = _regex(s["pattern"])
            checks.append(lambda x: not _is_string(x) or rx.search(_text(x)) is not None)
        if "minLength" in s:
            handled.add("minLength")
            lo = s["minLength"]
            checks.append(lambda x: not _is_string(x) or len(_text(x)) >= lo)
        if "maxLength" in s:
            handled.add("maxLength")
            hi = s["maxLength"]
            checks.append(lambda x: not _is_string(x) or len(_text(x)) <= hi)
        for kw, cmp in _NUMBER_LIMITS.items():
            if kw in s:
                handled.add(kw)
                limit = s[kw]
                checks.append(_limit(cmp, limit))
        if "$ref" in s:
            handled.add("$ref")
            target, target_root = _resolve(s["$ref"], root)
            checks.append(self.compile(target, target_root))
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
        unknown = [k for k in s if k not in handled and not k.startswith("x-kublint-")]
        if unknown:
            raise Unsupported(f"keywords {unknown}")
        return checks

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
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _resolve(ref: str, root: Schema) -> tuple[Any, Schema]:
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


def fast_checker(schema_name: str, definition: str | None = None) -> Check | None:
    """The compiled first-stage check, or None when the schema uses a keyword it does not compile."""
    return _fast_checker(_stem(schema_name), definition)


@cache
def _fast_checker(schema_name: str, definition: str | None) -> Check | None:
    root = load_schema(schema_name)
    compiler = _Compiler()
    try:
        check = compiler.compile(_target(schema_name, definition), root)
    except Unsupported:
        return None
    _KNOWN_VALID.update(compiler.memo)
    return check


def is_valid(instance: Any, schema_name: str, definition: str | None = None) -> bool:
    check = fast_checker(schema_name, definition)
    if check is not None:
        return check(instance)
    return not any(True for _ in validator(schema_name, definition).iter_errors(instance))


# --- jsonschema (imported only when a document is invalid) ------------------------------------------------


def _known_valid(subschema: Any, value: Any) -> bool:
    if not isinstance(subschema, dict):
        return False
    check = _KNOWN_VALID.get(id(subschema))
    return check is not None and check(value)


@cache
def _validator_class() -> Any:
    jsonschema = importlib.import_module("jsonschema")
    errors = importlib.import_module("jsonschema.exceptions")
    base = jsonschema.Draft202012Validator
    original_items = base.VALIDATORS["items"]

    def pattern(validator: Any, patrn: str, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not _regex(patrn).search(_text(instance)):
            yield errors.ValidationError(f"{_text(instance)!r} does not match {patrn!r}")

    def min_length(validator: Any, limit: int, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and len(_text(instance)) < limit:
            yield errors.ValidationError(f"{_text(instance)!r} is too short")

    def max_length(validator: Any, limit: int, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and len(_text(instance)) > limit:
            yield errors.ValidationError(f"{_text(instance)!r} is too long")

    def properties(validator: Any, props: Schema, instance: Any, schema: Schema) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for name, sub in props.items():
            if name in instance and not _known_valid(sub, instance[name]):
                yield from validator.descend(instance[name], sub, path=name, schema_path=name)

    def items(validator: Any, item_schema: Any, instance: Any, schema: Schema) -> Iterator[Any]:
        if "prefixItems" in schema or item_schema is False or not validator.is_type(instance, "array"):
            yield from original_items(validator, item_schema, instance, schema)
            return
        for i, value in enumerate(instance):
            if not _known_valid(item_schema, value):
                yield from validator.descend(value, item_schema, path=i)

    checker = base.TYPE_CHECKER.redefine("string", lambda _checker, x: _is_string(x))
    return jsonschema.validators.extend(
        base,
        {"pattern": pattern, "minLength": min_length, "maxLength": max_length, "properties": properties,
         "items": items},
        type_checker=checker,
    )


def validator(schema_name: str, definition: str | None = None) -> Any:
    """A jsonschema validator for the schema (or one of its ``$defs``), built once."""
    return _validator(_stem(schema_name), definition)


@cache
def _validator(schema_name: str, definition: str | None) -> Any:
    referencing = importlib.import_module("referencing")
    specs = importlib.import_module("referencing.jsonschema")
    root = load_schema(schema_name)
    registry = referencing.Registry().with_resource(
        root["$id"], referencing.Resource.from_contents(root, default_specification=specs.DRAFT202012)
    )
    schema = root if definition is None else {"$schema": DRAFT, "$ref": f"{root['$id']}#/$defs/{definition}"}
    _target(schema_name, definition)  # a missing definition fails here, not at the first error
    fast_checker(schema_name, definition)  # registers the subschemas stage two may skip
    return _validator_class()(schema, registry=registry)


# --- errors -> Problems -----------------------------------------------------------------------------------


def did_you_mean(word: str, candidates: Iterable[Any]) -> str | None:
    """The candidate ``word`` was probably meant to be, or None: the same name in another case or without
    ``-``/``_``; one edit away (a letter added, dropped, changed or two swapped); the start of a candidate;
    else the closest spelling by difflib. Ties go to the candidate listed first."""
    names = [c for c in candidates if isinstance(c, str) and c != word]
    w = word.lower()
    squash = re.compile(r"[-_ ]")
    for same in (lambda c: c.lower() == w, lambda c: squash.sub("", c.lower()) == squash.sub("", w)):
        hit = next((c for c in names if same(c)), None)
        if hit:
            return hit
    if len(w) >= 4:
        hit = next((c for c in names if _one_edit(w, c.lower())), None)
        if hit:
            return hit
    if len(w) >= 3:
        hit = next((c for c in names if c.lower().startswith(w)), None)
        if hit:
            return hit
    best, best_ratio = None, 0.8
    for c in names:
        import difflib  # here: only a misspelling pays for it

        ratio = difflib.SequenceMatcher(None, w, c.lower()).ratio()
        if ratio > best_ratio or (ratio == best_ratio and best is None):
            best, best_ratio = c, ratio
    return best


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


def schema_problems(doc: YamlDocument, schema_name: str, definition: str | None = None) -> list[Problem]:
    """Every way ``doc`` breaks the schema (or its ``$defs/<definition>``), each where the fix goes."""
    check = fast_checker(schema_name, definition)
    if check is not None and check(doc.data):
        return []
    root = load_schema(schema_name)
    out: dict[tuple[Span, str], Problem] = {}
    for err in validator(schema_name, definition).iter_errors(doc.data):
        if doc.opaque and _judges_opaque(err, doc.opaque):
            continue
        for p in _convert(doc, root, err):
            out.setdefault((p.span, p.message), p)
    return sorted(out.values(), key=lambda p: (p.span.start.line, p.span.start.col, p.message))


def _judges_opaque(err: Any, opaque: tuple[PathKey, ...]) -> bool:
    """A vault or other tagged value is decided outside the file: no schema can judge it or what is in it."""
    path = tuple(err.absolute_path)
    return any(path[: len(o)] == o for o in opaque)


def _dotted(path: PathKey) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out


def _where(doc: YamlDocument, path: PathKey) -> str:
    if len(path) == 1 and path[0] in ("apiVersion", "kind"):
        return str(path[0])
    label = doc.kind or "the document"
    return f"{label} {_dotted(path)}" if path else label


def _anchor(doc: YamlDocument, path: PathKey, *extra: Any) -> str:
    return "/".join([doc.anchor, *(str(p) for p in path), *(str(e) for e in extra)])


def _show(x: Any) -> str:
    if isinstance(x, str):
        return json.dumps(x if len(x) <= 60 else x[:57] + "...", ensure_ascii=False)
    if isinstance(x, bool):
        return "true" if x else "false"
    if x is None:
        return "null"
    if isinstance(x, datetime.date):
        return x.isoformat()
    if isinstance(x, int | float):
        return repr(x)
    return "a map" if isinstance(x, dict) else "a list" if isinstance(x, list) else type(x).__name__


def _describe(x: Any) -> str:
    if isinstance(x, bool):
        return f"the boolean {_show(x)}"
    if isinstance(x, int):
        return f"the integer {x}"
    if isinstance(x, float):
        return f"the number {x!r}"
    if isinstance(x, str | datetime.date):
        return f"the string {_show(x)}" if isinstance(x, str) else f"the date {x.isoformat()}"
    if x is None:
        return "empty (null)"
    return _show(x)


def _parent_span(doc: YamlDocument, path: PathKey) -> Span:
    return doc.loc(*path, key=True) if path else doc.kind_span()


def _hints(schema: Any) -> dict[str, str]:
    h = schema.get("x-kublint-messages") if isinstance(schema, dict) else None
    return h if isinstance(h, dict) else {}


def _convert(doc: YamlDocument, root: Schema, err: Any) -> Iterator[Problem]:
    path: PathKey = tuple(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    hints = _hints(schema)
    kw = err.validator
    where = _where(doc, path)
    instance = err.instance
    schema_path = list(err.relative_schema_path)
    if len(schema_path) >= 2 and schema_path[-2] == "propertyNames" and isinstance(doc.get(*path), dict):
        note = hints.get(kw) or f"is not allowed here ({err.message})"
        yield Problem(f"{where}: key {_show(instance)} {note}", doc.loc(*path, instance, key=True),
                      anchor=_anchor(doc, path, instance))
    elif kw == "additionalProperties" and isinstance(instance, dict):
        yield from _unknown_keys(doc, root, schema, path, instance)
    elif kw == "required" and isinstance(instance, dict):
        for name in err.validator_value:
            if name not in instance:
                yield Problem(f'{where} lacks the required field "{name}"', _parent_span(doc, path),
                              anchor=_anchor(doc, path, name))
    elif kw == "type":
        actual = _json_type(instance)
        hint = hints.get(f"type/{actual}") or hints.get("type")
        span = doc.loc(*path)
        value = err.validator_value
        expected = [value] if isinstance(value, str) else list(value)
        raw = _raw(doc, span) if actual in ("integer", "number", "boolean") and "string" in expected else None
        if hint is None:
            wanted = [t for t in expected if t != "null"] or expected  # "or empty" goes without saying
            hint = "must be " + " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
            if raw:
                hint += ": quote it"
        if raw and hint.endswith("quote it"):
            hint += f' ("{raw}")'
        yield Problem(f"{where} is {_describe(instance)}, but {hint}", span, anchor=_anchor(doc, path))
    elif kw in ("enum", "const"):
        allowed = list(err.validator_value) if kw == "enum" else [err.validator_value]
        options = [o for o in allowed if o is not None] or allowed  # null is allowed, but not worth naming
        message = f"{where} is {_show(instance)}, not " + (
            f"one of {', '.join(_show(o) for o in options)}" if len(options) > 1 else _show(options[0]))
        suggest = schema.get("x-kublint-suggest", {})
        guess = None
        if isinstance(instance, str):
            guess = suggest.get(instance) or suggest.get(instance.lower()) or did_you_mean(instance, options)
        yield Problem(_sentence(message, guess, hints.get(kw)), doc.loc(*path), anchor=_anchor(doc, path))
    elif kw == "pattern":
        hint = hints.get("pattern") or f"does not match the expected form {err.validator_value}"
        yield Problem(f"{where} {_show(instance)} {hint}", doc.loc(*path), anchor=_anchor(doc, path))
    elif kw in _LIMIT_PHRASES:
        yield Problem(f"{where} is {_show(instance)}, but must be {_LIMIT_PHRASES[kw]} {err.validator_value}",
                      doc.loc(*path), anchor=_anchor(doc, path))
    elif kw == "uniqueItems" and isinstance(instance, list):
        dup = next(
            (j for j in range(len(instance)) if any(_equal(instance[i], instance[j]) for i in range(j))), None
        )
        if dup is None:
            yield Problem(f"{where}: {err.message}", doc.loc(*path), anchor=_anchor(doc, path))
        else:
            yield Problem(f"{where} lists {_show(instance[dup])} more than once", doc.loc(*path, dup),
                          anchor=_anchor(doc, path, dup))
    elif kw in ("oneOf", "anyOf") and not hints.get(kw) and err.context:
        yield from _convert(doc, root, _most_relevant(err.context))
    elif hints.get(kw):
        yield Problem(f"{where} {hints[kw]}", _parent_span(doc, path), anchor=_anchor(doc, path))
    else:
        yield Problem(f"{where}: {err.message}", doc.loc(*path), anchor=_anchor(doc, path))


def _most_relevant(errors: list[Any]) -> Any:
    """Of the branches of a oneOf/anyOf, the error of one the value was meant for (not a branch of another
    type), and the deepest there, which names the exact key or value."""
    candidates = [e for e in errors if e.validator != "type"] or list(errors)
    deepest = max(len(e.absolute_path) for e in candidates)
    candidates = [e for e in candidates if len(e.absolute_path) == deepest]
    return importlib.import_module("jsonschema.exceptions").best_match(candidates)


def _unknown_keys(doc: YamlDocument, root: Schema, schema: Schema, path: PathKey, instance: dict[Any, Any]
                  ) -> Iterator[Problem]:
    allowed = schema.get("properties", {})
    patterns = [_regex(p) for p in schema.get("patternProperties", {})]
    moved = schema.get("x-kublint-moved", {})
    consequence = root.get("x-kublint-unknown-field", "it is ignored")
    where = _where(doc, path)
    for key in instance:
        if key in allowed or any(p.search(str(key)) for p in patterns):
            continue
        name = str(key)
        span = doc.loc(*path, key, key=True)
        anchor = _anchor(doc, path, name)
        if name in moved:
            yield Problem(f"{moved[name]} ({consequence})", span, anchor=anchor)
            continue
        message = f'unknown field "{name}" in {where}'
        guess = did_you_mean(name, allowed)
        elsewhere = None if guess or path else _kind_with_field(root, doc.kind, name)
        if elsewhere:
            message += f": it is a {elsewhere} field, so move it to the {elsewhere} document"
        yield Problem(_sentence(message, guess, consequence), span, anchor=anchor)


def _sentence(message: str, guess: str | None, tail: str | None) -> str:
    if guess:
        message += f'; did you mean "{guess}"?'
    if tail:
        message += (" " if guess else "; ") + tail
    return message


def _raw(doc: YamlDocument, span: Span) -> str | None:
    """The value as written, for a one-line scalar."""
    if span.start.line != span.end.line:
        return None
    text = doc.source.line_text(span.start.line)[span.start.col - 1 : span.end.col - 1]
    return text or None


def _kind_with_field(root: Schema, kind: str, field: str) -> str | None:
    """For a top-level field unknown in ``kind``: the other kind of the same schema that has it."""
    kinds = root.get("properties", {}).get("kind", {}).get("enum", [])
    defs = root.get("$defs", {})
    for other in kinds:
        if other != kind and field in defs.get(other, {}).get("properties", {}):
            return str(other)
    return None
