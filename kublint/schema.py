"""JSON Schemas from ``schemas/``: validators built once, errors turned into Problems where the fix goes.

A document is checked in two stages. First a checker compiled from the schema into Python closures (the
subset of draft 2020-12 that kublint's schemas use; ``kublint.schema_fast``) answers valid or not. A valid
document costs only that, and jsonschema is never imported. Otherwise jsonschema finds the errors, descending
only into the parts the first stage rejects (a 5,000-node inventory with one bad node costs one node's
detailed validation), and each error becomes a Problem:

* an unknown key (``additionalProperties: false``) at the key itself, with a "did you mean" from the allowed
  names, or the schema's own note for a field that moved (``x-kublint-moved``);
* a missing required key at its parent object;
* a wrong type, value or form at the value, with the schema's note for it (``x-kublint-messages``, keyed by
  keyword, or ``type/<json type of the value>``);
* ``oneOf``/``anyOf`` as the schema's note, else the most relevant sub-error.

Schemas are found and parsed by ``kublint.schema_files``; "did you mean" is ``kublint.suggest``'s guess.
The ``x-kublint-*`` keywords are annotations: jsonschema ignores them. YAML timestamps (``2026-06-01`` loads
as a date) count as strings, as they would after kubeadm's YAML-to-JSON conversion.
"""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from kublint.findings import Problem
from kublint.parsers.yaml import PathKey, YamlDocument
from kublint.schema_fast import as_text, equal, fast_checker, is_string, json_type, known_valid, regex
from kublint.schema_files import DRAFT, Schema, load_schema, schema_names, stem, target
from kublint.source import Span
from kublint.suggest import closest

__all__ = ["fast_checker", "is_valid", "load_schema", "schema_names", "schema_problems", "validator"]

_LIMIT_PHRASES = {
    "minimum": "at least", "maximum": "at most",
    "exclusiveMinimum": "greater than", "exclusiveMaximum": "less than",
}
_TYPE_NAMES = {
    "object": "a map", "array": "a list", "string": "a string", "integer": "an integer", "number": "a number",
    "boolean": "true or false", "null": "empty (null)",
}


def is_valid(instance: Any, schema_name: str, definition: str | None = None) -> bool:
    check = fast_checker(schema_name, definition)
    if check is not None:
        return check(instance)
    return not any(True for _ in validator(schema_name, definition).iter_errors(instance))


# --- jsonschema (imported only when a document is invalid) ------------------------------------------------


@cache
def _validator_class() -> Any:
    jsonschema = importlib.import_module("jsonschema")
    errors = importlib.import_module("jsonschema.exceptions")
    base = jsonschema.Draft202012Validator
    original_items = base.VALIDATORS["items"]

    def pattern(validator: Any, patrn: str, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not regex(patrn).search(as_text(instance)):
            yield errors.ValidationError(f"{as_text(instance)!r} does not match {patrn!r}")

    def min_length(validator: Any, limit: int, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and len(as_text(instance)) < limit:
            yield errors.ValidationError(f"{as_text(instance)!r} is too short")

    def max_length(validator: Any, limit: int, instance: Any, schema: Schema) -> Iterator[Any]:
        if validator.is_type(instance, "string") and len(as_text(instance)) > limit:
            yield errors.ValidationError(f"{as_text(instance)!r} is too long")

    def properties(validator: Any, props: Schema, instance: Any, schema: Schema) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        for name, sub in props.items():
            if name in instance and not known_valid(sub, instance[name]):
                yield from validator.descend(instance[name], sub, path=name, schema_path=name)

    def items(validator: Any, item_schema: Any, instance: Any, schema: Schema) -> Iterator[Any]:
        if "prefixItems" in schema or item_schema is False or not validator.is_type(instance, "array"):
            yield from original_items(validator, item_schema, instance, schema)
            return
        for i, value in enumerate(instance):
            if not known_valid(item_schema, value):
                yield from validator.descend(value, item_schema, path=i)

    checker = base.TYPE_CHECKER.redefine("string", lambda _checker, x: is_string(x))
    return jsonschema.validators.extend(
        base,
        {"pattern": pattern, "minLength": min_length, "maxLength": max_length, "properties": properties,
         "items": items},
        type_checker=checker,
    )


def validator(schema_name: str, definition: str | None = None) -> Any:
    """A jsonschema validator for the schema (or one of its ``$defs``), built once."""
    return _validator(stem(schema_name), definition)


@cache
def _validator(schema_name: str, definition: str | None) -> Any:
    referencing = importlib.import_module("referencing")
    specs = importlib.import_module("referencing.jsonschema")
    root = load_schema(schema_name)
    registry = referencing.Registry().with_resource(
        root["$id"], referencing.Resource.from_contents(root, default_specification=specs.DRAFT202012)
    )
    schema = root if definition is None else {"$schema": DRAFT, "$ref": f"{root['$id']}#/$defs/{definition}"}
    target(schema_name, definition)  # a missing definition fails here, not at the first error
    fast_checker(schema_name, definition)  # registers the subschemas stage two may skip
    return _validator_class()(schema, registry=registry)

# --- errors -> Problems -----------------------------------------------------------------------------------


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
        actual = json_type(instance)
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
            guess = suggest.get(instance) or suggest.get(instance.lower()) or closest(instance, options)
        yield Problem(_sentence(message, guess, hints.get(kw)), doc.loc(*path), anchor=_anchor(doc, path))
    elif kw == "pattern":
        hint = hints.get("pattern") or f"does not match the expected form {err.validator_value}"
        yield Problem(f"{where} {_show(instance)} {hint}", doc.loc(*path), anchor=_anchor(doc, path))
    elif kw in _LIMIT_PHRASES:
        yield Problem(f"{where} is {_show(instance)}, but must be {_LIMIT_PHRASES[kw]} {err.validator_value}",
                      doc.loc(*path), anchor=_anchor(doc, path))
    elif kw == "uniqueItems" and isinstance(instance, list):
        dup = next(
            (j for j in range(len(instance)) if any(equal(instance[i], instance[j]) for i in range(j))), None
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
    patterns = [regex(p) for p in schema.get("patternProperties", {})]
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
        guess = closest(name, allowed)
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
