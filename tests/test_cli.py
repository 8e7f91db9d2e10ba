"""The command line: formats, exit codes, usage errors with suggestions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kublint import __version__
from kublint.cli import main
from tests.conftest import ROOT
from tests.rule_cases import materialize


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        res = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"kublint {__version__}"


def test_clean_cluster_exits_0_and_prints_summary(tmp_path: Path) -> None:
    code, out, _ = run("check", "--no-color", "--fail-on", "warning", "ha-cluster", cwd=ROOT / "examples")
    assert code == 0
    assert out.strip().splitlines()[-1].endswith("of 1 cluster.")
    case = materialize("KA101", "pass-endpoint", tmp_path)
    code, out, _ = run("check", "--no-color", "--select", "KA101", cwd=case)
    assert out.strip() == "No problems found in 2 files of 1 cluster."


def test_findings_exit_1_and_text_groups_by_file(tmp_path: Path) -> None:
    case = materialize("KA101", "fail-three-nodes", tmp_path)
    code, out, _ = run("check", "--no-color", "--select", "KA101", cwd=case)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "kubeadm.yaml"
    assert "KA101" in lines[1] and lines[1].lstrip().startswith("7:7")
    assert any("-> inventory.yaml:9:5" in line for line in lines)  # related location: node cp1
    assert "Found 1 problem (1 error) in 2 files of 1 cluster." in out


def test_fail_on_thresholds(tmp_path: Path) -> None:
    case = materialize("KA102", "fail-single", tmp_path)  # one warning
    assert run("check", "--select", "KA102", cwd=case)[0] == 0
    assert run("check", "--select", "KA102", "--fail-on", "warning", cwd=case)[0] == 1
    assert run("check", "--select", "KA102", "--severity", "KA102=error", cwd=case)[0] == 1
    assert (
        run("check", "--select", "KA102", "--fail-on", "never", "--severity", "KA102=error", cwd=case)[0] == 0
    )


def test_concise_format(tmp_path: Path) -> None:
    case = materialize("ET101", "fail-stacked-two", tmp_path)
    code, out, _ = run("check", "-f", "concise", "--select", "ET101", cwd=case)
    assert code == 1
    assert out.startswith("inventory.yaml:6:1: ET101 [error] etcd has 2 voting members (cp1, cp2)")


def test_json_format_matches_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run("check", "-f", "json", cwd=materialize("KA104", "fail-vip-missing", tmp_path))
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    ka104 = [f for f in doc["findings"] if f["rule"] == "KA104"]
    assert ka104[0]["path"] == "kubeadm.yaml" and ka104[0]["line"] == 6
    assert ka104[0]["related"][0]["path"] == "inventory.yaml"
    assert doc["summary"]["clusters"] == 1


def test_two_formats_one_run(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    case = materialize("KA102", "fail-single", tmp_path)
    _code, out, _ = run("check", "-f", "concise", "-f", f"json:{target}", cwd=case)
    assert "KA102" in out
    assert json.loads(target.read_text())["findings"]


def test_missing_path_exits_2() -> None:
    code, _, err = run("check", "does/not/exist")
    assert code == 2 and "path not found: does/not/exist" in err


@pytest.mark.parametrize(
    ("ref", "suggestion"),
    [
        ("ET10", None),
        ("ET1O1", "ET101"),
        ("etcd.two-member-clustr", "etcd.two-member-cluster"),
        ("securty", None),
    ],
)
def test_unknown_rule_reference(ref: str, suggestion: str | None, tmp_path: Path) -> None:
    code, _, err = run("check", "--select", ref, cwd=materialize("KA102", "fail-single", tmp_path))
    if ref == "ET10":  # a valid prefix
        assert code in (0, 1)
        return
    assert code == 2
    assert f'unknown rule reference "{ref}"' in err
    if suggestion:
        assert f'did you mean "{suggestion}"' in err


def test_select_by_name_tag_and_prefix(tmp_path: Path) -> None:
    case = materialize("KA101", "fail-three-nodes", tmp_path)
    for ref in ("KA101", "kubeadm.missing-endpoint-in-ha", "KA1", "availability"):
        _, out, _ = run("check", "-f", "concise", "--select", ref, cwd=case)
        assert "KA101" in out, ref
    _code, out, _ = run("check", "-f", "concise", "--select", "KA", "--ignore", "KA101", cwd=case)
    assert "KA101" not in out


def test_unknown_format_suggests() -> None:
    code, _, err = run("check", "-f", "jsn")
    assert code == 2 and 'did you mean "json"' in err


def test_rules_json_shape() -> None:
    code, out, _ = run("rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"id", "name", "summary", "severity", "tags", "status"} == set(rows[0])
    assert {r["id"] for r in rows} >= {"ET101", "KA201", "OP101", "SY001"}


def test_explain_by_id_and_name_and_unknown() -> None:
    code, out, _ = run("explain", "IV102")
    assert code == 0 and out.startswith("IV102 inventory.control-plane-undersized")
    assert "min_cpus (a number, default 4)" in out
    code, out, _ = run("explain", "etcd.two-member-cluster")
    assert code == 0 and "ET101" in out
    code, _, err = run("explain", "IV1O2")
    assert code == 2 and 'did you mean "IV102"' in err


def test_explain_skips_lists_reasons(tmp_path: Path) -> None:
    case = materialize("KA102", "fail-single", tmp_path)
    _code, out, _ = run("check", "--no-color", "--explain-skips", cwd=case)
    assert "IV201" in out and "no measured round-trip times" in out


def test_module_entry_point_runs() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "kublint", "--version"], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0 and res.stdout.strip() == f"kublint {__version__}"


def test_version_imports_no_heavy_modules() -> None:
    code = (
        "import sys, kublint.cli; "
        "print(','.join(m for m in ('rich', 'jsonschema', 'ruamel') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == ""


def test_a_tree_without_control_plane_configuration_says_nothing_was_checked(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicaCount: 2\n")
    (tmp_path / "notes.yaml").write_text("- a\n- b\n")
    code, out, _ = run("check", "--no-color", ".", cwd=tmp_path)
    assert code == 0
    assert out.strip() == (
        "Nothing checked in 2 files of 1 cluster: none holds control-plane configuration kublint reads "
        "(kubeadm, etcd, an inventory, an installer's cluster definition, HAProxy or Keepalived); -v lists "
        "each file and what it was read as."
    )
    code, out, _ = run("check", "--no-color", "-v", ".", cwd=tmp_path)
    assert "Files read:\n  notes.yaml: not recognised\n  values.yaml: not recognised\n" in out
