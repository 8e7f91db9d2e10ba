"""Reading values as configuration files write them: YAML scalars, flag strings, ``ETCD_*`` values."""

from __future__ import annotations

from kublint.text import is_digits


def as_int(value: object) -> int | None:
    """An integer written as a YAML integer or as digits in a string (a flag or env value); booleans and
    anything else are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and is_digits(value.strip()):
        return int(value.strip())
    return None
