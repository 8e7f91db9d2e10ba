"""A rule is its module, its card and its fixtures: the tables that join them are derived or checked here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kublint.catalogue import catalogue
from kublint.inputs import INPUTS
from kublint.rules.api import FAMILIES, load

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "rule-card.schema.json").read_text(encoding="utf-8"))


def test_card_schema_knows_exactly_the_inputs() -> None:
    enum = SCHEMA["properties"]["inputs"]["items"]["enum"]
    assert sorted(enum) == sorted(INPUTS), "schemas/rule-card.schema.json: inputs enum != kublint/inputs.py"


def test_card_schema_knows_exactly_the_families() -> None:
    m = re.fullmatch(r"\^\(([A-Z|]+)\)\[0-9\]\{3\}\$", SCHEMA["properties"]["id"]["pattern"])
    assert m is not None
    assert m.group(1).split("|") == list(FAMILIES), "schemas/rule-card.schema.json: id families != FAMILIES"


def test_every_family_is_a_package_and_every_package_a_family() -> None:
    packages = {p.parent.name for p in (ROOT / "kublint" / "rules").glob("*/__init__.py")}
    assert packages == {f.package for f in FAMILIES.values()}


def test_every_card_names_known_inputs() -> None:
    for card in catalogue().values():
        unknown = [i for i in card.inputs if i not in INPUTS]
        assert not unknown, f"{card.path.name}: unknown inputs {unknown} (the vocabulary: kublint/inputs.py)"


def test_a_rules_options_are_its_own() -> None:
    """An options class lives in the rule's module, or in a private module of its family shared as a type
    only (each rule still reads its own settings: rules.<ID>.options)."""
    for card in catalogue().values():
        spec = load(card.id, card.name)
        if spec.options is None:
            continue
        home = spec.options.__module__
        family = spec.func.__module__.rsplit(".", 1)[0]
        assert home == spec.func.__module__ or (
            home.rsplit(".", 1)[0] == family and home.rsplit(".", 1)[1].startswith("_")
        ), f"{card.id}: options {spec.options.__name__} come from {home}"


def test_only_declared_rules_take_the_run_context() -> None:
    import inspect

    for card in catalogue().values():
        spec = load(card.id, card.name)
        if spec.on not in ("cluster", "file"):
            continue
        arity = len(inspect.signature(spec.func).parameters)
        assert arity == 1 + (spec.options is not None) + spec.context, card.id
