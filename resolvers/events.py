"""Events for partners: the catch-up list, and live streams for GraphQL subscriptions.

Both show a key only what ``app.events.access`` lets it read: its organisation's events, of the
families whose read scope it holds, and only those of the projects it is limited to (if it is);
organisation-wide events are for organisation-wide keys.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from app.clock import as_utc
from app.errors import ApiError, ErrorCode, FieldError
from app.events.access import may_read, readable_families, within_reach
from app.events.bus import Accept, EventBus, SubscriberTooSlow, Subscription
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


async def _records(ctx: Context, subscription: Subscription) -> AsyncIterator[EventRecord]:
    await _bus(ctx).ready()
    try:
        async for record in subscription:
            ctx.fresh_loaders()
            yield record
    except SubscriberTooSlow as error:
        raise ApiError(
            ErrorCode.RATE_LIMIT_EXCEEDED,
            f"{error} Reconnect and catch up with the `events` query.",
        ) from None


async def stream_events(
    ctx: Context, types: Sequence[str] | None, project_id: str | None
) -> AsyncIterator[EventRecord]:
    check_types(types, ("types",))
    if project_id is not None and await ctx.loaders.by_id(Project).load(project_id) is None:
        raise ApiError(
            ErrorCode.NOT_FOUND,
            "Project not found.",
            fields=[FieldError(("projectId",), "NOT_FOUND", "No such project.")],
        )
    visible = visible_to(ctx)

    def accept(record: EventRecord) -> bool:
        if not visible(record) or not matches_any(types, record.type):
            return False
        return project_id is None or record.project_id == project_id

    with _bus(ctx).subscribe(accept) as subscription:
        async for record in _records(ctx, subscription):
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
        await _bus(ctx).ready()
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
        async for record in _records(ctx, subscription):
            if record.sequence <= seen:
                continue
            seen = record.sequence
            progress = _progress_of_event(record)
            yield progress
            if progress.status in FINISHED:
                return
