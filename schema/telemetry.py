"""Telemetry in the GraphQL contract: batched ingestion with per-event results, and queries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.arguments import InputContext

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import TelemetryEvent
from app.traffic.cost import FieldCost
from resolvers import telemetry as logic
from schema.connections import Connection
from schema.costs import cost_metadata
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON, BigInt

EVENTS_PER_POINT = 10
"""A telemetry batch costs a write point per this many events on top of the mutation's 10,
so a full batch is 60 points: a key's write limit bounds events as well as requests."""

TelemetryEventField = strawberry.enum(
    logic.EventField, name="TelemetryEventField", description="A field of a telemetry event."
)
TelemetryGroupBy = strawberry.enum(
    logic.GroupBy,
    name="TelemetryGroupBy",
    description="TYPE: per event type, most frequent first; HOUR, DAY: per UTC hour or day.",
)


@strawberry.type(name="TelemetryEvent", description="One stored telemetry event.")
class TelemetryEventType(FromRow, Node):
    project_id: strawberry.ID | None
    batch_id: strawberry.ID = strawberry.field(description="The batch it arrived in (`tlb_…`).")
    type: str
    occurred_at: datetime = strawberry.field(description="When it happened, as sent.")
    received_at: datetime
    insert_id: str | None = strawberry.field(description="The sender's deduplication id.")
    properties: JSON | None


@strawberry.type(description="An event of the batch that was not stored, and why.")
class TelemetryRefusal:
    index: int = strawberry.field(description="Its position in `events`, from 0.")
    field: TelemetryEventField  # type: ignore[valid-type]
    code: str = strawberry.field(description="INVALID, TOO_LONG or OUT_OF_RANGE.")
    message: str


@strawberry.type(description="Events counted in one group.")
class TelemetryBucket:
    key: str = strawberry.field(
        description="The event type, or the bucket's UTC start (`2026-01-31T12:00:00Z`)."
    )
    count: BigInt


@strawberry.type(description="Telemetry counts in `[from, to)`.")
class TelemetryStats:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    group_by: TelemetryGroupBy  # type: ignore[valid-type]
    total: BigInt = strawberry.field(description="The sum of `buckets`.")
    buckets: list[TelemetryBucket] = strawberry.field(
        description="At most 1,000.",
        metadata=cost_metadata(FieldCost(max_items=logic.MAX_BUCKETS, items_per_point=100)),
    )


@strawberry.input(description="One telemetry event.")
class TelemetryEventInput:
    type: str = strawberry.field(description="1-64 of A-Z a-z 0-9 _ . : -, e.g. `level.started`.")
    occurred_at: datetime = strawberry.field(
        description="Within the retention period, and at most an hour ahead."
    )
    insert_id: str | None = strawberry.field(
        default=None,
        description="1-64 of A-Z a-z 0-9 _ . : -; an id seen in the last 7 days is accepted "
        "and not stored again.",
    )
    properties: JSON | None = strawberry.field(
        default=None, description="A JSON object: at most 1,862 bytes and 8 levels deep."
    )


@strawberry.input
class IngestTelemetryInput:
    events: list[TelemetryEventInput] = strawberry.field(description="1 to 500 events.")
    """Arrive as ``logic.EventIn`` (see ``_ingest_from_input``)."""
    project_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The project the events are about; required for keys limited to projects.",
    )


def _ingest_from_input(cls: type, value: Mapping[str, Any], _context: InputContext) -> Any:
    """A batch holds up to 500 events: build them straight from the coerced input value
    (graphql-core has checked and parsed every field) instead of Strawberry's generic
    conversion, field by field and item by item, which cost more than everything else in the
    request together."""
    events = [
        logic.EventIn(e["type"], e["occurredAt"], e.get("insertId"), e.get("properties"))
        for e in value["events"]
    ]
    return cls(events=events, project_id=value.get("projectId"))


IngestTelemetryInput.__strawberry_definition__.from_input = _ingest_from_input  # type: ignore[attr-defined]


