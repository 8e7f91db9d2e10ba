"""kublint/model/schedule.py: cron and systemd schedules reduced to the longest gap between two runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kublint.model.schedule import (
    ScheduleError,
    calendar_longest_gap,
    cron_longest_gap,
    describe,
    longest_gap,
    parse_go_duration,
    parse_timespan,
    timer_longest_gap,
)

H = timedelta(hours=1)
D = timedelta(days=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(("expr", "gap"), [
    ("0 */6 * * *", 6 * H),
    ("30 */4 * * *", 4 * H),
    ("15 2 * * *", D),
    ("*/5 * * * *", 5 * M),
    ("* * * * *", M),
    ("0 0,12 * * *", 12 * H),
    ("0 1,2,23 * * *", 21 * H),  # 02:00 to 23:00 is the longest stretch
    ("0 9-17 * * *", 16 * H),  # from 17:00 to 09:00
    ("0 9-17/4 * * *", 16 * H),  # 9, 13, 17
    ("0 0 * * 0", 7 * D),
    ("0 0 * * 7", 7 * D),  # 7 is Sunday too
    ("0 0 * * sun", 7 * D),
    ("0 3 * * 1-5", 3 * D),  # Friday 03:00 to Monday 03:00
    ("0 3 * * MON-FRI", 3 * D),
    ("0 0 1 * *", 31 * D),
    ("0 0 31 * *", 61 * D),  # 31 Aug -> 31 Oct, 31 Dec -> 31 Jan is shorter
    ("0 0 1 jan *", 366 * D),
    ("0 0 29 2 *", 1461 * D),  # leap days only
    ("0 0 1,15 * mon", 7 * D),  # both day fields restricted: either matches
    ("0 0 */2 * *", 2 * D),  # a stepped day-of-month: runs on odd days, 31 -> 1 is one day
    ("0 0 * * */2", 2 * D),  # stars with steps still combine with AND
])
def test_cron(expr: str, gap: timedelta) -> None:
    assert cron_longest_gap(expr) == gap


@pytest.mark.parametrize(("expr", "gap"), [
    ("@hourly", H), ("@daily", D), ("@midnight", D), ("@weekly", 7 * D), ("@monthly", 31 * D),
    ("@yearly", 366 * D), ("@annually", 366 * D), ("@every 36h", 36 * H), ("@every 1h30m", 90 * M),
    ("CRON_TZ=Europe/Berlin 0 2 * * *", D), ("TZ=UTC @daily", D),
])
def test_cron_macros_and_prefixes(expr: str, gap: timedelta) -> None:
    assert cron_longest_gap(expr) == gap


@pytest.mark.parametrize("expr", ["@reboot", "0 0 30 2 *", "0 0 31 4 *"])
def test_cron_that_does_not_repeat(expr: str) -> None:
    assert cron_longest_gap(expr) is None


@pytest.mark.parametrize("expr", ["0 0 L * *", "0 0 * * 1#2", "0 0 15W * *", "61 * * * *", "1 2 3",
                                  "@sometimes", "0 0 * 13 *", "*/0 * * * *", "0 0 5-1 * *", "@every 5x"])
def test_cron_not_understood(expr: str) -> None:
    with pytest.raises(ScheduleError):
        cron_longest_gap(expr)


@pytest.mark.parametrize(("spec", "gap"), [
    ("minutely", M), ("hourly", H), ("daily", D), ("weekly", 7 * D), ("monthly", 31 * D),
    ("yearly", 366 * D), ("annually", 366 * D), ("quarterly", 92 * D), ("semiannually", 184 * D),
    ("*-*-* 00/6:00:00", 6 * H),
    ("*-*-* 00,12:00", 12 * H),
    ("*-*-* *:0/15", 15 * M),
    ("*-*-* *:*:0/30", timedelta(seconds=30)),
    ("02:30", D),  # time only: every day
    ("*-*-01", 31 * D),  # date only: at midnight
    ("Mon..Fri 02:00", 3 * D),
    ("Mon-Fri *-*-* 02:00:00", 3 * D),
    ("Sat,Sun 03:00 UTC", 6 * D),
    ("Monday *-*-* 00:00:00", 7 * D),
    ("*-*-* 04:00:00 Europe/Berlin", D),
    ("*-*-* 01..05:00", 20 * H),
    ("*-*-* 8..20/4:00", 12 * H),  # 8, 12, 16, 20, then 8 the next day
])
def test_calendar(spec: str, gap: timedelta) -> None:
    assert calendar_longest_gap([spec]) == gap


def test_several_calendar_specs_combine() -> None:
    assert calendar_longest_gap(["Mon *-*-* 00:00", "Thu *-*-* 00:00"]) == 4 * D
    assert calendar_longest_gap(["*-*-* 00:00", "*-*-* 12:00"]) == 12 * H


@pytest.mark.parametrize("spec", ["2026-*-* 00:00", "*-02~03", "Funday 00:00", "*-*-* 25:00", "*-13-01"])
def test_calendar_not_understood(spec: str) -> None:
    with pytest.raises(ScheduleError):
        calendar_longest_gap([spec])


@pytest.mark.parametrize(("text", "gap"), [
    ("6h", 6 * H), ("1d 12h", 36 * H), ("90min", 90 * M), ("2weeks", 14 * D), ("3600", H), ("1h30m", 90 * M),
    ("45 s", timedelta(seconds=45)), ("1.5h", 90 * M),
])
def test_timespan(text: str, gap: timedelta) -> None:
    assert parse_timespan(text) == gap


@pytest.mark.parametrize("text", ["", "6 parsecs", "abc", "0"])
def test_timespan_not_understood(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_timespan(text)


def test_go_duration() -> None:
    assert parse_go_duration("1h30m") == 90 * M
    assert parse_go_duration("1.5h") == 90 * M
    with pytest.raises(ScheduleError):
        parse_go_duration("1 hour")


def test_timer_triggers() -> None:
    assert timer_longest_gap([("OnBootSec", "15min"), ("OnUnitActiveSec", "12h")]) == 12 * H
    assert timer_longest_gap([("OnUnitInactiveSec", "1d")]) == D
    assert timer_longest_gap([("OnBootSec", "15min")]) is None  # once after boot
    assert timer_longest_gap([("OnCalendar", "weekly"), ("OnUnitActiveSec", "1d")]) == D
    with pytest.raises(ScheduleError):
        timer_longest_gap([("OnFullMoon", "yes")])


def test_schedules_as_the_model_records_them() -> None:
    assert longest_gap("OnCalendar=*-*-* 00/6:00:00") == 6 * H
    assert longest_gap("OnUnitActiveSec=6h") == 6 * H
    assert longest_gap("OnBootSec=5min") is None
    assert longest_gap("0 */6 * * *") == 6 * H


def test_describe() -> None:
    assert [describe(g) for g in (6 * H, D, 36 * H, 7 * D, 90 * M, timedelta(seconds=30))] == [
        "6 h", "24 h", "36 h", "7 days", "1.5 h", "30 s"]


@pytest.mark.parametrize("expr", [
    "0 */6 * * *", "15 2 * * *", "*/5 * * * *", "0 0,23 * * *", "0 3 1-31 * *", "0 3 * * 0-7",
    "0 3 1-31 * 1", "0 3 15 * 0-6", "0 0 * * 1", "0 0 29 2 *", "5 4 * 1-6 *",
])
def test_every_day_shortcut_agrees_with_the_calendar_scan(expr: str) -> None:
    # A rule given twice takes the day-by-day scan; given once, a rule that fires daily takes the shortcut.
    from kublint.model.schedule import _cron_rule, _longest_gap

    rule = _cron_rule(expr)
    assert _longest_gap([rule]) == _longest_gap([rule, rule])
