"""Template filters: API values (ISO timestamps, enum names, JSON) as a person reads them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def when(value: str | None) -> str:
    """``2026-01-31 12:00 UTC``; an em dash for nothing."""
    moment = parse_time(value)
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def when_exact(value: str | None) -> str:
    moment = parse_time(value)
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def label(value: str | None) -> str:
    """``DEAD`` → ``dead``, ``ACCESS_TOKEN`` → ``access token``."""
    if value is None:
        return "—"
    return value.replace("_", " ").lower()


def pretty_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def listing(values: list[str] | None, empty: str = "all") -> str:
    if values is None:
        return empty
    return ", ".join(values) if values else "none"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


FILTERS: dict[str, Callable[..., Any]] = {
    "when": when,
    "when_exact": when_exact,
    "label": label,
    "pretty_json": pretty_json,
    "listing": listing,
    "percent": percent,
}
