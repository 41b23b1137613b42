"""One write transaction per mutation, with its outbox events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Event
from app.models.base import Versioned
from app.outbox import record, record_event
from resolvers.context import Context


@dataclass
class UnitOfWork:
    ctx: Context
    session: AsyncSession
    events: list[Event] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.session.add(row)

    def emit(
        self,
        aggregate: Versioned,
        verb: str,
        *,
        data: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """``data`` replaces the row's snapshot as the payload; ``extra`` adds to it (facts kept
        outside the row, such as a segment's character ids)."""
        if data is None and extra:
            data = {**aggregate.snapshot(), **extra}
        self.events.append(record_event(self.session, aggregate, verb, data=data))

    def emit_about(
        self,
        aggregate_type: str,
        aggregate_id: str,
        verb: str,
        *,
        project_id: str | None,
        data: dict[str, Any],
    ) -> None:
        """An event about something that is not a row (``telemetry.flushed`` of a batch): the
        aggregate has this one event, so its sequence is 1."""
        event = record(
            self.session,
            org_id=self.ctx.org_id,
            project_id=project_id,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            verb=verb,
            sequence=1,
            data=data,
        )
        self.events.append(event)

    def changed(
        self, aggregate: Versioned, verb: str = "updated", *, extra: dict[str, Any] | None = None
    ) -> None:
        """Bump the aggregate's version and record the event that carries it."""
        aggregate.touch()
        self.session.add(aggregate)
        self.emit(aggregate, verb, extra=extra)

    async def delete(self, aggregate: Versioned, *, extra: dict[str, Any] | None = None) -> None:
        aggregate.touch()
        self.emit(aggregate, "deleted", extra=extra)
        await self.session.delete(aggregate)


@asynccontextmanager
async def unit_of_work(ctx: Context) -> AsyncIterator[UnitOfWork]:
    async with ctx.db.writing() as session:
        uow = UnitOfWork(ctx, session)
        yield uow
        await session.flush()
    if "loaders" in ctx.__dict__:
        # Later fields of this request (the payload, the next mutation) must see the write.
        ctx.loaders.clear()
    if uow.events:
        ctx.db.committed("outbox")
