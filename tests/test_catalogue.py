"""The rule cards and the rule code are joined by id: neither may exist without the other."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import kublint.rules
from kublint.catalogue import catalogue
from kublint.rules.api import module_for, registered
from tests.conftest import ROOT


def test_every_card_has_code() -> None:
    for card in catalogue().values():
        mod = importlib.import_module(module_for(card.id, card.name))
        assert card.id in registered(), f"{mod.__name__} does not register {card.id}"


def test_every_rule_module_has_a_card() -> None:
    cards = catalogue()
    for info in pkgutil.walk_packages(kublint.rules.__path__, "kublint.rules."):
        importlib.import_module(info.name)
    for rule_id, spec in registered().items():
        assert rule_id in cards, f"rule {rule_id} ({spec.func.__module__}) has no card rules/{rule_id}.md"
        assert spec.func.__module__ == module_for(rule_id, cards[rule_id].name)


def test_cards_validate_against_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json.loads((ROOT / "schemas" / "rule-card.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for card in catalogue().values():
        text = card.path.read_text()
        front = YAML(typ="safe").load(text.split("---\n")[1])
        errors = [e.message for e in validator.iter_errors(front)]
        assert errors == [], f"{card.path.name}: {errors}"
        assert front["tags"] == list(card.tags) and front["severity"] == card.severity.label


def public_catalogue() -> dict[str, tuple[str, str]]:
    """tests/catalogue-contract.tsv: id, name and default severity of every public rule (RULES.md's table)."""
    rows: dict[str, tuple[str, str]] = {}
    text = (ROOT / "tests" / "catalogue-contract.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert lines[0].split("\t") == ["id", "name", "severity"]
    for line in lines[1:]:
        rule_id, name, severity = line.split("\t")
        assert re.fullmatch(r"[A-Z]{2}[0-9]{3}", rule_id) and rule_id not in rows, line
        assert severity in ("error", "warning", "info"), line
        rows[rule_id] = (name, severity)
    return rows


def test_cards_match_the_public_catalogue() -> None:
    """Ids, names and default severities are a public contract, pinned in tests/catalogue-contract.tsv."""
    rows = public_catalogue()
    assert len(rows) > 100
    for card in catalogue().values():
        assert card.id in rows, f"{card.id} is not in the public catalogue (tests/catalogue-contract.tsv)"
        assert (card.name, card.severity.label) == rows[card.id], card.id


def test_cards_have_the_sections_users_need() -> None:
    for card in catalogue().values():
        assert "## What it checks" in card.body, card.id
        assert "## Fix" in card.body or card.id == "SY900", card.id


def test_docs_rules_md_is_current() -> None:
    from kublint.docs import rules_markdown

    assert (ROOT / "docs" / "rules.md").read_text() == rules_markdown(), (
        "run: kublint rules --format markdown > docs/rules.md"
    )


def test_rules_index_is_current() -> None:
    # kublint reads the cards' front matter from rules/index.json (one file, not 147)
    from kublint.catalogue import INDEX, REGENERATE, index_text, read_cards

    rules = ROOT / "rules"
    current = (rules / INDEX).read_text()
    assert current == index_text(read_cards(rules)), f"rules/index.json is stale: run {REGENERATE}"


def test_index_and_cards_give_the_same_catalogue() -> None:
    from kublint.catalogue import _from_index, read_cards

    rules = ROOT / "rules"
    assert _from_index(rules) == read_cards(rules)


def test_a_card_missing_from_the_index_means_reading_the_cards(tmp_path: Path) -> None:
    import shutil

    from kublint.catalogue import INDEX, _from_index

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "ZZ999.md").write_text((rules / "ET101.md").read_text().replace("ET101", "ZZ999"))
    assert _from_index(rules) is None
    (rules / INDEX).write_text("{not json")
    assert _from_index(rules) is None
