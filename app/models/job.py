"""Generation and render jobs: submitted by partners, claimed and run by render farms."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata
from app.models.columns import JSONType, StrEnumType, UTCDateTime


class JobKind(StrEnum):
    GENERATE = "generate"
    RENDER = "render"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}


class Job(Tenanted, WithMetadata, table=True):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claim", "org_id", "status", "kind", "created_at"),)

    id: str = Field(default_factory=lambda: new_id(IdPrefix.JOB), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    kind: JobKind = Field(sa_type=StrEnumType(JobKind), nullable=False)
    status: JobStatus = Field(
        default=JobStatus.QUEUED, sa_type=StrEnumType(JobStatus), nullable=False
    )
    input: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    template_id: str | None = Field(
        default=None, foreign_key="templates.id", index=True, ondelete="SET NULL"
    )
    """Set to null when a finished job's template is deleted; the job keeps its
    ``variables`` and ``resolved_style``, so nothing it ran with is lost."""
    variables: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    resolved_style: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    progress: int = Field(default=0, nullable=False)
    progress_message: str | None = Field(default=None, max_length=500)
    output_asset_id: str | None = Field(default=None, foreign_key="assets.id")
    automation_run_id: str | None = Field(default=None, max_length=40)
    """The automation run whose render action submitted the job (where its output came from)."""
    error: str | None = Field(default=None, max_length=5000)
    claimed_by: str | None = Field(default=None, max_length=40)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
