"""Hostile inputs that once stalled or crashed a run: each is now bounded, a finding where the input is
bad, and the rest of the cluster is still linted (bench/hostile.py runs the full-size versions)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kublint.config import Config
from kublint.discovery import path_bytes, quote_path
from kublint.engine import lint
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "ha-cluster"


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "cl"
    shutil.copytree(EXAMPLE, tree)
    return tree


def _ids(tree: Path, path: str) -> set[str]:
    return {f.rule_id for f in lint(["."], Config(jobs=1), cwd=tree).findings if f.span.path == path}


def test_brace_runs_in_haproxy_and_keepalived_are_sy007(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    cfg = (EXAMPLE / "lb/haproxy.cfg").read_text()
    (tree / "lb/haproxy.cfg").write_text(cfg + "    server x " + "{" * 20_000 + "\n")
    report = lint(["."], Config(jobs=1), cwd=tree)
    sy007 = [f for f in report.findings if f.rule_id == "SY007" and f.span.path == "lb/haproxy.cfg"]
    assert sy007 and all("'{{'" in f.message for f in sy007)
    assert any(f.span.path.startswith("kubeadm/") for f in report.findings)  # the rest is still linted


def test_pem_of_spaces_is_a_finding(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    (tree / "pki").mkdir()
    spaces = " " * 200_000
    (tree / "pki/ca.crt").write_text(f"-----BEGIN CERTIFICATE-----\n{spaces}\n-----END CERTIFICATE-----\n")
    (tree / "pki/open.crt").write_text("-----BEGIN CERTIFICATE-----\n" + " " * 1000)
    pytest.importorskip("cryptography")
    assert "SY001" in _ids(tree, "pki/ca.crt")
    assert "SY001" in _ids(tree, "pki/open.crt")  # no END line: a finding, not silence


@pytest.mark.parametrize("closed", [True, False])
def test_deep_keepalived_nesting_is_bounded(tmp_path: Path, closed: bool) -> None:
    tree = _tree(tmp_path)
    text = "vrrp_instance X {\n" + "a {\n" * 5000 + ("}\n" * 5001 if closed else "")
    (tree / "lb/lb1/keepalived.conf").write_text(text)
    report = lint(["."], Config(jobs=1), cwd=tree)
    assert not [f for f in report.findings if f.rule_id == "SY900"]  # no rule crashed (RecursionError)
    assert any(f.span.path == "lb/lb1/keepalived.conf" for f in report.findings)


def test_quote_path_is_gits_and_reversible() -> None:
    bad = "bad-" + os.fsdecode(b"\xff") + ".yaml"
    assert quote_path(bad) == '"bad-\\377.yaml"'
    assert quote_path("a\x1b[31mred.yaml") == '"a\\033[31mred.yaml"'
    assert quote_path("a\tb") == '"a\\tb"'
    assert quote_path("ünïcødé.yaml") == "ünïcødé.yaml"
    for name in (bad, "a\x1b[31mred.yaml", 'q"b\\s', "x\x9by", "plain/x.yaml"):
        assert path_bytes(quote_path(name)) == os.fsencode(name)


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github"])
def test_names_not_utf8_or_with_escapes_in_every_format(tmp_path: Path, fmt: str) -> None:
    tree = tmp_path / "cl"
    tree.mkdir()
    for raw in (b"bad-\xff.yaml", b"a\x1b[31mred.yaml"):
        with open(os.fsencode(tree) + b"/" + raw, "wb") as f:
            f.write(b"apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n")
    proc = subprocess.run([sys.executable, "-m", "kublint", "check", "-f", fmt, "."], cwd=tree,
                          capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    out = proc.stdout.decode("utf-8")  # never a raw 0xff byte
    assert "\x1b" not in out  # never a raw ESC
    if fmt == "sarif":
        uris = json.dumps(json.loads(out))
        assert "bad-%FF.yaml" in uris and "a%1B%5B31mred.yaml" in uris
    elif fmt == "json":
        paths = {f["path"] for f in json.loads(out)["findings"]}
        assert paths == {'"bad-\\377.yaml"', '"a\\033[31mred.yaml"'}
    else:
        assert "bad-\\377.yaml" in out and "a\\033[31mred.yaml" in out


def test_unsearchable_directory_is_sy004(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path)
    locked = tree / "locked"
    locked.mkdir()
    (locked / "haproxy.cfg").write_text("global\n")
    real_scandir, real_is_file = os.scandir, Path.is_file

    def scandir(path: object = ".") -> object:
        if Path(os.fsdecode(path)) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def is_file(self: Path) -> bool:
        if self.parent == locked:  # a lookup inside it fails as under mode 000
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "is_file", is_file)
    report = lint(["."], Config(jobs=1), cwd=tree)
    sy004 = [f for f in report.findings if f.rule_id == "SY004"]
    assert [f.span.path for f in sy004] == ["locked"]
    assert "Permission denied" in sy004[0].message
    assert any(f.span.path.startswith("kubeadm/") for f in report.findings)
