"""pre-commit (run for real in a temporary git repository) and the GitHub Action's definition."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.rule_cases import materialize


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_hook_definition_matches_the_design() -> None:
    (hook,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "kublint" and hook["entry"] == "kublint check" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    import re

    pattern = re.compile(hook["files"])
    for name in (
        "kubeadm.yaml",
        "lb/haproxy.cfg",
        "keepalived.conf",
        "inventory/hosts",
        "hosts.ini",
        "etcd.env",
    ):
        assert pattern.search(name), name
    assert not pattern.search("README.md")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away clone of this repository with the working tree committed, as pre-commit needs a commit."""
    if shutil.which("git") is None or shutil.which("pre-commit") is None:
        pytest.skip("git and pre-commit are needed")
    repo = tmp_path_factory.mktemp("hookrepo")
    for name in ("pyproject.toml", "hatch_build.py", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    for d in ("kublint", "rules", "schemas"):
        shutil.copytree(ROOT / d, repo / d, ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "hook")
    return repo


def _project(tmp_path: Path, src: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(src, proj / "cluster")
    _git(proj, "init", "-q")
    _git(proj, "add", "-A")
    _git(proj, "commit", "-qm", "cluster")
    return proj


def _run_hook(proj: Path, hook_repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo.parent / "pre-commit-home")}
    return subprocess.run(
        ["pre-commit", "try-repo", str(hook_repo), "kublint", "--all-files", "--verbose"],
        cwd=proj,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_pre_commit_hook_fails_with_findings(tmp_path: Path, hook_repo: Path) -> None:
    proj = _project(tmp_path, materialize("KA104", "fail-vip-missing", tmp_path / "src"))
    res = _run_hook(proj, hook_repo)
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "KA104" in out and "cluster/kubeadm.yaml" in out


def test_pre_commit_hook_passes_on_a_clean_cluster(tmp_path: Path, hook_repo: Path) -> None:
    proj = _project(tmp_path, ROOT / "examples" / "ha-cluster")
    res = _run_hook(proj, hook_repo)
    assert res.returncode == 0, res.stdout + res.stderr


def test_action_runs_kublint_with_annotations_and_sarif() -> None:
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    assert set(action["inputs"]) >= {"path", "fail-on", "sarif-file"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    run = next(s for s in steps if s.get("id") == "lint")["run"]
    assert "-f github" in run and '-f "sarif:$KUBLINT_SARIF"' in run and '--fail-on "$KUBLINT_FAIL_ON"' in run
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}" and "always()" in upload["if"]
    assert any('exit "$CODE"' in s.get("run", "") for s in steps)
