"""How often a schedule runs: cron expressions and systemd timers, reduced to the longest gap between runs.

Understood forms:

* cron (crontab lines, Kubernetes CronJobs): five fields ``minute hour day-of-month month day-of-week`` with
  ``*``, ``?``, numbers, names (``jan``, ``mon``), ranges ``a-b``, steps ``*/n`` and ``a-b/n``, lists ``a,b``;
  day-of-month and day-of-week combine as cron does (either may match when both are restricted); the macros
  ``@yearly`` ``@annually`` ``@monthly`` ``@weekly`` ``@daily`` ``@midnight`` ``@hourly``,
  ``@every <duration>`` (Go durations, as Kubernetes' cron library takes them) and ``@reboot``; a
  ``TZ=``/``CRON_TZ=`` prefix.
* systemd ``OnCalendar=`` calendar specs: ``minutely`` ``hourly`` ``daily`` ``weekly`` ``monthly`` ``yearly``
  ``annually`` ``quarterly`` ``semiannually``, and ``[weekdays] [[YYYY-]MM-DD] [HH:MM[:SS]] [timezone]`` with
  ``*``, lists, ranges ``a..b`` and repetitions ``a/n`` (``*-*-* 00/6:00:00``, ``Mon..Fri 02:00``).
* systemd monotonic timers: ``OnUnitActiveSec=``/``OnUnitInactiveSec=`` repeat after a time span (``6h``,
  ``1d 12h``, ``90min``, a bare number of seconds); ``OnBootSec=``, ``OnStartupSec=`` and ``OnActiveSec=``
  fire once.

The gap is computed on the calendar (UTC, no daylight-saving shifts) over 28 years, the cycle after which
weekdays and leap days repeat, so a yearly or a leap-day schedule is measured correctly. ``None`` means the
schedule does not repeat: it never fires, or fires once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from kublint.text import is_digits

DAY = 86_400
_WINDOW_START = dt.date(2001, 1, 1)  # a Monday; 2001-2028 has no skipped leap year

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
# cron: 0 = Sunday; systemd and Python: 0 = Monday
_CRON_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_SYSTEMD_DAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}

CRON_MACROS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
CALENDAR_SHORTHANDS = {
    "minutely": "*-*-* *:*:00", "hourly": "*-*-* *:00:00", "daily": "*-*-* 00:00:00",
    "monthly": "*-*-01 00:00:00", "weekly": "Mon *-*-* 00:00:00", "yearly": "*-01-01 00:00:00",
    "annually": "*-01-01 00:00:00", "quarterly": "*-01,04,07,10-01 00:00:00",
    "semiannually": "*-01,07-01 00:00:00",
}
REPEATING_TIMER_KEYS = ("OnUnitActiveSec", "OnUnitInactiveSec")
ONE_SHOT_TIMER_KEYS = ("OnBootSec", "OnStartupSec", "OnActiveSec")


class ScheduleError(ValueError):
    """The schedule is not in a form this module understands (the caller stays silent about it)."""


class _Rule(NamedTuple):
    """One calendar pattern: the days it fires on and the seconds of those days."""

    months: frozenset[int]
    days: frozenset[int]
    weekdays: frozenset[int]  # 0 = Monday, as date.weekday()
    either_day: bool  # cron: day-of-month OR day-of-week when both are restricted
    seconds: tuple[int, ...]  # seconds after midnight, sorted

    def fires_on(self, month: int, day: int, weekday: int) -> bool:
        if month not in self.months:
            return False
        dom, dow = day in self.days, weekday in self.weekdays
        return (dom or dow) if self.either_day else (dom and dow)

    def every_day(self) -> bool:
        return len(self.months) == 12 and (
            (len(self.weekdays) == 7 and self.days >= _ALL_DAYS)
            or (self.either_day and (len(self.weekdays) == 7 or self.days >= _ALL_DAYS))
        )


_ALL_DAYS = frozenset(range(1, 32))


# --- the common core ----------------------------------------------------------------------------------------


def _window() -> Iterable[tuple[int, int, int, int]]:
    """(offset, month, day, weekday) of every day of the window, without date arithmetic (a fleet scans
    many schedules; integer steps are ~10x cheaper than ``date + timedelta``)."""
    offset = 0
    for year in range(_WINDOW_START.year, _WINDOW_START.year + 28):
        leap = year % 4 == 0  # 2001-2028: no century years
        for month, length in enumerate((31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), 1):
            for day in range(1, length + 1):
                yield offset, month, day, offset % 7  # the window starts on a Monday
                offset += 1


def _longest_gap(rules: Sequence[_Rule]) -> dt.timedelta | None:
    """The longest time between two consecutive runs of the union of ``rules`` (None: fewer than two runs)."""
    if len(rules) == 1 and rules[0].every_day():
        times = rules[0].seconds  # the common case (a daily or hourly job): every day looks the same
        if not times:
            return None
        widest = max((b - a for a, b in itertools.pairwise(times)), default=0)
        return dt.timedelta(seconds=max(widest, DAY + times[0] - times[-1]))
    longest = 0
    runs = 0
    prev_last: int | None = None  # absolute second of the previous run day's last run
    cache: dict[tuple[int, ...], int] = {}
    for offset, month, day, weekday in _window():
        matching = [r.seconds for r in rules if r.fires_on(month, day, weekday)]
        if not matching:
            continue
        times = matching[0] if len(matching) == 1 else tuple(sorted(set().union(*matching)))
        if not times:
            continue
        inside = cache.get(times)
        if inside is None:
            inside = max((b - a for a, b in itertools.pairwise(times)), default=0)
            cache[times] = inside
        base = offset * DAY
        if prev_last is not None:
            longest = max(longest, base + times[0] - prev_last)
        longest = max(longest, inside)
        prev_last = base + times[-1]
        runs += len(times)
    if runs < 2:
        return None
    return dt.timedelta(seconds=longest)


def _field(text: str, lo: int, hi: int, names: dict[str, int] | None, what: str, range_sep: str) -> set[int]:
    """A comma list of ``*``, ``n``, ``a<sep>b``, each with an optional ``/step``."""
    out: set[int] = set()
    for item in text.split(","):
        item = item.strip()
        if not item:
            raise ScheduleError(f"empty item in the {what} field")
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not is_digits(step_text) or int(step_text) == 0:
                raise ScheduleError(f"bad step {step_text!r} in the {what} field")
            step = int(step_text)
        if base in ("*", "?"):
            start, end = lo, hi
        elif range_sep in base:
            a, _, b = base.partition(range_sep)
            start, end = _value(a, names, what), _value(b, names, what)
        else:
            start = _value(base, names, what)
            end = hi if slash else start
        if start < lo or end > hi or start > end:
            raise ScheduleError(f"{item!r} is outside {lo}-{hi} in the {what} field")
        out.update(range(start, end + 1, step))
    return out


def _value(text: str, names: dict[str, int] | None, what: str) -> int:
    t = text.strip().lower()
    if is_digits(t):
        return int(t)
    if names is not None and t in names:
        return names[t]
    raise ScheduleError(f"{text!r} is not a value of the {what} field")


_FULL_NAMES = frozenset({
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})


# --- cron ---------------------------------------------------------------------------------------------------


def _cron_rule(expr: str) -> _Rule:
    fields = expr.split()
    if len(fields) != 5:
        raise ScheduleError(f"a cron schedule has five fields, not {len(fields)}: {expr!r}")
    minute, hour, dom, month, dow = fields
    minutes = _field(minute, 0, 59, None, "minute", "-")
    hours = _field(hour, 0, 23, None, "hour", "-")
    days = _field(dom, 1, 31, None, "day-of-month", "-")
    months = _field(month, 1, 12, _MONTHS, "month", "-")
    cron_days = _field(dow, 0, 7, _CRON_DAYS, "day-of-week", "-")
    weekdays = frozenset((d - 1) % 7 for d in cron_days)  # cron 0/7 = Sunday -> 6, 1 = Monday -> 0
    dom_star, dow_star = dom.startswith(("*", "?")), dow.startswith(("*", "?"))
    seconds = tuple(sorted(h * 3600 + m * 60 for h in hours for m in minutes))
    return _Rule(frozenset(months), frozenset(days), weekdays, not (dom_star or dow_star), seconds)


@lru_cache(maxsize=256)  # a fleet repeats a few schedules many times; each costs a year's scan
def cron_longest_gap(expr: str) -> dt.timedelta | None:
    """The longest gap between runs of a cron schedule; None when it does not repeat (``@reboot``, 30 Feb)."""
    text = expr.strip()
    words = text.split()
    while words and re.match(r"^(CRON_)?TZ=", words[0]):
        words = words[1:]
    text = " ".join(words)
    lower = text.lower()
    if lower == "@reboot":
        return None
    if lower.startswith("@every"):
        return parse_go_duration(text[len("@every"):].strip())
    if lower in CRON_MACROS:
        text = CRON_MACROS[lower]
    elif text.startswith("@"):
        raise ScheduleError(f"unknown cron macro {text!r}")
    return _longest_gap([_cron_rule(text)])


_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_go_duration(text: str) -> dt.timedelta:
    """Go's ``time.ParseDuration``: ``1h30m``, ``90m``, ``1.5h``."""
    s = text.strip()
    if not s:
        raise ScheduleError("empty duration")
    total = 0.0
    pos = 0
    for m in re.finditer(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)", s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _GO_UNITS[m.group(2)]
        pos = m.end()
    if pos != len(s):
        raise ScheduleError(f"{text!r} is not a duration such as 1h30m")
    if total <= 0:
        raise ScheduleError(f"duration {text!r} is not positive")
    return dt.timedelta(seconds=total)


