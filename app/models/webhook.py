"""Webhook endpoints, one delivery per (endpoint, event), and every attempt to send it.

A delivery stays ``pending`` while it may still be sent (including while a sender holds it), so
the ordering rule — a delivery waits for earlier pending ones of the same aggregate on the same
endpoint — is a plain query over this table that any number of senders agree on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from app.models.base import Tenanted
from app.models.columns import JSONType, SealedText, StrEnumType, UTCDateTime

SECRET_FIELDS = frozenset({"secret", "previous_secret", "rate_next_at"})

PARKED = datetime(9999, 1, 1, tzinfo=UTC)
"""``next_attempt_at`` of a delivery waiting behind an earlier one of its aggregate (see
``app/events/chains.py``): never due until the one before it finishes."""


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DEAD = "dead"
    """Dead-lettered: the last attempt failed or the failure cannot be fixed by retrying."""


class WebhookEndpoint(Tenanted, table=True):
    __tablename__ = "webhook_endpoints"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.WEBHOOK_ENDPOINT), primary_key=True)
    url: str = Field(max_length=2000, nullable=False)
    description: str = Field(default="", max_length=1000, nullable=False)
    enabled: bool = Field(default=True, nullable=False)
    disabled_reason: str | None = Field(default=None, max_length=300)
    event_types: list[str] = Field(default_factory=lambda: ["*"], sa_type=JSONType, nullable=False)
    project_ids: list[str] | None = Field(default=None, sa_type=JSONType)
    event_version: int = Field(default=1, nullable=False)
    rate_limit: int | None = Field(default=None, description="deliveries per second")
    retry_schedule: list[float] | None = Field(default=None, sa_type=JSONType)
    subscription_query: str | None = Field(default=None, sa_type=Text)
    owner_key_id: str | None = Field(default=None, max_length=40)
    """The credential that last saved where it sends or what (``app.auth.owners``): the key,
    OAuth client or console user whose current rights every delivery is checked against."""
    owner_user_id: str | None = Field(default=None, max_length=40)
    """The user an OAuth access token acted for when it saved this."""
    owner_scopes: list[str] | None = Field(default=None, sa_type=JSONType)
    """What that access token was granted: deliveries never read beyond it."""
    secret: str | None = Field(default=None, sa_type=SealedText, nullable=False)
    """Sealed at rest; None only when the stored value cannot be opened (see ``SealedText``)."""
    previous_secret: str | None = Field(default=None, sa_type=SealedText)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rate_next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """Rate limiting (GCRA): the theoretical arrival time of the next allowed delivery."""

    def snapshot(self) -> dict[str, Any]:
        """Event data never carries signing secrets or sender bookkeeping."""
        data = super().snapshot()
        for name in SECRET_FIELDS:
            data.pop(name, None)
        return data


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_webhook_deliveries_chain",
            "endpoint_id",
            "aggregate_id",
            "sequence",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.DELIVERY), primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)
    endpoint_id: str = Field(
        sa_column=Column(
            String(40),
            ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    event_id: str | None = Field(default=None, foreign_key="events.id")
    message_id: str = Field(max_length=40, nullable=False, description="the webhook-id header")
    event_type: str = Field(max_length=64, nullable=False)
    aggregate_id: str | None = Field(default=None, max_length=40)
    sequence: int = Field(default=0, nullable=False)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_type=StrEnumType(DeliveryStatus), nullable=False
    )
    attempt_count: int = Field(default=0, nullable=False)
    retry_base: int = Field(
        default=0, nullable=False, description="attempt_count when this round of retries began"
    )
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    is_test: bool = Field(default=False, nullable=False)
    payload: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempts"
    __table_args__ = (
        UniqueConstraint("delivery_id", "attempt", name="uq_webhook_attempts_delivery_attempt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", nullable=False)
    delivery_id: str = Field(
        sa_column=Column(
            String(40),
            ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    attempt: int = Field(nullable=False)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    duration_ms: int = Field(default=0, nullable=False)
    status_code: int | None = Field(default=None)
    succeeded: bool = Field(default=False, nullable=False)
    response_excerpt: str | None = Field(default=None, max_length=1024)
    error: str | None = Field(default=None, max_length=500)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    request_headers: list[list[str]] | None = Field(default=None, sa_type=JSONType)
    """``[name, value]`` pairs as sent: what a person debugging the receiver compares with."""
    request_body: str | None = Field(default=None, sa_type=Text)
    """The first 4 KB of the body sent."""
    response_headers: list[list[str]] | None = Field(default=None, sa_type=JSONType)
