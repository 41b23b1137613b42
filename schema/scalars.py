"""Scalars with the contract's wire formats."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, NewType

import orjson
import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

from app.clock import isoformat
from app.errors import ApiError, ErrorCode

logger = logging.getLogger("reelhouse.graphql")

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
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError("DateTime is outside the years 1 to 9999 once in UTC") from None


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


def _serialize_json(value: Any) -> Any:
    """A stored value our encoder cannot write (stored before input was checked, or by hand)
    fails only its own field, with an error at its path, never the whole response."""
    try:
        orjson.dumps(value)
    except TypeError as error:
        logger.error("a stored JSON value cannot be encoded: %s", error)
        raise ApiError(
            ErrorCode.INTERNAL,
            "This stored value cannot be encoded as JSON (nested too deep, or holding a "
            "number JSON cannot carry); the rest of the response is complete.",
        ) from None
    return value


_JSON = strawberry.scalar(
    name="JSON",
    serialize=_serialize_json,
    parse_value=lambda value: value,
    description="A JSON value (ECMA-404). Input is at most 32 levels deep and its integers "
    "within ±(2^53 - 1). A stored value that cannot be encoded reads as null with an error at "
    "its path, so fields of this type are nullable.",
    specified_by_url="https://ecma-international.org/publications-and-standards/standards/ecma-404/",
)

SCALAR_MAP: dict[object, ScalarDefinition] = {datetime: DateTime, BigInt: _BIG_INT, JSON: _JSON}
"""Python types the schema maps to our scalars (``StrawberryConfig.scalar_map``): fields are
annotated with plain ``datetime`` and ``BigInt``."""

__all__ = ["JSON", "SCALAR_MAP", "BigInt", "DateTime"]