# --- systemd ------------------------------------------------------------------------------------------------

_SPAN_UNITS: dict[str, float] = {
    "us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3,
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "d": DAY, "day": DAY, "days": DAY,
    "w": 7 * DAY, "week": 7 * DAY, "weeks": 7 * DAY,
    "M": 30.44 * DAY, "month": 30.44 * DAY, "months": 30.44 * DAY,
    "y": 365.25 * DAY, "year": 365.25 * DAY, "years": 365.25 * DAY,
}


def parse_timespan(text: str) -> dt.timedelta:
    """A systemd time span (systemd.time(7)): ``6h``, ``1d 12h``, ``90min``; a bare number is seconds."""
    s = text.strip()
    if not s:
        raise ScheduleError("empty time span")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        if float(s) <= 0:
            raise ScheduleError(f"time span {text!r} is not positive")
        return dt.timedelta(seconds=float(s))
    total = 0.0
    pos = 0
    for m in re.finditer(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)", s):
        if m.start() != pos:
            break
        unit = m.group(2)
        factor = _SPAN_UNITS.get(unit, _SPAN_UNITS.get(unit.lower()) if unit != "M" else None)
        if factor is None:
            raise ScheduleError(f"unknown time unit {unit!r} in {text!r}")
        total += float(m.group(1)) * factor
        pos = m.end()
    if pos != len(s) or total <= 0:
        raise ScheduleError(f"{text!r} is not a time span such as 6h or 1d")
    return dt.timedelta(seconds=total)


