"""SY004: see rules/SY004.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.rules.api import rule


@rule("SY004", on="file")
def unreadable_file(f: ParsedFile) -> Iterator[Problem]:
    for p in f.problems.get("SY004", ()):
        yield Problem(f"file skipped: {p.message}", p.span, anchor="file")
