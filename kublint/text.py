"""Text predicates shared by the parsers, the model and the rules."""

from __future__ import annotations

MAX_DIGITS = 18  # any count, port, step or size in a configuration; int() of more is refused or pointless


def is_digits(text: str, max_len: int = MAX_DIGITS) -> bool:
    """ASCII digits only, at most ``max_len`` of them, so that ``int(text)`` cannot fail.

    ``str.isdigit`` also accepts superscripts and other Unicode digits that ``int`` rejects (``"²"``), and
    ``int`` refuses strings of more than 4,300 digits: both reached rules as crashes before this check.
    """
    return 0 < len(text) <= max_len and text.isascii() and text.isdigit()
