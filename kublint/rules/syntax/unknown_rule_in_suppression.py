"""SY006: see rules/SY006.md. The suppression step calls this for every directive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kublint.findings import Problem
from kublint.rules.api import rule

if TYPE_CHECKING:
    from kublint.suppression import Directive


def unknown_references(d: Directive, resolve_ref: dict[str, str]) -> list[Problem]:
    from kublint.catalogue import catalogue
    from kublint.selection import suggest

    out = []
    for ref, span in d.refs:
        if resolve_ref.get(ref.upper(), resolve_ref.get(ref)) is not None:
            continue
        hint = suggest(ref, catalogue())
        out.append(
            Problem(
                f'suppression names "{ref}", which is no kublint rule'
                + (f'; did you mean "{hint}"?' if hint else ""),
                span,
                anchor=f"suppression:{d.verb}:{ref}",
            )
        )
    return out


@rule("SY006", on="engine")
def unknown_rule_in_suppression(_: object) -> Iterator[Problem]:
    """Never called by the rule loop: directives are read by the suppression step (unknown_references)."""
    return iter(())
