"""The rule catalogue, read from the rule cards ``rules/<ID>.md`` and joined with the rule functions by id.

Card front matter is a flat ``key: value`` block (lists in ``[a, b]`` form). It is read here with a small
reader so that ``kublint check`` pays no YAML cost for it; a test validates every card with the full YAML
parser against ``schemas/rule-card.schema.json``.

``rules/index.json`` holds every card's front matter, so that a run opens one file instead of 147 (~4 ms of
start-up); the card bodies are read only when shown (``explain``, SARIF help). The index is generated:
``python3 -m kublint.catalogue --write-index`` rewrites it, ``--check`` exits 1 when it is stale, and
tests/test_catalogue.py fails (naming the command) when it differs from the cards. When the cards present are
not the ones it names (a card added or removed since), the cards themselves are read.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from kublint.findings import Severity
from kublint.resources import rules_dir

_ID = re.compile(r"^[A-Z]{2}[0-9]{3}$")


class CardError(Exception):
    pass


class RuleCard(NamedTuple):
    id: str
    name: str
    summary: str
    severity: Severity
    tags: tuple[str, ...]
    since: str
    status: str
    path: Path
    inputs: tuple[str, ...] = ()  # what the rule needs (names in kublint.inputs); one missing -> skipped

    @property
    def body(self) -> str:
        """The card's Markdown after the front matter (read on first use)."""
        return _body(self.path)

    @property
    def family(self) -> str:
        return self.id[:2]

    @property
    def title(self) -> str:
        return f"{self.id} {self.name}"


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _split(path: Path, text: str) -> tuple[str, str]:
    """A card's front matter and its Markdown body."""
    if not text.startswith("---\n"):
        raise CardError(f"{path}: a rule card starts with a '---' front-matter block")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise CardError(f"{path}: the front matter is not closed with '---'")
    return text[4:end], text[end + 5 :].strip() + "\n"


def parse_card(path: Path) -> RuleCard:
    front, _ = _split(path, path.read_text(encoding="utf-8"))
    meta: dict[str, str | tuple[str, ...]] = {}
    for line in front.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise CardError(f"{path}: front-matter line without ':': {line!r}")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = tuple(_scalar(v) for v in value[1:-1].split(",") if v.strip())
        else:
            meta[key.strip()] = _scalar(value)
    try:
        card = RuleCard(
            id=str(meta["id"]),
            name=str(meta["name"]),
            summary=str(meta["summary"]),
            severity=Severity.parse(str(meta["severity"])),
            tags=tuple(meta.get("tags", ())),
            since=str(meta.get("since", "")),
            status=str(meta.get("status", "stable")),
            path=path,
            inputs=tuple(meta.get("inputs", ())),
        )
    except KeyError as exc:
        raise CardError(f"{path}: front matter lacks {exc.args[0]!r}") from None
    if not _ID.match(card.id) or path.stem != card.id:
        raise CardError(f"{path}: id {card.id!r} must be two capitals and three digits, and name the file")
    return card


@cache
def _body(path: Path) -> str:
    return _split(path, path.read_text(encoding="utf-8"))[1]


INDEX = "index.json"
REGENERATE = "python3 -m kublint.catalogue --write-index"


@cache
def catalogue() -> dict[str, RuleCard]:
    rules = rules_dir()
    return _from_index(rules) or read_cards(rules)


def read_cards(rules: Path) -> dict[str, RuleCard]:
    cards: dict[str, RuleCard] = {}
    for path in sorted(rules.glob("*.md")):
        card = parse_card(path)
        cards[card.id] = card
    return cards


def _from_index(rules: Path) -> dict[str, RuleCard] | None:
    import json

    try:
        entries = json.loads((rules / INDEX).read_text(encoding="utf-8"))["cards"]
        present = sorted(n[:-3] for n in os.listdir(rules) if n.endswith(".md"))
        if sorted(entries) != present:
            return None
        return {
            rid: RuleCard(rid, e["name"], e["summary"], Severity.parse(e["severity"]), tuple(e["tags"]),
                          e["since"], e["status"], rules / f"{rid}.md", tuple(e["inputs"]))
            for rid, e in sorted(entries.items())
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no index, or not one this version reads: the cards themselves


def index_text(cards: dict[str, RuleCard]) -> str:
    """The ``rules/index.json`` for these cards."""
    import json

    entries = {
        c.id: {"name": c.name, "summary": c.summary, "severity": c.severity.label, "tags": list(c.tags),
               "since": c.since, "status": c.status, "inputs": list(c.inputs)}
        for c in cards.values()
    }
    note = f"generated from the cards' front matter by `{REGENERATE}`; do not edit"
    return json.dumps({"note": note, "cards": entries}, indent=1, ensure_ascii=False) + "\n"


def by_name() -> dict[str, RuleCard]:
    return {c.name: c for c in catalogue().values()}


def tags() -> set[str]:
    return {t for c in catalogue().values() for t in c.tags}


def main(argv: list[str] | None = None) -> int:
    """``python3 -m kublint.catalogue [--write-index | --check]``: rewrite rules/index.json from the cards
    (the default), or only say whether it is current (exit 1 when not)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python3 -m kublint.catalogue", description=main.__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write-index", action="store_true", help="rewrite rules/index.json (the default)")
    mode.add_argument("--check", action="store_true", help="exit 1 when rules/index.json is stale")
    args = parser.parse_args(argv)
    rules = rules_dir()
    text = index_text(read_cards(rules))
    if args.check:
        current = (rules / INDEX).read_text(encoding="utf-8") if (rules / INDEX).is_file() else ""
        if current != text:
            print(f"{rules / INDEX} is stale: run {REGENERATE}")
            return 1
        return 0
    (rules / INDEX).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
