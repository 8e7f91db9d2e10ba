"""The YAML layer: exact spans for keys and values, duplicates, and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kublint.parsers.yaml import Opaque, parse_yaml
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


def _bomb(levels: int, width: int = 9) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_an_error_at_its_largest_alias() -> None:
    text = _bomb(12)
    assert len(text) < 1100  # the 1 KB "billion laughs"
    r = parse(text)
    assert not r.documents
    (e,) = r.errors
    assert "alias expansion exceeds the limit" in e.message and "*k alone" in e.message
    assert (e.span.line, e.span.col) == (12, 8)


def test_merge_key_bomb_is_an_error() -> None:
    lines = ["a0: &a0 {k: v}"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} {{<<: [" + ", ".join([f"*a{i - 1}"] * 9) + f"], n{i}: v}}")
    r = parse("\n".join(lines) + "\n")
    assert not r.documents and "alias expansion exceeds the limit" in r.errors[0].message


def test_moderate_aliasing_is_read() -> None:
    # as go-yaml does: under 100 aliased nodes, or 99% of a small document, is fine
    (doc,) = parse(_bomb(3)).documents
    assert doc.data["c"][0][0] == ["x"] * 9
    common = "defaults: &d {cpus: 4, memoryGiB: 16, disk: 100}\nnodes:\n" + "".join(
        f"  - {{<<: *d, name: n{i}}}\n" for i in range(2000)
    )
    (doc,) = parse(common).documents
    assert doc.data["nodes"][1999] == {"name": "n1999", "cpus": 4, "memoryGiB": 16, "disk": 100}


def test_recursive_and_undefined_aliases_are_errors() -> None:
    r = parse("a: &a [1, *a]\n")
    assert not r.documents and "recursive" in r.errors[0].message and r.errors[0].span.start == Pos(1, 11)
    r = parse("a: *nowhere\n---\nb: 1\n")
    assert "undefined alias" in r.errors[0].message and [d.data for d in r.documents] == [{"b": 1}]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    # PyYAML's C composer recurses on the C stack: 100,000 '[' would end the process
    r = parse("[" * 5000 + "]" * 5000 + "\n")
    assert r.errors and not r.documents
    r = parse("a: " + "{" * 100_000)
    # kublint's limit, or libyaml's own from 0.2.6 on ("exceeded maximum nesting depth"), whichever is first
    assert len(r.errors) == 1 and r.errors[0].span.line == 1 and "nesting" in r.errors[0].message
    r = parse("- " * 300 + "x\n")
    assert r.errors and not r.documents
    r = parse("".join("  " * i + f"k{i}:\n" for i in range(400)) + "  " * 400 + "v\n")
    assert r.errors


def test_unknown_tags_are_opaque_values_not_errors() -> None:
    r = parse(
        "ansible_become_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6231\n"
        "ref: !Ref MyVip\nlist: !reference [.setup, script]\npy: !!python/object:os.system x\n"
    )
    assert not r.errors
    (doc,) = r.documents
    vault = doc.data["ansible_become_password"]
    assert isinstance(vault, Opaque) and vault.tag == "!vault" and "6231" in vault.text
    assert isinstance(doc.data["list"], Opaque) and isinstance(doc.data["py"], Opaque)
    assert doc.opaque == (("ansible_become_password",), ("list",), ("py",), ("ref",))
    assert doc.loc("ref").start == Pos(4, 6)


def test_crlf_and_tabs() -> None:
    r = parse("a: 1\r\nb:\r\n  c: 2\r\n")
    assert r.documents[0].data == {"a": 1, "b": {"c": 2}}
    assert r.documents[0].loc("b", "c").start == Pos(3, 6)
    r = parse("a:\n\tb: 1\n")
    assert r.errors


def test_libyaml_is_in_use() -> None:
    """Without PyYAML's C extension kublint reads with PyYAML's pure parser: the same grammar, slower."""
    import yaml

    from kublint.parsers.yaml_compose import _parser

    assert yaml.__with_libyaml__ and type(_parser("a: 1")).__module__ == "yaml._yaml"
    version = tuple(int(p) for p in yaml._yaml.get_version_string().split("."))
    assert version >= (0, 2, 5)  # PyYAML 6.0.3 bundles 0.2.5, 6.0.4 bundles 0.2.6


def test_unreadable_scalars_are_errors_at_the_scalar() -> None:
    # int() refuses more than 4,300 digits and datetime() a 30 February: neither is a YAMLError, so the
    # position has to come from the node, not from 1:1
    r = parse("a: 1\nb:\n  c: [x, " + "9" * 5000 + "]\nd: 2024-02-30\n")
    assert [(e.span.line, e.span.col) for e in r.errors] == [(3, 10)]
    assert "5000 characters" in r.errors[0].message and "set_int_max_str_digits" not in r.errors[0].message
    r = parse("when: 2024-02-30\n")
    assert [(e.span.line, e.span.col) for e in r.errors] == [(1, 7)]
    assert "day is out of range" in r.errors[0].message


# Kubernetes-shaped files that libyaml (and so kubeadm, kubectl, Ansible) reads, with where each value is.
VALID = [
    ("etcd:\n  endpoints: [https://10.0.0.21:2379, https://10.0.0.22:2379]\n",
     ("etcd", "endpoints", 1), "https://10.0.0.22:2379", Pos(2, 39)),
    ("command: [etcdctl, --endpoints=https://127.0.0.1:2379, snapshot, save, /backup/s.db]\n",
     ("command", 1), "--endpoints=https://127.0.0.1:2379", Pos(1, 20)),
    ("backup: {target: s3://backups/etcd}\n", ("backup", "target"), "s3://backups/etcd", Pos(1, 18)),
    ("nodes:\n  - {name: cp1, address: fd00::11}\n", ("nodes", 0, "address"), "fd00::11", Pos(2, 26)),
    ("image: {repository: registry:5000/etcd, tag: 3.5.15-0}\n", ("image", "repository"),
     "registry:5000/etcd", Pos(1, 21)),
    ("a: [http://x:80/a?b=c:d]\n", ("a", 0), "http://x:80/a?b=c:d", Pos(1, 5)),
    ("kind: ClusterConfiguration\r\napiServer:\r\n  certSANs: [10.0.0.100]\r\n",
     ("apiServer", "certSANs", 0), "10.0.0.100", Pos(3, 14)),
    ("\ufeffkind: InitConfiguration\n", ("kind",), "InitConfiguration", Pos(1, 7)),
    ("kind: A\n...\n---\nkind: B\n...\n", ("kind",), "A", Pos(1, 7)),
    ("base: &b {cpus: 4}\nnode:\n  <<: *b\n  name: n1\n", ("node", "cpus"), 4, Pos(1, 17)),
    ("x: \"caf\u00e9\"\ny: [\u00e9, \U0001f600, z]\n", ("y", 2), "z", Pos(2, 11)),
    ("k: 'it''s: [fine]'\n", ("k",), "it's: [fine]", Pos(1, 4)),
    ("hosts: {cp1: {ansible_host: 10.0.0.11}, cp2: {ansible_host: '10.0.0.12'}}\n",
     ("hosts", "cp2", "ansible_host"), "10.0.0.12", Pos(1, 61)),
]


@pytest.mark.parametrize(("text", "path", "value", "start"), VALID)
def test_kubernetes_shaped_yaml_is_read(
    text: str, path: tuple[str | int, ...], value: object, start: Pos
) -> None:
    r = parse(text)
    assert not r.errors, r.errors
    doc = r.documents[0]
    assert doc.get(*path) == value
    assert doc.loc(*path).start == start


INVALID = [
    ("apiVersion: kubeadm.k8s.io/v1beta4\nkind:InitConfiguration\nnodeRegistration: {}\n", 2),
    ("apiServer:\n  certSANs: [a, b\ncontrolPlaneEndpoint: x:6443\n", 3),
    ("etcd: {local: {dataDir: /var/lib/etcd}\n", 1),
    ("a:\n\tb: 1\n", 2),
    ("a: [1, 2]]\n", 1),
    ("- a\nb: 1\n", 2),
    ("a: 'unclosed\n", 1),
    ("key: value: other\n", 1),
]


@pytest.mark.parametrize(("text", "line"), INVALID)
def test_invalid_yaml_is_an_error_at_its_line(text: str, line: int) -> None:
    r = parse(text)
    assert len(r.errors) == 1 and r.errors[0].span.line == line, [(e.message, e.span) for e in r.errors]


@pytest.mark.parametrize("text", [v[0] for v in VALID] + [i[0] for i in INVALID])
def test_verdict_is_pyyamls_c_loader(text: str) -> None:
    import yaml

    try:
        list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        accepted = True
    except yaml.YAMLError:
        accepted = False
    assert (not parse(text).errors) == accepted


def test_a_run_of_braces_is_not_template_markup() -> None:
    from kublint.placeholders import has_template_syntax

    templates = ("{{ x }}", "{{x}}", "{{- x }}", "{{.Values.a}}", "{% if a %}")
    assert all(has_template_syntax(t) for t in templates)
    assert not has_template_syntax("a: " + "{" * 1000)


_SCALARS = st.one_of(
    st.sampled_from(["yes", "no", "on", "~", "null", "NULL", "true", "False", "0777", "0o17", "0x1F", "0b101",
                     "1_000", "-12", "+3", ".5", "1.", "1e3", "1.5e-3", ".inf", "-.Inf", ".nan", "2026-10-02",
                     "2026-10-02T10:11:12Z", "2026-1-2 3:04:05.5 +02:00", "v1.36.2", "10.0.0.1", "6443",
                     "1:20", "0", "-0", "00", "3.5.15-0", "1_2.3_4", "1e400"]),
    st.from_regex(r"[-+]?[0-9_]{1,6}(\.[0-9_]{0,3})?([eE][-+]?[0-9]{1,2})?", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(_SCALARS)
def test_plain_scalars_resolve_as_the_old_reader_did(text: str) -> None:
    """kublint read YAML with ruamel.yaml's 1.2 resolver before; every finding depends on the same values."""
    import math

    from ruamel.yaml import YAML

    try:
        before = YAML(typ="safe", pure=True).load(f"v: {text}\n")["v"]
    except Exception:
        return  # ruamel could not make the value ('_' alone, 30 February): kublint's SY001 is tested above
    r = parse(f"v: {text}\n")
    assert not r.errors, (text, r.errors)
    now = r.documents[0].data["v"]
    if isinstance(before, float) and math.isnan(before):
        assert isinstance(now, float) and math.isnan(now)
        return
    assert (type(now), now) == (type(before), before), text
