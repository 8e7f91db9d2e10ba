"""The JSON Schemas of ``schemas/``, found by name and parsed once."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from kublint.resources import schemas_dir

Schema = dict[str, Any]

SUFFIX = ".schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def stem(schema_name: str) -> str:
    """``inventory`` for ``inventory`` or ``inventory.schema.json``."""
    return schema_name[: -len(SUFFIX)] if schema_name.endswith(SUFFIX) else schema_name


def load_schema(schema_name: str) -> Schema:
    """The schema ``schemas/<name>.schema.json`` (``name`` with or without the suffix), parsed once."""
    return _load(stem(schema_name))


@cache
def _load(name: str) -> Schema:
    path = schemas_dir() / f"{name}{SUFFIX}"
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a schema is a JSON object")
    return data


def schema_names() -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in schemas_dir().glob(f"*{SUFFIX}"))


def target(schema_name: str, definition: str | None) -> Schema:
    """The schema, or its ``$defs/<definition>``."""
    root = load_schema(schema_name)
    if definition is None:
        return root
    defs = root.get("$defs", {})
    if definition not in defs:
        raise KeyError(f"schema {stem(schema_name)} has no definition {definition!r}")
    sub = defs[definition]
    if not isinstance(sub, dict):
        raise ValueError(f"schema {stem(schema_name)} definition {definition!r} is not an object")
    return sub
