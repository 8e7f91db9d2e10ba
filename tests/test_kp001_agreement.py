"""KP001 against the real program: ``keepalived -t -f FILE`` on every keepalived file of every KP001 fixture.

keepalived 2.2.7 reports each unknown keyword as ``(FILE: Line N) Unknown keyword 'X'`` (the file name is left
out for some lines of the main file). For every fixture case, the (file, line) pairs keepalived reports and
the (file, line) pairs of kublint's KP001 findings must be the same. Files included by another keepalived file
are tested through the including file, as keepalived reads them (``docs/lb-parsers.md``); keepalived runs in
the file's directory so that relative includes resolve. Skipped when keepalived is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kublint.parsers.keepalived import looks_like_keepalived, parse_keepalived
from kublint.source import SourceFile
from tests.rule_cases import Case, cases_of

KEEPALIVED = shutil.which("keepalived") or (
    "/usr/sbin/keepalived" if Path("/usr/sbin/keepalived").exists() else None
)
_UNKNOWN = re.compile(r"\((?:([^():]*?): )?Line (\d+)\) Unknown keyword '(.*)'$", re.M)
CASES = cases_of("KP001")


def main_files(case: Path) -> list[Path]:
    """The keepalived files of a case that no other keepalived file includes."""
    files = [p for p in sorted(case.rglob("*")) if p.is_file() and p.name != "expected.txt"
             and looks_like_keepalived(p.read_text(errors="replace"))]
    included: set[Path] = set()
    for p in files:
        config = parse_keepalived(SourceFile(p.name, p, p.read_text()), root=case)
        for inc in config.includes:
            included.update((p.parent / f).resolve() for f in inc.files)
    return [p for p in files if p.resolve() not in included]


def keepalived_says(case: Path, path: Path) -> set[tuple[str, int]]:
    """(file relative to the case, line) of every unknown keyword ``keepalived -t`` reports."""
    assert KEEPALIVED is not None
    out = subprocess.run(
        [KEEPALIVED, "-t", "-f", path.name], capture_output=True, text=True, errors="replace", timeout=60,
        cwd=path.parent,
    )
    found = set()
    for m in _UNKNOWN.finditer(out.stderr + out.stdout):
        where = (path.parent / (m[1] or path.name)).resolve().relative_to(case.resolve()).as_posix()
        found.add((where, int(m[2])))
    return found


def kublint_says(rule_case: Case, case: Path) -> set[tuple[str, int]]:
    report = rule_case.run(tree=case)
    return {(f.span.path, f.span.start.line) for f in report.findings if f.rule_id == "KP001"}


@pytest.mark.skipif(KEEPALIVED is None, reason="keepalived is not installed")
@pytest.mark.parametrize("rule_case", CASES, ids=lambda c: c.name)
def test_kp001_agrees_with_keepalived(rule_case: Case, tmp_path: Path) -> None:
    case = rule_case.materialize(tmp_path)
    theirs: set[tuple[str, int]] = set()
    for path in main_files(case):
        theirs |= keepalived_says(case, path)
    ours = kublint_says(rule_case, case)
    assert theirs - ours == set(), "keepalived -t reports unknown keywords KP001 misses"
    assert ours - theirs == set(), "KP001 reports lines keepalived -t accepts"
    if case.name.startswith("fail"):
        assert ours, "a fail case must hold unknown keywords"


def test_kp001_cases_present() -> None:
    assert any(c.name.startswith("pass") for c in CASES)
    assert sum(c.name.startswith("fail") for c in CASES) >= 2
