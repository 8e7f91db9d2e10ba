"""Work that once grew quadratically with its input grows at most n log n: SY007's placeholder scan, HP001 on
many unknown keywords, the PEM reader, the kubeadm joins over many documents.

Growth is judged by the ratio of CPU times at n and 8n (best of three): n log n gives about 9x, quadratic
64x; the bound, 24x, leaves room for a noisy machine without letting a quadratic path through.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kublint.config import Config
from kublint.engine import lint
from kublint.parsers.certs import _pem_blocks
from kublint.rules.syntax.unrendered_template import BRACED, JINJA, PAREN, PERCENT, Taken
from tests.conftest import ROOT

HAPROXY = (ROOT / "examples/ha-cluster/lb/haproxy.cfg").read_text()


def _cpu(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _grows_at_most_n_log_n(make: Callable[[int], Callable[[], object]], n: int) -> None:
    small, large = _cpu(make(n)), _cpu(make(8 * n))
    assert large / small < 24, f"{small:.4f} s at n={n}, {large:.4f} s at 8n"


def _scan_all(text: str) -> Callable[[], object]:
    def work() -> int:
        taken, count = Taken(), 0
        for style in (JINJA, BRACED, PAREN, PERCENT):
            for a, b in style.find(text):
                if not (taken.covers(a) or taken.covers(b - 1)):
                    taken.add(a, b)
                    count += 1
        return count
    return work


@pytest.mark.parametrize("shape", [
    lambda n: "{" * n,
    lambda n: "{{ x " * n,
    lambda n: "{% x " * n,
    lambda n: "${a" * n,
    lambda n: "$(a" * n,
    lambda n: "%{a" * n,
    lambda n: "{{ x }} " * n,
], ids=["braces", "unclosed-jinja", "unclosed-tag", "unclosed-braced", "unclosed-paren", "unclosed-percent",
        "many-closed"])
def test_sy007_scan_grows_at_most_n_log_n(shape: Callable[[int], str]) -> None:
    _grows_at_most_n_log_n(lambda n: _scan_all(shape(n)), 2000)


def test_jinja_finder_agrees_with_the_regex_it_replaces() -> None:
    import re

    regex = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\{%")
    for text in ("{{ a }} {{ b", "{%x%}{{", "{{{{}}}}", "a {{ b\n}} c", "{% a }} %}", "{{%}}", "{" * 7, ""):
        assert list(JINJA.find(text)) == [m.span() for m in regex.finditer(text)], text


@pytest.mark.parametrize("shape", [
    lambda n: "-----BEGIN CERTIFICATE-----\n" + " " * (50 * n) + "\n-----END CERTIFICATE-----\n",
    lambda n: "-----BEGIN CERTIFICATE-----\n" * n,
    lambda n: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" * n,
], ids=["spaces", "unclosed", "many"])
def test_pem_reading_grows_at_most_n_log_n(shape: Callable[[int], str]) -> None:
    def make(n: int) -> Callable[[], object]:
        text = shape(n)
        return lambda: _pem_blocks(text)
    _grows_at_most_n_log_n(make, 2000)


def _tree(tmp: Path, name: str, files: dict[str, str]) -> Path:
    tree = tmp / name
    if tree.exists():
        shutil.rmtree(tree)
    for rel, text in files.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text(text)
    return tree


def test_hp001_grows_at_most_n_log_n(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        body = "".join(f"    frobnicate{i % 50}x on\n" for i in range(n))
        tree = _tree(tmp_path, f"hp{n}", {"haproxy.cfg": HAPROXY + "\nbackend junk\n" + body})
        return lambda: lint(["."], Config(select=("HP001",), jobs=1), cwd=tree)
    _grows_at_most_n_log_n(make, 250)


KUBEADM = """apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration: {{name: cp{i}}}
localAPIEndpoint: {{advertiseAddress: 10.20.{a}.{b}}}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
controlPlaneEndpoint: k8s-api.example.com:6443
"""


def test_kubeadm_joins_grow_at_most_n_log_n(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        files = {f"k/cp{i}.yaml": KUBEADM.format(i=i, a=i // 250, b=i % 250 + 1) for i in range(n)}
        tree = _tree(tmp_path, f"ka{n}", files)
        rules = ("KA104", "KA114", "KA101", "KA102")  # the joins that were quadratic, and their neighbours
        return lambda: lint(["."], Config(select=rules, jobs=1), cwd=tree)
    _grows_at_most_n_log_n(make, 30)
