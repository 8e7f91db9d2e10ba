"""Word lexers for HAProxy and Keepalived lines, with exact spans and values as each program reads them.

Every word keeps ``raw`` (the exact source slice, ``source.text[word.start:word.end] == word.raw``) and
``value`` (unquoted and unescaped). Environment references are recorded on the word and left unexpanded.

HAProxy 2.6 (``parse_line``): words split on blanks outside quotes; ``"..."`` (weak: escapes and ``$VAR``
work) and ``'...'`` (strong: nothing works) may start anywhere in a word and pieces join; backslash escapes
``\\ \\\\ \\# \\' \\" \\t \\n \\r \\xHH``, and ``\\$`` inside double quotes; ``#`` outside quotes
starts a comment.

Keepalived 2.2.7 (checked against the binary, which differs from the current manual): ``#`` and ``!`` start
a comment anywhere outside double quotes, even inside a word (``auth_pass P@##D`` keeps ``P@``); single quotes
and backslashes are plain characters; a double quote opens a quoted word only at the start of a word, and
ends an unquoted one; ``{`` and ``}`` outside double quotes are words of their own even when glued.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kublint.source import Pos, SourceFile, Span

_BLANKS = " \t\v\f"
_KA_BLANKS = " \t\v\f\r"
_KA_INCLUDES = frozenset({"include", "includer", "includem", "includew", "includeb", "includea"})
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class EnvRef(NamedTuple):
    name: str
    span: Span
    expanded: bool  # the program substitutes it here (HAProxy: only inside double quotes)


class Word(NamedTuple):
    raw: str  # exact source text
    value: str  # unquoted, unescaped; references are kept as written
    span: Span
    start: int  # offset of raw in source.text
    quoted: bool = False
    env_refs: tuple[EnvRef, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    @property
    def is_brace(self) -> bool:
        return not self.quoted and self.raw in ("{", "}")


class CommentCut(NamedTuple):
    """A comment that begins inside a word: the program keeps ``kept`` and silently drops ``lost``."""

    span: Span  # from the comment character to the end of the would-be word
    kept: str
    lost: str


class LexProblem(NamedTuple):
    message: str
    span: Span


class LexedLine(NamedTuple):
    number: int
    words: tuple[Word, ...]
    comment: Span | None = None
    cut: CommentCut | None = None
    problems: tuple[LexProblem, ...] = ()


def line_bounds(source: SourceFile, line: int) -> tuple[int, int]:
    """Offsets of a physical line without its line break; a NUL ends the line as it does for both programs."""
    starts = source.line_starts
    begin = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(source.text)
    nul = source.text.find("\x00", begin, end)
    return begin, end if nul == -1 else nul


def _span(source: SourceFile, line: int, begin: int, start: int, end: int) -> Span:
    return Span(source.path, Pos(line, start - begin + 1), Pos(line, end - begin + 1))


def lex_haproxy_line(source: SourceFile, line: int) -> LexedLine:
    text = source.text
    begin, stop = line_bounds(source, line)
    cr = text.find("\r", begin, stop)  # HAProxy ends a line at any CR
    if cr != -1:
        stop = cr
    words: list[Word] = []
    problems: list[LexProblem] = []
    comment: Span | None = None
    cut: CommentCut | None = None
    i = begin
    while i < stop:
        while i < stop and text[i] in _BLANKS:
            i += 1
        if i >= stop:
            break
        if text[i] == "#":
            comment = _span(source, line, begin, i, stop)
            break
        start = i
        out: list[str] = []
        refs: list[EnvRef] = []
        quote = ""
        quote_at = -1
        quoted = False
        while i < stop:
            ch = text[i]
            if not quote and ch in _BLANKS:
                break
            if not quote and ch == "#":
                comment = _span(source, line, begin, i, stop)
                cut = _cut(source, line, begin, start, i, stop, _BLANKS)
                break
            if ch in "\"'" and quote in ("", ch):
                quote, quote_at = ("", -1) if quote else (ch, i)
                quoted = True
                i += 1
            elif ch == "\\" and quote != "'":
                i = _hp_escape(source, line, begin, i, stop, quote, out, problems)
            elif ch == "$" and quote == '"':
                i = _hp_env(source, line, begin, i, stop, out, refs, problems)
            else:
                if ch == "$" and quote == "":
                    _note_literal_env(source, line, begin, i, stop, refs)
                out.append(ch)
                i += 1
        if quote:
            span = _span(source, line, begin, quote_at, quote_at + 1)
            problems.append(LexProblem(f"unterminated {_quote_name(quote)} quote", span))
        raw = text[start:i]
        if raw:
            span = _span(source, line, begin, start, i)
            words.append(Word(raw, "".join(out), span, start, quoted, tuple(refs)))
        if comment is not None:
            break
    return LexedLine(line, tuple(words), comment, cut, tuple(problems))


def _quote_name(quote: str) -> str:
    return "double" if quote == '"' else "single"


def _cut(
    source: SourceFile, line: int, begin: int, word_start: int, at: int, stop: int, blanks: str
) -> CommentCut | None:
    """A comment character glued to the text before it: record what the program silently drops."""
    if at == word_start:
        return None
    end = at
    text = source.text
    while end < stop and text[end] not in blanks:
        end += 1
    return CommentCut(_span(source, line, begin, at, end), text[word_start:at], text[at:end])


_SIMPLE_ESCAPES = {" ": " ", "\\": "\\", "t": "\t", "n": "\n", "r": "\r", "#": "#", "'": "'", '"': '"'}


def _hp_escape(
    source: SourceFile,
    line: int,
    begin: int,
    i: int,
    stop: int,
    quote: str,
    out: list[str],
    problems: list[LexProblem],
) -> int:
    text = source.text
    nxt = text[i + 1] if i + 1 < stop else ""
    if nxt in _SIMPLE_ESCAPES and nxt:
        out.append(_SIMPLE_ESCAPES[nxt])
        return i + 2
    if nxt == "$" and quote == '"':
        out.append("$")
        return i + 2
    if nxt == "x":
        digits = text[i + 2 : min(i + 4, stop)]
        if len(digits) == 2 and all(c in "0123456789abcdefABCDEF" for c in digits):
            out.append(chr(int(digits, 16)))
            return i + 4
        span = _span(source, line, begin, i, min(i + 2, stop))
        problems.append(LexProblem("invalid hexadecimal escape sequence", span))
    out.append("\\")  # not an escape: the backslash stays and the next character is read normally
    return i + 1


def _hp_env(
    source: SourceFile,
    line: int,
    begin: int,
    i: int,
    stop: int,
    out: list[str],
    refs: list[EnvRef],
    problems: list[LexProblem],
) -> int:
    """``$NAME``, ``${NAME}``, ``${NAME-default}`` and ``${NAME[*]}`` inside double quotes."""
    text = source.text
    j = i + 1
    braced = j < stop and text[j] == "{"
    if braced:
        j += 1
    name_start = j
    if j < stop and text[j] == ".":
        j += 1
    while j < stop and ((text[j].isascii() and text[j].isalnum()) or text[j] == "_"):
        j += 1
    name = text[name_start:j]
    if not name or not (name[0].isalpha() or name[0] in "_."):
        span = _span(source, line, begin, i, min(j + 1, stop))
        problems.append(LexProblem("invalid character in variable name", span))
        out.append(text[i:j])
        return j
    if braced:
        close = text.find("}", j, stop)
        if close == -1 or not (close == j or text[j] == "-" or text[j : close] == "[*]"):
            span = _span(source, line, begin, i, i + 2)
            problems.append(LexProblem("unmatched brace in variable reference", span))
            out.append(text[i:j])
            return j
        j = close + 1
    refs.append(EnvRef(name, _span(source, line, begin, i, j), True))
    out.append(text[i:j])
    return j


def _note_literal_env(
    source: SourceFile, line: int, begin: int, i: int, stop: int, refs: list[EnvRef]
) -> None:
    """``${NAME}`` outside double quotes is literal text to HAProxy; record it so rules can say so."""
    text = source.text
    j = i + 1
    braced = j < stop and text[j] == "{"
    m = _ENV_NAME.match(text, j + 1 if braced else j, stop)
    if m is None:
        return
    end = m.end()
    if braced:
        if end >= stop or text[end] != "}":
            return
        end += 1
    refs.append(EnvRef(m.group(), _span(source, line, begin, i, end), False))


def keepalived_comment_at(source: SourceFile, begin: int, stop: int) -> int:
    """Where keepalived's comment starts: the first ``#``/``!`` outside double quotes (each ``"`` toggles)."""
    text = source.text
    quote = False
    for k in range(begin, stop):
        ch = text[k]
        if ch == '"':
            quote = not quote
        elif not quote and ch in "#!":
            return k
    return stop


