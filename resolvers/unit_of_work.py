"""One write transaction per mutation, with its outbox events.

A unique constraint that an input field must satisfy is checked before writing
(``writes.ensure_unique``), and guarded here too: a concurrent write can still take the value
between the check and the insert, and then the constraint's violation is reported against the
same field (``TAKEN``), never as a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.database_errors import ViolationKind, violation_of
from app.errors import FieldError
from app.models import Event
from app.models.base import Versioned
from app.outbox import record, record_event
from resolvers.context import Context
from resolvers.validation import InputErrors


@dataclass(frozen=True, slots=True)
class UniqueGuard:
    table: Table
    columns: frozenset[str]
    error: FieldError


@dataclass
class UnitOfWork:
    ctx: Context
    session: AsyncSession
    events: list[Event] = field(default_factory=list)
    guards: list[UniqueGuard] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.session.add(row)

    def guard_unique(self, table: Table, columns: frozenset[str], error: FieldError) -> None:
        """Report ``error`` if this transaction breaks a unique constraint on ``columns``."""
        self.guards.append(UniqueGuard(table, columns, error))

    def taken(self, error: IntegrityError) -> InputErrors | None:
        violation = violation_of(error)
        if violation.kind is not ViolationKind.UNIQUE:
            return None
        for guard in self.guards:
            if violation.table not in (None, guard.table.name):
                continue
            named = _constraint_columns(guard.table, violation.constraint)
            if guard.columns in (named, frozenset(violation.columns)):
                return InputErrors([guard.error])
        return None

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
        try:
            yield uow
            await session.flush()
        except IntegrityError as error:
            taken = uow.taken(error)
            if taken is None:
                raise
            raise taken from None
    if "loaders" in ctx.__dict__:
        # Later fields of this request (the payload, the next mutation) must see the write.
        ctx.loaders.clear()
    if uow.events:
        ctx.db.committed("outbox")


def _constraint_columns(table: Table, name: str | None) -> frozenset[str]:
    """The columns of ``table``'s unique constraint ``name`` (PostgreSQL names the constraint,
    SQLite the columns)."""
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and name and constraint.name == name:
            return frozenset(column.name for column in constraint.columns)
    return frozenset()
