"""Telemetry: batches of small events from players, tools and render farms, and counts of them.

Rules partners rely on:
- A batch holds 1-500 events; any other size is VALIDATION_FAILED and nothing is stored.
- Each event is checked on its own: a refused event is reported as ``{index, field, code,
  message}`` and the others are stored (partial success, as Mixpanel's import API does).
- An ``insertId`` already seen in the last 7 days (in an earlier batch or earlier in this one)
  is accepted and not stored again: retrying a batch is safe.
- Events older than the retention period are refused (they would be deleted at once), and so
  are events more than an hour in the future (a clock that far off is a bug).
- Each batch that stored something emits ``telemetry.flushed`` ``{batch_id, events,
  processed_at}``.

Sizes, chosen so that the default request body cap (1 MiB) holds one full batch of
maximum-size events and nothing more (see ``MAX_EVENT_BYTES``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column, select
from sqlmodel import col

from app.clock import isoformat, utcnow
from app.errors import ApiError, ErrorCode, FieldError
from app.ids import IdPrefix, new_id, new_ids
from app.json_bounds import JsonBounds, encode_within
from app.models import Project, ProjectStatus, TelemetryEvent
from app.telemetry.retention import DEDUPE_WINDOW
from app.telemetry.store import Batch, Row, store_batch
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import InputErrorCode, InputErrors, invalid_state, not_found

MAX_BATCH = 500
TYPE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
INSERT_ID_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")

DEFAULT_BODY_CAP = 1_048_576
"""``REELHOUSE_MAX_BODY_BYTES``'s default, which the sizes below are derived from."""
ENVELOPE_BYTES = 4096
"""Kept for what surrounds the events: the GraphQL document, ``projectId``, braces."""
MAX_EVENT_BYTES = (DEFAULT_BODY_CAP - ENVELOPE_BYTES) // MAX_BATCH
"""2,088: one event as compact JSON plus the comma after it."""
EVENT_OVERHEAD = 9 + 64 + 17 + 40 + 15 + 64 + 15 + 1
"""225: an event less its properties, at every bound: ``{"type":"`` + 64 + ``","occurred_at":"``
+ 40 (the ``DateTime`` scalar's bound) + ``","insert_id":"`` + 64 + ``","properties":`` and
``}``, in REST's spelling (GraphQL's ``occurredAt`` and ``insertId`` are shorter)."""
PROPERTIES_BOUNDS = JsonBounds(max_bytes=MAX_EVENT_BYTES - 1 - EVENT_OVERHEAD, max_depth=8)
"""1,862 bytes. So 500 maximum-size events take 500 x 2,088 - 1 = 1,043,999 bytes: with the
4,096-byte envelope that fills the 1,048,576-byte cap to within 480 bytes, and a 503rd event
never fits."""
FUTURE_TOLERANCE = timedelta(hours=1)
LIST_ORDER = Ordering("occurred_at", descending=True)
MAX_BUCKETS = 1000
MAX_WINDOW = {"hour": timedelta(days=31), "day": timedelta(days=3660)}


class EventField(StrEnum):
    TYPE = "type"
    OCCURRED_AT = "occurred_at"
    INSERT_ID = "insert_id"
    PROPERTIES = "properties"


class GroupBy(StrEnum):
    TYPE = "type"
    HOUR = "hour"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class EventIn:
    type: str
    occurred_at: datetime
    insert_id: str | None = None
    properties: Any = None


@dataclass(frozen=True, slots=True)
class Refusal:
    index: int
    field: EventField
    code: InputErrorCode
    message: str


@dataclass(slots=True)
class Ingested:
    batch_id: str | None
    """Null when nothing was stored."""
    accepted: int = 0
    duplicates: int = 0
    refused: list[Refusal] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TelemetryFilter:
    type: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    start: datetime
    end: datetime
    group_by: GroupBy
    total: int
    buckets: list[Bucket]


def _batch_size_error(count: int) -> ApiError:
    code = InputErrorCode.TOO_SHORT if count < 1 else InputErrorCode.TOO_LONG
    message = f"A batch holds 1 to {MAX_BATCH} events; this one has {count}."
    return ApiError(
        ErrorCode.VALIDATION_FAILED,
        message,
        fields=[FieldError(("input", "events"), code.value, message)],
    )


