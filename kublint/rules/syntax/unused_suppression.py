"""SY005: see rules/SY005.md. The engine runs it on a cluster's inline directives once they were matched with
the findings (kublint.suppression)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kublint.findings import Problem
from kublint.rules.api import rule

if TYPE_CHECKING:
    from kublint.suppression import Directive, Judged


def unused_suppression(
    d: Directive, selected: set[str], resolve_ref: dict[str, str], today: dt.date
) -> Problem | None:
    refs = ",".join(r for r, _ in d.refs)
    if d.until is not None and d.until < today:
        when = (
            "has an unreadable until= date" if d.until == dt.date.min else f"expired on {d.until.isoformat()}"
        )
        return Problem(
            f"this suppression {when}: it no longer hides anything, and the findings it covered are "
            "reported; "
            "fix them, or renew the date with a reason",
            d.span,
            anchor=f"suppression:{d.verb}:{refs}:expired",
        )
    from kublint.suppression import resolve

    unused = []
    for ref, _ in d.refs:
        rid = resolve(ref, resolve_ref)
        if rid is not None and rid in selected and rid not in d.used:
            unused.append(ref)
    if not unused:
        return None
    return Problem(
        f"unused suppression: {d.verb}={','.join(unused)} hides no finding; remove it "
        "(the problem was fixed, or the directive sits on the wrong line)",
        d.span,
        anchor=f"suppression:{d.verb}:{','.join(unused)}",
    )


@rule("SY005", on="directives")
def unused_suppressions(judged: Judged) -> Iterator[Problem]:
    for d in judged.directives:
        p = unused_suppression(d, judged.selected, judged.resolve_ref, judged.today)
        if p is not None:
            yield p
