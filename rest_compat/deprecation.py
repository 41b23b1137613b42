"""Deprecations as REST announces them: ``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594) and
a ``Link`` to the changelog, on every answer of a route that is, or returns a field that is,
``@deprecated`` in GraphQL.

A deprecation reason ends with its dates, ``(deprecated 2026-12-01, sunset 2027-06-01)``; a
reason without them is a build problem (``tests/test_rest_routes.py`` fails naming it), so every
deprecation a partner sees has a date to plan for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from functools import cache

CHANGELOG_PATH = "/docs/changelog"
DATES = re.compile(r"\(deprecated (\d{4}-\d{2}-\d{2}), sunset (\d{4}-\d{2}-\d{2})\)\.?\s*$")


class DeprecationFormatError(ValueError):
    """A ``@deprecated`` reason without its dates."""


@dataclass(frozen=True, order=True, slots=True)
class Deprecation:
    sunset: date
    deprecated: date

    def headers(self) -> dict[str, str]:
        since = datetime(
            self.deprecated.year, self.deprecated.month, self.deprecated.day, tzinfo=UTC
        )
        until = datetime(self.sunset.year, self.sunset.month, self.sunset.day, tzinfo=UTC)
        return {
            "Deprecation": f"@{int(since.timestamp())}",
            "Sunset": format_datetime(until, usegmt=True),
            "Link": f'<{CHANGELOG_PATH}>; rel="deprecation"; type="text/markdown"',
        }


def parse_deprecation(reason: str, where: str) -> Deprecation:
    found = DATES.search(reason)
    if found is None:
        raise DeprecationFormatError(
            f"{where}: a deprecation reason must end with "
            "`(deprecated YYYY-MM-DD, sunset YYYY-MM-DD)`"
        )
    since, until = (date.fromisoformat(value) for value in found.groups())
    if until <= since:
        raise DeprecationFormatError(f"{where}: the sunset must come after the deprecation")
    return Deprecation(until, since)


@cache
def announced(reason: str) -> Deprecation:
    """The dates of a reason the route build already checked (a deprecated input a request
    used), parsed once."""
    return parse_deprecation(reason, "input")


def soonest(deprecations: Iterable[Deprecation]) -> Deprecation | None:
    """What an answer announces when it holds several deprecated things: the nearest sunset."""
    return min(deprecations, default=None)
