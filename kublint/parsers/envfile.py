"""Environment files (``KEY=value`` lines, optionally ``export``ed and quoted), as kubespray writes "
    "etcd.env."""

from __future__ import annotations

import re
from typing import NamedTuple

from kublint.source import Pos, SourceFile, Span

_LINE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")


class EnvEntry(NamedTuple):
    key: str
    value: str
    key_span: Span
    value_span: Span


def parse_env(source: SourceFile) -> list[EnvEntry]:
    out: list[EnvEntry] = []
    for lineno in range(1, source.line_count + 1):
        raw = source.line_text(lineno)
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        m = _LINE.match(raw)
        if not m:
            continue
        value = m.group("value").rstrip()
        vstart = m.start("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, vstart, vend = value[1:-1], vstart + 1, vstart + len(value) - 1
        else:
            if " #" in value:
                value = value[: value.index(" #")].rstrip()
            vend = vstart + len(value)
        out.append(
            EnvEntry(
                m.group("key"),
                value,
                Span(source.path, Pos(lineno, m.start("key") + 1), Pos(lineno, m.end("key") + 1)),
                Span(source.path, Pos(lineno, vstart + 1), Pos(lineno, max(vstart, vend) + 1)),
            )
        )
    return out


def looks_like_etcd_env(text: str) -> bool:
    return (
        sum(1 for line in text.splitlines()[:500] if _LINE.match(line) and "ETCD_" in line.split("=")[0]) >= 2
    )
