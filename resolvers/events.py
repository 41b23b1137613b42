"""Events for partners: the catch-up list, and live streams for GraphQL subscriptions.

Both show a key only what ``app.events.access`` lets it read: its organisation's events, of the
families whose read scope it holds, and only those of the projects it is limited to (if it is);
organisation-wide events are for organisation-wide keys.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import col

from app.availability import service_unavailable
from app.clock import as_utc
from app.errors import ApiError, ErrorCode, FieldError
from app.events.access import may_read, readable_families, within_reach
from app.events.bus import (
    Accept,
    EventBus,
    FanOutInterrupted,
    SubscriberTooSlow,
    Subscription,
)
from app.events.patterns import MAX_PATTERNS, matches_any, pattern_problem, type_clause
from app.events.records import EventRecord
from app.models import Event, Job, JobStatus, Project
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility

CATCH_UP_ORDER = Ordering("occurred_at", descending=False)


@dataclass(frozen=True, slots=True)
class EventFilter:
    types: Sequence[str] | None = None
    project_id: str | None = None
    aggregate_id: str | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class JobProgress:
    """A job's state at one of its events (or when the subscription began, without event)."""

    job_id: str
    status: str
    progress: int
    error: str | None
    output_asset_id: str | None
    updated_at: datetime
    event: EventRecord | None


def check_types(types: Sequence[str] | None, path: tuple[str, ...]) -> None:
    if types is None:
        return
    problems = [
        FieldError((*path, str(i)), "INVALID", f"`{t}` {problem}.")
        for i, t in enumerate(types)
        if (problem := pattern_problem(t)) is not None
    ]
    if len(types) > MAX_PATTERNS:
        problems.append(FieldError(path, "TOO_LONG", f"At most {MAX_PATTERNS} types."))
    if problems:
        raise ApiError(ErrorCode.VALIDATION_FAILED, "Invalid event type filter.", fields=problems)


async def list_events(
    ctx: Context, filter: EventFilter, first: int | None, after: str | None
) -> Page[Event]:
    """Oldest first, so a partner resumes from the last cursor it processed."""
    check_types(filter.types, ("filter", "types"))
    stmt = select(Event).where(*visibility(ctx, Event), type_clause(Event.type, filter.types))
    families = readable_families(ctx.principal)
    if families is not None:
        stmt = stmt.where(col(Event.aggregate_type).in_(families))
    if filter.project_id is not None:
        stmt = stmt.where(col(Event.project_id) == filter.project_id)
    if filter.aggregate_id is not None:
        stmt = stmt.where(col(Event.aggregate_id) == filter.aggregate_id)
    if filter.occurred_after is not None:
        stmt = stmt.where(col(Event.occurred_at) > filter.occurred_after)
    if filter.occurred_before is not None:
        stmt = stmt.where(col(Event.occurred_at) < filter.occurred_before)
    return await paginate(ctx.db, stmt, Event, CATCH_UP_ORDER, first, after)


def _bus(ctx: Context) -> EventBus:
    if ctx.bus is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "Subscriptions are served over WebSocket only.")
    return ctx.bus


def visible_to(ctx: Context) -> Accept:
    principal = ctx.principal

    def accept(record: EventRecord) -> bool:
        return may_read(principal, record.org_id, record.type, record.project_id)

    return accept


CURSOR_PREFIX = "stream:"
REPLAY_BATCH = 500


def stream_cursor(position: int | None) -> str | None:
    """The opaque cursor of a place in an organisation's event stream."""
    if position is None:
        return None
    raw = f"{CURSOR_PREFIX}{position}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _position_of(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith(CURSOR_PREFIX):
            position = int(raw.removeprefix(CURSOR_PREFIX))
            if position >= 0:
                return position
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise ApiError(
        ErrorCode.VALIDATION_FAILED,
        "`after` is not an event cursor.",
        fields=[FieldError(("after",), "INVALID", "Pass the `cursor` of an event you received.")],
    )


async def _head(ctx: Context) -> int:
    """The organisation's newest dispatched position (0 before its first event)."""
    async with ctx.db.reading() as session:
        head = (
            await session.execute(
                select(func.max(col(Event.position))).where(col(Event.org_id) == ctx.org_id)
            )
        ).scalar()
    return int(head or 0)


async def _replay(
    ctx: Context, after: int, before: int | None = None
) -> AsyncIterator[EventRecord]:
    """The organisation's dispatched events past ``after`` (and before ``before``), in order."""
    while True:
        stmt = (
            select(Event)
            .where(col(Event.org_id) == ctx.org_id, col(Event.position) > after)
            .order_by(col(Event.position))
            .limit(REPLAY_BATCH)
        )
        if before is not None:
            stmt = stmt.where(col(Event.position) < before)
        async with ctx.db.reading() as session:
            rows = list((await session.execute(stmt)).scalars())
        for row in rows:
            after = row.position or after
            yield EventRecord.of(row)
        if len(rows) < REPLAY_BATCH:
            return


