"""Per-aggregate delivery chains: what keeps one endpoint's events of one aggregate in order
without making senders scan everything that waits.

A chain is the pending deliveries of one aggregate to one endpoint. Only its head (lowest
sequence) may be sent; that rule is part of the claim query, so order never depends on what
follows. What follows is about cost: a delivery created behind a pending one is *parked*
(``next_attempt_at = PARKED``), so the claim query's scan of due deliveries never walks a long
backlog, and whoever finishes a head (succeeded or dead-lettered) unparks the next one. On
PostgreSQL the dispatcher (parking) and the recorder (unparking) take a transaction-scoped
advisory lock per chain, so a delivery parked behind a head that finishes at the same moment is
still unparked; a periodic sweep unparks any head left parked all the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, literal_column, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from app.models import WebhookDelivery
from app.models.webhook import PARKED

Chain = tuple[str, str]
DELIVERY_TABLE: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
"""The deliveries table, for Core statements run with many parameter sets at once."""

PENDING_SQL: ColumnElement[Any] = literal_column("'pending'")
"""Inline, so the planner can use the partial indexes on pending deliveries."""


def chain_key(chain: Chain) -> int:
    """A signed 64-bit advisory-lock key for a chain."""
    digest = hashlib.blake2b(f"{chain[0]}/{chain[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_chains(
    session: AsyncSession | AsyncConnection, chains: Iterable[Chain], *, postgres: bool
) -> None:
    """Serialise with every other transaction touching these chains (PostgreSQL; SQLite has
    one writer at a time anyway). Keys are taken in sorted order, so two never deadlock."""
    keys = sorted({chain_key(c) for c in chains})
    if postgres and keys:
        await session.execute(
            text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS t(k)"),
            {"keys": keys},
        )


def is_head() -> ColumnElement[bool]:
    """The claim query's ordering rule: no lower sequence of the chain is still pending."""
    d = WebhookDelivery
    earlier = aliased(WebhookDelivery)
    lowest = (
        select(func.min(col(earlier.sequence)))
        .where(
            col(earlier.endpoint_id) == col(d.endpoint_id),
            col(earlier.aggregate_id) == col(d.aggregate_id),
            col(earlier.status) == PENDING_SQL,
        )
        .scalar_subquery()
    )
    return or_(col(d.aggregate_id).is_(None), col(d.sequence) == lowest)


async def park_behind_pending(
    session: AsyncSession, rows: list[dict[str, Any]], *, postgres: bool
) -> None:
    """Mark new delivery rows that have an earlier pending delivery in their chain (already
    stored, or earlier in ``rows``) as parked."""
    lowest_new: dict[Chain, int] = {}
    for row in rows:
        if row["aggregate_id"] is not None:
            chain = (row["endpoint_id"], row["aggregate_id"])
            lowest_new[chain] = min(lowest_new.get(chain, row["sequence"]), row["sequence"])
    if not lowest_new:
        return
    await lock_chains(session, lowest_new, postgres=postgres)
    stored = await session.execute(
        select(
            col(WebhookDelivery.endpoint_id),
            col(WebhookDelivery.aggregate_id),
            func.min(col(WebhookDelivery.sequence)),
        )
        .where(
            col(WebhookDelivery.status) == PENDING_SQL,
            col(WebhookDelivery.endpoint_id).in_({c[0] for c in lowest_new}),
            col(WebhookDelivery.aggregate_id).in_({c[1] for c in lowest_new}),
        )
        .group_by(col(WebhookDelivery.endpoint_id), col(WebhookDelivery.aggregate_id))
    )
    lowest_stored: dict[Chain, int] = {(e, a or ""): s for e, a, s in stored.all()}
    for row in rows:
        if row["aggregate_id"] is None:
            continue
        chain = (row["endpoint_id"], row["aggregate_id"])
        behind_stored = lowest_stored.get(chain, row["sequence"]) < row["sequence"]
        if behind_stored or lowest_new[chain] < row["sequence"]:
            row["next_attempt_at"] = PARKED


_next_head = aliased(WebhookDelivery)
UNPARK_NEXT = (
    update(DELIVERY_TABLE)
    .where(
        DELIVERY_TABLE.c.next_attempt_at == PARKED,
        DELIVERY_TABLE.c.id
        == select(col(_next_head.id))
        .where(
            col(_next_head.endpoint_id) == bindparam("b_endpoint"),
            col(_next_head.aggregate_id) == bindparam("b_aggregate"),
            col(_next_head.status) == PENDING_SQL,
        )
        .order_by(col(_next_head.sequence))
        .limit(1)
        .scalar_subquery(),
    )
    .values(next_attempt_at=bindparam("b_now"))
)


async def unpark_next(
    session: AsyncSession | AsyncConnection,
    chains: Iterable[Chain],
    now: datetime,
    *,
    postgres: bool,
) -> None:
    """After heads finished: make each chain's new head due (the caller holds the chains)."""
    params = [{"b_endpoint": e, "b_aggregate": a, "b_now": now} for e, a in sorted(set(chains))]
    if params:
        await session.execute(UNPARK_NEXT, params)


async def unpark_stranded(session: AsyncSession, now: datetime) -> int:
    """Safety net: make due any parked delivery that is its chain's head."""
    earlier = aliased(WebhookDelivery)
    d = WebhookDelivery
    result = await session.execute(
        update(d)
        .where(
            col(d.next_attempt_at) == PARKED,
            col(d.status) == PENDING_SQL,
            ~select(col(earlier.id))
            .where(
                and_(
                    col(earlier.endpoint_id) == col(d.endpoint_id),
                    col(earlier.aggregate_id) == col(d.aggregate_id),
                    col(earlier.status) == PENDING_SQL,
                    col(earlier.sequence) < col(d.sequence),
                )
            )
            .exists(),
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
