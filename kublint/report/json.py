"""The JSON report (schemas/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from kublint.engine import Report


def as_dict(report: Report) -> dict[str, Any]:
    findings = []
    for f in report.findings:
        if f.suppressed_by:
            continue
        findings.append(
            {
                "rule": f.rule_id,
                "name": f.rule_name,
                "severity": f.severity.label,
                "message": f.message,
                "path": f.span.path,
                "line": f.span.start.line,
                "column": f.span.start.col,
                "endLine": f.span.end.line,
                "endColumn": f.span.end.col,
                "fingerprint": f.fingerprint,
                "related": [
                    {
                        "path": r.span.path,
                        "line": r.span.start.line,
                        "column": r.span.start.col,
                        "message": r.message,
                    }
                    for r in f.related
                ],
            }
        )
    summary: dict[str, int] = dict(report.counts())
    summary["files"] = report.files
    summary["clusters"] = report.clusters
    return {"version": 1, "kublint": report.version, "findings": findings, "summary": summary}


def render(report: Report, out: TextIO, **_: object) -> None:
    json.dump(as_dict(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
