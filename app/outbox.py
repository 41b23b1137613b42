"""Writing domain events into the outbox table inside the caller's transaction.

A change and its event commit or roll back together; nothing is published here. Each event
keeps the request id of the call that caused it (``app.correlation``). Delivery
(subscriptions, webhooks) reads committed rows later, so a crash can delay but never lose one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.correlation import current_request_id
from app.models import Event
from app.models.base import Versioned

EVENT_SCHEMA_VERSION = 1


def aggregate_type_of(aggregate: Versioned) -> str:
    """``projects`` table → ``project``; the event type's first half."""
    table: str = type(aggregate).__tablename__  # type: ignore[assignment]
    return table.removesuffix("s")


def record_event(
    session: AsyncSession,
    aggregate: Versioned,
    verb: str,
    *,
    data: dict[str, Any] | None = None,
    sequence: int | None = None,
) -> Event:
    """Add ``<aggregate>.<verb>`` for ``aggregate`` at its current version (a model may name
    its events differently from its table with ``__event_prefix__``: ``automation.run``)."""
    kind = aggregate_type_of(aggregate)
    return record(
        session,
        type_prefix=getattr(type(aggregate), "__event_prefix__", kind),
        org_id=getattr(aggregate, "org_id"),  # noqa: B009
        project_id=getattr(aggregate, "project_id", None)
        or (
            aggregate.id if kind == "project" else None  # type: ignore[attr-defined]
        ),
        aggregate_type=kind,
        aggregate_id=aggregate.id,  # type: ignore[attr-defined]
        verb=verb,
        sequence=sequence if sequence is not None else aggregate.version,
        data=data if data is not None else aggregate.snapshot(),
    )


def record(
    session: AsyncSession,
    *,
    org_id: str,
    project_id: str | None,
    aggregate_type: str,
    aggregate_id: str,
    verb: str,
    sequence: int,
    data: dict[str, Any],
    type_prefix: str | None = None,
) -> Event:
    """Add ``<aggregate_type>.<verb>`` (or ``<type_prefix>.<verb>``): also for aggregates that
    are not rows (a telemetry batch)."""
    event = Event(
        org_id=org_id,
        project_id=project_id,
        type=f"{type_prefix or aggregate_type}.{verb}",
        version=EVENT_SCHEMA_VERSION,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        sequence=sequence,
        data=data,
        request_id=current_request_id(),
    )
    session.add(event)
    return event
