"""Keyset pagination: opaque cursors over ``(sort column, id)``, stable under inserts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import Select, and_, or_

from app.clock import as_utc
from app.database import Database
from app.errors import ApiError, ErrorCode, FieldError

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Ordering:
    column: str
    descending: bool = True


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def _encode(column: str, value: Any, row_id: str) -> str:
    if isinstance(value, datetime):
        value = {"t": as_utc(value).isoformat()}
    return base64.urlsafe_b64encode(orjson.dumps([column, value, row_id])).decode().rstrip("=")


def _bad_cursor() -> ApiError:
    return ApiError(
        ErrorCode.VALIDATION_FAILED,
        "`after` is not a cursor returned by this list.",
        fields=[FieldError(("after",), "INVALID", "Unknown or malformed cursor.")],
    )


def _decode(cursor: str, column: str, python_type: type) -> tuple[Any, str]:
    """The cursor's sort value and id; refused unless it was made for this sort column and the
    value has the column's type (a cursor is opaque, not signed: it must not reach SQL unchecked)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        made_for, value, row_id = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, orjson.JSONDecodeError, ValueError, TypeError, UnicodeEncodeError):
        raise _bad_cursor() from None
    if made_for != column or not isinstance(row_id, str):
        raise _bad_cursor()
    if isinstance(value, dict):
        try:
            value = datetime.fromisoformat(value["t"])
        except (KeyError, TypeError, ValueError):
            raise _bad_cursor() from None
    if isinstance(value, bool) or not isinstance(value, python_type):
        raise _bad_cursor()
    return value, row_id


def _sort_key(value: Any, row_id: str) -> tuple[Any, str]:
    return (as_utc(value) if isinstance(value, datetime) else value, row_id)


def _merged(
    rows: list[Any], constants: Sequence[Any], ordering: Ordering, after: tuple[Any, str] | None
) -> list[Any]:
    def key(item: Any) -> tuple[Any, str]:
        return _sort_key(getattr(item, ordering.column), item.id)

    if after is not None:
        mark = _sort_key(*after)
        descending = ordering.descending
        constants = [c for c in constants if (key(c) < mark if descending else key(c) > mark)]
    return sorted([*rows, *constants], key=key, reverse=ordering.descending)


def check_page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"`first` must be between 1 and {MAX_PAGE_SIZE}.",
            fields=[FieldError(("first",), "OUT_OF_RANGE", f"Between 1 and {MAX_PAGE_SIZE}.")],
        )
    return first


async def paginate(
    db: Database,
    stmt: Select[Any],
    model: Any,
    ordering: Ordering,
    first: int | None,
    after: str | None,
    *,
    constants: Sequence[Any] = (),
) -> Page[Any]:
    """One statement: fetch ``first + 1`` rows past the cursor to learn if there are more.

    ``constants`` are objects shaped like rows that live in code, not in the table (built-in
    items matching the caller's filter); they take their place in the same keyset order."""
    size = check_page_size(first)
    column = getattr(model, ordering.column, None)
    if column is None:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"This list cannot be sorted by `{ordering.column}`.",
            fields=[FieldError(("orderBy", "field"), "INVALID", "Not a sort field of this list.")],
        )
    position: tuple[Any, str] | None = None
    if after:
        value, row_id = _decode(after, ordering.column, column.type.python_type)
        position = (value, row_id)
        if ordering.descending:
            stmt = stmt.where(or_(column < value, and_(column == value, model.id < row_id)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, model.id > row_id)))
    if ordering.descending:
        stmt = stmt.order_by(column.desc(), model.id.desc())
    else:
        stmt = stmt.order_by(column.asc(), model.id.asc())
    async with db.reading() as session:
        rows = list((await session.execute(stmt.limit(size + 1))).scalars())
    if constants:
        rows = _merged(rows, constants, ordering, position)[: size + 1]
    items = rows[:size]
    return Page(
        items=items,
        cursors=[_encode(ordering.column, getattr(r, ordering.column), r.id) for r in items],
        has_next=len(rows) > size,
        has_previous=bool(after),
    )