def _refusal(
    index: int, event: EventIn, now: datetime, oldest: datetime
) -> tuple[Refusal | None, bytes]:
    """Why this event is refused (None if it is fine), and its encoded properties."""

    def refuse(where: EventField, code: InputErrorCode, message: str) -> tuple[Refusal, bytes]:
        return Refusal(index, where, code, message), b""

    if not TYPE_RE.fullmatch(event.type):
        return refuse(
            EventField.TYPE,
            InputErrorCode.INVALID,
            "`type` must be 1-64 characters of A-Z, a-z, 0-9 and _ . : -, starting with a "
            "letter or digit.",
        )
    if event.occurred_at > now + FUTURE_TOLERANCE:
        return refuse(
            EventField.OCCURRED_AT,
            InputErrorCode.OUT_OF_RANGE,
            "`occurredAt` is more than an hour in the future.",
        )
    if event.occurred_at < oldest:
        return refuse(
            EventField.OCCURRED_AT,
            InputErrorCode.OUT_OF_RANGE,
            "`occurredAt` is older than the retention period.",
        )
    if event.insert_id is not None and not INSERT_ID_RE.fullmatch(event.insert_id):
        return refuse(
            EventField.INSERT_ID,
            InputErrorCode.INVALID,
            "`insertId` must be 1-64 characters of A-Z, a-z, 0-9 and _ . : -.",
        )
    properties = {} if event.properties is None else event.properties
    if not isinstance(properties, dict):
        return refuse(
            EventField.PROPERTIES, InputErrorCode.INVALID, "`properties` must be a JSON object."
        )
    encoded, problem = encode_within(properties, PROPERTIES_BOUNDS)
    if problem is not None:
        code, message = problem
        return refuse(EventField.PROPERTIES, InputErrorCode(code), f"`properties` {message}.")
    assert encoded is not None
    return None, encoded


async def _check_project(ctx: Context, project_id: str | None) -> None:
    if project_id is None:
        if ctx.principal.project_ids is not None:
            raise InputErrors(
                [
                    FieldError(
                        ("input", "projectId"),
                        InputErrorCode.REQUIRED.value,
                        "A key limited to projects sends telemetry for one of them.",
                    )
                ]
            )
        return
    project: Project | None = await ctx.loaders.by_id(Project).load(project_id)
    if project is None:
        raise not_found(("input", "projectId"), "Project")
    if project.status == ProjectStatus.ARCHIVED:
        raise invalid_state(("input", "projectId"), "The project is archived.")


async def ingest(ctx: Context, project_id: str | None, events: Sequence[EventIn]) -> Ingested:
    if not 1 <= len(events) <= MAX_BATCH:
        raise _batch_size_error(len(events))
    await _check_project(ctx, project_id)
    now = utcnow()
    oldest = now - timedelta(days=ctx.settings.telemetry_retention_days)
    result = Ingested(batch_id=None)
    rows: list[Row] = []
    in_batch: set[str] = set()
    ids = iter(new_ids(IdPrefix.TELEMETRY_EVENT, len(events)))
    for index, event in enumerate(events):
        refusal, encoded = _refusal(index, event, now, oldest)
        if refusal is not None:
            result.refused.append(refusal)
            continue
        result.accepted += 1
        if event.insert_id is not None:
            if event.insert_id in in_batch:
                result.duplicates += 1
                continue
            in_batch.add(event.insert_id)
        rows.append(
            Row(
                id=next(ids),
                type=event.type,
                occurred_at=event.occurred_at,
                insert_id=event.insert_id,
                properties=event.properties or {},
                properties_json=encoded.decode(),
            )
        )
    if not rows:
        return result
    batch = Batch(
        id=new_id(IdPrefix.TELEMETRY_BATCH),
        org_id=ctx.org_id,
        project_id=project_id,
        received_at=now,
        dedupe_since=now - DEDUPE_WINDOW,
        rows=rows,
    )
    async with unit_of_work(ctx) as uow:
        stored = await store_batch(uow.session, batch, postgres=ctx.db.is_postgres)
        if stored:
            uow.emit_about(
                "telemetry",
                batch.id,
                "flushed",
                project_id=project_id,
                data={"batch_id": batch.id, "events": stored, "processed_at": isoformat(now)},
            )
    result.duplicates += len(rows) - stored
    if stored:
        result.batch_id = batch.id
    return result


