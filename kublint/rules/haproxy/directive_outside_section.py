"""HP002: see rules/HP002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.parsers.haproxy import HaproxyConfig
from kublint.rules.api import rule


@rule("HP002", on="file")
def directive_outside_section(f: ParsedFile) -> Iterator[Problem]:
    if not isinstance(f.content, HaproxyConfig):
        return
    for p in f.problems.get("HP002", ()):
        yield Problem(
            f"{p.message} (haproxy -c: unknown keyword out of section); move it under the section it belongs "
            "to (global, defaults, frontend, backend or listen), or add the missing section header above it",
            p.span, p.related, p.anchor,
        )
