"""Events in the GraphQL contract: the catch-up list and the live subscriptions."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Event
from app.models import JobStatus as JobStatusValue
from resolvers import events as logic
from schema.connections import Connection
from schema.fields import query_field, subscription_field
from schema.jobs import JobStatus
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON

TYPES_HELP = "Event types; `*` matches any one segment (`job.*`), a lone `*` every type."


@strawberry.type(
    name="Event",
    description="Something that changed, recorded with the change. `sequence` orders the "
    "events of one aggregate (it is the aggregate's version after the change).",
)
class EventType(FromRow, Node):
    type: str = strawberry.field(description="`<aggregate>.<verb>`, e.g. `project.created`.")
    version: int = strawberry.field(description="Version of the event's schema.")
    aggregate_type: str
    aggregate_id: strawberry.ID
    sequence: int
    project_id: strawberry.ID | None
    occurred_at: datetime
    data: JSON | None = strawberry.field(description="The aggregate as it was after the change.")
    cursor: str | None = strawberry.field(
        resolver=lambda root: logic.stream_cursor(root.row.position),
        description="The event's place in the organisation's event stream, once dispatched "
        "(null before): pass the last one you processed as `after` to the `events` "
        "subscription to resume right after it, with nothing missed or repeated.",
    )


@strawberry.input
class EventFilter:
    types: list[str] | None = strawberry.field(default=None, description=TYPES_HELP)
    project_id: strawberry.ID | None = None
    aggregate_id: strawberry.ID | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None

    def to_logic(self) -> logic.EventFilter:
        return logic.EventFilter(
            types=self.types,
            project_id=self.project_id,
            aggregate_id=self.aggregate_id,
            occurred_after=self.occurred_after,
            occurred_before=self.occurred_before,
        )


@strawberry.type(description="A job's state when a subscription began or at one of its events.")
class JobProgress:
    job_id: strawberry.ID
    status: JobStatus  # type: ignore[valid-type]
    progress: int = strawberry.field(description="0 to 100.")
    error: str | None
    output_asset_id: strawberry.ID | None
    updated_at: datetime
    event: EventType | None = strawberry.field(
        description="The event that carried this state; null for the state at subscription."
    )

    @classmethod
    def of(cls, item: logic.JobProgress) -> JobProgress:
        return cls(
            job_id=strawberry.ID(item.job_id),
            status=JobStatusValue(item.status),
            progress=item.progress,
            error=item.error,
            output_asset_id=strawberry.ID(item.output_asset_id) if item.output_asset_id else None,
            updated_at=item.updated_at,
            event=EventType.maybe(item.event),
        )


@strawberry.type
class EventQueries:
    @query_field(
        scope=Scope.EVENTS_READ,
        description="Events of the organisation, oldest first: page with `after` to catch up on "
        "anything missed. The newest few seconds may still grow while transactions commit, so "
        "resume from a cursor a little behind the end.",
    )
    async def events(
        self,
        info: Info,
        filter: EventFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[EventType]:
        page = await logic.list_events(
            info.context, (filter or EventFilter()).to_logic(), first, after
        )
        return Connection.from_page(page, EventType.from_row)


@strawberry.type
class EventSubscriptions:
    @subscription_field(
        scope=Scope.EVENTS_READ,
        description="Events as they are dispatched, in stream order, filtered by type and "
        "project. " + TYPES_HELP + " With `after` (an event's `cursor`), first every event "
        "since then (from the outbox), then live, with no gap and no duplicate. If this server "
        "cannot vouch for completeness (its link to the fan-out dropped, or you fell too far "
        "behind), the stream ends with an error whose `extensions.resumeAfter` is the cursor "
        "to subscribe again with.",
    )
    async def events(
        self,
        info: Info,
        types: list[str] | None = None,
        project_id: strawberry.ID | None = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="Resume after this event `cursor`; default: from now on."
            ),
        ] = None,
    ) -> AsyncGenerator[EventType, None]:
        async for record in logic.stream_events(info.context, types, project_id, after):
            yield EventType.from_row(record)

    @subscription_field(
        scope=Scope.JOBS_READ,
        description="A job's progress: its current state, then every change until it finishes.",
    )
    async def job(self, info: Info, id: strawberry.ID) -> AsyncGenerator[JobProgress, None]:
        async for item in logic.stream_job(info.context, id):
            yield JobProgress.of(item)


register_node(IdPrefix.EVENT, Event, EventType, Scope.EVENTS_READ)

QUERIES: tuple[type, ...] = (EventQueries,)
MUTATIONS: tuple[type, ...] = ()
SUBSCRIPTIONS: tuple[type, ...] = (EventSubscriptions,)
