"""Cron schedules in a time zone: ``0 9 * * 1-5`` in ``Europe/Paris`` fires at 09:00 Paris
time, summer and winter. Five fields (minute granularity); ticks are computed in the zone and
stored in UTC.

Daylight saving time follows classic cron: a wall-clock time the spring change skips fires
once, at the first moment after the gap (``30 2 * * *`` runs at 03:00 that night); a time the
autumn change repeats fires once, at its first occurrence, unless the expression fires every
hour (``*/15 * * * *`` keeps firing every 15 real minutes through the repeated hour).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter

MAX_EXPRESSION = 100
LOOK_BACK = timedelta(hours=3)
"""More than any DST shift: ``last_tick`` re-walks this far before croniter's answer."""


MAX_ZONE = 64


def zone_problem(timezone: str) -> str | None:
    problem = f"`{timezone[:MAX_ZONE]}` is not an IANA time zone such as `Europe/Paris` or `UTC`"
    if not 0 < len(timezone) <= MAX_ZONE:
        return problem
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return problem
    return None


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a five-field cron expression that fires, or None."""
    if len(expression) > MAX_EXPRESSION or len(expression.split()) != 5:
        return "must have five fields: minute hour day-of-month month day-of-week"
    if not croniter.is_valid(expression):
        return "is not a valid cron expression"
    try:
        next_tick(expression, "UTC", datetime.now(UTC))
    except CroniterBadDateError:
        return "never fires (no such date, e.g. 30 February)"
    return None


def _repeated(tick: datetime, zone: ZoneInfo) -> bool:
    """Whether ``tick`` is the second occurrence of a wall-clock time (autumn change)."""
    return tick.astimezone(UTC).astimezone(zone).fold == 1


def _ticks(expression: str, zone: ZoneInfo, after: datetime) -> Iterator[datetime]:
    """The ticks strictly after ``after``, in order."""
    hourly = croniter(expression).expanded[1] == ["*"]
    ticks = croniter(expression, after.astimezone(zone))
    while True:
        tick: datetime = ticks.get_next(datetime)
        if hourly or not _repeated(tick, zone):
            yield tick


def next_tick(expression: str, timezone: str, after: datetime) -> datetime:
    """The first tick strictly after ``after`` (aware), as an aware datetime in ``timezone``."""
    return next(_ticks(expression, ZoneInfo(timezone), after))


def last_tick(expression: str, timezone: str, at: datetime) -> datetime:
    """The latest tick at or before ``at``. croniter's backward search can miss the repeated
    hour, so its answer only says where to walk forward from."""
    zone = ZoneInfo(timezone)
    start = at.astimezone(zone) + timedelta(seconds=1)
    latest: datetime = croniter(expression, start).get_prev(datetime)
    for tick in _ticks(expression, zone, latest - LOOK_BACK):
        if tick > at:
            break
        latest = tick
    return latest
