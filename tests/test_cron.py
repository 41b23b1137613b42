"""Cron helpers: validation, time zones, and daylight saving time changes (Europe/Paris moves
its clocks on 2026-03-29 at 02:00 → 03:00 and on 2026-10-25 at 03:00 → 02:00; US/Eastern on
2026-03-08 and 2026-11-01; Australia/Lord_Howe by half an hour)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.automations.cron import cron_problem, last_tick, next_tick, zone_problem


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def ticks(expression: str, zone: str, after: datetime, count: int) -> list[str]:
    """``count`` ticks after ``after``, in UTC."""
    found = []
    for _ in range(count):
        after = next_tick(expression, zone, after)
        found.append(after.astimezone(UTC).strftime("%m-%d %H:%M"))
    return found


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("* * * *", "five fields"),
        ("* * * * * *", "five fields"),
        ("@hourly", "five fields"),
        ("0 0 1 1 1 " + "1" * 100, "five fields"),
        ("60 * * * *", "not a valid"),
        ("* 24 * * *", "not a valid"),
        ("a b c d e", "not a valid"),
        ("0 0 30 2 *", "never fires"),
        ("0 0 31 4,6,9,11 *", "never fires"),
    ],
)
def test_bad_expressions_are_explained(expression: str, says: str) -> None:
    found = cron_problem(expression)
    assert found is not None and says in found


@pytest.mark.parametrize(
    "expression", ["* * * * *", "0 9 * * 1-5", "*/15 8-18 * * *", "0 0 29 2 *", "0 0 L * *"]
)
def test_good_expressions_pass(expression: str) -> None:
    assert cron_problem(expression) is None


def test_zones_are_checked() -> None:
    assert zone_problem("Europe/Paris") is None and zone_problem("UTC") is None
    for bad in ("Mars/Olympus", "", "../etc/passwd", "Europe/Paris\x00", "x" * 500):
        found = zone_problem(bad)
        assert found is not None and "IANA" in found and len(found) < 200


def test_ticks_follow_the_zone_wall_clock_summer_and_winter() -> None:
    # 09:00 Paris is 08:00 UTC in winter and 07:00 UTC in summer.
    assert ticks("0 9 * * *", "Europe/Paris", utc(2026, 3, 27, 12), 3) == [
        "03-28 08:00",
        "03-29 07:00",
        "03-30 07:00",
    ]
    assert ticks("0 9 * * *", "America/New_York", utc(2026, 11, 1, 0), 2) == [
        "11-01 14:00",
        "11-02 14:00",
    ]
    # Half-hour zones and half-hour DST (Lord Howe: +11 in summer, +10:30 in winter).
    assert ticks("0 12 * * *", "Asia/Kolkata", utc(2026, 1, 1), 1) == ["01-01 06:30"]
    assert ticks("0 12 * * *", "Australia/Lord_Howe", utc(2026, 4, 3), 3) == [
        "04-03 01:00",
        "04-04 01:00",
        "04-05 01:30",
    ]


def test_a_time_the_spring_change_skips_fires_once_right_after_the_gap() -> None:
    # 02:30 does not exist in Paris on 2026-03-29: that night it fires at 03:00 (01:00 UTC).
    assert ticks("30 2 * * *", "Europe/Paris", utc(2026, 3, 27, 12), 3) == [
        "03-28 01:30",
        "03-29 01:00",
        "03-30 00:30",
    ]
    assert ticks("30 2 * * *", "America/New_York", utc(2026, 3, 7, 12), 2) == [
        "03-08 07:00",
        "03-09 06:30",
    ]


def test_a_time_the_autumn_change_repeats_fires_once() -> None:
    # 02:30 happens twice in Paris on 2026-10-25 (00:30 and 01:30 UTC): one run, the first.
    assert ticks("30 2 * * *", "Europe/Paris", utc(2026, 10, 23, 12), 3) == [
        "10-24 00:30",
        "10-25 00:30",
        "10-26 01:30",
    ]
    assert ticks("30 1 * * *", "America/New_York", utc(2026, 10, 31, 12), 2) == [
        "11-01 05:30",
        "11-02 06:30",
    ]


def test_hourly_expressions_keep_firing_in_real_time_through_both_changes() -> None:
    assert ticks("*/30 * * * *", "Europe/Paris", utc(2026, 10, 24, 23, 50), 6) == [
        "10-25 00:00",
        "10-25 00:30",
        "10-25 01:00",
        "10-25 01:30",
        "10-25 02:00",
        "10-25 02:30",
    ]
    assert ticks("0 * * * *", "Europe/Paris", utc(2026, 3, 28, 23, 30), 3) == [
        "03-29 00:00",
        "03-29 01:00",
        "03-29 02:00",
    ]


def test_next_tick_is_strictly_after() -> None:
    at = utc(2026, 5, 1, 9, 0)
    assert next_tick("0 9 * * *", "UTC", at) == utc(2026, 5, 2, 9, 0)
    assert next_tick("0 9 * * *", "UTC", at - timedelta(microseconds=1)) == at


def test_last_tick_is_the_latest_at_or_before() -> None:
    at = utc(2026, 5, 1, 9, 0)
    assert last_tick("0 9 * * *", "UTC", at) == at
    assert last_tick("0 9 * * *", "UTC", at - timedelta(seconds=1)) == utc(2026, 4, 30, 9, 0)
    assert last_tick("0 9 * * *", "Europe/Paris", utc(2026, 3, 30, 7, 0)).astimezone(UTC) == utc(
        2026, 3, 30, 7, 0
    )


def test_last_tick_sees_the_repeated_hour() -> None:
    """croniter's backward search skips the second 02:30 of the autumn change; an hourly
    schedule catching up at 01:45 UTC must pick 01:30 UTC (02:30 +01:00), not 00:30."""
    latest = last_tick("*/30 * * * *", "Europe/Paris", utc(2026, 10, 25, 1, 45))
    assert latest.astimezone(UTC) == utc(2026, 10, 25, 1, 30)
    daily = last_tick("30 2 * * *", "Europe/Paris", utc(2026, 10, 25, 1, 45))
    assert daily.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    skipped = last_tick("30 2 * * *", "Europe/Paris", utc(2026, 3, 29, 1, 30))
    assert skipped.astimezone(UTC) == utc(2026, 3, 29, 1, 0)
