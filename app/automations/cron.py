"""Cron schedules in a time zone: ``0 9 * * 1-5`` in ``Europe/Paris`` fires at 09:00 Paris
time, summer and winter. Five fields (minute granularity); ticks are computed in the zone and
stored in UTC."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

MAX_EXPRESSION = 100


def zone_problem(timezone: str) -> str | None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"`{timezone[:64]}` is not an IANA time zone such as `Europe/Paris` or `UTC`"
    return None


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a five-field cron expression, or None."""
    if len(expression) > MAX_EXPRESSION or len(expression.split()) != 5:
        return "must have five fields: minute hour day-of-month month day-of-week"
    if not croniter.is_valid(expression):
        return "is not a valid cron expression"
    return None


def next_tick(expression: str, timezone: str, after: datetime) -> datetime:
    """The first tick strictly after ``after`` (aware), as an aware datetime in ``timezone``."""
    start = after.astimezone(ZoneInfo(timezone))
    tick: datetime = croniter(expression, start).get_next(datetime)
    return tick


def last_tick(expression: str, timezone: str, at: datetime) -> datetime:
    """The latest tick at or before ``at``."""
    start = at.astimezone(ZoneInfo(timezone)) + timedelta(seconds=1)
    previous: datetime = croniter(expression, start).get_prev(datetime)
    return previous
