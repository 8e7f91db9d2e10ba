"""The JSON Schema of etcd's config file by version (schemas/etcd-config.schema.json), made from the key
tables the etcd rules use, so that the two never disagree; a test checks the file is current."""

from __future__ import annotations

from typing import Any

from kublint.rules.etcd._keys import DURATION_KEYS, SECURITY_BLOCKS, VERSIONS, security_keys, top_level_keys

URL_LISTS = (
    "listen-peer-urls",
    "listen-client-urls",
    "listen-client-http-urls",
    "initial-advertise-peer-urls",
    "advertise-client-urls",
    "listen-metrics-urls",
)
MILLISECONDS = ("heartbeat-interval", "election-timeout")
LISTS = ("log-outputs", "cipher-suites")


def _key_schema(key: str) -> dict[str, Any]:
    if key in DURATION_KEYS:
        return {"type": "integer", "minimum": 0, "description": "a duration in integer nanoseconds"}
    if key in MILLISECONDS:
        return {"type": "integer", "minimum": 0, "description": "milliseconds"}
    if key in URL_LISTS:
        return {"type": "string", "description": "comma-separated URLs"}
    if key in LISTS:
        return {"type": "array", "items": {"type": "string"}}
    return {}


def etcd_config_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for t in VERSIONS:
        name = f"v{t[0]}.{t[1]}"
        security = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: {} for k in sorted(security_keys(t))},
        }
        props: dict[str, Any] = {k: _key_schema(k) for k in sorted(top_level_keys(t))}
        for block in SECURITY_BLOCKS:
            props[block] = {"$ref": f"#/$defs/{name}-security"}
        defs[name] = {"type": "object", "additionalProperties": False, "properties": props}
        defs[f"{name}-security"] = security
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kublint.dev/schemas/etcd-config.schema.json",
        "title": "etcd --config-file by version (3.5, 3.6, 3.7); older versions read as 3.5, newer as 3.7",
        "description": "Generated from kublint/rules/etcd/_keys.py by kublint.rules.etcd._schema; "
        "unknown keys are ignored by etcd itself, which is why kublint reports them (ET001).",
        "$defs": defs,
        "$ref": f"#/$defs/v{VERSIONS[-1][0]}.{VERSIONS[-1][1]}",
    }
