from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, text
from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata
from app.models.columns import JSONType, StrEnumType, UTCDateTime


class AssetKind(StrEnum):
    """What an asset holds; exposed as the GraphQL enum ``AssetType``."""

    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    MODEL = "model"
    DOCUMENT = "document"
    OTHER = "other"


class AssetStatus(StrEnum):
    UPLOADING = "uploading"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class AssetReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Asset(Tenanted, WithMetadata, table=True):
    __tablename__ = "assets"
    __table_args__ = (
        Index(
            "ix_assets_processing",
            "lease_until",
            sqlite_where=text("status = 'processing'"),
            postgresql_where=text("status = 'processing'"),
        ),
        Index("ix_assets_project_external", "project_id", "external_id"),
        Index("ix_assets_project_sha256", "project_id", "sha256"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.ASSET), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    name: str = Field(max_length=200, nullable=False)
    type: AssetKind = Field(sa_type=StrEnumType(AssetKind), nullable=False)
    mime_type: str = Field(max_length=127, nullable=False)
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    """Terabyte-sized files overflow a 32-bit INTEGER on PostgreSQL."""
    sha256: str | None = Field(default=None, max_length=64)
    url: str | None = Field(default=None, max_length=2048)
    tags: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    status: AssetStatus = Field(
        default=AssetStatus.UPLOADING, sa_type=StrEnumType(AssetStatus), nullable=False
    )
    review_status: AssetReviewStatus = Field(
        default=AssetReviewStatus.PENDING, sa_type=StrEnumType(AssetReviewStatus), nullable=False
    )
    review_comment: str | None = Field(default=None, max_length=5000)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by: str | None = Field(default=None, max_length=40)
    job_id: str | None = Field(default=None, max_length=40, index=True)
    """The job whose output this is, when its render farm registered it."""
    storage_key: str | None = Field(default=None, max_length=300)
    """Where the uploaded file lives in object storage; None for registered (external) files."""
    upload_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    media: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    """What ffprobe read: width, height, duration, codec, fps."""
    failure_reason: str | None = Field(default=None, max_length=1000)
    processing_attempts: int = Field(default=0, nullable=False)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """A media worker holds the asset until then (see ``app.media.probe``)."""
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    """Deleted assets are invisible everywhere; their stored file is removed later."""
    object_removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    external_id: str | None = Field(default=None, max_length=100)
    """The id a content manifest gives the asset; manifests match their assets by it."""

    def snapshot(self) -> dict[str, Any]:
        """Event data leaves out where the file is stored and the workers' bookkeeping."""
        data = super().snapshot()
        for name in INTERNAL_FIELDS:
            data.pop(name, None)
        return data


INTERNAL_FIELDS = frozenset(
    {"storage_key", "lease_until", "processing_attempts", "object_removed_at"}
)
