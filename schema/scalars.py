"""Scalars with the contract's wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NewType

import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

from app.clock import isoformat

MAX_DATETIME_LENGTH = 40
"""``2026-01-31T12:00:00.000000+00:00`` is 32; Python would read any number of fraction
digits, which would let one timestamp outgrow every size budget built on it."""


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string")
    if len(value) > MAX_DATETIME_LENGTH:
        raise ValueError(f"DateTime must be at most {MAX_DATETIME_LENGTH} characters")
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

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer every JSON client (JavaScript included) reads back exactly."""


def _parse_big_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("BigInt must be an integer")
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise ValueError(f"BigInt must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}")
    return value


BigInt = NewType("BigInt", int)

_BIG_INT = strawberry.scalar(
    name="BigInt",
    serialize=int,
    parse_value=_parse_big_int,
    description="An integer beyond GraphQL `Int`'s 32 bits (e.g. byte sizes), up to 2^53 - 1.",
)

SCALAR_MAP: dict[object, ScalarDefinition] = {datetime: DateTime, BigInt: _BIG_INT}
"""Python types the schema maps to our scalars (``StrawberryConfig.scalar_map``): fields are
annotated with plain ``datetime`` and ``BigInt``."""

__all__ = ["JSON", "SCALAR_MAP", "BigInt", "DateTime"]
