"""The YAML layer: exact spans for keys and values, duplicates, and hostile input."""

from __future__ import annotations

from pathlib import Path

from kublint.parsers.yaml import parse_yaml
from kublint.source import Pos, SourceFile


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_yaml(SourceFile("t.yaml", Path("t.yaml"), text))


def test_key_and_value_spans() -> None:
    r = parse("a: 1\nb:\n  c: [x, yy]\n  d: hello\n")
    (doc,) = r.documents
    assert doc.loc("b", "d").start == Pos(4, 6) and doc.loc("b", "d").end == Pos(4, 11)
    assert doc.loc("b", "d", key=True).start == Pos(4, 3)
    assert doc.loc("b", "c", 1).start == Pos(3, 10) and doc.loc("b", "c", 1).end == Pos(3, 12)
    assert doc.loc("b", "missing").start == doc.loc("b").start  # nearest existing ancestor


def test_block_mapping_end_is_clamped_to_content() -> None:
    (doc,) = parse("a:\n  b: 1\n  c: 2\n\n# trailing\n").documents
    span = doc.loc("a")
    assert span.end == Pos(3, 7)


def test_duplicate_keys_keep_first_and_report_second() -> None:
    r = parse("a: 1\nb: 2\na: 3\n")
    assert r.documents[0].data == {"a": 1, "b": 2}
    assert [(p.span.line, p.span.col) for p in r.duplicates] == [(3, 1)]


def test_documents_before_an_error_are_kept() -> None:
    r = parse("a: 1\n---\nb: [\n")
    assert [d.data for d in r.documents] == [{"a": 1}]
    assert len(r.errors) == 1 and r.errors[0].span.line >= 3


def test_alias_bomb_is_cheap() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    r = parse("\n".join(lines) + "\n")
    assert len(r.documents) == 1 and len(r.documents[0].locs) < 200


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    r = parse("[" * 5000 + "]" * 5000 + "\n")
    assert r.errors and not r.documents
    r = parse("".join("  " * i + f"k{i}:\n" for i in range(400)) + "  " * 400 + "v\n")
    assert r.errors


def test_unknown_tag_is_an_error() -> None:
    r = parse("a: !!python/object:os.system x\n")
    assert r.errors and r.errors[0].span.line == 1


def test_crlf_and_tabs() -> None:
    r = parse("a: 1\r\nb:\r\n  c: 2\r\n")
    assert r.documents[0].data == {"a": 1, "b": {"c": 2}}
    assert r.documents[0].loc("b", "c").start == Pos(3, 6)
    r = parse("a:\n\tb: 1\n")
    assert r.errors


def test_the_c_parser_is_in_use() -> None:
    """Without ruamel.yaml.clib, typ='safe' silently parses in pure Python, about four times slower."""
    from kublint.parsers.yaml import _new_yaml

    assert _new_yaml().Parser.__module__.startswith("ruamel.yaml.clib"), _new_yaml().Parser


def test_unreadable_scalars_are_errors_at_the_scalar() -> None:
    # int() refuses more than 4,300 digits and datetime() a 30 February: neither is a YAMLError, so the
    # position has to come from the node, not from 1:1
    r = parse("a: 1\nb:\n  c: [x, " + "9" * 5000 + "]\nd: 2024-02-30\n")
    assert [(e.span.line, e.span.col) for e in r.errors] == [(3, 10)]
    assert "5000 characters" in r.errors[0].message and "set_int_max_str_digits" not in r.errors[0].message
    r = parse("when: 2024-02-30\n")
    assert [(e.span.line, e.span.col) for e in r.errors] == [(1, 7)]
    assert "day is out of range" in r.errors[0].message
