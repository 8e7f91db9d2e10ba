"""Data-driven rule cases: tests/fixtures/rules/<ID>/<pass|fail>-<case>/ describes a small cluster tree.

A case is linted in a copy of its tree, built in a temporary directory (``<tmp>/<ID>/<case>/``):

* ``case.yaml`` (optional) names a shared tree under ``tests/fixtures/bases/<name>/`` and what to change::

      base: ha-three-cp-two-lbs          # start from tests/fixtures/bases/ha-three-cp-two-lbs/
      remove: [lb/lb2/keepalived.conf]   # base files to leave out
      patch:                             # line-level edits of base files: unified-diff hunks, no fuzz
        lb/haproxy.cfg: |
          @@ -39,2 +39,3 @@
               server cp2 10.0.0.12:6443 check verify none
               server cp3 10.0.0.13:6443 check verify none
          +    server api k8s-api.example.com:6443 check verify none backup

  A hunk's context and ``-`` lines must match the base file exactly (an empty line in a hunk is an empty
  context line). Without ``case.yaml`` the case directory holds the whole tree. A base may start from
  another base the same way (its own ``case.yaml``).
* Every other file of the case directory is a file of the tree, added to the base or replacing a base file
  whole (a file is either patched or replaced, not both).
* Metadata, never copied into the tree: ``case.yaml``; ``expected.txt`` (fail cases), one line a finding of
  the case's rule, as ``kublint check -f concise`` writes it: ``path:line:col: ID [severity] message``.
  Findings compare in full (rule, file, line, column, severity, message) and in any order; a suppressed
  finding ends with `` (suppressed by <how>)``. ``kublint-args``: the paths to pass on the command line (one
  a line) instead of ``.``; ``kublint-select``: more rules to run beside the case's own.

A tree's ``.kublint.yaml`` (options, environment, etcd-version) applies to its case; its ``select`` and
``ignore`` are replaced by the case's rule. ``KUBLINT_TODAY`` is pinned to 2026-11-01 for ``until=`` dates.

After a deliberate change of findings, rewrite the fail cases' ``expected.txt`` from what kublint reports
(``python3 -m pytest tests/test_rule_cases.py --update-expected``, or ``KUBLINT_UPDATE_EXPECTED=1``) and
review ``git diff tests/fixtures``. Other tests lint a case with ``materialize(rule_id, case, tmp_path)``.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kublint.config import Config
from kublint.engine import Report, lint
from kublint.findings import Finding
from kublint.text import visible

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE_FIXTURES = FIXTURES / "rules"
BASES = FIXTURES / "bases"
CASE_FILE = "case.yaml"
METADATA = frozenset({CASE_FILE, "expected.txt", "kublint-args", "kublint-select"})
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class CaseError(ValueError):
    """A case that cannot be built: an unknown base, a patch that does not apply, a key case.yaml lacks."""


@dataclass(frozen=True)
class Spec:
    base: str | None = None
    remove: tuple[str, ...] = ()
    patch: tuple[tuple[str, str], ...] = ()


def _load_yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def read_spec(case_dir: Path) -> Spec:
    f = case_dir / CASE_FILE
    if not f.exists():
        return Spec()
    data = _load_yaml(f.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"base", "remove", "patch"}
    if unknown:
        raise CaseError(f"{f}: unknown keys {sorted(unknown)}")
    patch = data.get("patch") or {}
    patches = tuple((str(k), v) for k, v in patch.items())
    return Spec(data.get("base"), tuple(data.get("remove") or ()), patches)


def apply_patch(old: bytes, patch: str, where: str = "") -> bytes:
    """``old`` with the unified-diff hunks of ``patch`` applied; every context and removed line must match."""
    text = old.decode("utf-8")
    if not text.endswith("\n"):
        raise CaseError(f"{where}: a patched file must end with a newline")
    lines = text.split("\n")[:-1]
    out: list[str] = []
    pos = 0  # lines[:pos] are consumed
    body = patch.split("\n")
    if body and body[-1] == "":
        body.pop()
    i = 0
    while i < len(body):
        m = _HUNK.match(body[i])
        if m is None:
            raise CaseError(f"{where}: expected a hunk header '@@ -l,n +l,n @@', got {body[i]!r}")
        old_n = int(m[2]) if m[2] is not None else 1
        new_n = int(m[4]) if m[4] is not None else 1
        start = int(m[1]) - 1 if old_n else int(m[1])
        if start < pos:
            raise CaseError(f"{where}: hunks overlap or are out of order at {body[i]!r}")
        out += lines[pos:start]
        pos = start
        seen_old = seen_new = 0
        i += 1
        while i < len(body) and not body[i].startswith("@@"):
            ln = body[i]
            tag, content = (ln[0], ln[1:]) if ln else (" ", "")
            if tag in " -":
                if pos >= len(lines) or lines[pos] != content:
                    got = lines[pos] if pos < len(lines) else "<end of file>"
                    raise CaseError(f"{where}: line {pos + 1} is {got!r}, the patch expects {content!r}")
                pos += 1
                seen_old += 1
                if tag == " ":
                    out.append(content)
                    seen_new += 1
            elif tag == "+":
                out.append(content)
                seen_new += 1
            else:
                raise CaseError(f"{where}: a hunk line starts with ' ', '-' or '+': {ln!r}")
            i += 1
        if (seen_old, seen_new) != (old_n, new_n):
            raise CaseError(f"{where}: hunk {m[0]} holds {seen_old} old and {seen_new} new lines")
    out += lines[pos:]
    return ("\n".join(out) + "\n").encode("utf-8")


def _files_of(d: Path, skip: Iterable[str] = ()) -> dict[str, bytes]:
    skipped = set(skip)
    out = {}
    for p in sorted(d.rglob("*")):
        if p.is_file():
            rel = p.relative_to(d).as_posix()
            if rel not in skipped:
                out[rel] = p.read_bytes()
    return out


@functools.cache
def base_files(name: str, _seen: tuple[str, ...] = ()) -> dict[str, bytes]:
    """A base's tree. A base may itself start from another base (its own ``case.yaml``)."""
    d = BASES / name
    if not d.is_dir() or "/" in name or name.startswith("."):
        raise CaseError(f"no base {name!r}: tests/fixtures/bases/{name}/ does not exist")
    if name in _seen:
        raise CaseError(f"bases start from each other in a circle: {' -> '.join((*_seen, name))}")
    return tree_files(d, (*_seen, name))


