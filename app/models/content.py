"""Characters, scenes and their ordered segments."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted, WithMetadata


class Character(Tenanted, WithMetadata, table=True):
    __tablename__ = "characters"
    __table_args__ = (Index("ix_characters_project_name", "project_id", "name"),)

    id: str = Field(default_factory=lambda: new_id(IdPrefix.CHARACTER), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)


class Scene(Tenanted, WithMetadata, table=True):
    """``position`` is the scene's index in its project: 0..n-1, kept dense by every write."""

    __tablename__ = "scenes"
    __table_args__ = (Index("ix_scenes_project_position", "project_id", "position"),)

    id: str = Field(default_factory=lambda: new_id(IdPrefix.SCENE), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    title: str = Field(max_length=200, nullable=False)
    description: str = Field(default="", max_length=5000, nullable=False)
    position: int = Field(default=0, nullable=False)


class Segment(Tenanted, WithMetadata, table=True):
    """``position`` is the segment's index in its scene: 0..n-1, kept dense by every write."""

    __tablename__ = "segments"
    __table_args__ = (Index("ix_segments_scene_position", "scene_id", "position"),)

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
