"""Helpers for the content suites: creating content over either transport, reading the outbox.

Fields are given and read in REST names (``duration_ms``, ``character_ids``); see
``tests/api_client.py``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.models import Event
from tests.api_client import Api


async def create_project(api: Api, slug: str) -> str:
    project = (await api.create("projects", {"slug": slug, "name": slug.title()})).ok()
    project_id: str = project["id"]
    return project_id


async def create_character(api: Api, project_id: str, name: str, **extra: Any) -> str:
    created = await api.create("characters", {"name": name, **extra}, parent=project_id)
    character_id: str = created.ok()["id"]
    return character_id


async def create_scene(api: Api, project_id: str, title: str, **extra: Any) -> dict[str, Any]:
    scene: dict[str, Any] = (
        await api.create("scenes", {"title": title, **extra}, parent=project_id)
    ).ok()
    return scene


async def create_segment(api: Api, scene_id: str, text: str, **extra: Any) -> dict[str, Any]:
    segment: dict[str, Any] = (
        await api.create("segments", {"text": text, **extra}, parent=scene_id)
    ).ok()
    return segment


async def scene_order(api: Api, project_id: str) -> list[tuple[str, int, int]]:
    """``(title, position, version)`` of the project's scenes, in list order."""
    scenes = (await api.list("scenes", parent=project_id, limit=100)).ok()
    return [(s["title"], s["position"], s["version"]) for s in scenes]


async def events_of(services: Any, aggregate_id: str) -> list[tuple[str, int]]:
    """``(type, sequence)`` of an aggregate's outbox events, in sequence order."""
    async with services.db.reading() as session:
        rows = (
            await session.execute(
                select(Event)
                .where(col(Event.aggregate_id) == aggregate_id)
                .order_by(col(Event.sequence))
            )
        ).scalars()
        return [(e.type, e.sequence) for e in rows]


async def event_data(services: Any, aggregate_id: str, sequence: int) -> dict[str, Any]:
    async with services.db.reading() as session:
        event = (
            await session.execute(
                select(Event).where(
                    col(Event.aggregate_id) == aggregate_id, col(Event.sequence) == sequence
                )
            )
        ).scalar_one()
        data: dict[str, Any] = event.data
        return data
