"""bench/generate.py: the benchmark trees are what they claim to be (valid, realistic, every file kind read).

A benchmark over a tree with a syntax error measures the wrong thing: a file that fails to parse skips the
model and most rules. These tests keep the generated trees clean. They assert no time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kublint.engine import lint
from tests.conftest import ROOT


def _generate(out: Path) -> dict[str, Path]:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    trees: dict[str, Path] = module.generate(out, nodes=60, fleet=2)
    return trees


def test_generated_trees_lint_without_errors(tmp_path: Path) -> None:
    trees = _generate(tmp_path)
    for name, tree in trees.items():
        report = lint([tree], cwd=tmp_path)
        ids = sorted({f.rule_id for f in report.findings})
        assert not [i for i in ids if i.startswith("SY")], (name, ids)
        assert not [f for f in report.findings if f.severity.label == "error"], (name, ids)


def test_generated_cluster_reads_every_kind(tmp_path: Path) -> None:
    from kublint.discovery import discover
    from kublint.engine import load_files

    tree = _generate(tmp_path)["cluster"]
    (root,) = discover([str(tree)], tmp_path, ())
    kinds = {str(f.kind) for f in load_files(root, 10**7, 1)}
    assert {"kubeadm", "inventory", "haproxy", "keepalived", "cronjob"} <= kinds, kinds
