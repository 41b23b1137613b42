"""Keyset pagination: opaque cursors over ``(sort column, id)``, stable under inserts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import Select, and_, not_, or_

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


@dataclass(frozen=True, slots=True)
class Backward:
    """``last`` and ``before`` of the connection field being resolved.

    ``schema.fields.query_field`` gives every connection field these arguments and sets them
    here while its resolver runs, so list resolvers keep their ``(first, after)`` signature and
    every connection pages both ways."""

    last: int | None = None
    before: str | None = None


NOT_BACKWARD = Backward()
backward_page: ContextVar[Backward] = ContextVar("backward_page", default=NOT_BACKWARD)


def _bad_cursor(argument: str) -> ApiError:
    return ApiError(
        ErrorCode.VALIDATION_FAILED,
        f"`{argument}` is not a cursor returned by this list.",
        fields=[FieldError((argument,), "INVALID", "Unknown or malformed cursor.")],
    )


def _decode(cursor: str, column: str, python_type: type, argument: str) -> tuple[Any, str]:
    """The cursor's sort value and id; refused unless it was made for this sort column and the
    value has the column's type (a cursor is opaque, not signed: it must not reach SQL unchecked)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        made_for, value, row_id = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, orjson.JSONDecodeError, ValueError, TypeError, UnicodeEncodeError):
        raise _bad_cursor(argument) from None
    if made_for != column or not isinstance(row_id, str):
        raise _bad_cursor(argument)
    if isinstance(value, dict):
        try:
            value = datetime.fromisoformat(value["t"])
        except (KeyError, TypeError, ValueError):
            raise _bad_cursor(argument) from None
    if isinstance(value, bool) or not isinstance(value, python_type):
        raise _bad_cursor(argument)
    return value, row_id


def check_page_size(first: int | None, argument: str = "first") -> int:
    """The page size; above ``MAX_PAGE_SIZE`` is refused (never silently cut), on both
    transports alike (REST's ``limit`` is this ``first``, or ``last`` with ``ending_before``)."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"`{argument}` must be between 1 and {MAX_PAGE_SIZE}.",
            fields=[FieldError((argument,), "OUT_OF_RANGE", f"Between 1 and {MAX_PAGE_SIZE}.")],
        )
    return first


def _sort_key(value: Any, row_id: str) -> tuple[Any, str]:
    return (as_utc(value) if isinstance(value, datetime) else value, row_id)


def _beyond(key: tuple[Any, str], position: tuple[Any, str], later: bool) -> bool:
    """``_past`` for objects that live in code, not in the table."""
    mark = _sort_key(*position)
    return key > mark if later else key < mark


def _past(column: Any, model: Any, position: tuple[Any, str], later: bool) -> Any:
    """Rows strictly beyond ``position`` (later or earlier in ascending column order)."""
    value, row_id = position
    if later:
        return or_(column > value, and_(column == value, model.id > row_id))
    return or_(column < value, and_(column == value, model.id < row_id))


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
    """One statement: ``size + 1`` rows past the cursor tell whether there are more that way;
    with a cursor, an uncorrelated ``EXISTS`` in the same statement tells whether there are any
    the other way (so ``hasPreviousPage``/``hasNextPage`` are exact both ways; an empty page
    asks it alone).

    Forward (``first``/``after``) unless ``last`` or ``before`` is given (:data:`backward_page`);
    ``after`` and ``before`` together bound a range.

    ``constants`` are objects shaped like rows that live in code, not in the table (built-in
    items matching the caller's filter); they take their place in the same keyset order."""
    backward = backward_page.get()
    if first is not None and backward.last is not None:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "Pass `first` or `last`, not both.",
            fields=[FieldError(("last",), "INVALID", "Not together with `first`.")],
        )
    reverse = backward.last is not None or (backward.before is not None and first is None)
    size = check_page_size(backward.last, "last") if reverse else check_page_size(first)
    column = getattr(model, ordering.column, None)
    if column is None:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"This list cannot be sorted by `{ordering.column}`.",
            fields=[FieldError(("orderBy", "field"), "INVALID", "Not a sort field of this list.")],
        )
    kind = column.type.python_type
    ascending = not ordering.descending
    start = _decode(after, ordering.column, kind, "after") if after else None
    end = _decode(backward.before, ordering.column, kind, "before") if backward.before else None
    bounded = stmt
    if start is not None:
        bounded = bounded.where(_past(column, model, start, later=ascending))
    if end is not None:
        bounded = bounded.where(_past(column, model, end, later=not ascending))
    fetch_ascending = ascending != reverse
    if fetch_ascending:
        bounded = bounded.order_by(column.asc(), model.id.asc())
    else:
        bounded = bounded.order_by(column.desc(), model.id.desc())
    outside = end if reverse else start
    page = bounded.limit(size + 1)
    beyond = False
    async with db.reading() as session:
        if outside is None:
            rows = list((await session.execute(page)).scalars())
        else:
            edge = not_(_past(column, model, outside, later=ascending != reverse))
            probe = stmt.with_only_columns(model.id).where(edge).limit(1).correlate(None)
            found = (await session.execute(page.add_columns(probe.exists()))).all()
            rows = [row for row, _ in found]
            if found:
                beyond = bool(found[0][1])
            else:
                beyond = (await session.execute(probe)).first() is not None
    if constants:
        rows, beyond = _with_constants(
            rows, constants, ordering.column, size, (start, end), fetch_ascending, reverse, beyond
        )
    more = len(rows) > size
    items = rows[:size]
    if reverse:
        items.reverse()
    return Page(
        items=items,
        cursors=[_encode(ordering.column, getattr(r, ordering.column), r.id) for r in items],
        has_next=beyond if reverse else more,
        has_previous=more if reverse else beyond,
    )


def _with_constants(
    rows: list[Any],
    constants: Sequence[Any],
    column: str,
    size: int,
    bounds: tuple[tuple[Any, str] | None, tuple[Any, str] | None],
    fetch_ascending: bool,
    reverse: bool,
    beyond: bool,
) -> tuple[list[Any], bool]:
    """Merge the constants inside the page's bounds into the fetched rows (in fetch order, cut
    to ``size + 1``), and count the ones outside the cursor as rows beyond it."""
    start, end = bounds
    ascending = fetch_ascending != reverse

    def key(item: Any) -> tuple[Any, str]:
        return _sort_key(getattr(item, column), item.id)

    inside = [
        c
        for c in constants
        if (start is None or _beyond(key(c), start, later=ascending))
        and (end is None or _beyond(key(c), end, later=not ascending))
    ]
    outside = end if reverse else start
    if outside is not None and not beyond:
        beyond = any(not _beyond(key(c), outside, later=fetch_ascending) for c in constants)
    merged = sorted([*rows, *inside], key=key, reverse=not fetch_ascending)
    return merged[: size + 1], beyond
