"""Keepalived configuration: a block tree built from the line stream keepalived reads, includes spliced in.

keepalived reads its files as one stream of lines: an ``include`` is replaced by the lines of the files it
matches (globs, relative to the including file's directory), so a block may open in one file and close in
another. kublint follows includes only inside the lint root, detects cycles (keepalived itself recurses
until it runs out of file descriptors) and keeps every word's span in its own file. Each brace is a line of
its own, as keepalived splits them; ``$NAME=value`` definitions and ``@id`` line prefixes are recorded, not
evaluated beyond plain ``$NAME`` substitution in ``Stmt.values``.
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from kublint.findings import Problem
from kublint.parsers.lexing import (
    CommentCut,
    EnvRef,
    Word,
    keepalived_comment_at,
    keepalived_pieces,
    lex_keepalived_line,
    line_bounds,
)
from kublint.source import SourceFile, Span

INCLUDE_KEYWORDS = frozenset({"include", "includer", "includem", "includew", "includeb", "includea"})
STD_DEFINITIONS = frozenset({"_PWD", "_INSTANCE", "_RANDOM"})
MAX_INCLUDE_DEPTH = 32
MAX_FILES = 256  # file reads per parse: a diamond of includes can otherwise grow exponentially
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100  # deeper braces are still balanced but no longer nest in the tree
_SNIFF = re.compile(r"(?m)^\s*(global_defs|vrrp_instance|vrrp_script|vrrp_sync_group|virtual_server)\b")
_DEFINITION = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)[ \t]*=")


class Stmt(NamedTuple):
    words: tuple[Word, ...]
    values: tuple[str, ...]  # word values after $NAME substitution of the definitions seen so far
    span: Span
    condition: str | None = None  # "id" for an "@id" prefix, "^id" for "@^id"

    @property
    def keyword(self) -> str:
        return self.words[0].value

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    @property
    def line(self) -> int:
        return self.span.start.line

    def arg(self, index: int) -> Word | None:
        return self.words[index + 1] if index + 1 < len(self.words) else None

    def value(self, index: int) -> str | None:
        """The substituted value of argument ``index``."""
        return self.values[index + 1] if index + 1 < len(self.values) else None


class Block(NamedTuple):
    header: Stmt | None  # None for a '{' with no keyword line before it
    children: tuple[Node, ...]
    open: Span  # the '{'
    close: Span | None  # the '}', None when the stream ends first
    span: Span

    @property
    def keyword(self) -> str:
        return self.header.keyword if self.header else ""

    @property
    def args(self) -> tuple[Word, ...]:
        return self.header.args if self.header else ()

    @property
    def name(self) -> Word | None:
        return self.header.arg(0) if self.header else None

    @property
    def condition(self) -> str | None:
        return self.header.condition if self.header else None

    def stmts(self, keyword: str | None = None) -> Iterator[Stmt]:
        return (c for c in self.children if isinstance(c, Stmt) and keyword in (None, c.keyword))

    def blocks(self, keyword: str | None = None) -> Iterator[Block]:
        return (c for c in self.children if isinstance(c, Block) and keyword in (None, c.keyword))

    def stmt(self, keyword: str) -> Stmt | None:
        """The last statement with this keyword (keepalived lets a later one override an earlier one)."""
        found = None
        for s in self.stmts(keyword):
            found = s
        return found

    def block(self, keyword: str) -> Block | None:
        return next(self.blocks(keyword), None)

    def items(self) -> Iterator[Stmt]:
        """Statements of a value block (``virtual_ipaddress { ... }``), nested blocks flattened."""
        for c in self.children:
            if isinstance(c, Stmt):
                yield c
            else:
                yield from c.items()


Node = Stmt | Block


class KaLine(NamedTuple):
    """One line as keepalived reads it: a brace alone, or the words between braces and line ends."""

    words: tuple[Word, ...]
    values: tuple[str, ...]
    condition: str | None
    depth: int  # include depth, 0 for the main file

    @property
    def span(self) -> Span:
        return Span(self.words[0].span.path, self.words[0].span.start, self.words[-1].span.end)


class Definition(NamedTuple):
    name: str
    value: str
    span: Span  # the whole definition (first line)
    multiline: bool


class Include(NamedTuple):
    stmt: Stmt
    pattern: str
    files: tuple[str, ...]  # display paths of the files followed


class KeepalivedConfig(NamedTuple):
    source: SourceFile
    nodes: tuple[Node, ...]  # top level
    lines: tuple[KaLine, ...]  # the whole stream in reading order
    files: tuple[SourceFile, ...]  # every file read, the main one first
    includes: tuple[Include, ...]
    definitions: tuple[Definition, ...]
    cuts: tuple[CommentCut, ...]
    long_lines: tuple[Span, ...]  # over 1023 bytes: keepalived reads the rest as a new line
    problems: list[tuple[str, Problem]]

    def blocks(self, keyword: str | None = None) -> Iterator[Block]:
        return (n for n in self.nodes if isinstance(n, Block) and (keyword is None or n.keyword == keyword))

    def stmts(self, keyword: str | None = None) -> Iterator[Stmt]:
        return (n for n in self.nodes if isinstance(n, Stmt) and (keyword is None or n.keyword == keyword))

    @property
    def words(self) -> Iterator[Word]:
        for line in self.lines:
            yield from line.words

    @property
    def env_refs(self) -> Iterator[EnvRef]:
        for w in self.words:
            yield from w.env_refs

    def undefined_refs(self) -> list[EnvRef]:
        """``$NAME`` uses with no definition: keepalived leaves them as text (and splits ``${}`` braces)."""
        names = {d.name for d in self.definitions} | STD_DEFINITIONS
        return [r for r in self.env_refs if r.name not in names]


class _Reader:
    __slots__ = (
        "chain", "cuts", "definitions", "defs", "files", "includes", "lines", "long_lines", "problems",
        "reads", "root"
    )

    root: Path
    problems: list[tuple[str, Problem]]
    lines: list[KaLine]
    files: list[SourceFile]
    includes: list[Include]
    definitions: list[Definition]
    defs: dict[str, str]
    cuts: list[CommentCut]
    long_lines: list[Span]
    chain: list[str]  # real paths of the files being read, for cycles
    reads: int

    def __init__(
        self,
        root: Path,
        problems: list[tuple[str, Problem]] | None = None,
        lines: list[KaLine] | None = None,
        files: list[SourceFile] | None = None,
        includes: list[Include] | None = None,
        definitions: list[Definition] | None = None,
        defs: dict[str, str] | None = None,
        cuts: list[CommentCut] | None = None,
        long_lines: list[Span] | None = None,
        chain: list[str] | None = None,
        reads: int = 0,
    ) -> None:
        self.root = root
        self.problems = [] if problems is None else problems
        self.lines = [] if lines is None else lines
        self.files = [] if files is None else files
        self.includes = [] if includes is None else includes
        self.definitions = [] if definitions is None else definitions
        self.defs = {} if defs is None else defs
        self.cuts = [] if cuts is None else cuts
        self.long_lines = [] if long_lines is None else long_lines
        self.chain = [] if chain is None else chain
        self.reads = reads

    def read(self, source: SourceFile, depth: int) -> None:
        self.files.append(source)
        n, count = 1, source.line_count
        while n <= count:
            pieces = keepalived_pieces(source, n)
            if len(pieces) > 1:
                self.long_lines.append(source.line_span(n))
            last = n
            for piece in pieces:
                last = max(last, self._line(source, n, depth, piece if len(pieces) > 1 else None))
            n = last + 1

    def _line(self, source: SourceFile, n: int, depth: int, piece: tuple[int, int] | None) -> int:
        """Read physical line ``n`` (or a piece of it); returns the last physical line consumed."""
        lexed = lex_keepalived_line(source, n, piece)
        for p in lexed.problems:
            self.problems.append(("SY001", Problem(p.message, p.span)))
        if lexed.cut is not None:
            self.cuts.append(lexed.cut)
        words = lexed.words
        condition: str | None = None
        if words and words[0].value.startswith("@"):
            condition = words[0].value[1:]
            words = words[1:]  # keepalived drops an "@id" line with nothing after the id
        if not words:
            return n
        if words[0].raw.startswith("$") and piece is None:
            end = self._definition(source, n, words[0].start, condition)
            if end:
                return end
        if words[0].value in INCLUDE_KEYWORDS and len(words) > 1:
            values = tuple(self._subst(w) for w in words)
            stmt = Stmt(words, values, _words_span(words), condition)
            self._include(source, stmt, depth)
            return n
        run: list[Word] = []
        for w in words:
            if w.is_brace:
                self._emit(run, condition, depth)
                self._emit([w], condition, depth)
                run = []
            else:
                run.append(w)
        self._emit(run, condition, depth)
        return n

    def _emit(self, words: list[Word], condition: str | None, depth: int) -> None:
        if words:
            self.lines.append(KaLine(tuple(words), tuple(self._subst(w) for w in words), condition, depth))

    def _subst(self, w: Word) -> str:
        """The word as keepalived reads it once the definitions seen so far are substituted."""
        if not w.env_refs:
            return w.value
        shift = 1 if w.quoted else 0  # a quoted word's value starts after its quote
        out: list[str] = []
        pos = 0
        for ref in w.env_refs:
            a = ref.span.start.col - w.span.start.col - shift
            b = a + ref.span.end.col - ref.span.start.col
            text = self.defs.get(ref.name)
            out.append(w.value[pos:a])
            out.append(text if ref.expanded and text is not None else w.value[a:b])
            pos = b
        out.append(w.value[pos:])
        return "".join(out)

    def _definition(self, source: SourceFile, n: int, at: int, condition: str | None) -> int:
        text = source.text
        _, stop = line_bounds(source, n)
        cstop = keepalived_comment_at(source, at, stop)
        m = _DEFINITION.match(text, at, cstop)
        if m is None:
            return 0
        value = text[m.end() : cstop].strip()
        end_line = n
        multiline = value.endswith("\\")
        parts = [value[:-1].rstrip()] if multiline else [value]
        while multiline and end_line < source.line_count:
            end_line += 1
            b, s = line_bounds(source, end_line)
            more = text[b : keepalived_comment_at(source, b, s)].strip()
            if not more:
                break
            multiline = more.endswith("\\")
            parts.append(more[:-1].rstrip() if multiline else more)
        name = m.group(1)
        is_multi = end_line > n or value.endswith("\\")
        self.defs[name] = "\n".join(p for p in parts if p)
        span = source.span(at, at + len(text[at:cstop].rstrip()))
        self.definitions.append(Definition(name, self.defs[name], span, is_multi))
        return end_line

    def _include(self, source: SourceFile, stmt: Stmt, depth: int) -> None:
        pattern = " ".join(stmt.values[1:])
        followed: list[str] = []
        base = source.abspath.parent
        outside = [p for p in _expand_braces(pattern) if not _inside(_fixed_dir(base, p), self.root)]
        if outside:  # decided before globbing, so that no pattern makes kublint walk the file system
            msg = f"include of {outside[0]} leaves the lint root; not followed"
            self.problems.append(("SY004", Problem(msg, stmt.span, anchor=f"include:{pattern}")))
        for target in [] if outside else _glob(source.abspath.parent, pattern):
            real = os.path.realpath(target)
            if not _inside(real, self.root):
                msg = f"include of {target} leaves the lint root; not followed"
                self.problems.append(("SY004", Problem(msg, stmt.span, anchor=f"include:{pattern}")))
                continue
            shown = _display(source, real)
            if real in self.chain:
                cycle = " -> ".join([*(posixpath.basename(p) for p in self.chain), posixpath.basename(real)])
                msg = f"include cycle ({cycle}): keepalived reads these files until it runs out of fds"
                self.problems.append(("SY001", Problem(msg, stmt.span, anchor=f"include-cycle:{pattern}")))
                continue
            if depth + 1 > MAX_INCLUDE_DEPTH or self.reads >= MAX_FILES:
                msg = f"includes deeper than {MAX_INCLUDE_DEPTH} or over {MAX_FILES} files; stopped here"
                self.problems.append(("SY001", Problem(msg, stmt.span)))
                break
            included = _load(shown, Path(real))
            if isinstance(included, str):
                self.problems.append(("SY004", Problem(f"{shown}: {included}", stmt.span)))
                continue
            self.reads += 1
            followed.append(shown)
            self.chain.append(real)
            self.read(included, depth + 1)
            self.chain.pop()
        self.includes.append(Include(stmt, pattern, tuple(followed)))


def _words_span(words: tuple[Word, ...] | list[Word]) -> Span:
    return Span(words[0].span.path, words[0].span.start, words[-1].span.end)


def _inside(real: str, root: Path) -> bool:
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _display(including: SourceFile, real: str) -> str:
    """The included file's path shown as the including file's is: its name replaced by the relative path."""
    rel = os.path.relpath(real, os.path.realpath(including.abspath.parent)).replace(os.sep, "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(including.path), rel))


def _fixed_dir(base: Path, pattern: str) -> str:
    """The directory part of a glob pattern before its first wildcard, resolved."""
    full = pattern if os.path.isabs(pattern) else os.path.join(base, pattern)
    cut = min((i for i, ch in enumerate(full) if ch in "*?["), default=len(full))
    return os.path.realpath(os.path.dirname(full[:cut]) if cut < len(full) else os.path.dirname(full))


def _expand_braces(pattern: str, limit: int = 64) -> list[str]:
    """glibc's GLOB_BRACE, which keepalived uses: ``a{b,c}d`` -> ``abd``, ``acd``."""
    m = re.search(r"\{([^{}]*)\}", pattern)
    if m is None or "," not in m.group(1):
        return [pattern]
    out: list[str] = []
    for alt in m.group(1).split(","):
        out.extend(_expand_braces(pattern[: m.start()] + alt + pattern[m.end() :], limit))
        if len(out) >= limit:
            break
    return out[:limit]


