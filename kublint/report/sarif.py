"""SARIF 2.1.0 for GitHub code scanning (DESIGN.md section 5, research/peers.md sections 4 and 9).

One run; every selected rule in ``tool.driver.rules``; results with repo-relative, percent-encoded URIs under
``%SRCROOT%``, full regions in code points and line-free ``partialFingerprints``. Suppressed findings are left
out unless asked for, and a run never holds more results than GitHub accepts. The stream gets nothing but
the SARIF document.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TextIO
from urllib.parse import quote

from kublint.catalogue import RuleCard, catalogue
from kublint.discovery import path_bytes
from kublint.engine import Report
from kublint.findings import Finding, Related, Severity
from kublint.source import Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/kublint/kublint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "kublint/v1"
MAX_RESULTS = 25_000  # GitHub rejects a run with more results
MAX_TAGS = 20  # GitHub rejects a rule with more tags
MAX_DESCRIPTION = 1024  # GitHub's limit on shortDescription and fullDescription

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}

_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_DRIVE = re.compile(r"^[A-Za-z]:/")
# suppressed_by prefixes that name a suppression kept outside the linted file
_EXTERNAL = ("baseline", "config", "external")


class Region(NamedTuple):
    """A SARIF region: 1-based lines and code-point columns, end column exclusive, never empty on one line."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, span: Span) -> Region:
        start_line = max(1, span.start.line)
        start_column = max(1, span.start.col)
        end_line = max(start_line, span.end.line)
        end_column = max(1, span.end.col)
        if end_line == start_line:
            end_column = max(end_column, start_column + 1)
        return cls(start_line, start_column, end_line, end_column)

    def as_dict(self) -> dict[str, int]:
        return {
            "startLine": self.start_line,
            "startColumn": self.start_column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
        }


class Selection(NamedTuple):
    """The results that go into the run, in report order, and how many were left out for GitHub's limit."""

    findings: tuple[Finding, ...]
    total: int

    @property
    def omitted(self) -> int:
        return self.total - len(self.findings)

    @classmethod
    def of(cls, findings: Sequence[Finding], limit: int = MAX_RESULTS) -> Selection:
        if len(findings) <= limit:
            return cls(tuple(findings), len(findings))
        # the most severe first (unsuppressed before suppressed), then report order; emitted in report order
        ranked = sorted(range(len(findings)),
                        key=lambda i: (findings[i].suppressed_by is not None, -findings[i].severity, i))
        return cls(tuple(findings[i] for i in sorted(ranked[:limit])), len(findings))


def artifact_location(path: str) -> dict[str, str]:
    """A '/'-separated display path as a SARIF artifactLocation: relative paths under %SRCROOT%."""
    raw = path_bytes(path)  # a quoted display path ("bad-\\377.yaml") names these bytes: the URI encodes them
    if _DRIVE.match(path):
        return {"uri": f"file:///{path[:2]}{quote(raw[2:])}"}
    if raw.startswith(b"/"):
        return {"uri": "file://" + quote(raw)}
    return {"uri": quote(raw), "uriBaseId": SRCROOT}


def _cap(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first_paragraph(body: str, heading: str = "## What it checks") -> str:
    _, found, rest = body.partition(heading)
    if not found:
        return ""
    lines: list[str] = []
    for line in rest.splitlines()[1:]:
        if line.startswith("#") or (not line.strip() and lines):
            break
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines)


def rule_descriptor(card: RuleCard) -> dict[str, Any]:
    properties: dict[str, Any] = {"tags": list(dict.fromkeys(card.tags))[:MAX_TAGS], "precision": "high"}
    if "security" in card.tags:
        properties["security-severity"] = SECURITY_SEVERITY[card.severity]
    return {
        "id": card.id,
        "name": card.name,
        "shortDescription": {"text": _cap(card.summary, MAX_DESCRIPTION)},
        "fullDescription": {"text": _cap(_first_paragraph(card.body) or card.summary, MAX_DESCRIPTION)},
        "help": {"text": card.body, "markdown": card.body},
        "defaultConfiguration": {"level": LEVEL[card.severity]},
        "properties": properties,
    }


