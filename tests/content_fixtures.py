"""Helpers for the content tests: mutations by name, creating content, reading the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.models import Event
from tests.conftest import Tenant

USER_ERRORS = "userErrors { field code message }"
SCENE_FIELDS = "id title position version projectId"
SEGMENT_FIELDS = "id sceneId position text durationMs version characterIds"


async def mutate(
    tenant: Tenant,
    name: str,
    input: dict[str, Any],
    selection: str,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    """Run ``name(input:)`` and return its payload (userErrors included)."""
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {USER_ERRORS} }} }}"
    payload: dict[str, Any] = (await tenant.gql(query, {"input": input}, token=token)).ok()[name]
    return payload


def error_codes(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def create_project(tenant: Tenant, slug: str) -> str:
    payload = await mutate(
        tenant, "createProject", {"slug": slug, "name": slug.title()}, "project { id }"
    )
    assert payload["userErrors"] == []
    project_id: str = payload["project"]["id"]
    return project_id


async def create_character(tenant: Tenant, project_id: str, name: str, **extra: Any) -> str:
    payload = await mutate(
        tenant,
        "createCharacter",
        {"projectId": project_id, "name": name, **extra},
        "character { id }",
    )
    assert payload["userErrors"] == [], payload
    character_id: str = payload["character"]["id"]
    return character_id


async def create_scene(tenant: Tenant, project_id: str, title: str, **extra: Any) -> dict[str, Any]:
    payload = await mutate(
        tenant,
        "createScene",
        {"projectId": project_id, "title": title, **extra},
        f"scene {{ {SCENE_FIELDS} }}",
    )
    assert payload["userErrors"] == [], payload
    scene: dict[str, Any] = payload["scene"]
    return scene


async def create_segment(tenant: Tenant, scene_id: str, text: str, **extra: Any) -> dict[str, Any]:
    payload = await mutate(
        tenant,
        "createSegment",
        {"sceneId": scene_id, "text": text, **extra},
        f"segment {{ {SEGMENT_FIELDS} }}",
    )
    assert payload["userErrors"] == [], payload
    segment: dict[str, Any] = payload["segment"]
    return segment


async def scene_order(tenant: Tenant, project_id: str) -> list[tuple[str, int, int]]:
    """``(title, position, version)`` of the project's scenes, in list order."""
    data = (
        await tenant.gql(
            "query($p: ID!) { scenes(projectId: $p, first: 100) { nodes { title position version } } }",
            {"p": project_id},
        )
    ).ok()
    return [(n["title"], n["position"], n["version"]) for n in data["scenes"]["nodes"]]


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
