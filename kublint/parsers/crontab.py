"""crontab lines: five schedule fields (or an @keyword) then, in system crontabs, a user, then the command."""

from __future__ import annotations

import re
from typing import NamedTuple

from kublint.source import Pos, SourceFile, Span

_FIELD = r"[0-9*/,\-A-Za-z?LW#]+"
_LINE = re.compile(rf"^\s*(?P<sched>@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|"
                   rf"{_FIELD}\s+{_FIELD}\s+{_FIELD}\s+{_FIELD}\s+{_FIELD})\s+(?P<cmd>\S.*)$")
_ENV = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")


class CronEntry(NamedTuple):
    schedule: str
    command: str
    schedule_span: Span
    span: Span  # the whole line


def parse_crontab(source: SourceFile) -> list[CronEntry]:
    entries: list[CronEntry] = []
    for lineno in range(1, source.line_count + 1):
        raw = source.line_text(lineno)
        s = raw.strip()
        if not s or s.startswith("#") or _ENV.match(raw):
            continue
        m = _LINE.match(raw)
        if not m:
            continue
        sched_start = m.start("sched")
        entries.append(
            CronEntry(
                " ".join(m.group("sched").split()),
                m.group("cmd"),
                Span(source.path, _p(lineno, sched_start), _p(lineno, m.end("sched"))),
                source.line_span(lineno),
            )
        )
    return entries


def _p(line: int, offset: int) -> Pos:
    return Pos(line, offset + 1)


# etcd's own tools, and Talos's (talosctl etcd snapshot, which streams a snapshot from a control-plane node)
_SNAPSHOT = re.compile(
    r"\b(?:etcdctl|etcdutl)\b.*\bsnapshot\s+save\b|\btalosctl\b.*\betcd\s+snapshot\b", re.S
)


def runs_etcd_snapshot(command: str) -> bool:
    return bool(_SNAPSHOT.search(command))
