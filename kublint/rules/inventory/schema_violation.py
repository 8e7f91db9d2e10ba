"""IV001: see rules/IV001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.rules.api import rule
from kublint.schema import schema_problems


@rule("IV001")
def schema_violation(cluster: Cluster) -> Iterator[Problem]:
    for f in cluster.files:
        if f.kind is not Kind.INVENTORY:
            continue
        for doc in f.documents:
            if doc.api_version.startswith("kublint.dev/") and doc.kind == "Inventory":
                yield from schema_problems(doc, "inventory")
