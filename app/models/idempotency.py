"""Idempotency keys: one row per organisation and key, claimed when the first request starts
executing and completed, in that request's own transaction, with the answer to replay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.columns import JSONType, UTCDateTime


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_expires", "expires_at"),)

    org_id: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=255)
    fingerprint: str = Field(max_length=64, nullable=False)
    """SHA-256 of what the request asked for; a repeat asking for anything else is refused."""
    claim: str = Field(max_length=40, nullable=False)
    """The request id of the request running (or that ran) it: completing checks it, so a
    request whose stale claim was taken over can never store its answer."""
    claimed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: int | None = None
    """None while the first request runs."""
    headers: list[list[str]] | None = Field(default=None, sa_type=JSONType)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
