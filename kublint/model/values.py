"""Reading values as configuration files write them: YAML scalars, flag strings, ``ETCD_*`` values, HAProxy
numbers and times, Go durations. Views hand rules parsed values; text that is no value of its type comes
back as a ``Value`` whose ``problem`` says why, at the text's own span, never as an exception."""

from __future__ import annotations

import re
from typing import Generic, NamedTuple, TypeVar

from kublint.source import Span
from kublint.text import is_digits

T = TypeVar("T")


class Value(NamedTuple, Generic[T]):
    """A typed value read from text: ``value`` is None exactly when ``problem`` says why it is no value."""

    value: T | None
    text: str
    span: Span
    problem: str | None = None


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


def int_text(text: str) -> int | None:
    """An optionally signed integer in ASCII digits (``-1``, ``+5``, ``42``); None for anything else, such as
    ``²`` (a digit to ``str.isdigit``, not to ``int``) or a number of more digits than ``int`` reads."""
    t = text.strip()
    sign = -1 if t[:1] == "-" else 1
    digits = t[1:] if t[:1] in "+-" and t else t
    return sign * int(digits) if is_digits(digits) else None


def float_text(text: str) -> float | None:
    """A finite decimal number as a config value writes it (``1``, ``0.5``, ``-3``); None otherwise."""
    t = text.strip()
    if not re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?", t):
        return None
    return float(t)


def read_int(text: str, span: Span, minimum: int | None = None, maximum: int | None = None) -> Value[int]:
    n = int_text(text)
    if n is None:
        return Value(None, text, span, "is not a number")
    if (minimum is not None and n < minimum) or (maximum is not None and n > maximum):
        low = "" if minimum is None else f"{minimum}"
        high = "" if maximum is None else f"{maximum}"
        where = (
            f"between {low} and {high}" if low and high else f"at least {low}" if low else f"at most {high}"
        )
        return Value(None, text, span, f"is not {where}")
    return Value(n, text, span)


_HAPROXY_TIME = re.compile(r"(\d{1,18})(us|ms|s|m|h|d)?")
_HAPROXY_UNIT_MS = {
    "us": 0.001,
    "ms": 1.0,
    "": 1.0,
    "s": 1000.0,
    "m": 60_000.0,
    "h": 3_600_000.0,
    "d": 86_400_000.0,
}


def haproxy_time_ms(text: str) -> float | None:
    """HAProxy time values: a bare number is milliseconds; ``us ms s m h d`` suffixes."""
    m = _HAPROXY_TIME.fullmatch(text.strip())
    if m is None or not m.group(1).isascii():
        return None
    return int(m.group(1)) * _HAPROXY_UNIT_MS[m.group(2) or ""]


def read_haproxy_time(text: str, span: Span, positive: bool = True) -> Value[float]:
    ms = haproxy_time_ms(text)
    if ms is None:
        return Value(
            None, text, span, "is not a time (a number of milliseconds, or with us, ms, s, m, h or d)"
        )
    if positive and ms <= 0:
        return Value(None, text, span, "is not above 0")
    return Value(ms, text, span)


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: object) -> float | None:
    """A Go ``time.Duration`` string (``15s``, ``1m30s``, ``0``) in seconds; None when it does not parse."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    sign = 1.0
    if s and s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        return None
    total, pos = 0.0, 0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if m is None:
            return None
        total += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    return sign * total


def go_duration_ns(text: str) -> int | None:
    """Nanoseconds of an unsigned Go duration string (``5s``, ``1m30s``, ``100ms``), or None."""
    if text.strip()[:1] in "+-":
        return None
    seconds = parse_duration(text)
    return None if seconds is None else round(seconds * 1e9)
