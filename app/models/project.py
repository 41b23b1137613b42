from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata
from app.models.columns import JSONType, StrEnumType


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class Project(Tenanted, WithMetadata, table=True):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("org_id", "slug", name="uq_projects_org_slug"),)

    id: str = Field(default_factory=lambda: new_id(IdPrefix.PROJECT), primary_key=True)
    slug: str = Field(max_length=50, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)
    status: ProjectStatus = Field(
        default=ProjectStatus.ACTIVE, sa_type=StrEnumType(ProjectStatus), nullable=False
    )
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    render_quota: int | None = Field(
        default=None, description="render jobs allowed; None: unlimited"
    )
    render_usage: int = Field(default=0, nullable=False)
