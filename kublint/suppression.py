"""Inline directives (``# kublint: ignore=ET102 -- reason``), per-file ignores and baselines.

Directives are read from raw lines behind the comment characters of the file's kind, so a ``#`` inside a
quoted YAML string that happens to spell a directive is read as one: an accepted, documented imprecision.

This module only reads directives and applies them. What is wrong with a directive (unused: SY005, naming no
rule: SY006) is judged by those rules' own modules, which the engine runs on the ``Judged`` directives after
they were matched with the findings; nothing here imports a rule.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterable
from typing import NamedTuple

from kublint.findings import Finding
from kublint.model.files import Kind, ParsedFile
from kublint.source import Pos, Span

VERBS = ("ignore-next-line", "ignore", "disable-file", "disable", "enable")
_DIRECTIVE = re.compile(
    r"(?P<mark>[#;!])\s*kublint:\s*(?P<verb>ignore-next-line|ignore|disable-file|disable|enable)\s*=\s*"
    r"(?P<ids>[A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)"
    r"(?:\s+until=(?P<until>\S+))?"
    r"(?:\s+--\s*(?P<reason>.*))?\s*$"
)
UNSUPPRESSIBLE = frozenset({"SY900", "SY005", "SY006"})


def comment_marks(kind: Kind | None) -> str:
    if kind in (Kind.ANSIBLE_INVENTORY, Kind.SYSTEMD_UNIT):
        return "#;"
    if kind is not None and kind.value == "keepalived":
        return "#!"
    return "#"


class Directive:
    __slots__ = ("covers", "ids", "line", "path", "reason", "refs", "span", "until", "used", "verb")

    path: str
    line: int
    verb: str
    refs: list[tuple[str, Span]]  # as written, with the span of each
    span: Span
    until: dt.date | None
    reason: str | None
    covers: tuple[int, int]  # first and last line covered (inclusive)
    used: set[str]  # rule ids it suppressed
    ids: dict[str, str]  # ref -> rule id, for the known ones

    def __init__(
        self,
        path: str,
        line: int,
        verb: str,
        refs: list[tuple[str, Span]],
        span: Span,
        until: dt.date | None,
        reason: str | None,
        covers: tuple[int, int] = (0, 0),
        used: set[str] | None = None,
        ids: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.verb = verb
        self.refs = refs
        self.span = span
        self.until = until
        self.reason = reason
        self.covers = covers
        self.used = set() if used is None else used
        self.ids = {} if ids is None else ids


def scan(f: ParsedFile) -> list[Directive]:
    marks = comment_marks(f.kind)
    text = f.source.text
    if "kublint:" not in text:
        return []
    found: list[Directive] = []
    opened: dict[str, Directive] = {}
    n = f.source.line_count
    for lineno in range(1, n + 1):
        raw = f.source.line_text(lineno)
        if "kublint:" not in raw:
            continue
        m = _DIRECTIVE.search(raw)
        if m is None or m.group("mark") not in marks:
            continue
        refs = []
        ids_start = m.start("ids")
        for part in re.finditer(r"[A-Za-z0-9_.\-]+", m.group("ids")):
            s, e = ids_start + part.start(), ids_start + part.end()
            refs.append((part.group(0), Span(f.path, Pos(lineno, s + 1), Pos(lineno, e + 1))))
        until = None
        if m.group("until"):
            try:
                until = dt.date.fromisoformat(m.group("until"))
            except ValueError:
                until = dt.date.min  # an unreadable date expires at once, and says so
        span = Span(f.path, Pos(lineno, m.start("mark") + 1), Pos(lineno, len(raw.rstrip()) + 1))
        d = Directive(f.path, lineno, m.group("verb"), refs, span, until, m.group("reason"))
        if d.verb == "ignore":
            d.covers = (lineno, lineno)
        elif d.verb == "ignore-next-line":
            nxt = lineno + 1
            while nxt <= n and _is_blank_or_comment(f.source.line_text(nxt), marks):
                nxt += 1
            d.covers = (nxt, nxt)
        elif d.verb == "disable-file":
            d.covers = (1, n)
        elif d.verb == "disable":
            d.covers = (lineno, n)
            for ref, _ in refs:
                opened[ref] = d
        elif d.verb == "enable":
            for ref, _ in refs:
                start = opened.pop(ref, None)
                if start is not None:
                    start.covers = (start.covers[0], lineno)
            continue  # an enable suppresses nothing itself
        found.append(d)
    return found


def _is_blank_or_comment(line: str, marks: str) -> bool:
    s = line.strip()
    return not s or s[0] in marks


class Judged(NamedTuple):
    """A cluster's inline directives once matched with its findings: what SY005 and SY006 judge."""

    directives: list[Directive]  # in file order, each with the rule ids it suppressed (``used``)
    selected: set[str]  # the ids that ran: a directive naming a rule that did not run is not unused
    resolve_ref: dict[str, str]  # every known code and name -> its rule id
    today: dt.date  # until= dates before it have expired


class Outcome(NamedTuple):
    findings: list[Finding]
    judged: Judged | None  # None: no directive in the files


def resolve(ref: str, resolve_ref: dict[str, str]) -> str | None:
    """The rule id a directive's reference names (codes in any case), or None."""
    return resolve_ref.get(ref.upper(), resolve_ref.get(ref))


def apply_inline(findings: list[Finding], files: Iterable[ParsedFile], selected: set[str],
                 resolve_ref: dict[str, str], today: dt.date) -> Outcome:
    """Mark the findings that directives cover, and return the directives for SY005 and SY006 to judge.

    ``resolve_ref`` maps every known code and name to its rule id. ``selected`` are the ids that ran.
    """
    directives: dict[str, list[Directive]] = {}
    for f in files:
        ds = scan(f)
        if ds:
            directives[f.path] = ds
    if not directives:
        return Outcome(findings, None)
    out: list[Finding] = []
    for finding in findings:
        hit = None
        if finding.rule_id not in UNSUPPRESSIBLE:
            for d in directives.get(finding.span.path, ()):
                if d.until is not None and d.until < today:
                    continue
                if not d.covers[0] <= finding.span.line <= d.covers[1]:
                    continue
                for ref, _ in d.refs:
                    if resolve(ref, resolve_ref) == finding.rule_id:
                        hit = d
                        d.used.add(finding.rule_id)
                        break
                if hit:
                    break
        if hit is not None:
            out.append(_suppressed(finding, "inline"))
        else:
            out.append(finding)
    judged = Judged([d for ds in directives.values() for d in ds], selected, resolve_ref, today)
    return Outcome(out, judged)


def _suppressed(f: Finding, how: str) -> Finding:
    return f._replace(suppressed_by=how)


def apply_per_file(findings: list[Finding], patterns: dict[str, tuple[str, ...]], root_of: dict[str, str],
                   resolve_ids: dict[str, set[str]]) -> list[Finding]:
    """``per-file-ignores``: globs match the path as reported or relative to the cluster root."""
    if not patterns:
        return findings
    out = []
    for f in findings:
        rel = root_of.get(f.span.path, f.span.path)
        hit = f.rule_id not in UNSUPPRESSIBLE and any(
            (fnmatch.fnmatch(f.span.path, g) or fnmatch.fnmatch(rel, g)) and f.rule_id in resolve_ids[g]
            for g in patterns
        )
        out.append(_suppressed(f, "per-file-ignores") if hit else f)
    return out
