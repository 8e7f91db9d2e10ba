"""Positions and source files. Lines and columns are 1-based, columns count code points, ends are
exclusive."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import NamedTuple


# Pos and Span are named tuples rather than frozen dataclasses: a 5,000-node inventory makes hundreds of
# thousands of them, and a frozen dataclass costs several times a tuple to build. They stay immutable,
# hashable and ordered.
class Pos(NamedTuple):
    line: int
    col: int


class Span(NamedTuple):
    path: str  # display path, '/'-separated
    start: Pos
    end: Pos

    @property
    def line(self) -> int:
        return self.start.line

    @property
    def col(self) -> int:
        return self.start.col

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.start.line, self.start.col)


class SourceFile:
    """A file under a cluster root. ``text`` is the decoded content (BOM removed, newlines kept)."""

    __slots__ = ("_line_starts", "abspath", "path", "text")

    path: str  # display path relative to the working directory when under it
    abspath: Path
    text: str

    def __init__(self, path: str, abspath: Path, text: str) -> None:
        self.path = path
        self.abspath = abspath
        self.text = text
        self._line_starts: list[int] | None = None  # computed on first use

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r})"

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end].rstrip("\r")

    def pos_at(self, offset: int) -> Pos:
        """Position of a character offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        idx = bisect_right(self.line_starts, offset) - 1
        return Pos(idx + 1, offset - self.line_starts[idx] + 1)

    def span(self, start: int, end: int) -> Span:
        return Span(self.path, self.pos_at(start), self.pos_at(max(start, end)))

    def line_span(self, line: int) -> Span:
        """The whole of one line, without its line break (for line-oriented formats)."""
        text = self.line_text(line)
        stripped = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if end <= stripped:
            return Span(self.path, Pos(line, 1), Pos(line, max(1, len(text) + 1)))
        return Span(self.path, Pos(line, stripped + 1), Pos(line, end + 1))

    def start_span(self) -> Span:
        """The first line with content: used for file-level findings such as an unreadable file."""
        for n in range(1, min(self.line_count, 200) + 1):
            if self.line_text(n).strip():
                return self.line_span(n)
        return Span(self.path, Pos(1, 1), Pos(1, 1))


def whole_file_span(path: str) -> Span:
    """For files whose content could not be read: the file itself, line 1 column 1."""
    return Span(path, Pos(1, 1), Pos(1, 1))
