"""Scalars with the contract's wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

from app.clock import isoformat


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("DateTime must carry a timezone (use Z for UTC)")
    return parsed


DateTime: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    serialize=isoformat,
    parse_value=_parse_datetime,
    description="UTC timestamp in ISO 8601 with `Z`, e.g. `2026-01-31T12:00:00.000000Z`.",
)

SCALAR_MAP: dict[object, ScalarDefinition] = {datetime: DateTime}
"""Python types the schema maps to our scalars (``StrawberryConfig.scalar_map``): fields are
annotated with plain ``datetime``."""

__all__ = ["JSON", "SCALAR_MAP", "DateTime"]