def _resume(error: ApiError, position: int) -> ApiError:
    error.extensions["resumeAfter"] = stream_cursor(position)
    error.message += f' Subscribe again with `after: "{stream_cursor(position)}"`.'
    return error


async def _live(ctx: Context) -> EventBus:
    bus = _bus(ctx)
    await bus.ready()
    if not bus.live:
        raise service_unavailable("The event fan-out")
    return bus


async def _organisation_stream(
    ctx: Context, subscription: Subscription, after: int | None
) -> AsyncIterator[EventRecord]:
    """Every event of the organisation past ``after`` (default: from now on), each exactly once
    and in stream order: replayed from the outbox, then live from the bus, a gap in what the
    bus delivers (a publish lost, or overtaken by a later dispatcher's) filled from the outbox.
    When the bus cannot vouch for completeness (its link dropped, or this subscriber fell too
    far behind) the stream ends with an error saying where to resume."""
    head = await _head(ctx)
    if after is not None and after > head:
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "`after` is past the newest event.",
            fields=[FieldError(("after",), "OUT_OF_RANGE", "Not a cursor of this stream.")],
        )
    if after is None:
        # "From now on" means from when the subscription began, not from when the head was
        # read: what was published in between is buffered already, and is delivered.
        buffered = subscription.earliest_position()
        after = head if buffered is None else min(head, buffered - 1)
    last = after
    try:
        async for record in _replay(ctx, last):
            last = record.position or last
            yield record
        async for record in subscription:
            position = record.position
            if position is None or position <= last:
                continue
            if position > last + 1:
                async for missing in _replay(ctx, last, position):
                    last = missing.position or last
                    yield missing
            last = position
            yield record
    except SubscriberTooSlow as error:
        raise _resume(ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, f"{error}"), last) from None
    except FanOutInterrupted as error:
        raise _resume(service_unavailable(str(error).rstrip(".")), last) from None


async def stream_events(
    ctx: Context, types: Sequence[str] | None, project_id: str | None, after: str | None
) -> AsyncIterator[EventRecord]:
    check_types(types, ("types",))
    start = _position_of(after) if after is not None else None
    if project_id is not None and await ctx.loaders.by_id(Project).load(project_id) is None:
        raise ApiError(
            ErrorCode.NOT_FOUND,
            "Project not found.",
            fields=[FieldError(("projectId",), "NOT_FOUND", "No such project.")],
        )
    visible = visible_to(ctx)

    def wanted(record: EventRecord) -> bool:
        if not visible(record) or not matches_any(types, record.type):
            return False
        return project_id is None or record.project_id == project_id

    org_id = ctx.org_id
    bus = _bus(ctx)
    with bus.subscribe(lambda record: record.org_id == org_id) as subscription:
        await _live(ctx)
        async for record in _organisation_stream(ctx, subscription, start):
            if wanted(record):
                ctx.fresh_loaders()
                yield record


def _progress_of_job(job: Job) -> JobProgress:
    return JobProgress(
        job_id=job.id,
        status=job.status.value,
        progress=job.progress,
        error=job.error,
        output_asset_id=job.output_asset_id,
        updated_at=job.updated_at,
        event=None,
    )


def _progress_of_event(event: EventRecord) -> JobProgress:
    data = event.data
    updated = data.get("updated_at")
    return JobProgress(
        job_id=event.aggregate_id,
        status=str(data.get("status", "")),
        progress=int(data.get("progress") or 0),
        error=data.get("error"),
        output_asset_id=data.get("output_asset_id"),
        updated_at=datetime.fromisoformat(updated.replace("Z", "+00:00"))
        if isinstance(updated, str)
        else as_utc(event.occurred_at),
        event=event,
    )


FINISHED = frozenset(s.value for s in JobStatus if s.finished)


async def stream_job(ctx: Context, job_id: str) -> AsyncIterator[JobProgress]:
    """The job's current state, then one item per change; ends once the job finished (its own
    scope, ``jobs:read``, was checked by the field)."""
    principal = ctx.principal

    def accept(record: EventRecord) -> bool:
        return record.aggregate_id == job_id and within_reach(
            principal, record.org_id, record.project_id
        )

    with _bus(ctx).subscribe(accept) as subscription:
        await _live(ctx)
        job: Job | None = await ctx.loaders.by_id(Job).load(job_id)
        if job is None:
            raise ApiError(
                ErrorCode.NOT_FOUND,
                "Job not found.",
                fields=[FieldError(("id",), "NOT_FOUND", "No such job.")],
            )
        yield _progress_of_job(job)
        if job.status.finished:
            return
        seen = job.version
        again = " Subscribe again: it starts with the job's current state."
        try:
            async for record in subscription:
                if record.sequence <= seen:
                    continue
                seen = record.sequence
                ctx.fresh_loaders()
                progress = _progress_of_event(record)
                yield progress
                if progress.status in FINISHED:
                    return
        except SubscriberTooSlow as error:
            raise ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, f"{error}{again}") from None
        except FanOutInterrupted:
            unavailable = service_unavailable("The event fan-out")
            unavailable.message += again
            raise unavailable from None
