"""The pipeline: crashing rules, determinism, parallel parsing, files named on the command line."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kublint.config import Config
from kublint.engine import lint
from kublint.findings import Problem
from kublint.rules import api
from tests.rule_cases import case, materialize


def test_crashing_rule_becomes_sy900_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = api.load("KA101", "kubeadm.missing-endpoint-in-ha")

    def boom(_: object) -> Iterator[Problem]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(api._REGISTRY, "KA101", spec._replace(func=boom))
    case = materialize("ET101", "fail-stacked-two", tmp_path)
    report = lint(["."], Config(select=("KA101", "ET101"), jobs=1), cwd=case)
    ids = [f.rule_id for f in report.findings]
    assert "SY900" in ids and "ET101" in ids
    crash = next(f for f in report.findings if f.rule_id == "SY900")
    assert "rule KA101 crashed" in crash.message and "ZeroDivisionError" in crash.message
    assert crash.span.path in ("inventory.yaml", "kubeadm.yaml")


def test_sy900_cannot_be_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec = api.load("ET101", "etcd.two-member-cluster")

    def boom(_: object) -> Iterator[Problem]:
        raise RuntimeError("x")

    monkeypatch.setitem(api._REGISTRY, "ET101", spec._replace(func=boom))
    case = materialize("ET101", "fail-stacked-two", tmp_path)
    report = lint(["."], Config(select=("ET101",), ignore=("SY900",), jobs=1), cwd=case)
    assert [f.rule_id for f in report.findings] == ["SY900"]


def _copy_many(tmp_path: Path, n: int) -> Path:
    src = materialize("KA104", "fail-vip-missing", tmp_path / "src")
    root = tmp_path / "many"
    for i in range(n):
        shutil.copytree(src, root / f"c{i:03d}")
    return root


def test_same_findings_in_same_order_with_any_jobs(tmp_path: Path) -> None:
    root = _copy_many(tmp_path, 30)  # 60 files: over the threshold for a process pool
    serial = lint(["."], Config(jobs=1), cwd=root)
    parallel = lint(["."], Config(jobs=2), cwd=root)
    again = lint(["."], Config(jobs=2), cwd=root)
    key = [(f.identity, f.message, f.fingerprint) for f in serial.findings]
    assert key == [(f.identity, f.message, f.fingerprint) for f in parallel.findings]
    assert key == [(f.identity, f.message, f.fingerprint) for f in again.findings]
    assert serial.clusters == 30  # each directory with an inventory is its own cluster


def test_file_named_on_command_line_lints_its_whole_cluster(tmp_path: Path) -> None:
    case = materialize("KA104", "fail-vip-missing", tmp_path)
    report = lint(["kubeadm.yaml"], Config(select=("KA104",), jobs=1), cwd=case)
    assert [f.identity for f in report.findings] == [("KA104", "kubeadm.yaml", 6, 3)]
    assert report.files == 2


def test_file_in_subdirectory_finds_root_by_inventory(tmp_path: Path) -> None:
    case("KA104", "fail-vip-missing").write(tmp_path / "cl")
    (tmp_path / "cl" / "kubeadm").mkdir()
    (tmp_path / "cl" / "kubeadm.yaml").rename(tmp_path / "cl" / "kubeadm" / "cluster.yaml")
    report = lint(["cl/kubeadm/cluster.yaml"], Config(select=("KA104",), jobs=1), cwd=tmp_path)
    assert [f.identity for f in report.findings] == [("KA104", "cl/kubeadm/cluster.yaml", 6, 3)]


def test_fingerprints_survive_lines_inserted_above(tmp_path: Path) -> None:
    case("KA104", "fail-vip-missing").write(tmp_path / "c")
    before = lint(["."], Config(select=("KA104",), jobs=1), cwd=tmp_path / "c").findings
    f = tmp_path / "c" / "kubeadm.yaml"
    f.write_text("# a comment\n# and another\n" + f.read_text())
    after = lint(["."], Config(select=("KA104",), jobs=1), cwd=tmp_path / "c").findings
    assert [x.span.line for x in after] == [x.span.line + 2 for x in before]
    assert [x.fingerprint for x in after] == [x.fingerprint for x in before]


def test_nothing_is_written_into_the_linted_tree(tmp_path: Path) -> None:
    case("ET202", "fail-explicit-timing").write(tmp_path / "c")
    before = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    lint(["."], Config(jobs=1), cwd=tmp_path / "c")
    assert sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before


def test_symlink_out_of_root_is_sy004(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")
    root = tmp_path / "cluster"
    root.mkdir()
    (root / "kubeadm.yaml").symlink_to(outside)
    (root / "loop").symlink_to(root, target_is_directory=True)  # never followed
    report = lint(["."], Config(select=("SY004",), jobs=1), cwd=root)
    assert [(f.rule_id, f.span.path) for f in report.findings] == [("SY004", "kubeadm.yaml")]
    assert "outside the cluster root" in report.findings[0].message


def test_unknown_option_is_a_config_error(tmp_path: Path) -> None:
    from kublint.config import ConfigError

    with pytest.raises(ConfigError, match='did you mean "max_rtt_ms"'):
        lint(
            ["."],
            Config(select=("IV201",), options={"IV201": {"max_rtt": 3}}),
            cwd=materialize("IV201", "pass-low-latency", tmp_path),
        )


def test_rule_option_changes_threshold(tmp_path: Path) -> None:
    case = materialize("IV201", "pass-low-latency", tmp_path)
    report = lint(["."], Config(select=("IV201",), options={"IV201": {"max_rtt_ms": 0.5}}, jobs=1), cwd=case)
    assert len(report.findings) == 3  # three zone pairs at 0.9-1.1 ms


def test_library_api(tmp_path: Path) -> None:
    import kublint

    report = kublint.lint(str(materialize("ET101", "fail-stacked-two", tmp_path)))
    assert "ET101" in {f.rule_id for f in report.findings}
