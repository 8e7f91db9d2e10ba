"""Every rule's pass and fail fixtures: exact rule id, file, line and column of each expected finding."""

from __future__ import annotations

import pytest

from kublint.catalogue import catalogue
from tests.rule_cases import RULE_FIXTURES, Case, all_cases

CASES = all_cases()
ENGINE_ONLY = {"SY900"}  # reported by the engine when a rule raises: tested in test_engine.py


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule_id}/{c.name}")
def test_rule_case(case: Case) -> None:
    report = case.run()
    got = {f.identity for f in report.findings if f.rule_id == case.rule_id}
    crashes = [f for f in report.findings if f.rule_id == "SY900"]
    assert not crashes, crashes
    if case.passing:
        assert got == set(), f"{case.rule_id} should be silent on {case.name}: {sorted(got)}"
    else:
        expected = case.expected()
        assert expected, f"fail case {case.name} has no expected.txt"
        assert {e for e in expected if e[0] != case.rule_id} == set(), "expected.txt names another rule"
        assert got == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule_id}/{c.name}")
def test_no_crash_with_every_rule(case: Case) -> None:
    report = case.run(select=())
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
