"""The official YAML test suite: kublint's verdict on every case (SY001 or not) against the suite's
``fail:`` flag, beside PyYAML's C loader (libyaml 0.2.5 or 0.2.6: the C original of Kubernetes' go-yaml,
and what Ansible reads with), PyYAML's pure parser, and ruamel.yaml's pure and C parsers (the C one is
what kublint read with before). The suite is read from ../shared/yaml-test-suite, like the corpus.

The table is printed at the end of the test run and kept in docs/yaml-conformance.md; regenerate it with
``KUBLINT_UPDATE_CONFORMANCE=1 python3 -m pytest tests/test_yaml_conformance.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from kublint.parsers.yaml import parse_yaml
from kublint.source import SourceFile
from tests.conftest import shared_dir

_SHARED = shared_dir()
SUITE = (_SHARED or Path("/nonexistent")) / "yaml-test-suite" / "src"
DOC = Path(__file__).resolve().parents[1] / "docs" / "yaml-conformance.md"
SUMMARY: list[str] = []  # printed by conftest's terminal summary

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason="no ../shared/yaml-test-suite beside the project")


class Case(NamedTuple):
    id: str  # the file's id, with the case's index when the file holds several
    text: str
    fail: bool


def visible_to_text(shown: str) -> str:
    """The suite's visible-whitespace notation, as its README gives it."""
    text = shown.replace("␣", " ").replace("←", "\r").replace("⇔", "\ufeff").replace("↵", "")
    while "—" in text:  # '—' pads a tab shown as '»' to its column
        text = text.replace("—»", "»").replace("—", "")
    text = text.replace("»", "\t")
    if text.endswith("∎\n"):
        text = text[:-2]
    return text


