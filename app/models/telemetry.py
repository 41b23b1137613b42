"""Telemetry events, stored in bulk, and the insert ids seen recently (for deduplication).

Neither table has foreign keys: a batch of 500 rows would pay 500 (or 1,000) index probes for
them, and the rows are written only by ``app.telemetry.store``, which takes the organisation
and project from the authenticated request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.models.columns import JSONType, UTCDateTime


class TelemetryEvent(SQLModel, table=True):
    __tablename__ = "telemetry_events"
    __table_args__ = (
        # BRIN: a few pages of summaries for the whole table, nearly free to maintain on
        # append-mostly data; the time window of every telemetry query is its access path.
        # (SQLite has no BRIN and builds an ordinary index.)
        Index("ix_telemetry_events_occurred", "occurred_at", postgresql_using="brin"),
    )

    id: str = Field(primary_key=True, max_length=40)
    org_id: str = Field(max_length=40, nullable=False)
    project_id: str | None = Field(default=None, max_length=40)
    batch_id: str = Field(max_length=40, nullable=False)
    type: str = Field(max_length=64, nullable=False)
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    insert_id: str | None = Field(default=None, max_length=64)
    properties: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)


class TelemetryInsertId(SQLModel, table=True):
    """An ``insertId`` an organisation sent, and when; older than the dedupe window it counts
    as new again (and the retention sweep removes it)."""

    __tablename__ = "telemetry_insert_ids"
    __table_args__ = (Index("ix_telemetry_insert_ids_seen", "seen_at", postgresql_using="brin"),)

    org_id: str = Field(primary_key=True, max_length=40)
    insert_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
