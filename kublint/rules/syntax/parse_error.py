"""SY001: see rules/SY001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.rules.api import rule


@rule("SY001", on="file")
def parse_error(f: ParsedFile) -> Iterator[Problem]:
    yield from f.problems.get("SY001", ())
