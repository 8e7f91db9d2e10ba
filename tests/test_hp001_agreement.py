"""HP001 against the real program: on every HP001 fixture, ``haproxy -c`` and kublint reject the same lines.

A line counts for HAProxy when it raises an alert about an unknown keyword, option, timeout, server or bind
option ("unknown keyword 'chek'", "'timeout' supports ... (got 'tunel')") or about a keyword HAProxy no longer
supports ("the 'contimeout' directive is not supported anymore since HAProxy 2.1"), or about a server
option value it refuses ("'fall' has to be > 0", "weight of server cp2 is not within 0 and 256"). Directives
outside any section are HP002's. Skipped when haproxy is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kublint.config import Config
from kublint.engine import lint
from tests.rule_cases import Case, cases_of

HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
CASES = cases_of("HP001")
_REJECTED = re.compile(
    r"^\[ALERT\].*?\[[^\]]*?:(\d+)\]\s*:?.*?"
    r"(?:unknown (?:keyword|option|statement) '[^']*'(?! out of section)|'timeout' supports "
    r"|not supported any ?more|doesn't exist anymore"
    r"|'[a-z]+' has to be > 0|invalid value \S+ for argument|is not within \d+ and \d+)",
    re.M,
)


def haproxy_rejects(path: Path) -> set[int]:
    assert HAPROXY is not None
    out = subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, errors="replace",
                         timeout=60)
    return {int(m[1]) for m in _REJECTED.finditer(out.stdout + out.stderr)}


def kublint_rejects(case: Path) -> dict[str, set[int]]:
    report = lint(["."], Config(select=("HP001",), jobs=1), cwd=case)
    out: dict[str, set[int]] = {}
    for f in report.findings:
        if f.rule_id == "HP001":
            out.setdefault(f.span.path, set()).add(f.span.line)
    return out


@pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed")
@pytest.mark.parametrize("rule_case", CASES, ids=lambda c: c.name)
def test_hp001_agrees_with_haproxy(rule_case: Case, tmp_path: Path) -> None:
    case = rule_case.materialize(tmp_path)
    ours = kublint_rejects(case)
    files = sorted(case.rglob("*.cfg"))
    assert files, f"{case.name} holds no HAProxy file"
    for path in files:
        rel = path.relative_to(case).as_posix()
        theirs = haproxy_rejects(path)
        assert ours.get(rel, set()) == theirs, f"{rel}: haproxy -c rejects lines {sorted(theirs)}"
        if case.name.startswith("fail"):
            assert theirs, f"{rel}: a fail case must be rejected by haproxy -c"
