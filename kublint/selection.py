"""Rule references (``ET101``, ``ET1``, ``ET``, ``etcd.two-member-cluster``, ``security``) and selection."""

from __future__ import annotations

from collections.abc import Iterable

from kublint.catalogue import RuleCard
from kublint.suggest import closest


class UnknownReferenceError(ValueError):
    def __init__(self, ref: str, suggestion: str | None) -> None:
        self.ref = ref
        self.suggestion = suggestion
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        super().__init__(f'unknown rule reference "{ref}"{hint}')


def resolve(ref: str, cards: dict[str, RuleCard]) -> tuple[set[str], int]:
    """The ids a reference names, and its specificity (code > name > code prefix > tag), for precedence."""
    r = ref.strip()
    up = r.upper()
    if up == "ALL":
        return set(cards), 0
    if up in cards:
        return {up}, 4
    names = {c.name: c.id for c in cards.values()}
    if r in names:
        return {names[r]}, 3
    prefixed = {i for i in cards if i.startswith(up)}
    if prefixed and up[:2].isalpha() and up.isalnum():
        return prefixed, 2
    tagged = {c.id for c in cards.values() if r.lower() in c.tags}
    if tagged:
        return tagged, 1
    raise UnknownReferenceError(r, suggest(r, cards))


_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"})


def suggest(ref: str, cards: dict[str, RuleCard]) -> str | None:
    """The nearest code, name or tag: codes by look-alike digits and fewest changed places, names and tags
    by ``kublint.suggest``."""
    up = ref.strip().upper()
    if len(up) == 5 and up[:2].isalpha():
        fixed = up[:2] + up[2:].translate(_LOOKALIKE)
        if fixed in cards:
            return fixed
        family = [i for i in cards if i.startswith(up[:2])]
        scored = sorted((sum(a != b for a, b in zip(i, fixed, strict=True)), i) for i in family)
        if scored and scored[0][0] <= 1:
            return scored[0][1]
    pool = [*cards, *(c.name for c in cards.values()), *sorted({t for c in cards.values() for t in c.tags})]
    return closest(ref.strip(), pool)


def select(cards: dict[str, RuleCard], select_refs: Iterable[str], ignore_refs: Iterable[str]) -> set[str]:
    """Selected ids. With no ``select`` every stable rule runs. When both lists name a rule, the more specific
    reference wins; at equal specificity ``ignore`` wins."""
    chosen: dict[str, tuple[int, bool]] = {}
    sel = list(select_refs)
    if not sel:
        for cid, card in cards.items():
            if card.status == "stable":
                chosen[cid] = (-1, True)
    for ref in sel:
        ids, spec = resolve(ref, cards)
        for i in ids:
            if i not in chosen or chosen[i][0] <= spec:
                chosen[i] = (spec, True)
    for ref in ignore_refs:
        ids, spec = resolve(ref, cards)
        for i in ids:
            if i not in chosen or chosen[i][0] <= spec:
                chosen[i] = (spec, False)
    return {i for i, (_, on) in chosen.items() if on}
