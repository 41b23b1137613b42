"""Characters, scenes and their ordered segments."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata


class Character(Tenanted, WithMetadata, table=True):
    __tablename__ = "characters"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.CHARACTER), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)


class Scene(Tenanted, WithMetadata, table=True):
    __tablename__ = "scenes"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.SCENE), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    title: str = Field(max_length=200, nullable=False)
    description: str = Field(default="", max_length=5000, nullable=False)
    position: int = Field(default=0, nullable=False)


class Segment(Tenanted, WithMetadata, table=True):
    __tablename__ = "segments"

    id: str = Field(default_factory=lambda: new_id(IdPrefix.SEGMENT), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    scene_id: str = Field(foreign_key="scenes.id", index=True, nullable=False)
    position: int = Field(default=0, nullable=False)
    text: str = Field(default="", max_length=10000, nullable=False)
    duration_ms: int | None = Field(default=None)


class SegmentCharacter(SQLModel, table=True):
    __tablename__ = "segment_characters"

    segment_id: str = Field(foreign_key="segments.id", primary_key=True, ondelete="CASCADE")
    character_id: str = Field(
        foreign_key="characters.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    position: int = Field(default=0, nullable=False)
