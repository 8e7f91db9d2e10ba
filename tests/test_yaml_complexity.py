"""The YAML reader's work grows at most n log n with the size of its input, on every shape that once was (or
could be) worse: deep flow nesting (libyaml's scanner is quadratic in open flow levels), aliases, merge keys,
many documents, long flow collections, duplicate keys.

Growth is judged by the ratio of CPU times at n and 8n (best of three each): n log n gives about 9x,
quadratic 64x; the bound, 24x, leaves room for a noisy machine without letting a quadratic path through.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kublint.parsers.yaml import parse_yaml
from kublint.source import SourceFile

SHAPES: dict[str, Callable[[int], str]] = {
    "flow nesting": lambda n: "a: " + "{" * n,
    "block nesting": lambda n: "- " * n + "x\n",
    "flat keys": lambda n: "".join(f"k{i}: v{i}\n" for i in range(n)),
    "flow list of URLs": lambda n: "endpoints: [" + ", ".join(f"https://10.0.{i % 250}.{i % 200}:2379"
                                                             for i in range(n)) + "]\n",
    "aliases to one anchor": lambda n: "d: &d {cpus: 4, memoryGiB: 16}\nn:\n" + "  - *d\n" * n,
    "merge keys": lambda n: "d: &d {cpus: 4, memoryGiB: 16}\nn:\n"
    + "".join(f"  - {{<<: *d, name: n{i}}}\n" for i in range(n)),
    "documents": lambda n: "".join(f"---\nkind: ClusterConfiguration\nname: c{i}\n" for i in range(n)),
    "duplicate keys": lambda n: "".join("k: v\n" for _ in range(n)),
    "bomb chain": lambda n: "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n"
                                                      for i in range(1, n)),
}


def _cpu(text: str) -> float:
    best = float("inf")
    source = SourceFile("t.yaml", Path("t.yaml"), text)
    # the collector's passes scale with everything earlier tests left alive, not with this parse: measure
    # the parser alone
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            parse_yaml(source)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return max(best, 1e-4)


@settings(max_examples=len(SHAPES), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(sorted(SHAPES)), n=st.sampled_from([1000, 1500]))
def test_yaml_reading_grows_at_most_n_log_n(shape: str, n: int) -> None:
    make = SHAPES[shape]
    small, large = _cpu(make(n)), _cpu(make(8 * n))
    assert large / small < 24, f"{shape}: {small:.4f} s at n={n}, {large:.4f} s at 8n"
