"""GitHub Actions annotations: one workflow command a finding, then plain summary lines.

Escaping is that of the Actions toolkit (``@actions/core`` command.ts, research/peers.md section 5): ``%``, CR
and LF in the message; also ``:`` and ``,`` in property values. ``col`` and ``endColumn`` are sent only when
the region is on one line, as the toolkit requires. GitHub shows only 10 annotations of a level per step, so
a plain note says so and points at the SARIF upload when there are more.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple, TextIO

from kublint.engine import Report
from kublint.findings import Finding, Severity
from kublint.text import visible

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_LEVEL = 10  # annotations of one level GitHub displays per step


def escape_data(text: str) -> str:
    # control characters as \x1b: the log viewer would interpret an ESC in a message or a file name
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Annotation(NamedTuple):
    """One workflow command. Columns are 1-based code points; ``end_column`` is inclusive (toolkit style)."""

    command: str
    file: str
    line: int
    end_line: int
    col: int | None
    end_column: int | None
    title: str
    message: str

    @classmethod
    def of(cls, f: Finding) -> Annotation:
        line = max(1, f.span.start.line)
        end_line = max(line, f.span.end.line)
        col: int | None = None
        end_column: int | None = None
        if end_line == line:
            col = max(1, f.span.start.col)
            end_column = max(col, f.span.end.col - 1)  # the span's end is exclusive
        text = f.message if f.message.strip() else f.rule_name
        related = [f"(see {r.span.path}:{r.span.start.line})" + (f" {r.message}" if r.message else "")
                   for r in f.related]
        return cls(COMMAND[f.severity], f.span.path, line, end_line, col, end_column,
                   f"{f.rule_id} {f.rule_name}", "\n".join([text, *related]))

    def properties(self) -> list[tuple[str, str]]:
        props = [("file", self.file), ("line", str(self.line)), ("endLine", str(self.end_line))]
        if self.col is not None and self.end_column is not None:
            props += [("col", str(self.col)), ("endColumn", str(self.end_column))]
        props.append(("title", self.title))
        return props

    def format(self) -> str:
        props = ",".join(f"{key}={escape_property(value)}" for key, value in self.properties())
        return f"::{self.command} {props}::{escape_data(self.message)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    c = report.counts()
    total = sum(c.values())
    where = f"in {_plural(report.files, 'file')} of {_plural(report.clusters, 'cluster')}"
    suppressed = sum(1 for f in report.findings if f.suppressed_by is not None)
    tail = f" ({suppressed} suppressed)" if suppressed else ""
    if not total:
        return f"kublint: no problems found {where}{tail}."
    return (f"kublint: {_plural(total, 'problem')} ({_plural(c['error'], 'error')}, "
            f"{_plural(c['warning'], 'warning')}, {c['info']} info) {where}{tail}.")


def limit_note(report: Report) -> str | None:
    """A plain note when some level has more annotations than GitHub shows, else None."""
    per_command = Counter(COMMAND[f.severity] for f in report.findings if f.suppressed_by is None)
    over = [_plural(per_command[c], c) for c in COMMAND.values() if per_command[c] > SHOWN_PER_LEVEL]
    if not over:
        return None
    return (f"kublint: GitHub shows only {SHOWN_PER_LEVEL} annotations of each level per step, "
            f"and this run has {' and '.join(over)}. Upload the SARIF report (-f sarif:kublint.sarif, then "
            "github/codeql-action/upload-sarif) to see every finding in code scanning.")


def render(report: Report, out: TextIO, **_: object) -> None:
    for f in report.findings:
        if f.suppressed_by is None:
            out.write(Annotation.of(f).format() + "\n")
    out.write(summary(report) + "\n")
    note = limit_note(report)
    if note:
        out.write(note + "\n")