def _window(filter: TelemetryFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filter.start is not None:
        clauses.append(col(TelemetryEvent.occurred_at) >= filter.start)
    if filter.end is not None:
        clauses.append(col(TelemetryEvent.occurred_at) < filter.end)
    return clauses


def _check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start >= end:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "`from` must be before `to`.",
            fields=[FieldError(("from",), InputErrorCode.OUT_OF_RANGE.value, "After `to`.")],
        )


async def list_events(
    ctx: Context,
    project_id: str | None,
    filter: TelemetryFilter,
    first: int | None,
    after: str | None,
) -> Page[TelemetryEvent]:
    """Newest first; ``from`` is inclusive, ``to`` exclusive."""
    _check_window(filter.start, filter.end)
    stmt = select(TelemetryEvent).where(*visibility(ctx, TelemetryEvent), *_window(filter))
    if project_id is not None:
        stmt = stmt.where(col(TelemetryEvent.project_id) == project_id)
    if filter.type is not None:
        # A type no event can have matches nothing.
        matchable = TYPE_RE.fullmatch(filter.type) is not None
        stmt = stmt.where(col(TelemetryEvent.type) == filter.type if matchable else false())
    return await paginate(ctx.db, stmt, TelemetryEvent, LIST_ORDER, first, after)


def _bucket(ctx: Context, group_by: GroupBy) -> Any:
    if group_by is GroupBy.TYPE:
        return col(TelemetryEvent.type)
    if ctx.db.is_postgres:
        utc: Any = literal_column("telemetry_events.occurred_at AT TIME ZONE 'UTC'")
        return func.date_trunc(group_by.value, utc)
    shape = "%Y-%m-%dT%H:00:00" if group_by is GroupBy.HOUR else "%Y-%m-%dT00:00:00"
    return func.strftime(shape, col(TelemetryEvent.occurred_at))


def _key(value: Any) -> str:
    if isinstance(value, datetime):
        return isoformat(value.replace(tzinfo=UTC))
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        return value + "Z"
    return str(value)


async def stats(
    ctx: Context,
    project_id: str | None,
    start: datetime | None,
    end: datetime | None,
    group_by: GroupBy,
) -> Stats:
    """Counts per type (most frequent first, at most 1,000) or per UTC hour or day (oldest
    first) in ``[from, to)``; the window defaults to the retention period up to now."""
    end = end or utcnow()
    start = start or end - timedelta(days=ctx.settings.telemetry_retention_days)
    _check_window(start, end)
    longest = MAX_WINDOW.get(group_by.value)
    if longest is not None and end - start > longest:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            f"Grouped by {group_by.value}, the window is at most {longest.days} days.",
            fields=[
                FieldError(("from",), InputErrorCode.OUT_OF_RANGE.value, "The window is too long.")
            ],
        )
    bucket = _bucket(ctx, group_by).label("bucket")
    count = func.count().label("n")
    stmt = select(bucket, count).where(
        *visibility(ctx, TelemetryEvent), *_window(TelemetryFilter(start=start, end=end))
    )
    if project_id is not None:
        stmt = stmt.where(col(TelemetryEvent.project_id) == project_id)
    stmt = stmt.group_by(bucket)
    if group_by is GroupBy.TYPE:
        stmt = stmt.order_by(count.desc(), bucket)
    else:
        stmt = stmt.order_by(bucket)
    async with ctx.db.reading() as session:
        rows = (await session.execute(stmt.limit(MAX_BUCKETS))).all()
    buckets = [Bucket(_key(value), int(n)) for value, n in rows]
    return Stats(start, end, group_by, sum(b.count for b in buckets), buckets)
