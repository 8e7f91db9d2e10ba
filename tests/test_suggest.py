"""kublint/suggest.py: the one did-you-mean heuristic, and the only caller of difflib.get_close_matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kublint.suggest import CUTOFF, closest, did_you_mean

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("word", "candidates", "expected"), [
    ("controlPlaneEndPoint", ["localAPIEndpoint", "controlPlaneEndpoint"], "controlPlaneEndpoint"),  # case
    ("fail_on", ["select", "fail-on"], "fail-on"),  # separators
    ("chek", ["check", "inter"], "check"),  # a letter dropped
    ("ignroe", ["select", "ignore"], "ignore"),  # two neighbours swapped
    ("cert", ["certSANs", "extraArgs"], "certSANs"),  # the start of a name
    ("jsn", ["text", "json", "sarif"], "json"),  # difflib
    ("initial-clustr-tokn", ["initial-cluster-state", "initial-cluster-token"], "initial-cluster-token"),
    ("chk_apiserver", ["check_apiserver", "check_haproxy"], "check_apiserver"),
    ("RSA-1024", ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256"], None),  # alike, but no misspelling
    ("controlPlaneEndpoint", ["localAPIEndpoint", "nodeRegistration"], None),
    ("xyz", ["alpha", "beta"], None),
    ("name", [], None),
])
def test_closest(word: str, candidates: list[str], expected: str | None) -> None:
    assert closest(word, candidates) == expected


def test_first_listed_wins_before_difflib() -> None:
    assert closest("nam", ["namespace", "name"]) == "namespace"  # a prefix of both: the order given decides
    assert closest("nane", ["nave", "name"]) == "nave"  # one edit from both


def test_the_word_itself_and_non_strings_are_never_suggested() -> None:
    assert closest("check", ["check"]) is None
    assert closest("check", [1, None, "chek"]) == "chek"


def test_difflib_is_case_insensitive_and_keeps_the_spelling() -> None:
    assert closest("ETCD.TWO-MEMBR-CLUSTR", ["etcd.two-member-cluster"]) == "etcd.two-member-cluster"


def test_did_you_mean_phrase() -> None:
    assert did_you_mean("jsn", ("text", "json")) == '; did you mean "json"?'
    assert did_you_mean("jsn", ("text", "json"), quote="'") == "; did you mean 'json'?"
    assert did_you_mean("zzz", ("text", "json")) == ""


def test_cutoff() -> None:
    assert CUTOFF == 0.8


def test_suggest_is_the_only_module_calling_get_close_matches() -> None:
    callers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kublint").rglob("*.py")
                     if re.search(r"\bget_close_matches\b", p.read_text(encoding="utf-8")))
    assert callers == ["kublint/suggest.py"]