def lex_keepalived_line(source: SourceFile, line: int, piece: tuple[int, int] | None = None) -> LexedLine:
    """One line, or one ``piece`` (offsets) of it: keepalived reads long lines in 1023-byte pieces."""
    text = source.text
    begin, stop = line_bounds(source, line)
    while stop > begin and text[stop - 1] == "\r":
        stop -= 1
    if piece is not None:
        first_at, stop = piece[0], min(piece[1], stop)
    else:
        first_at = begin
    cstart = keepalived_comment_at(source, first_at, stop)
    comment = _span(source, line, begin, cstart, stop) if cstart < stop else None
    problems: list[LexProblem] = []
    if text[first_at:cstart].count('"') % 2:
        q = text.rfind('"', first_at, cstart)
        problems.append(LexProblem("unterminated double quote", _span(source, line, begin, q, q + 1)))
    cut = None
    if comment is not None and cstart > first_at and text[cstart - 1] not in _KA_BLANKS:
        ws = cstart
        while ws > first_at and text[ws - 1] not in _KA_BLANKS:
            ws -= 1
        cut = _cut(source, line, begin, ws, cstart, stop, _KA_BLANKS)
    first = text[first_at:cstart].split(None, 1)
    braces = not (first and first[0] in _KA_INCLUDES)  # keepalived reads includes before splitting braces
    words = _ka_words(source, line, begin, first_at, cstart, braces, problems)
    return LexedLine(line, tuple(words), comment, cut, tuple(problems))


