"""The dispatcher: committed events → webhook deliveries and the subscriber bus.

Each batch is one transaction that claims undispatched events (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so dispatchers in any number of processes share the work), creates one delivery per
matching endpoint and marks the events dispatched, numbering each organisation's events in its
stream (``Event.position``). Subscribers hear of the batch after it committed; the webhook
senders are woken then too.

Positions are dense and become visible in order: a dispatcher numbers an organisation's events
after taking that organisation's lock (a PostgreSQL transaction-level advisory lock, taken in
organisation order so dispatchers never wait on each other in a circle; SQLite serialises
write transactions anyway) and holds it until it commits, so the next dispatcher reads the
highest position only once the previous one's are visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.clock import utcnow
from app.database import Database
from app.events.bus import DELIVERIES, OUTBOX, EventBus
from app.events.chains import DELIVERY_TABLE, park_behind_pending
from app.events.patterns import matches_any
from app.events.records import EventRecord
from app.ids import IdPrefix, new_id
from app.models import Event, WebhookEndpoint

logger = logging.getLogger("reelhouse.events")


def endpoint_wants(endpoint: WebhookEndpoint, event: Event) -> bool:
    if not endpoint.enabled or not matches_any(endpoint.event_types, event.type):
        return False
    return endpoint.project_ids is None or event.project_id in endpoint.project_ids


def delivery_row(endpoint: WebhookEndpoint, event: Event, **extra: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": new_id(IdPrefix.DELIVERY),
        "org_id": event.org_id,
        "endpoint_id": endpoint.id,
        "event_id": event.id,
        "message_id": event.id,
        "event_type": event.type,
        "aggregate_id": event.aggregate_id,
        "sequence": event.sequence,
        "status": "pending",
        "attempt_count": 0,
        "retry_base": 0,
        "next_attempt_at": now,
        "is_test": False,
        "created_at": now,
        "updated_at": now,
        **extra,
    }


def stream_order(events: list[Event]) -> list[Event]:
    """Creation order, except that one aggregate's events always follow its sequence."""
    ordered = sorted(events, key=lambda e: e.id)
    slots: dict[str, list[int]] = defaultdict(list)
    for index, event in enumerate(ordered):
        slots[event.aggregate_id].append(index)
    result = list(ordered)
    for indices in slots.values():
        in_sequence = sorted((ordered[i] for i in indices), key=lambda e: e.sequence)
        for index, event in zip(indices, in_sequence, strict=True):
            result[index] = event
    return result


async def insert_deliveries(
    session: AsyncSession, db: Database, rows: list[dict[str, Any]]
) -> list[str]:
    """Insert, skipping (endpoint, event) pairs that already have a delivery; returns the ids
    of the new ones. One Core statement run with many parameter sets: SQLAlchemy batches them
    into multi-row ``VALUES`` itself, where a ``.values(rows)`` statement went through the
    ORM and was compiled afresh for every batch."""
    if not rows:
        return []
    stmt = (
        db.insert(DELIVERY_TABLE)
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
        .returning(DELIVERY_TABLE.c.id)
    )
    connection = await session.connection()
    return [r[0] for r in (await connection.execute(stmt, rows)).all()]


class Dispatcher:
    def __init__(self, db: Database, bus: EventBus, *, batch_size: int, poll_seconds: float):
        self.db = db
        self.bus = bus
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.stopping = False

    async def dispatch_once(self) -> int:
        """Dispatch one batch; returns how many events it held."""
        async with self.db.writing() as session:
            events = list(
                (
                    await session.execute(
                        select(Event)
                        .where(col(Event.dispatched_at).is_(None))
                        .order_by(col(Event.id))
                        .limit(self.batch_size)
                        .with_for_update(skip_locked=True)
                    )
                ).scalars()
            )
            if not events:
                return 0
            endpoints: dict[str, list[WebhookEndpoint]] = defaultdict(list)
            for endpoint in (
                await session.execute(
                    select(WebhookEndpoint).where(
                        col(WebhookEndpoint.org_id).in_({e.org_id for e in events}),
                        col(WebhookEndpoint.enabled).is_(True),
                    )
                )
            ).scalars():
                endpoints[endpoint.org_id].append(endpoint)
            rows = [
                delivery_row(endpoint, event)
                for event in events
                for endpoint in endpoints.get(event.org_id, ())
                if endpoint_wants(endpoint, event)
            ]
            await park_behind_pending(session, rows, postgres=self.db.is_postgres)
            created = await insert_deliveries(session, self.db, rows)
            numbered = await self._number(session, events)
        if created:
            self.bus.notify(DELIVERIES)
        await self.bus.publish([EventRecord.of(e) for e in numbered])
        return len(events)

    async def _number(self, session: AsyncSession, events: list[Event]) -> list[Event]:
        """Mark ``events`` dispatched with their stream positions; returns them in stream
        order. The last statements of the transaction, so the locks are held briefly."""
        now = utcnow()
        by_org: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            by_org[event.org_id].append(event)
        numbered: list[Event] = []
        for org_id in sorted(by_org):
            if self.db.is_postgres:
                key = func.hashtextextended(f"reelhouse:event-stream:{org_id}", 0)
                await session.execute(select(func.pg_advisory_xact_lock(key)))
            head = (
                await session.execute(
                    select(func.max(col(Event.position))).where(col(Event.org_id) == org_id)
                )
            ).scalar()
            for offset, event in enumerate(stream_order(by_org[org_id]), start=1):
                event.position = (head or 0) + offset
                event.dispatched_at = now
                numbered.append(event)
        await session.flush()
        return numbered

    def stop(self) -> None:
        """Finish the batch in hand, then return from ``run`` (never stopped mid-transaction);
        heard even before ``run`` starts."""
        self.stopping = True
        self.bus.signal(OUTBOX).set()

    async def run(self) -> None:
        signal = self.bus.signal(OUTBOX)
        while not self.stopping:
            signal.clear()
            try:
                count = await self.dispatch_once()
            except Exception:
                logger.exception("dispatching events failed; retrying")
                count = 0
                await asyncio.sleep(self.poll_seconds)
            if count < self.batch_size and not self.stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(signal.wait(), self.poll_seconds)
