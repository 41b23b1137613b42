"""The audit trail: one row per call (HTTP request, WebSocket connection, subscription).

No foreign keys: records are written in batches off the request path and must outlive what
they name (a deleted key, a removed organisation); they only ever reference ids. The indexes
serve the ``auditLog`` filters, all of which lead with the organisation and end with the
newest-first keyset order ``(occurred_at, id)``: a filter on one credential and a time range
walks one index range, whatever the table's size.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.columns import JSONType, StrEnumType, UTCDateTime


class Transport(StrEnum):
    """How a call arrived."""

    GRAPHQL = "graphql"
    REST = "rest"
    WEBSOCKET = "websocket"
    OAUTH = "oauth"
    CONSOLE = "console"
    WEBHOOK = "webhook"
    """Inbound webhooks (signed by the sender, no credential of ours)."""
    HTTP = "http"
    """Anything else: signed storage URLs, unknown paths."""


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_records"
    __table_args__ = (
        Index("ix_audit_org_time", "org_id", "occurred_at", "id"),
        Index("ix_audit_org_credential_time", "org_id", "credential_id", "occurred_at", "id"),
        Index("ix_audit_org_user_time", "org_id", "user_id", "occurred_at", "id"),
        Index("ix_audit_org_request", "org_id", "request_id"),
        Index("ix_audit_org_correlation", "org_id", "correlation_id"),
        # Retention deletes by age across organisations.
        Index("ix_audit_occurred", "occurred_at"),
    )

    id: str = Field(primary_key=True, max_length=40)
    request_id: str = Field(max_length=40, nullable=False)
    correlation_id: str | None = Field(default=None, max_length=128)
    traceparent: str | None = Field(default=None, max_length=128)
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    org_id: str | None = Field(default=None, max_length=40)
    credential_id: str | None = Field(default=None, max_length=40)
    """What made the call: the key, the OAuth client, or the user of a console session."""
    key_id: str | None = Field(default=None, max_length=40)
    client_id: str | None = Field(default=None, max_length=40)
    user_id: str | None = Field(default=None, max_length=40)
    project_id: str | None = Field(default=None, max_length=40)
    """The project the call addressed, when its arguments name one: what a credential limited
    to projects may see of the trail."""
    client_ip: str | None = Field(default=None, max_length=64)
    transport: Transport = Field(sa_type=StrEnumType(Transport), nullable=False)
    method: str | None = Field(default=None, max_length=16)
    path: str = Field(max_length=512, nullable=False)
    operation_type: str | None = Field(default=None, max_length=16)
    operation_name: str | None = Field(default=None, max_length=128)
    operation: str | None = Field(default=None, max_length=128)
    root_fields: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    arguments: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    status: int = Field(nullable=False)
    error_codes: str = Field(default="", max_length=512, nullable=False)
    """Comma-separated contract codes, with a comma on each side (``,NOT_FOUND,``) so that a
    filter on one code is a plain ``LIKE`` on both backends."""
    cost: int | None = Field(default=None)
    duration_ms: float = Field(nullable=False)
