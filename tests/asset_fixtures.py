"""Helpers for the asset tests: creating projects and assets over either transport, reading
events. Fields are given and read in REST names (``mime_type``, ``review_status``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.models import ApiKey, Event
from tests.api_client import Api
from tests.conftest import Tenant

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

PLATE = {"name": "Plate", "type": "image", "mime_type": "image/png"}
"""The fields an asset needs."""


async def make_project(api: Api, slug: str = "assets-home") -> str:
    project_id: str = (await api.create("projects", {"slug": slug, "name": slug})).ok()["id"]
    return project_id


async def make_asset(
    api: Api, project_id: str, *, token: str | None = None, **fields: Any
) -> dict[str, Any]:
    created = await api.create("assets", {**PLATE, **fields}, parent=project_id, token=token)
    asset: dict[str, Any] = created.ok()
    assert asset.pop("upload") is None, "registered without a size: not an upload"
    return asset


async def read(api: Api, asset_id: str, *, token: str | None = None) -> dict[str, Any] | None:
    """The asset, or None when the key cannot see it."""
    outcome = await api.get("assets", asset_id, token=token)
    if outcome.error == "NOT_FOUND":
        return None
    asset: dict[str, Any] = outcome.ok()
    return asset


async def list_ids(api: Api, *, token: str | None = None, **params: Any) -> list[str]:
    return (await api.list("assets", token=token, limit=100, **params)).ids


async def events_of(tenant: Tenant, aggregate_id: str) -> list[tuple[str, int, dict[str, Any]]]:
    """``(type, sequence, data)`` of one aggregate's outbox rows, in sequence order."""
    async with tenant.services.db.reading() as session:
        rows = (
            await session.execute(
                select(Event)
                .where(col(Event.aggregate_id) == aggregate_id)
                .order_by(col(Event.sequence))
            )
        ).scalars()
        return [(e.type, e.sequence, e.data) for e in rows]


async def admin_key_id(tenant: Tenant) -> str:
    async with tenant.services.db.reading() as session:
        key_id: str = (
            await session.execute(
                select(col(ApiKey.id)).where(
                    col(ApiKey.org_id) == tenant.org_id, col(ApiKey.name) == "admin"
                )
            )
        ).scalar_one()
    return key_id
