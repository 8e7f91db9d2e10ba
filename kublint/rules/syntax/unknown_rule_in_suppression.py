"""SY006: see rules/SY006.md. The engine runs it on a cluster's inline directives (kublint.suppression)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kublint.findings import Problem
from kublint.rules.api import rule

if TYPE_CHECKING:
    from kublint.suppression import Directive, Judged


def unknown_references(d: Directive, resolve_ref: dict[str, str]) -> list[Problem]:
    from kublint.catalogue import catalogue
    from kublint.selection import suggest

    out = []
    from kublint.suppression import resolve

    for ref, span in d.refs:
        if resolve(ref, resolve_ref) is not None:
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


@rule("SY006", on="directives")
def unknown_rule_in_suppression(judged: Judged) -> Iterator[Problem]:
    for d in judged.directives:
        yield from unknown_references(d, judged.resolve_ref)