def _sd_component(text: str, lo: int, hi: int, what: str) -> set[int]:
    """A systemd calendar component: ``*``, ``n``, ``a..b``, ``a/n``, ``a..b/n``, comma lists."""
    out: set[int] = set()
    for item in text.split(","):
        item = item.strip()
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not is_digits(step_text) or int(step_text) == 0:
                raise ScheduleError(f"bad repetition {step_text!r} in the {what}")
            step = int(step_text)
        if base == "*":
            start, end = lo, hi
        elif ".." in base:
            a, _, b = base.partition("..")
            if not (is_digits(a) and is_digits(b)):
                raise ScheduleError(f"{item!r} is not a range in the {what}")
            start, end = int(a), int(b)
        elif is_digits(base):
            start = int(base)
            end = hi if slash else start
        else:
            raise ScheduleError(f"{item!r} is not a value of the {what}")
        if start < lo or end > hi or start > end:
            raise ScheduleError(f"{item!r} is outside {lo}-{hi} in the {what}")
        out.update(range(start, end + 1, step))
    return out


def _sd_weekdays(text: str) -> set[int]:
    out: set[int] = set()
    for item in text.split(","):
        item = item.strip().lower()
        if not item:
            continue
        sep = ".." if ".." in item else "-" if "-" in item else None
        if sep:
            a, _, b = item.partition(sep)
            start, end = _sd_day(a), _sd_day(b)
            d = start
            while True:
                out.add(d)
                if d == end:
                    break
                d = (d + 1) % 7
        else:
            out.add(_sd_day(item))
    return out


def _sd_day(text: str) -> int:
    t = text.strip().lower()
    for name, number in _SYSTEMD_DAYS.items():
        if t == name or (t in _FULL_NAMES and t.startswith(name)):
            return number
    raise ScheduleError(f"{text!r} is not a weekday")


