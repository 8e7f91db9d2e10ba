"""Every rule's pass and fail fixtures: each expected finding in full (rule, file, line, column, severity,
message). ``--update-expected`` (or ``KUBLINT_UPDATE_EXPECTED=1``) rewrites the fail cases' expected.txt."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import pytest

from kublint.catalogue import catalogue
from tests.rule_cases import BASES, CASE_FILE, RULE_FIXTURES, Case, all_cases, read_spec, render

CASES = all_cases()
ENGINE_ONLY = {"SY900"}  # reported by the engine when a rule raises: tested in test_engine.py


def _diff(expected: list[str], got: list[str]) -> str:
    lines = difflib.unified_diff(sorted(expected), sorted(got), "expected.txt", "kublint", lineterm="", n=0)
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule_id}/{c.name}")
def test_rule_case(case: Case, tmp_path: Path, update_expected: bool) -> None:
    report = case.run(tree=case.materialize(tmp_path))
    crashes = [f for f in report.findings if f.rule_id == "SY900"]
    assert not crashes, crashes
    got = render(f for f in report.findings if f.rule_id == case.rule_id)
    if case.passing:
        assert got == [], f"{case.rule_id} should be silent on {case.name}:\n" + "\n".join(got)
        return
    assert got, f"fail case {case.rule_id}/{case.name}: {case.rule_id} reports nothing"
    expected = case.expected_lines()
    if update_expected and Counter(expected) != Counter(got):
        case.expected_file.write_text("".join(f"{line}\n" for line in got), encoding="utf-8")
        expected = case.expected_lines()
    assert expected, f"fail case {case.name} has no expected.txt"
    assert {e for e in case.expected() if e[0] != case.rule_id} == set(), "expected.txt names another rule"
    if Counter(got) != Counter(expected):
        pytest.fail(
            f"{case.rule_id}/{case.name}: findings differ from expected.txt (after a deliberate change, "
            f"rewrite it with pytest --update-expected and review git diff):\n{_diff(expected, got)}",
            pytrace=False,
        )


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule_id}/{c.name}")
def test_no_crash_with_every_rule(case: Case, tmp_path: Path) -> None:
    report = case.run(select=(), tree=case.materialize(tmp_path))
    assert [f for f in report.findings if f.rule_id == "SY900"] == []


def test_every_rule_has_pass_and_fail_fixtures() -> None:
    missing = []
    for rule_id in catalogue():
        if rule_id in ENGINE_ONLY:
            continue
        d = RULE_FIXTURES / rule_id
        names = [p.name for p in d.iterdir()] if d.is_dir() else []
        if not any(n.startswith("pass") for n in names) or not any(n.startswith("fail") for n in names):
            missing.append(rule_id)
    assert missing == []


def test_fixture_dirs_name_known_rules() -> None:
    assert sorted(p.name for p in RULE_FIXTURES.iterdir() if p.name not in catalogue()) == []


def test_case_dirs_are_named_pass_or_fail() -> None:
    assert [f"{c.rule_id}/{c.name}" for c in CASES if not c.name.startswith(("pass-", "fail-"))] == []


def test_every_case_builds_a_tree() -> None:
    assert [f"{c.rule_id}/{c.name}" for c in CASES if not c.files()] == []


def test_every_base_is_used() -> None:
    used = {read_spec(c.path).base for c in CASES}
    used |= {read_spec(b).base for b in BASES.iterdir() if (b / CASE_FILE).exists()}
    assert sorted(b.name for b in BASES.iterdir() if b.name not in used) == []