def cases() -> Iterator[Case]:
    for path in sorted(SUITE.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        if entries[0].get("skip"):  # the suite's own skip covers the file ('The following cases ...')
            continue
        for i, entry in enumerate(entries):
            if entry.get("skip") or "yaml" not in entry:
                continue
            case_id = path.stem if len(entries) == 1 else f"{path.stem}/{i:02d}"
            yield Case(case_id, visible_to_text(entry["yaml"]), bool(entry.get("fail")))


def _accepts(compose: Callable[[str], Any]) -> Callable[[str], bool]:
    def run(text: str) -> bool:
        try:
            compose(text)
        except Exception:
            return False
        return True

    return run


def _kublint(text: str) -> bool:
    return not parse_yaml(SourceFile("case.yaml", Path("case.yaml"), text)).errors


def _ruamel(pure: bool) -> Callable[[str], Any]:
    from ruamel.yaml import YAML

    def compose(text: str) -> Any:
        return list(YAML(typ="safe", pure=pure).compose_all(text))

    return compose


def _has_ruamel_c() -> bool:
    try:
        import ruamel.yaml.clib  # noqa: F401
    except ImportError:
        return False
    return True


LIBYAML = f"PyYAML C (libyaml {yaml._yaml.get_version_string()})"
READERS: dict[str, Callable[[str], bool]] = {
    "kublint": _kublint,
    LIBYAML: _accepts(lambda t: list(yaml.compose_all(t, Loader=yaml.CSafeLoader))),
    "PyYAML pure": _accepts(lambda t: list(yaml.compose_all(t, Loader=yaml.SafeLoader))),
    "ruamel.yaml pure": _accepts(_ruamel(pure=True)),
}
if _has_ruamel_c():  # the test extras install it; without it ruamel's "C" reader would be its pure one
    READERS["ruamel.yaml C (kublint before)"] = _accepts(_ruamel(pure=False))


def verdicts() -> tuple[list[Case], dict[str, dict[str, bool]]]:
    all_cases = list(cases())
    out = {name: {c.id: accept(c.text) for c in all_cases} for name, accept in READERS.items()}
    return all_cases, out


def table(all_cases: list[Case], got: dict[str, dict[str, bool]]) -> str:
    valid = [c for c in all_cases if not c.fail]
    invalid = [c for c in all_cases if c.fail]
    lines = [
        f"{len(all_cases)} cases: {len(valid)} valid, {len(invalid)} invalid (the suite's skips left out)",
        "",
        "| reader | valid cases rejected | invalid cases accepted | agrees with the suite |",
        "|---|---|---|---|",
    ]
    for name, seen in got.items():
        rejected = sum(1 for c in valid if not seen[c.id])
        accepted = sum(1 for c in invalid if seen[c.id])
        lines.append(f"| {name} | {rejected} | {accepted} | {len(all_cases) - rejected - accepted} |")
    return "\n".join(lines)


def per_case(all_cases: list[Case], got: dict[str, dict[str, bool]]) -> str:
    names = list(got)
    lines = ["| case | suite | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for c in all_cases:
        if all(got[n][c.id] != c.fail for n in names):
            continue
        marks = ["✗" if got[n][c.id] == c.fail else "" for n in names]
        lines.append(f"| `{c.id}` | {'invalid' if c.fail else 'valid'} | " + " | ".join(marks) + " |")
    return "\n".join(lines)


@pytest.mark.filterwarnings("ignore::Warning")  # ruamel warns on re-defined anchors; its verdict counts
def test_yaml_test_suite() -> None:
    all_cases, got = verdicts()
    assert len(all_cases) > 300
    text = table(all_cases, got)
    ours, libyaml = got["kublint"], got[LIBYAML]
    body = (
        "# YAML conformance\n\n"
        "Generated by `tests/test_yaml_conformance.py` from the official YAML test suite\n"
        f"(PyYAML {yaml.__version__}, libyaml {yaml._yaml.get_version_string()}). kublint reads YAML with\n"
        "libyaml's parser, so its verdict is libyaml's on every case but two: an anchor defined a second\n"
        "time (`3GZX`, `PW8X`), which YAML 1.2 and go-yaml (Kubernetes' reader, itself a port of libyaml)\n"
        "allow and PyYAML's composer refuses; kublint accepts those, as the suite does. The test fails if\n"
        "kublint rejects any case PyYAML's C loader accepts.\n\n"
        f"{text}\n\n"
        "Every case where one of the readers disagrees with the suite (✗: that reader is wrong):\n\n"
        + per_case(all_cases, got)
        + "\n"
    )
    SUMMARY.append(text)
    if os.environ.get("KUBLINT_UPDATE_CONFORMANCE"):
        DOC.write_text(body, encoding="utf-8")
    rejected_by_us = sorted(c.id for c in all_cases if libyaml[c.id] and not ours[c.id])
    accepted_by_us = sorted(c.id for c in all_cases if ours[c.id] and not libyaml[c.id])
    assert rejected_by_us == [], f"kublint rejects what PyYAML's C loader accepts: {rejected_by_us}"
    # where libyaml's parser and PyYAML's composer disagree (an anchor defined again, which YAML 1.2 and
    # go-yaml allow and PyYAML's composer refuses) kublint accepts, and only where the suite says valid
    wrongly = [i for i in accepted_by_us if next(c for c in all_cases if c.id == i).fail]
    assert wrongly == [], f"kublint accepts invalid cases that PyYAML's C loader rejects: {wrongly}"
    assert len(accepted_by_us) <= 2, accepted_by_us
    kept = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert _row(kept, "kublint") == _row(body, "kublint"), (
        "docs/yaml-conformance.md is stale: KUBLINT_UPDATE_CONFORMANCE=1 python3 -m pytest "
        "tests/test_yaml_conformance.py"
    )


def _row(doc: str, name: str) -> str:
    return next((line for line in doc.splitlines() if line.startswith(f"| {name} |")), "")


def test_visible_whitespace_notation() -> None:
    assert visible_to_text("a:␣b\n↵\n") == "a: b\n\n"
    assert visible_to_text("--- |1-∎\n") == "--- |1-"
    assert visible_to_text("———»x\n") == "\tx\n"
    assert visible_to_text("⇔a←\n") == "\ufeffa\r\n"
