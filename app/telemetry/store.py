"""Writing a telemetry batch: one statement for the rows, with ``insertId`` deduplication.

PostgreSQL: one statement does it all. The batch arrives as one array per column
(``unnest``), the insert ids are claimed in ``telemetry_insert_ids`` (a data-modifying CTE:
an id seen within the window is not claimed again) and only events whose id was claimed, or
that have none, are inserted; no ORM object is built per event. Two batches racing with the
same insert id serialise on its key, so exactly one of them stores the event.

SQLite (one writer at a time anyway): the same claim as one multi-row upsert, then one
multi-row insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.models import TelemetryEvent, TelemetryInsertId


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    type: str
    occurred_at: datetime
    insert_id: str | None
    properties: dict[str, Any]
    properties_json: str
    """``properties`` already encoded (the size check encoded it)."""


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    org_id: str
    project_id: str | None
    received_at: datetime
    dedupe_since: datetime
    """An insert id last seen before this counts as new."""
    rows: Sequence[Row]


_POSTGRES = text(
    """
WITH batch AS (
    SELECT * FROM unnest(
        CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:occurred AS timestamptz[]),
        CAST(:insert_ids AS text[]), CAST(:properties AS text[])
    ) AS b(id, type, occurred_at, insert_id, properties)
), claimed AS (
    INSERT INTO telemetry_insert_ids (org_id, insert_id, seen_at)
    SELECT :org_id, insert_id, :received_at FROM batch WHERE insert_id IS NOT NULL
    ON CONFLICT (org_id, insert_id) DO UPDATE SET seen_at = excluded.seen_at
        WHERE telemetry_insert_ids.seen_at < :dedupe_since
    RETURNING insert_id
), stored AS (
    INSERT INTO telemetry_events
        (id, org_id, project_id, batch_id, type, occurred_at, received_at, insert_id, properties)
    SELECT id, :org_id, :project_id, :batch_id, type, occurred_at, :received_at, insert_id,
        properties::jsonb
    FROM batch
    WHERE insert_id IS NULL OR insert_id IN (SELECT insert_id FROM claimed)
    RETURNING 1
)
SELECT count(*) FROM stored
"""
)


async def store_batch(session: AsyncSession, batch: Batch, *, postgres: bool) -> int:
    """Insert the batch's rows (each ``insert_id`` at most once in ``rows``); returns how many
    were stored, the rest being duplicates of ids seen within the window."""
    if not batch.rows:
        return 0
    if postgres:
        return await _store_postgres(session, batch)
    return await _store_sqlite(session, batch)


async def _store_postgres(session: AsyncSession, batch: Batch) -> int:
    rows = batch.rows
    result = await session.execute(
        _POSTGRES,
        {
            "ids": [r.id for r in rows],
            "types": [r.type for r in rows],
            "occurred": [r.occurred_at for r in rows],
            "insert_ids": [r.insert_id for r in rows],
            "properties": [r.properties_json for r in rows],
            "org_id": batch.org_id,
            "project_id": batch.project_id,
            "batch_id": batch.id,
            "received_at": batch.received_at,
            "dedupe_since": batch.dedupe_since,
        },
    )
    return int(result.scalar_one())


async def _store_sqlite(session: AsyncSession, batch: Batch) -> int:
    wanted = [r.insert_id for r in batch.rows if r.insert_id is not None]
    claimed: set[str] = set()
    if wanted:
        rows = sqlite_insert(TelemetryInsertId).values(
            [
                {"org_id": batch.org_id, "insert_id": insert_id, "seen_at": batch.received_at}
                for insert_id in wanted
            ]
        )
        claim = rows.on_conflict_do_update(
            index_elements=["org_id", "insert_id"],
            set_={"seen_at": rows.excluded.seen_at},
            where=col(TelemetryInsertId.seen_at) < batch.dedupe_since,
        ).returning(col(TelemetryInsertId.insert_id))
        claimed = set((await session.execute(claim)).scalars())
    values = [
        {
            "id": r.id,
            "org_id": batch.org_id,
            "project_id": batch.project_id,
            "batch_id": batch.id,
            "type": r.type,
            "occurred_at": r.occurred_at,
            "received_at": batch.received_at,
            "insert_id": r.insert_id,
            "properties": r.properties,
        }
        for r in batch.rows
        if r.insert_id is None or r.insert_id in claimed
    ]
    if values:
        await session.execute(insert(TelemetryEvent), values)
    return len(values)
