"""WHERE clauses that list filters share: a time window on ``updated_at`` and a text search."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.sql import ColumnElement

from app.errors import ApiError, ErrorCode, FieldError

MAX_SEARCH_LENGTH = 200


def updated_between(
    model: Any, after: datetime | None, before: datetime | None
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if after is not None:
        clauses.append(model.updated_at > after)
    if before is not None:
        clauses.append(model.updated_at < before)
    return clauses


def contains(column: Any, text: str | None, *, field: str) -> list[ColumnElement[bool]]:
    """Case-insensitive substring match; ``%`` and ``_`` in ``text`` match themselves."""
    if text is None:
        return []
    if len(text) > MAX_SEARCH_LENGTH:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"`{field}` is longer than {MAX_SEARCH_LENGTH} characters.",
            fields=[FieldError(("filter", field), "TOO_LONG", "Search text is too long.")],
        )
    return [column.icontains(text, autoescape=True)]