def _ka_words(
    source: SourceFile,
    line: int,
    begin: int,
    start_at: int,
    stop: int,
    braces: bool,
    problems: list[LexProblem],
) -> list[Word]:
    text = source.text
    words: list[Word] = []
    i = start_at
    while i < stop:
        ch = text[i]
        if ch in _KA_BLANKS:
            i += 1
            continue
        start = i
        if braces and ch in "{}":
            words.append(Word(ch, ch, _span(source, line, begin, i, i + 1), i))
            i += 1
            continue
        if ch == '"':
            close = text.find('"', i + 1, stop)
            if close == -1:
                if not problems:
                    span = _span(source, line, begin, i, i + 1)
                    problems.append(LexProblem("unterminated double quote", span))
                i = stop  # keepalived drops the rest of the line
                break
            i = close + 1
            value = text[start + 1 : close]
            refs = _ka_refs(source, line, begin, start + 1, close, stop)
            words.append(Word(text[start:i], value, _span(source, line, begin, start, i), start, True, refs))
            continue
        while i < stop and text[i] not in _KA_BLANKS and text[i] != '"':
            if braces and text[i] in "{}" and not _in_ka_ref(text, start, i):
                break
            i += 1
        raw = text[start:i]
        refs = _ka_refs(source, line, begin, start, i, stop)
        words.append(Word(raw, raw, _span(source, line, begin, start, i), start, False, refs))
    return words


def _in_ka_ref(text: str, start: int, i: int) -> bool:
    """Is the brace at ``i`` part of a ``${NAME}`` reference? kublint keeps references whole (module doc)."""
    if text[i] == "{":
        return i > start and text[i - 1] == "$" and _ref_closes(text, i)
    j = text.rfind("${", start, i)
    return j != -1 and _ENV_NAME.fullmatch(text, j + 2, i) is not None


def _ref_closes(text: str, i: int) -> bool:
    m = _ENV_NAME.match(text, i + 1)
    return m is not None and m.end() < len(text) and text[m.end()] == "}"


def _ka_refs(
    source: SourceFile, line: int, begin: int, start: int, end: int, line_stop: int
) -> tuple[EnvRef, ...]:
    """``${NAME}`` and ``$NAME``; keepalived replaces a bare ``$NAME`` only before a blank, ``,``, ``)`` or
    the end of the line (so not in ``$VIP/24``), which ``expanded`` records."""
    text = source.text
    refs: list[EnvRef] = []
    i = text.find("$", start, end)
    while i != -1:
        braced = i + 1 < end and text[i + 1] == "{"
        m = _ENV_NAME.match(text, i + 2 if braced else i + 1, end)
        if m is not None:
            stop = m.end()
            if braced:
                if stop < end and text[stop] == "}":
                    refs.append(EnvRef(m.group(), _span(source, line, begin, i, stop + 1), True))
            else:
                ends = stop >= line_stop or text[stop] in " \t,)"
                refs.append(EnvRef(m.group(), _span(source, line, begin, i, stop), ends))
        i = text.find("$", i + 1, end)
    return tuple(refs)


def keepalived_pieces(source: SourceFile, line: int, size: int = 1023) -> list[tuple[int, int]]:
    """How keepalived's ``fgets(buf, 1024)`` cuts a long line: pieces of at most 1023 UTF-8 bytes, each read
    as a line of its own. A short line is one piece."""
    begin, stop = line_bounds(source, line)
    text = source.text
    if stop - begin < size // 4 or len(text[begin:stop].encode("utf-8", "surrogatepass")) < size:
        return [(begin, stop)]
    pieces: list[tuple[int, int]] = []
    start, used = begin, 0
    for k in range(begin, stop):
        n = len(text[k].encode("utf-8", "surrogatepass"))
        if used + n > size and k > start:
            pieces.append((start, k))
            start, used = k, 0
        used += n
    pieces.append((start, stop))
    return pieces


__all__ = [
    "CommentCut",
    "EnvRef",
    "LexProblem",
    "LexedLine",
    "Word",
    "keepalived_comment_at",
    "keepalived_pieces",
    "lex_haproxy_line",
    "lex_keepalived_line",
    "line_bounds",
]