def _glob(base: Path, pattern: str) -> list[str]:
    found: list[str] = []
    for pat in _expand_braces(pattern):
        full = pat if os.path.isabs(pat) else os.path.join(base, pat)
        try:
            if glob.has_magic(full):
                matches = sorted(glob.glob(full))
            else:
                matches = [full] if os.path.exists(full) else []
        except (OSError, ValueError):
            continue
        found.extend(m for m in matches if os.path.isfile(m))
    return found


def _load(shown: str, path: Path) -> SourceFile | str:
    """The included file as text, or why it cannot be read (the same limits as for any linted file)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return f"over the {MAX_BYTES // 1048576} MiB limit; not read"
        raw = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if b"\x00" in raw:
        return "binary file (it holds NUL bytes); not read"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (invalid byte at offset {exc.start}); not read"
    return SourceFile(shown, path, text[1:] if text.startswith("\ufeff") else text)


def build_tree(lines: tuple[KaLine, ...], problems: list[tuple[str, Problem]]) -> tuple[Node, ...]:
    """Nest the line stream by braces; an extra '}' or a block left open is a problem at that brace."""
    top: list[Node] = []
    stack: list[tuple[Stmt | None, Word, list[Node]]] = []
    flat = 0  # braces beyond MAX_DEPTH: balanced but not nested
    prev_stmt = False
    for line in lines:
        first = line.words[0]
        current = stack[-1][2] if stack else top
        if first.is_brace and first.raw == "{":
            if len(stack) >= MAX_DEPTH:
                flat += 1
                continue
            last = current[-1] if current else None
            header = last if prev_stmt and isinstance(last, Stmt) else None
            if header is not None:
                current.pop()
            stack.append((header, first, []))
            prev_stmt = False
        elif first.is_brace:
            prev_stmt = False
            if flat:
                flat -= 1
            elif not stack:
                msg = "'}' closes no block: keepalived reports an extra '}' and mis-reads what follows"
                problems.append(("SY001", Problem(msg, first.span)))
            else:
                header, brace, children = stack.pop()
                parent = stack[-1][2] if stack else top
                parent.append(_block(header, brace, children, first.span))
        else:
            current.append(Stmt(line.words, line.values, line.span, line.condition))
            prev_stmt = True
    while stack:
        header, brace, children = stack.pop()
        what = f"'{header.keyword}' block" if header else "block"
        problems.append(("SY001", Problem(f"{what} opened here is never closed", brace.span)))
        (stack[-1][2] if stack else top).append(_block(header, brace, children, None))
    return tuple(top)


def _block(header: Stmt | None, brace: Word, children: list[Node], close: Span | None) -> Block:
    start = header.span if header else brace.span
    end = close if close is not None and close.path == start.path else start
    return Block(header, tuple(children), brace.span, close, Span(start.path, start.start, end.end))


def parse_keepalived(source: SourceFile, root: Path | None = None) -> KeepalivedConfig:
    base = root if root is not None else source.abspath.parent
    reader = _Reader(base)
    reader.chain.append(os.path.realpath(source.abspath))
    try:
        reader.read(source, 0)
    except RecursionError:  # bounded above; kept so that no input can make the parser raise
        reader.problems.append(("SY001", Problem("includes nested too deeply", source.start_span())))
    lines = tuple(reader.lines)
    nodes = build_tree(lines, reader.problems)
    return KeepalivedConfig(
        source, nodes, lines, tuple(reader.files), tuple(reader.includes), tuple(reader.definitions),
        tuple(reader.cuts), tuple(reader.long_lines), reader.problems,
    )


def looks_like_keepalived(text: str) -> bool:
    """A top-level keepalived block keyword followed by a brace."""
    return _SNIFF.search(text) is not None


__all__ = [
    "Block", "Definition", "Include", "KaLine", "KeepalivedConfig", "Node", "Stmt", "build_tree",
    "looks_like_keepalived", "parse_keepalived",
]
