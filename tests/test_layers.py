"""The layer contract (pyproject.toml [tool.importlinter]) and zero import cycles among kublint's modules.

The cycle test reads every module with ``ast`` and counts every import: at module level, inside functions and
under ``if TYPE_CHECKING:``. ``from a.b import c`` is an import of ``a.b.c`` when that is a module, else of
``a.b``. An import of a submodule is not counted as one of its packages (``kublint/__init__.py`` is light).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kublint"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """kublint module -> the kublint modules it imports, anywhere in it."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in modules:
                        edges.add(sub)
                    elif target in modules:
                        edges.add(target)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[v] = min(low[v], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles among kublint modules:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_a_rule_imports_no_other_rule_module() -> None:
    """Within its family too: shared code lives in the family's private modules (``_common``, ``_keys``)."""
    bad = []
    for name, edges in import_graph().items():
        parts = name.split(".")
        if len(parts) != 4 or parts[:2] != ["kublint", "rules"] or parts[2] == "api":
            continue
        for e in sorted(edges):
            ep = e.split(".")
            if ep[:2] != ["kublint", "rules"] or e == "kublint.rules.api":
                continue
            if len(ep) >= 4 and ep[2] == parts[2] and ep[3].startswith("_"):
                continue  # a private module of its own family
            if len(ep) == 3 and ep[2] == parts[2]:
                continue  # its own family's package
            bad.append(f"{name} -> {e}")
    assert bad == [], "rules importing other rules or families:\n" + "\n".join(bad)


def test_the_model_imports_no_rule() -> None:
    bad = [f"{m} -> {e}" for m, es in import_graph().items() if m.startswith("kublint.model")
           for e in sorted(es) if e.startswith("kublint.rules")]
    assert bad == [], "\n".join(bad)


def test_import_linter_contracts_are_kept() -> None:
    pytest.importorskip("importlinter")
    exe = shutil.which("lint-imports")
    run = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    cmd = [exe] if exe else [sys.executable, "-c", run]
    res = subprocess.run([*cmd, "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