def _rule_ids(report: Report, findings: Iterable[Finding], cards: dict[str, RuleCard]) -> list[str]:
    """The selected rules, then any rule that has a result but was not listed as selected."""
    ids = dict.fromkeys(report.selected)
    ids.update(dict.fromkeys(f.rule_id for f in findings))
    return [i for i in ids if i in cards]


def suppression(reason: str) -> dict[str, str]:
    kind = "external" if reason.strip().lower().startswith(_EXTERNAL) else "inSource"
    out = {"kind": kind}
    if reason.strip():
        out["justification"] = reason.strip()
    return out


def _location(span: Span) -> dict[str, Any]:
    return {"artifactLocation": artifact_location(span.path), "region": Region.of(span).as_dict()}


def _related(n: int, r: Related) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n, "physicalLocation": _location(r.span)}
    if r.message:
        out["message"] = {"text": r.message}
    return out


def result(f: Finding, rule_index: int | None, include_suppressed: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": f.rule_id}
    if rule_index is not None:
        out["ruleIndex"] = rule_index
    out["level"] = LEVEL[f.severity]
    out["message"] = {"text": f.message if f.message.strip() else f"{f.rule_id} {f.rule_name}"}
    out["locations"] = [{"physicalLocation": _location(f.span)}]
    if f.related:
        out["relatedLocations"] = [_related(n, r) for n, r in enumerate(f.related, start=1)]
    out["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if include_suppressed:  # SARIF 3.27.23: either every result of a run has suppressions or none has
        out["suppressions"] = [] if f.suppressed_by is None else [suppression(f.suppressed_by)]
    return out


def _truncation(sel: Selection) -> tuple[dict[str, Any], dict[str, Any]]:
    properties = {"resultsTruncated": True, "resultLimit": MAX_RESULTS, "totalResults": sel.total,
                  "omittedResults": sel.omitted}
    notification = {
        "level": "warning",
        "descriptor": {"id": "kublint/results-truncated"},
        "message": {"text": f"kublint found {sel.total} results; GitHub code scanning accepts at most "
                            f"{MAX_RESULTS} per run, so the {sel.omitted} least severe were left out. "
                            "Run kublint with another format to see them all."},
    }
    return properties, notification


def _srcroot_uri(srcroot: str | os.PathLike[str] | None) -> str:
    uri = Path(srcroot if srcroot is not None else Path.cwd()).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def as_dict(report: Report, include_suppressed: bool = False, *,
            srcroot: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The SARIF log. ``srcroot``: what the paths are relative to (default: the working directory)."""
    cards = catalogue()
    findings = [f for f in report.findings if include_suppressed or f.suppressed_by is None]
    sel = Selection.of(findings)
    rule_ids = _rule_ids(report, sel.findings, cards)
    index = {rule_id: n for n, rule_id in enumerate(rule_ids)}
    driver: dict[str, Any] = {"name": "kublint", "version": report.version}
    if _SEMVER.match(report.version):
        driver["semanticVersion"] = report.version
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [rule_descriptor(cards[i]) for i in rule_ids]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {
            "uri": _srcroot_uri(srcroot),
            "description": {"text": "The directory kublint ran in: the repository root in GitHub Actions."},
        }},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index.get(f.rule_id), include_suppressed) for f in sel.findings],
    }
    if sel.omitted:
        run["properties"], notification = _truncation(sel)
        invocation["toolExecutionNotifications"] = [notification]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, out: TextIO, *, include_suppressed: bool = False,
           srcroot: str | os.PathLike[str] | None = None, **_: object) -> None:
    json.dump(as_dict(report, include_suppressed, srcroot=srcroot), out, indent=2)
    out.write("\n")
