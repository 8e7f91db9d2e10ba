from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("KUBLINT_TODAY", "2026-11-01")  # until= expiries compare with a fixed date

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def shared_dir() -> Path | None:
    import os

    env = os.environ.get("KUBLINT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if cand.is_dir():
            return cand
    return None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        default=False,
        help="rewrite the rule fixtures' expected.txt from the findings kublint reports (also: "
        "KUBLINT_UPDATE_EXPECTED=1); review the result with git diff tests/fixtures",
    )


@pytest.fixture
def update_expected(request: pytest.FixtureRequest) -> bool:
    """Rewrite expected findings instead of comparing with them (``--update-expected``)."""
    if request.config.getoption("--update-expected"):
        return True
    return os.environ.get("KUBLINT_UPDATE_EXPECTED") == "1"


@pytest.fixture
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared is not present")
    return d


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The YAML conformance table, in every test run's output."""
    from tests import test_yaml_conformance

    for text in test_yaml_conformance.SUMMARY:
        terminalreporter.write_sep("-", "YAML test suite: where each reader disagrees with the suite")
        terminalreporter.write_line(text)
