"""The shared lexer, and the position invariant over every fixture, the corpus and random or mutated text."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kublint.parsers.haproxy import HaproxyConfig, looks_like_haproxy, parse_haproxy
from kublint.parsers.keepalived import KeepalivedConfig, looks_like_keepalived, parse_keepalived
from kublint.parsers.lexing import Word, keepalived_pieces, lex_haproxy_line, lex_keepalived_line
from kublint.source import Pos, SourceFile, Span

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "parsers"


def src(text: str, name: str = "t.cfg") -> SourceFile:
    return SourceFile(name, Path("/nonexistent-kublint-test") / name, text)


def hp(text: str) -> list[Word]:
    return list(lex_haproxy_line(src(text), 1).words)


def ka(text: str) -> list[Word]:
    return list(lex_keepalived_line(src(text), 1).words)


# ---------------------------------------------------------------- HAProxy words


def test_haproxy_plain_words_and_spans() -> None:
    words = hp("  server cp1 10.0.0.11:6443 check")
    assert [w.value for w in words] == ["server", "cp1", "10.0.0.11:6443", "check"]
    assert words[1].span == Span("t.cfg", Pos(1, 10), Pos(1, 13))
    assert words[1].start == 9


def test_haproxy_quotes_join_and_escape() -> None:
    words = hp("""setenv X abc"def ghi"'jkl mno'pqr "tab\\there" 'no \\t here' \\#x a\\ b""")
    values = ["setenv", "X", "abcdef ghijkl mnopqr", "tab\there", "no \\t here", "#x", "a b"]
    assert [w.value for w in words] == values
    assert words[2].raw == """abc"def ghi"'jkl mno'pqr"""
    assert words[2].quoted


def test_haproxy_comment_outside_quotes_only() -> None:
    line = lex_haproxy_line(src('description "a # b" c # gone'), 1)
    assert [w.value for w in line.words] == ["description", "a # b", "c"]
    assert line.comment == Span("t.cfg", Pos(1, 23), Pos(1, 29))
    assert line.cut is None


def test_haproxy_comment_glued_to_a_word_is_a_cut() -> None:
    line = lex_haproxy_line(src("setenv PASS s3cr3t#oops more"), 1)
    assert [w.value for w in line.words] == ["setenv", "PASS", "s3cr3t"]
    assert line.cut is not None
    assert (line.cut.kept, line.cut.lost) == ("s3cr3t", "#oops")


def test_haproxy_env_refs_only_expand_in_double_quotes() -> None:
    words = hp('bind "${ADDR-127.0.0.1}:$PORT" *:${LITERAL}')
    assert [(r.name, r.expanded) for r in words[1].env_refs] == [("ADDR", True), ("PORT", True)]
    assert [(r.name, r.expanded) for r in words[2].env_refs] == [("LITERAL", False)]
    assert words[1].value == "${ADDR-127.0.0.1}:$PORT"
    ref = words[1].env_refs[0]
    assert ref.span == Span("t.cfg", Pos(1, 7), Pos(1, 24))


@pytest.mark.parametrize(
    ("text", "message", "col"),
    [
        ('description "open', "unterminated double quote", 13),
        ("setenv A 'strong", "unterminated single quote", 10),
        ('setenv A "\\xZZ"', "invalid hexadecimal escape sequence", 11),
        ('setenv A "$1"', "invalid character in variable name", 11),
        ('setenv A "${X"', "unmatched brace in variable reference", 11),
    ],
)
def test_haproxy_lexing_problems(text: str, message: str, col: int) -> None:
    line = lex_haproxy_line(src(text), 1)
    assert [p.message for p in line.problems] == [message]
    assert line.problems[0].span.start == Pos(1, col)


def test_haproxy_line_ends_at_cr_and_nul() -> None:
    assert [w.value for w in hp("mode tcp\rignored")] == ["mode", "tcp"]
    assert [w.value for w in hp("mode tcp\x00ignored")] == ["mode", "tcp"]


# ---------------------------------------------------------------- keepalived words


def test_keepalived_braces_are_words_even_when_glued() -> None:
    words = ka("vrrp_instance VI_1{ state MASTER }")
    assert [w.raw for w in words] == ["vrrp_instance", "VI_1", "{", "state", "MASTER", "}"]
    assert words[2].is_brace
    assert words[2].span == Span("t.cfg", Pos(1, 19), Pos(1, 20))


def test_keepalived_comment_anywhere_outside_double_quotes() -> None:
    line = lex_keepalived_line(src("auth_pass P@##D"), 1)
    assert [w.value for w in line.words] == ["auth_pass", "P@"]
    assert line.cut is not None and (line.cut.kept, line.cut.lost) == ("P@", "##D")
    assert line.cut.span == Span("t.cfg", Pos(1, 13), Pos(1, 16))
    bang = lex_keepalived_line(src("state BACKUP!comment"), 1)
    assert [w.value for w in bang.words] == ["state", "BACKUP"]


def test_keepalived_double_quotes_protect_single_quotes_do_not() -> None:
    """keepalived 2.2.7: '"MA#STER"' stays whole; "'BA!CKUP'" is cut to "'BA" (single quotes are plain)."""
    assert [w.value for w in ka('state "MA#STER"')] == ["state", "MA#STER"]
    words = ka("state 'BA!CKUP'")
    assert [w.value for w in words] == ["state", "'BA"]


def test_keepalived_quote_starts_only_a_word() -> None:
    assert [w.value for w in ka('state BA"CK UP"X')] == ["state", "BA", "CK UP", "X"]
    assert [w.value for w in ka('"foo bar" x')] == ["foo bar", "x"]


