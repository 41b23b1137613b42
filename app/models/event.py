"""The transactional outbox: one row per domain event, written in the change's transaction.

``dispatched_at`` is the dispatcher's durable progress: it is set in the same transaction that
creates the event's webhook deliveries, so a crashed dispatcher leaves the event to be picked up
again and never half-dispatched.

``position`` is the event's place in its organisation's stream, set with ``dispatched_at``:
1, 2, 3… with no gaps, and visible in that order (the dispatcher numbers an organisation's
events while holding that organisation's lock, until it commits). A subscriber that knows the
last position it saw therefore knows exactly what it missed: the stream cursor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from app.models.columns import JSONType, UTCDateTime


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("aggregate_id", "sequence", name="uq_events_aggregate_sequence"),
        Index("ix_events_org_occurred", "org_id", "occurred_at"),
        Index("ix_events_org_position", "org_id", "position", unique=True),
        Index(
            "ix_events_undispatched",
            "id",
            sqlite_where=text("dispatched_at IS NULL"),
            postgresql_where=text("dispatched_at IS NULL"),
        ),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.EVENT), primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)
    project_id: str | None = Field(default=None, index=True)
    type: str = Field(max_length=64, nullable=False, index=True)
    version: int = Field(default=1, nullable=False)
    aggregate_type: str = Field(max_length=32, nullable=False)
    aggregate_id: str = Field(max_length=40, nullable=False)
    sequence: int = Field(nullable=False)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    position: int | None = Field(default=None, sa_type=BigInteger)
    request_id: str | None = Field(default=None, max_length=40)
    """The ``req_…`` of the API call that caused the event (None: background work); webhook
    deliveries carry it as ``webhook-request-id``."""
