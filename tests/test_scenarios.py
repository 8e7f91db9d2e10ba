"""Whole clusters written as people write them, linted with every rule: a snapshot of every finding.

``tests/fixtures/clusters/<scenario>/expected.txt`` holds ``path:line:col: ID ...`` for each finding (the
message is not compared). After a deliberate change, regenerate with
``kublint check . -f concise --fail-on never > expected.txt`` in the scenario and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kublint.config import Config
from kublint.engine import lint
from tests.conftest import ROOT

SCENARIOS = sorted(p for p in (ROOT / "tests" / "fixtures" / "clusters").iterdir() if p.is_dir())


def _expected(path: Path) -> set[tuple[str, str, int, int]]:
    out = set()
    for line in (path / "expected.txt").read_text().splitlines():
        loc, _, rest = line.partition(": ")
        file, ln, col = loc.rsplit(":", 2)
        out.add((rest.split()[0], file, int(ln), int(col)))
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_scenario_snapshot(scenario: Path) -> None:
    report = lint(["."], Config(jobs=1), cwd=scenario)
    got = {f.identity for f in report.findings}
    expected = _expected(scenario)
    assert sorted(got - expected) == [], "new findings"
    assert sorted(expected - got) == [], "findings gone"