def tree_files(case_dir: Path, _seen: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The files of a case's tree (path in the tree: contents): base, case files, patches, removals."""
    spec = read_spec(case_dir)
    own = _files_of(case_dir, METADATA)
    if spec.base is None:
        if spec.remove or spec.patch:
            raise CaseError(f"{case_dir}: 'remove' and 'patch' need a 'base'")
        return own
    base = base_files(spec.base, _seen)
    files = dict(base)
    for rel, patch in spec.patch:
        if rel not in base:
            raise CaseError(f"{case_dir}: patches {rel}, which base {spec.base} does not hold")
        if rel in own:
            raise CaseError(f"{case_dir}: {rel} is both patched and replaced")
        files[rel] = apply_patch(base[rel], patch, f"{case_dir.name}/{CASE_FILE}: {rel}")
    files.update(own)
    for rel in spec.remove:
        if rel not in base or rel in own or rel in dict(spec.patch):
            raise CaseError(f"{case_dir}: removes {rel}, which is not an untouched file of base {spec.base}")
        del files[rel]
    return files


def write_tree(files: dict[str, bytes], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return dest


def render(findings: Iterable[Finding]) -> list[str]:
    """Findings as expected.txt lines (the concise format, and whether a finding is suppressed)."""
    out = []
    for f in findings:
        msg = visible(f.message.replace("\n", " "))
        line = f"{f.span.path}:{f.span.line}:{f.span.col}: {f.rule_id} [{f.severity.label}] {msg}"
        out.append(line + (f" (suppressed by {f.suppressed_by})" if f.suppressed_by else ""))
    return out


@dataclass(frozen=True)
class Case:
    rule_id: str
    name: str
    path: Path  # the case's source directory, where its metadata lives

    @property
    def passing(self) -> bool:
        return self.name.startswith("pass")

    @property
    def expected_file(self) -> Path:
        return self.path / "expected.txt"

    def expected_lines(self) -> list[str]:
        f = self.expected_file
        if not f.exists():
            return []
        lines = f.read_text(encoding="utf-8").splitlines()
        return [ln for ln in lines if ln.strip() and not ln.startswith("#")]

    def expected(self) -> set[tuple[str, str, int, int]]:
        """(rule, file, line, column) of each expected finding."""
        out = set()
        for line in self.expected_lines():
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
        """``kublint-select``: more rules to run with this one (the rule a suppression case suppresses)."""
        f = self.path / "kublint-select"
        return tuple(f.read_text().split()) if f.exists() else ()

    def files(self) -> dict[str, bytes]:
        return tree_files(self.path)

    def write(self, dest: Path) -> Path:
        """Build the case's tree in ``dest`` (created); returns ``dest``."""
        return write_tree(self.files(), dest)

    def materialize(self, where: Path) -> Path:
        """Build the tree in ``where/<ID>/<case>/`` (the directory keeps the case's name); returns it."""
        return self.write(where / self.rule_id / self.name)

    def run(self, select: tuple[str, ...] | None = None, tree: Path | None = None) -> Report:
        """Lint the case with its rule (or ``select``), under the tree's ``.kublint.yaml`` when it has one.

        ``tree``: a directory the case was materialized in; else it is built in a temporary directory."""
        if tree is None:
            with tempfile.TemporaryDirectory(prefix="kublint-case-") as tmp:
                return self.run(select, self.materialize(Path(tmp)))
        from kublint.configfile import load_config

        chosen = select if select is not None else (self.rule_id, *self.extra_select())
        cfg_file = tree / ".kublint.yaml"
        base = load_config(cfg_file).config if cfg_file.exists() else Config()
        return lint(self.args(), base._replace(select=chosen, ignore=(), jobs=1), cwd=tree)


def case(rule_id: str, name: str) -> Case:
    d = RULE_FIXTURES / rule_id / name
    if not d.is_dir():
        raise CaseError(f"no case {rule_id}/{name}")
    return Case(rule_id, name, d)


def materialize(rule_id: str, name: str, where: Path) -> Path:
    """Build case ``rule_id/name`` in ``where/<ID>/<case>/`` and return that directory, for a test to lint."""
    return case(rule_id, name).materialize(where)


def cases_of(rule_id: str) -> list[Case]:
    d = RULE_FIXTURES / rule_id
    return [Case(rule_id, c.name, c) for c in sorted(d.iterdir()) if c.is_dir()]


def all_cases() -> list[Case]:
    rule_dirs = sorted(d for d in RULE_FIXTURES.iterdir() if d.is_dir())
    return [c for rule_dir in rule_dirs for c in cases_of(rule_dir.name)]
