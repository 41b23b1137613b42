"""Manifest schemas (JSON Schemas an organisation registers) and the manifests checked by them.

A manifest row is a record of one submission: once stored it never changes, so resubmitting
the same (manifest id, version) can be compared with it byte for byte (``document_sha256``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from app.ids import IdPrefix, new_id
from app.models.base import Tenanted
from app.models.columns import JSONType, StrEnumType, UTCDateTime


class ManifestStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"


class ManifestSchema(Tenanted, table=True):
    """A JSON Schema (draft 2020-12) under a name and version; frozen once a manifest used it."""

    __tablename__ = "manifest_schemas"
    __table_args__ = (
        UniqueConstraint("org_id", "name", "schema_version", name="uq_manifest_schemas_name"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.MANIFEST_SCHEMA), primary_key=True)
    name: str = Field(max_length=64, nullable=False)
    schema_version: int = Field(nullable=False)
    description: str = Field(default="", max_length=2000, nullable=False)
    document: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the first manifest was checked against it; from then on it cannot change."""


class Manifest(Tenanted, table=True):
    __tablename__ = "manifests"
    __table_args__ = (
        UniqueConstraint("org_id", "manifest_id", "manifest_version", name="uq_manifests_key"),
        Index("ix_manifests_project_created", "project_id", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id(IdPrefix.MANIFEST), primary_key=True)
    project_id: str = Field(foreign_key="projects.id", index=True, nullable=False)
    manifest_id: str = Field(max_length=100, nullable=False)
    """The caller's id for the manifest; with ``manifest_version`` the idempotency key."""
    manifest_version: int = Field(nullable=False)
    schema_id: str = Field(max_length=40, nullable=False)
    """A ``manifest_schemas`` row, or a built-in schema (which has no row)."""
    schema_name: str = Field(max_length=64, nullable=False)
    schema_version: int = Field(nullable=False)
    status: ManifestStatus = Field(sa_type=StrEnumType(ManifestStatus), nullable=False)
    document: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    document_sha256: str = Field(max_length=64, nullable=False)
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    """``{pointer, code, message}`` per problem, at most ``MAX_REPORTED_ERRORS`` of them."""
    error_count: int = Field(default=0, nullable=False)
    assets: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    """``{external_id, asset_id, outcome}`` per listed asset of a valid manifest."""
