"""Data-driven rule cases: tests/fixtures/rules/<ID>/<pass|fail>-<case>/ is a small cluster tree.

A fail case holds ``expected.txt``: one ``path:line:col: ID`` line a finding (anything after the id, such as a
message, is ignored: findings compare by rule, file, line and column). A case may hold ``kublint-args``: the
paths to pass on the command line (one a line) instead of the case directory, and ``kublint-select`` more
rules to run beside the case's own. A case's ``.kublint.yaml`` (options, environment, etcd-version) applies
to it; its ``select`` and ``ignore`` are replaced by the case's rule. ``KUBLINT_TODAY`` is pinned to
2026-11-01 for ``until=`` dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kublint.config import Config
from kublint.engine import Report, lint

RULE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"


@dataclass(frozen=True)
class Case:
    rule_id: str
    name: str
    path: Path

    @property
    def passing(self) -> bool:
        return self.name.startswith("pass")

    def expected(self) -> set[tuple[str, str, int, int]]:
        out = set()
        f = self.path / "expected.txt"
        if not f.exists():
            return out
        for line in f.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            loc, _, rest = line.partition(": ")
            path, ln, col = loc.rsplit(":", 2)
            out.add((rest.split()[0], path, int(ln), int(col)))
        return out

    def args(self) -> list[str]:
        f = self.path / "kublint-args"
        if f.exists():
            return [a for a in f.read_text().split() if a]
        return ["."]

    def extra_select(self) -> tuple[str, ...]:
        """``kublint-select``: more rules to run with this one (suppression cases need the "
            "suppressed rule)."""
        f = self.path / "kublint-select"
        return tuple(f.read_text().split()) if f.exists() else ()

    def run(self, select: tuple[str, ...] | None = None) -> Report:
        """Lint the case with its rule (or ``select``), under the case's ``.kublint.yaml`` when it has one."""
        from kublint.configfile import load_config

        chosen = select if select is not None else (self.rule_id, *self.extra_select())
        cfg_file = self.path / ".kublint.yaml"
        base = load_config(cfg_file).config if cfg_file.exists() else Config()
        return lint(self.args(), base._replace(select=chosen, ignore=(), jobs=1), cwd=self.path)


def all_cases() -> list[Case]:
    cases = []
    for rule_dir in sorted(RULE_FIXTURES.iterdir()):
        for case_dir in sorted(rule_dir.iterdir()):
            if case_dir.is_dir():
                cases.append(Case(rule_dir.name, case_dir.name, case_dir))
    return cases
