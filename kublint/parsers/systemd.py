"""systemd unit files: ``[Section]`` headers and ``Key=Value`` lines, each value with its span."""

from __future__ import annotations

from typing import NamedTuple

from kublint.source import Pos, SourceFile, Span


class UnitEntry(NamedTuple):
    section: str
    key: str
    value: str
    key_span: Span
    value_span: Span


class UnitFile:
    __slots__ = ("entries",)

    entries: list[UnitEntry]

    def __init__(self, entries: list[UnitEntry] | None = None) -> None:
        self.entries = [] if entries is None else entries

    def get(self, section: str, key: str) -> list[UnitEntry]:
        return [e for e in self.entries if e.section == section and e.key == key]

    def sections(self) -> set[str]:
        return {e.section for e in self.entries}


def parse_unit(source: SourceFile) -> UnitFile:
    unit = UnitFile()
    section = ""
    lineno = 0
    while lineno < source.line_count:
        lineno += 1
        raw = source.line_text(lineno)
        s = raw.strip()
        if not s or s[0] in "#;":
            continue
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
            continue
        key, sep, value = raw.partition("=")
        if not sep:
            continue
        vcol = len(key) + 1
        lead = len(value) - len(value.lstrip())
        start = Pos(lineno, vcol + lead + 1)
        # continuation lines end with a backslash
        while value.rstrip().endswith("\\") and lineno < source.line_count:
            lineno += 1
            value = value.rstrip()[:-1] + " " + source.line_text(lineno).strip()
        end_text = source.line_text(lineno)
        kstart = len(key) - len(key.lstrip())
        unit.entries.append(
            UnitEntry(
                section,
                key.strip(),
                value.strip(),
                Span(source.path, Pos(start.line, kstart + 1), Pos(start.line, len(key.rstrip()) + 1)),
                Span(source.path, start, Pos(lineno, len(end_text.rstrip()) + 1)),
            )
        )
    return unit


def looks_like_unit(text: str) -> bool:
    head = text[:4096]
    return any(h in head for h in ("[Unit]", "[Service]", "[Timer]", "[Install]"))
