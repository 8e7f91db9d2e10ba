"""One line a finding: ``path:line:col: ID [severity] message``. The format of test expectations."""

from __future__ import annotations

from typing import TextIO

from kublint.engine import Report
from kublint.text import visible


def render(report: Report, out: TextIO, **_: object) -> None:
    for f in report.findings:
        if f.suppressed_by:
            continue
        msg = visible(f.message.replace("\n", " "))  # paths are quoted already (discovery.quote_path)
        out.write(f"{f.span.path}:{f.span.line}:{f.span.col}: {f.rule_id} [{f.severity.label}] {msg}\n")
