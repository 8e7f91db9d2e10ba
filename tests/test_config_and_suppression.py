"""Configuration files, inline suppressions and baselines, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.rule_cases import case
from tests.test_cli import run


@pytest.fixture
def cluster(tmp_path: Path) -> Path:
    dst = tmp_path / "cluster"
    case("KA104", "fail-vip-missing").write(dst)  # the tree alone: a case's expected.txt stays behind
    (tmp_path / ".git").mkdir()  # config search stops at the repository root
    return dst


def test_ignore_in_kublint_yaml_removes_the_rule(cluster: Path) -> None:
    assert "KA104" in run("check", "-f", "concise", cwd=cluster)[1]
    (cluster / ".kublint.yaml").write_text("ignore: [KA104]\n")
    _code, out, _ = run("check", "-f", "concise", cwd=cluster)
    assert "KA104" not in out


def test_misspelled_key_exits_2_with_position_and_suggestion(cluster: Path) -> None:
    (cluster / ".kublint.yaml").write_text("select: [KA]\nignroe: [KA104]\n")
    code, _, err = run("check", cwd=cluster)
    assert code == 2
    assert '.kublint.yaml:2:1: unknown setting "ignroe"; did you mean "ignore"?' in err


def test_unknown_rule_reference_in_config(cluster: Path) -> None:
    (cluster / ".kublint.yaml").write_text("ignore:\n  - KA1O4\n")
    code, _, err = run("check", cwd=cluster)
    assert code == 2 and ".kublint.yaml:2:5" in err and 'did you mean "KA104"' in err


def test_pyproject_tool_section(cluster: Path) -> None:
    (cluster / "pyproject.toml").write_text('[tool.kublint]\nignore = ["KA104"]\nfail-on = "warning"\n')
    _code, out, _ = run("check", "-f", "concise", cwd=cluster)
    assert "KA104" not in out


def test_severity_and_options_from_config(cluster: Path) -> None:
    (cluster / ".kublint.yaml").write_text(
        "select: [IV201]\nrules:\n  IV201: {severity: error, options: {max_rtt_ms: 0.5}}\n"
    )
    code, out, _ = run("check", "-f", "concise", cwd=cluster)
    assert code == 1 and out.count("IV201 [error]") == 3


def test_explicit_config_file_and_config_command(cluster: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "strict.yaml"
    cfg.write_text("fail-on: warning\nper-file-ignores:\n  'kubeadm.yaml': [KA104]\n")
    code, out, _ = run("check", "--config", str(cfg), "-f", "concise", cwd=cluster)
    assert "KA104" not in out
    code, out, _ = run("config", "--config", str(cfg), cwd=cluster)
    assert code == 0 and "fail-on: 'warning'" in out and "strict.yaml:1:10" in out


def test_inline_ignore_removes_its_finding_and_unused_gives_sy005(cluster: Path) -> None:
    k = cluster / "kubeadm.yaml"
    text = k.read_text().replace(
        "  certSANs:\n", "  certSANs:   # kublint: ignore=KA104 -- VIP goes next sprint\n"
    )
    text = text.replace(
        "kind: ClusterConfiguration\n", "kind: ClusterConfiguration   # kublint: ignore=KA101\n"
    )
    k.write_text(text)
    _, out, _ = run("check", "-f", "concise", "--select", "KA,SY", cwd=cluster)
    assert "KA104" not in out
    assert "kubeadm.yaml:2:30: SY005" in out
    _, out, _ = run("check", "-f", "concise", "--select", "KA,SY", "--no-inline-suppressions", cwd=cluster)
    assert "KA104" in out and "SY005" not in out


def test_suppressed_findings_in_sarif_only_when_asked(cluster: Path) -> None:
    k = cluster / "kubeadm.yaml"
    k.write_text(k.read_text().replace("  certSANs:\n", "  certSANs:   # kublint: ignore=KA104 -- later\n"))
    _, out, _ = run("check", "-f", "sarif", "--select", "KA104", cwd=cluster)
    assert json.loads(out)["runs"][0]["results"] == []
    _, out, _ = run("check", "-f", "sarif", "--select", "KA104", "--sarif-include-suppressed", cwd=cluster)
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "inSource"


def test_baseline_survives_lines_inserted_above(cluster: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    code, out, _ = run("baseline", ".", "-o", str(base), cwd=cluster)
    assert code == 0 and "wrote" in out
    k = cluster / "kubeadm.yaml"
    k.write_text("# moved by the new LB project\n# see OPS-1\n\n" + k.read_text())
    code, out, err = run("check", "--baseline", str(base), "-f", "concise", cwd=cluster)
    assert code == 0 and out == "" and "baseline" not in err
    k.write_text(
        k.read_text().replace(
            "    - k8s.internal.example.com\n", "    - k8s.internal.example.com\n    - 10.0.0.100\n"
        )
    )
    code, out, err = run("check", "--baseline", str(base), "-f", "concise", cwd=cluster)
    assert code == 0 and "1 baseline entry matches no finding" in err


def test_new_finding_is_not_hidden_by_baseline(cluster: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    run("baseline", ".", "-o", str(base), cwd=cluster)
    k = cluster / "kubeadm.yaml"
    k.write_text(
        k.read_text() + "controllerManager:\n  extraArgs:\n    - {name: leader-elect, value: 'false'}\n"
    )
    code, out, _ = run("check", "--baseline", str(base), "-f", "concise", cwd=cluster)
    assert code == 1 and out.startswith("kubeadm.yaml:11:35: KA201") and "KA201" in out


def test_github_annotations_escape_commas_in_paths(tmp_path: Path) -> None:
    dst = tmp_path / "prod,eu"
    case("KA104", "fail-vip-missing").write(dst)
    _code, out, _ = run("check", "-f", "github", "prod,eu", "--select", "KA104", cwd=tmp_path)
    line = next(x for x in out.splitlines() if x.startswith("::error"))
    assert line.startswith("::error file=prod%2Ceu/kubeadm.yaml,line=6,")
    assert "title=KA104 kubeadm.lb-address-not-in-certsans::" in line


def test_config_is_also_checked_against_its_schema(cluster: Path) -> None:
    """A value the schema forbids but the loader's own checks let through still stops the run."""
    # YAML reads 3.10 as the number 3.1: the schema wants the version quoted
    (cluster / ".kublint.yaml").write_text("select: [ET]\netcd-version: 3.10\n")
    code, _, err = run("check", cwd=cluster)
    assert code == 2 and ".kublint.yaml:2:" in err, err


def test_design_example_config_is_accepted(cluster: Path) -> None:
    (cluster / ".kublint.yaml").write_text(
        "select: [ET, KA, security]\nignore: [HP115]\nfail-on: error\nrules:\n"
        "  IV102: {severity: error, options: {min_cpus: 8, min_memory_gib: 16}}\n"
        "  IV201: {options: {max_rtt_ms: 2}}\n"
        'per-file-ignores: {"legacy/*.cfg": [HP114]}\nexclude: ["vendor/**"]\n'
        'kinds: [{glob: "lb/*.conf", kind: haproxy}]\ninventory: {groups: {control-plane: [masters]}}\n'
        "environment: production\n"
    )
    code, _, err = run("check", cwd=cluster)
    assert code in (0, 1), err
