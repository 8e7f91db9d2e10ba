"""SY900: see rules/SY900.md. The engine reports this when a rule raises; it cannot be suppressed."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.files import ParsedFile
from kublint.rules.api import rule
from kublint.source import Span, whole_file_span


def crash_problem(rule_id: str, target: ParsedFile | Cluster, exc: BaseException, tb: str) -> Problem:
    last = tb.strip().splitlines()[-3].strip() if tb.strip().count("\n") >= 2 else ""
    where = f" at {last}" if last.startswith("File ") else ""
    return Problem(
        f"rule {rule_id} crashed on this input: {type(exc).__name__}: {exc}{where}. "
        "This is a kublint bug; the other rules ran. Please report it with the file.",
        _span(target),
        anchor=f"crash:{rule_id}",
    )


def _span(target: ParsedFile | Cluster) -> Span:
    if isinstance(target, ParsedFile):
        return target.source.start_span()
    for f in target.files:
        if f.kind is not None:
            return f.source.start_span()
    return whole_file_span(target.root)


@rule("SY900", on="engine")
def rule_crashed(
    rule_id: str, target: ParsedFile | Cluster, exc: BaseException, tb: str
) -> Iterator[Problem]:
    """Called by the engine (through the registry) when rule ``rule_id`` raised ``exc`` on ``target``."""
    yield crash_problem(rule_id, target, exc, tb)
