from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index
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
    external_id: str | None = Field(default=None, max_length=100)
    """The id a content manifest gives the asset; manifests match their assets by it."""