@strawberry.input
class TelemetryFilter:
    type: str | None = None
    from_: datetime | None = strawberry.field(default=None, name="from", description="Inclusive.")
    to: datetime | None = strawberry.field(default=None, description="Exclusive.")


@strawberry.type
class IngestTelemetryPayload(MutationPayload):
    batch_id: strawberry.ID | None = strawberry.field(
        default=None, description="Null when nothing was stored."
    )
    accepted: int = strawberry.field(
        default=0, description="Events stored, plus duplicates (accepted, not stored twice)."
    )
    duplicates: int = strawberry.field(
        default=0, description="Accepted events whose `insertId` was seen in the last 7 days."
    )
    refused: list[TelemetryRefusal] = strawberry.field(
        default_factory=list,
        description="Events not stored, by index.",
        metadata=cost_metadata(FieldCost(max_items=logic.MAX_BATCH, items_per_point=100)),
    )


@strawberry.type
class TelemetryQueries:
    @query_field(
        scope=Scope.TELEMETRY_READ,
        description="Stored telemetry events, newest first.",
    )
    async def telemetry_events(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: TelemetryFilter | None = None,
    ) -> Connection[TelemetryEventType]:
        given = filter or TelemetryFilter()
        page = await logic.list_events(
            info.context,
            project_id,
            logic.TelemetryFilter(type=given.type, start=given.from_, end=given.to),
            first,
            after,
        )
        return Connection.from_page(page, TelemetryEventType.from_row)

    @query_field(
        scope=Scope.TELEMETRY_READ,
        description="Counts of telemetry events per type (the default), hour or day; `from` "
        "defaults to the start of the retention period, `to` to now. Hourly windows are at "
        "most 31 days.",
    )
    async def telemetry_stats(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        group_by: TelemetryGroupBy | None = None,  # type: ignore[valid-type]
    ) -> TelemetryStats:
        grouping = group_by or logic.GroupBy.TYPE
        found = await logic.stats(info.context, project_id, from_, to, grouping)
        return TelemetryStats(
            from_=found.start,
            to=found.end,
            group_by=found.group_by,
            total=BigInt(found.total),
            buckets=[TelemetryBucket(key=b.key, count=BigInt(b.count)) for b in found.buckets],
        )


@strawberry.type
class TelemetryMutations:
    @mutation_field(
        scope=Scope.TELEMETRY_WRITE,
        description="Store 1-500 telemetry events. Each is checked on its own: refused ones are "
        "listed with their index, the others stored; duplicates of an `insertId` seen in the "
        "last 7 days are accepted and not stored twice. A `telemetry.flushed` event follows "
        "each batch that stored something. Costs 10 write points plus one per "
        f"{EVENTS_PER_POINT} events (a full batch of {logic.MAX_BATCH}: "
        f"{10 + logic.MAX_BATCH // EVENTS_PER_POINT}).",
        cost=FieldCost(per_input_item=("input", "events"), items_per_point=EVENTS_PER_POINT),
    )
    async def ingest_telemetry(
        self, info: Info, input: IngestTelemetryInput
    ) -> IngestTelemetryPayload:
        result = await logic.ingest(
            info.context,
            input.project_id,
            [logic.EventIn(e.type, e.occurred_at, e.insert_id, e.properties) for e in input.events],
        )
        return IngestTelemetryPayload(
            batch_id=strawberry.ID(result.batch_id) if result.batch_id else None,
            accepted=result.accepted,
            duplicates=result.duplicates,
            refused=[
                TelemetryRefusal(index=r.index, field=r.field, code=r.code.value, message=r.message)
                for r in result.refused
            ],
        )


register_node(IdPrefix.TELEMETRY_EVENT, TelemetryEvent, TelemetryEventType, Scope.TELEMETRY_READ)

QUERIES: tuple[type, ...] = (TelemetryQueries,)
MUTATIONS: tuple[type, ...] = (TelemetryMutations,)
