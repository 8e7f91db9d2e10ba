"""Benchmark kublint against yamllint on the same trees: medians of whole-process runs, ratios, peak memory.

    python3 bench/run.py [--runs 7] [--out bench/out] [--nodes 5000] [--fleet 100]

Each measurement runs the two tools in alternation (kublint, yamllint, kublint, ...) so that machine noise
hits both alike. Peak memory is the child's maximum resident set size (wait4). kublint runs with -f concise
to a pipe, as under pre-commit; yamllint with its default configuration and -f parsable. yamllint reads the
YAML files only (it cannot read HAProxy or Keepalived files); kublint reads the whole tree. Start-up is
`kublint --version` against a bare `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

Budget = tuple[str, float]
BUDGETS: dict[str, Budget] = {
    "cluster": ("kublint/yamllint <= 1.0", 1.0),
    "fleet": ("kublint/yamllint <= 0.5", 0.5),
    "big-inventory": ("kublint/yamllint <= 0.25, peak <= 300 MiB", 0.25),
    "startup": ("kublint --version <= 6x python -c pass", 6.0),
}


def measure(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one whole-process run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024


def paired(a: list[str], b: list[str], runs: int) -> tuple[list[float], list[float], float, float]:
    ta, tb, ma, mb = [], [], 0.0, 0.0
    measure(a)  # warm the page cache for both
    measure(b)
    for _ in range(runs):
        w, m = measure(a)
        ta.append(w)
        ma = max(ma, m)
        w, m = measure(b)
        tb.append(w)
        mb = max(mb, m)
    return ta, tb, ma, mb


def yaml_files(tree: Path) -> list[str]:
    return sorted(str(p) for p in tree.rglob("*") if p.suffix in (".yaml", ".yml"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--fleet", type=int, default=100)
    ap.add_argument("--only", choices=[*BUDGETS], action="append")
    args = ap.parse_args()
    kublint = shutil.which("kublint") or sys.exit("kublint is not installed (pip install -e .)")
    yamllint = shutil.which("yamllint") or sys.exit("yamllint is not installed (pip install yamllint)")
    trees = generate(args.out, args.nodes, args.fleet)
    rows = []
    for name in args.only or list(BUDGETS):
        runs = max(3, args.runs // 2) if name == "big-inventory" else args.runs
        if name == "startup":
            a, b = [kublint, "--version"], [sys.executable, "-c", "pass"]
            label_b = "python -c pass"
        else:
            tree = trees[name]
            a = [kublint, "check", str(tree), "-f", "concise", "--fail-on", "never"]
            b = [yamllint, "-f", "parsable", *yaml_files(tree)]
            label_b = "yamllint"
        ta, tb, ma, mb = paired(a, b, runs)
        ka, kb = statistics.median(ta), statistics.median(tb)
        ratio = ka / kb
        text, limit = BUDGETS[name]
        ok = ratio <= limit and (name != "big-inventory" or ma <= 300)
        rows.append((name, ka, kb, label_b, ratio, ma, mb, text, ok))
    print(
        f"{'tree':<14} {'kublint s':>10} {'other s':>10} {'other':<15} {'ratio':>6} {'kublint MiB':>12} "
        f"{'other MiB':>10}  budget"
    )
    for name, ka, kb, lb, ratio, ma, mb, text, ok in rows:
        print(
            f"{name:<14} {ka:>10.3f} {kb:>10.3f} {lb:<15} {ratio:>6.2f} {ma:>12.1f} {mb:>10.1f}  "
            f"{text}: {'ok' if ok else 'OVER'}"
        )


if __name__ == "__main__":
    main()
