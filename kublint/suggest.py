"""Did you mean: the one guess, for every message, at which known name a misspelt word was meant to be.

Command-line formats, config keys and options, rule references, kubeadm and inventory fields, schema
values, etcd keys and member names, HAProxy and keepalived keywords and keepalived script names all ask
``closest(word, candidates)``. The guess, first that applies:

1. the same name in another case or without ``-``, ``_`` and blanks (``controlPlaneEndPoint``, ``fail_on``);
2. for a word of four letters or more, a name one edit away: a letter added, dropped or changed, or two
   neighbours swapped (``chek``, ``ignroe``);
3. for a word of three letters or more, a name that starts with it (``cert`` for ``certSANs``);
4. else the closest spelling by ``difflib.get_close_matches``, compared case-insensitively, when its
   similarity ratio is at least ``CUTOFF``.

Steps 1-3 pick the first such candidate in the order given; step 4 the most similar one (on a tie,
difflib's choice: the greatest name).

Why ``CUTOFF = 0.8``: difflib's ratio is ``2 * matched / (len(a) + len(b))``. Steps 1-3 already catch a
case or separator slip, a single typo in a word of four letters or more, and a truncated name, so step 4
is left with words that differ in several places. Long names keep a high ratio through two or three slips
(``initial-clustr-tokn`` scores 0.95 against ``initial-cluster-token``, ``chk_apiserver`` 0.93 against
``check_apiserver``), while names that merely look alike fall below 0.8: at 0.75 ``RSA-1024`` would be
offered ``RSA-3072`` (0.75) and at difflib's default 0.6 ``controlPlaneEndpoint`` would be offered
``localAPIEndpoint`` (0.61), both wrong guesses that point at another value instead of explaining the
error. The callers had used 0.6, 0.75 and 0.8 (the schema's); 0.8 keeps every suggestion the tests, the
examples and the rule fixtures show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CUTOFF = 0.8

_SEPARATORS = re.compile(r"[-_ ]")


def closest(word: str, candidates: Iterable[object]) -> str | None:
    """The candidate ``word`` was probably meant to be, or None (see the module's docstring). Candidates that
    are not strings, and ``word`` itself, are never suggested."""
    names = [c for c in candidates if isinstance(c, str) and c != word]
    if not names:
        return None
    w = word.lower()
    hit = next((c for c in names if c.lower() == w), None)
    if hit is None:
        squashed = _SEPARATORS.sub("", w)
        hit = next((c for c in names if _SEPARATORS.sub("", c.lower()) == squashed), None)
    if hit is None and len(w) >= 4:
        hit = next((c for c in names if _one_edit(w, c.lower())), None)
    if hit is None and len(w) >= 3:
        hit = next((c for c in names if c.lower().startswith(w)), None)
    return hit if hit is not None else _by_difflib(w, names)


def did_you_mean(word: str, candidates: Iterable[object], quote: str = '"') -> str:
    """``'; did you mean "X"?'`` for the closest candidate, or an empty string."""
    found = closest(word, candidates)
    return f"; did you mean {quote}{found}{quote}?" if found is not None else ""


def _by_difflib(lowered_word: str, names: list[str]) -> str | None:
    import difflib  # here: only a misspelling pays for it

    lowered: dict[str, str] = {}
    for c in names:
        lowered.setdefault(c.lower(), c)
    found = difflib.get_close_matches(lowered_word, list(lowered), n=1, cutoff=CUTOFF)
    return lowered[found[0]] if found else None


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]
