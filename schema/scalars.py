"""Scalars with the contract's wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NewType

import strawberry
from strawberry.scalars import JSON

from app.clock import isoformat


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("DateTime must carry a timezone (use Z for UTC)")
    return parsed


DateTime = strawberry.scalar(
    NewType("DateTime", datetime),
    serialize=isoformat,
    parse_value=_parse_datetime,
    description="UTC timestamp in ISO 8601 with `Z`, e.g. `2026-01-31T12:00:00.000000Z`.",
)

SCALAR_OVERRIDES: dict[object, Any] = {datetime: DateTime}

__all__ = ["JSON", "SCALAR_OVERRIDES", "DateTime"]
