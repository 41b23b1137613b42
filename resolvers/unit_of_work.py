"""One write transaction per mutation, with its outbox events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Event
from app.models.base import Versioned
from app.outbox import record_event
from resolvers.context import Context


@dataclass
class UnitOfWork:
    ctx: Context
    session: AsyncSession
    events: list[Event] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.session.add(row)

    def emit(self, aggregate: Versioned, verb: str, *, data: dict[str, Any] | None = None) -> None:
        self.events.append(record_event(self.session, aggregate, verb, data=data))

    def changed(self, aggregate: Versioned, verb: str = "updated") -> None:
        """Bump the aggregate's version and record the event that carries it."""
        aggregate.touch()
        self.session.add(aggregate)
        self.emit(aggregate, verb)

    async def delete(self, aggregate: Versioned) -> None:
        aggregate.touch()
        self.emit(aggregate, "deleted")
        await self.session.delete(aggregate)


@asynccontextmanager
async def unit_of_work(ctx: Context) -> AsyncIterator[UnitOfWork]:
    async with ctx.db.writing() as session:
        uow = UnitOfWork(ctx, session)
        yield uow
        await session.flush()
    if uow.events:
        ctx.db.committed("outbox")
