"""SY002: see rules/SY002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.rules.api import rule


@rule("SY002", on="file")
def duplicate_key(f: ParsedFile) -> Iterator[Problem]:
    yield from f.problems.get("SY002", ())
