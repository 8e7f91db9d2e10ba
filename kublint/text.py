"""Text predicates shared by the parsers, the model and the rules."""

from __future__ import annotations

import re

MAX_DIGITS = 18  # any count, port, step or size in a configuration; int() of more is refused or pointless


def is_digits(text: str, max_len: int = MAX_DIGITS) -> bool:
    """ASCII digits only, at most ``max_len`` of them, so that ``int(text)`` cannot fail.

    ``str.isdigit`` also accepts superscripts and other Unicode digits that ``int`` rejects (``"²"``), and
    ``int`` refuses strings of more than 4,300 digits: both reached rules as crashes before this check.
    """
    return 0 < len(text) <= max_len and text.isascii() and text.isdigit()


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text safe to print to a terminal or a CI log: control characters (ESC above all, which would let a
    configuration value or an OS error quoting a file name recolour or rewrite the screen) as ``\\x1b``;
    line ends (each format escapes them its own way) and tabs stay."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
