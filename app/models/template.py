from __future__ import annotations

from typing import Any

from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata
from app.models.columns import JSONType


class Template(Tenanted, WithMetadata, table=True):
    """A style with ``{{var}}`` placeholders and the variables a job fills them with."""

    __tablename__ = "templates"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.TEMPLATE), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)
    style: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    variables: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, nullable=False)