def _calendar_rule(spec: str) -> _Rule:
    text = " ".join(spec.split())
    lower = text.lower()
    if lower in CALENDAR_SHORTHANDS:
        text = CALENDAR_SHORTHANDS[lower]
    words = text.split(" ")
    weekdays: set[int] = set(range(7))
    date_part = "*-*-*"
    time_part = "00:00:00"
    seen_date = seen_time = False
    for i, w in enumerate(words):
        if ":" in w and not seen_time:
            time_part, seen_time = w, True
        elif re.fullmatch(r"[\d*,./-]+", w) and "-" in w and not seen_date:
            date_part, seen_date = w, True
        elif i == 0 and re.fullmatch(r"[A-Za-z.,\-]+", w) and w.upper() != "UTC":
            weekdays = _sd_weekdays(w)
        elif i == len(words) - 1 and i > 0 and re.fullmatch(r"[A-Za-z_+\-/0-9]+", w):
            continue  # a time zone (UTC, Europe/Berlin)
        else:
            raise ScheduleError(f"cannot read {w!r} in the calendar spec {spec!r}")
    if "~" in date_part:
        raise ScheduleError(f"last-day-of-month specs (~) are not supported: {spec!r}")
    parts = date_part.split("-")
    if len(parts) == 3:
        year, month, day = parts
        if year != "*":
            raise ScheduleError(f"a calendar spec pinned to years ({year}) does not repeat: {spec!r}")
    elif len(parts) == 2:
        month, day = parts
    else:
        raise ScheduleError(f"cannot read the date {date_part!r}")
    tparts = time_part.split(":")
    if len(tparts) == 2:
        tparts.append("00")
    if len(tparts) != 3:
        raise ScheduleError(f"cannot read the time {time_part!r}")
    hour, minute, second = tparts
    second = re.sub(r"\.\d+", "", second)
    months = _sd_component(month, 1, 12, "month")
    days = _sd_component(day, 1, 31, "day")
    hours = _sd_component(hour, 0, 23, "hour")
    minutes = _sd_component(minute, 0, 59, "minute")
    secs = _sd_component(second, 0, 59, "second")
    seconds = tuple(sorted(h * 3600 + m * 60 + s for h in hours for m in minutes for s in secs))
    return _Rule(frozenset(months), frozenset(days), frozenset(weekdays), False, seconds)


def calendar_longest_gap(specs: Iterable[str]) -> dt.timedelta | None:
    """The longest gap between runs of one or more ``OnCalendar=`` specs (a timer fires on any of them)."""
    rules = [_calendar_rule(s) for s in specs if s.strip()]
    if not rules:
        raise ScheduleError("no calendar spec")
    return _longest_gap(rules)


def timer_longest_gap(triggers: Iterable[tuple[str, str]]) -> dt.timedelta | None:
    """The longest gap of a systemd timer from its ``(key, value)`` trigger settings.

    Calendar specs combine exactly; a repeating monotonic trigger bounds the gap by its span (the unit's own
    run time comes on top and is not known). One-shot triggers add no repetition.
    """
    calendars: list[str] = []
    spans: list[dt.timedelta] = []
    for key, value in triggers:
        if not value.strip():
            continue
        if key == "OnCalendar":
            calendars.append(value)
        elif key in REPEATING_TIMER_KEYS:
            spans.append(parse_timespan(value))
        elif key not in ONE_SHOT_TIMER_KEYS:
            raise ScheduleError(f"{key}= is not a timer trigger")
    gaps = spans[:]
    if calendars:
        g = calendar_longest_gap(calendars)
        if g is not None:
            gaps.append(g)
    return min(gaps) if gaps else None


def longest_gap(schedule: str) -> dt.timedelta | None:
    """A schedule as the model records it: a cron expression, or ``Key=value`` of a systemd timer trigger."""
    key, sep, value = schedule.partition("=")
    if sep and re.fullmatch(r"On[A-Za-z]+", key.strip()):
        return timer_longest_gap([(key.strip(), value)])
    return cron_longest_gap(schedule)


def describe(gap: dt.timedelta) -> str:
    """``6 h``, ``7 days``, ``90 min``: the gap as people say it."""
    s = gap.total_seconds()
    if s >= 2 * DAY and s % DAY == 0:
        return f"{int(s // DAY)} days"
    if s >= 3600:
        h = s / 3600
        return f"{h:g} h" if h == int(h) or h < 48 else f"{s / DAY:.1f} days"
    if s >= 60:
        return f"{s / 60:g} min"
    return f"{s:g} s"
