"""Automations of a project: a trigger, then actions in order; each firing is one run.

Secrets (the inbound webhook secret, the outbound signing secret) are stored sealed
(``SealedText``) and never appear in event data.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Column, ForeignKey, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from app.models.base import Tenanted
from app.models.columns import JSONType, SealedText, StrEnumType, UTCDateTime


class TriggerType(StrEnum):
    WEBHOOK = "webhook"
    SCHEDULE = "schedule"
    ASSET_READY = "asset_ready"
    MANUAL = "manual"
    """Only for runs: started by ``runAutomation`` (any automation can be run by hand)."""


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"
    """A render action waits for its job to finish."""
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.FAILED)


SECRET_FIELDS = frozenset({"inbound_secret", "previous_inbound_secret", "signing_secret"})


class Automation(Tenanted, table=True):
    __tablename__ = "automations"
    __table_args__ = (
        Index(
            "ix_automations_due",
            "next_run_at",
            sqlite_where=text("next_run_at IS NOT NULL"),
            postgresql_where=text("next_run_at IS NOT NULL"),
        ),
        Index("ix_automations_project_trigger", "project_id", "trigger_type"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.AUTOMATION), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)
    enabled: bool = Field(default=True, nullable=False)
    trigger_type: TriggerType = Field(sa_type=StrEnumType(TriggerType), nullable=False)
    trigger_config: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    actions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    endpoint_id: str | None = Field(default=None, max_length=40, unique=True)
    """The public inbound webhook id (``inb_…``) of a webhook trigger."""
    inbound_secret: str | None = Field(default=None, sa_type=SealedText)
    """Sealed at rest; None also when the stored value cannot be opened (see ``SealedText``)."""
    previous_inbound_secret: str | None = Field(default=None, sa_type=SealedText)
    """Still accepted until ``previous_inbound_secret_expires_at`` (a rotation's grace)."""
    previous_inbound_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signing_secret: str | None = Field(default=None, sa_type=SealedText, nullable=False)
    """Sealed at rest; None only when the stored value cannot be opened."""
    next_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    owner_key_id: str | None = Field(default=None, max_length=40)
    """The credential that last saved it (``app.auth.owners``): actions run with its current
    permissions."""
    owner_user_id: str | None = Field(default=None, max_length=40)
    """The user an OAuth access token acted for when it saved this."""
    owner_scopes: list[str] | None = Field(default=None, sa_type=JSONType)
    """What that access token was granted: actions never do more."""

    def snapshot(self) -> dict[str, Any]:
        data = super().snapshot()
        for name in SECRET_FIELDS:
            data.pop(name, None)
        return data


class AutomationRun(Tenanted, table=True):
    __tablename__ = "automation_runs"
    __event_prefix__: ClassVar[str] = "automation.run"
    __table_args__ = (
        UniqueConstraint("automation_id", "scheduled_for", name="uq_automation_runs_tick"),
        Index(
            "ix_automation_runs_due",
            "next_attempt_at",
            sqlite_where=text("status IN ('queued', 'running', 'waiting')"),
            postgresql_where=text("status IN ('queued', 'running', 'waiting')"),
        ),
        Index("ix_automation_runs_automation_created", "automation_id", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.AUTOMATION_RUN), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    automation_id: str = Field(
        sa_column=Column(
            String(40), ForeignKey("automations.id", ondelete="CASCADE"), nullable=False
        )
    )
    trigger_type: TriggerType = Field(sa_type=StrEnumType(TriggerType), nullable=False)
    trigger: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    """The run's input: what fired it (``{{trigger.…}}`` reads it)."""
    status: RunStatus = Field(
        default=RunStatus.QUEUED, sa_type=StrEnumType(RunStatus), nullable=False
    )
    steps: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    """One entry per action: status, attempts, output, error, startedAt, finishedAt."""
    current_step: int = Field(default=0, nullable=False)
    error: str | None = Field(default=None, max_length=5000)
    scheduled_for: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The cron tick of a scheduled run; unique per automation, so a tick runs once."""
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_token: str | None = Field(default=None, max_length=40)
    """Set by the worker holding the run; every write it makes checks it (a fencing token)."""
    waiting_job_id: str | None = Field(default=None, max_length=40)
    chain_depth: int = Field(default=0, nullable=False)
    """0, or one more than the run that rendered the asset whose readiness started this one."""
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InboundWebhookMessage(SQLModel, table=True):
    """An accepted inbound webhook: its id is accepted once per automation (replays are not),
    for as long as a replay could otherwise pass."""

    __tablename__ = "inbound_webhook_messages"
    __table_args__ = (
        UniqueConstraint("automation_id", "message_id", name="uq_inbound_messages_automation_id"),
        Index("ix_inbound_messages_keep_until", "keep_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organizations.id", index=True, nullable=False)
    automation_id: str = Field(
        sa_column=Column(
            String(40), ForeignKey("automations.id", ondelete="CASCADE"), nullable=False
        )
    )
    message_id: str = Field(max_length=200, nullable=False)
    run_id: str = Field(max_length=40, nullable=False)
    client_address: str | None = Field(default=None, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    keep_until: datetime = Field(sa_type=UTCDateTime, nullable=False)
    """Until then a replay must be recognised; afterwards the worker deletes the row (a
    Standard Webhooks replay is then refused by its timestamp)."""