def test_keepalived_backslash_is_plain() -> None:
    assert [w.value for w in ka("state BA\\#CK")] == ["state", "BA\\"]


def test_keepalived_unterminated_quote() -> None:
    line = lex_keepalived_line(src('script "/usr/bin/check --flag'), 1)
    assert [p.message for p in line.problems] == ["unterminated double quote"]
    assert line.problems[0].span.start == Pos(1, 8)
    assert [w.value for w in line.words] == ["script"]


def test_keepalived_include_lines_keep_braces() -> None:
    assert [w.value for w in ka("include conf.d/{a,b}.conf")] == ["include", "conf.d/{a,b}.conf"]


def test_keepalived_variable_references_stay_whole() -> None:
    words = ka("virtual_ipaddress { ${VIP}/24 $DEV }")
    assert [w.raw for w in words] == ["virtual_ipaddress", "{", "${VIP}/24", "$DEV", "}"]
    assert [r.name for w in words for r in w.env_refs] == ["VIP", "DEV"]


def test_keepalived_long_line_pieces_are_1023_bytes() -> None:
    source = src("x" * 3000 + "\n" + "é" * 600 + "\n")
    assert [b - a for a, b in keepalived_pieces(source, 1)] == [1023, 1023, 954]
    assert [b - a for a, b in keepalived_pieces(source, 2)] == [511, 89]


# ---------------------------------------------------------------- the position invariant


def _corpus() -> Path | None:
    env = os.environ.get("KUBLINT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if (cand / "corpus").is_dir():
            return cand / "corpus"
    return None


def _files(fixture_dir: str, sniff: Callable[[str], bool], corpus_dirs: tuple[str, ...]) -> list[Path]:
    out = sorted(p for p in (FIXTURES / fixture_dir).rglob("*") if p.is_file())
    base = _corpus()
    if base is not None:
        for d in corpus_dirs:
            for p in sorted((base / d).rglob("*")):
                if p.is_file() and sniff(p.read_bytes().decode("utf-8", errors="replace")):
                    out.append(p)
    return out


HAPROXY_FILES = _files("haproxy", looks_like_haproxy, ("haproxy", "mixed-cluster"))
KEEPALIVED_FILES = _files("keepalived", looks_like_keepalived, ("keepalived", "mixed-cluster"))


def _source(path: Path) -> SourceFile:
    return SourceFile(path.name, path, path.read_bytes().decode("utf-8", errors="replace"))


def check_word(source: SourceFile, w: Word) -> None:
    starts = source.line_starts
    assert 1 <= w.span.start.line <= len(starts)
    assert w.span.start.line == w.span.end.line
    line_start = starts[w.span.start.line - 1]
    start = line_start + w.span.start.col - 1
    end = line_start + w.span.end.col - 1
    assert source.text[start:end] == w.raw
    assert w.start == start and w.end == end
    line_end = starts[w.span.start.line] - 1 if w.span.start.line < len(starts) else len(source.text)
    assert end <= line_end
    for ref in w.env_refs:
        assert w.span.start <= ref.span.start and ref.span.end <= w.span.end


def check_haproxy(config: HaproxyConfig) -> None:
    for w in config.words:
        check_word(config.source, w)
    for _, problem in config.problems:
        assert 1 <= problem.span.start.line <= config.source.line_count


def check_keepalived(config: KeepalivedConfig) -> None:
    by_path = {f.path: f for f in config.files}
    for w in config.words:
        check_word(by_path[w.span.path], w)
    for _, problem in config.problems:
        assert problem.span.path in by_path
        assert 1 <= problem.span.start.line <= by_path[problem.span.path].line_count


def _same_keepalived(a: KeepalivedConfig, b: KeepalivedConfig) -> bool:
    return (a.nodes, a.lines, a.includes, a.definitions, a.cuts, a.long_lines, a.problems) == (
        b.nodes, b.lines, b.includes, b.definitions, b.cuts, b.long_lines, b.problems
    )


@pytest.mark.parametrize("path", HAPROXY_FILES, ids=lambda p: p.name)
def test_haproxy_positions_on_files(path: Path) -> None:
    source = _source(path)
    config = parse_haproxy(source)
    check_haproxy(config)
    assert parse_haproxy(source) == config


@pytest.mark.parametrize("path", KEEPALIVED_FILES, ids=lambda p: p.name)
def test_keepalived_positions_on_files(path: Path) -> None:
    source = _source(path)
    config = parse_keepalived(source, root=path.parent.parent)
    check_keepalived(config)
    assert _same_keepalived(parse_keepalived(source, root=path.parent.parent), config)


_CHARS = list("ab ab \t\n\n#!\"'\\{}$@;:./-_09=*[]\r\x00\x0b\x85\u2028é")
_ALPHABET = st.sampled_from(_CHARS) | st.characters()
random_text = st.text(_ALPHABET, max_size=400)
_SAMPLES = [p.read_bytes().decode("utf-8", errors="replace") for p in HAPROXY_FILES[:6] + KEEPALIVED_FILES]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_SAMPLES))[:4000]
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.text(_ALPHABET, min_size=1, max_size=12))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


def _sources(text: str) -> Iterator[SourceFile]:
    with tempfile.TemporaryDirectory() as tmp:
        yield SourceFile("fuzz/in.conf", Path(tmp) / "in.conf", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(random_text, mutated()))
def test_parsers_never_raise_and_keep_positions(text: str) -> None:
    for source in _sources(text):
        h = parse_haproxy(source)
        check_haproxy(h)
        assert parse_haproxy(source) == h
        k = parse_keepalived(source, root=source.abspath.parent)
        check_keepalived(k)
        assert _same_keepalived(parse_keepalived(source, root=source.abspath.parent), k)
