"""The rule index in Markdown, generated from the cards (docs/rules.md)."""

from __future__ import annotations

from kublint.catalogue import catalogue
from kublint.rules.api import FAMILIES


def rules_markdown() -> str:
    cards = catalogue()
    lines = ["# kublint rules", "", "Generated from `rules/*.md` by `kublint rules --format markdown`.", ""]
    for prefix, family in FAMILIES.items():
        title = family.title
        fam = [c for c in cards.values() if c.family == prefix]
        if not fam:
            continue
        lines += [f"## {prefix}: {title}", "", "| id | name | severity | summary |", "|---|---|---|---|"]
        for c in fam:
            lines.append(f"| [{c.id}](../rules/{c.id}.md) | `{c.name}` | {c.severity.label} | {c.summary} |")
        lines.append("")
    return "\n".join(lines)
