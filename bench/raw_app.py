"""The raw ceiling: bare Starlette + asyncpg + orjson doing the same work as each API row.

What the hardware and the driver allow for each read and write the API rows make, with nothing
in between: no authentication, no GraphQL, no ORM, one pool of prepared statements. The SQL
lives here and the bare Strawberry peer (``bench.strawberry_app``) runs the same statements, so
the three columns of a row differ only by what sits above the driver.

Served by the harness like the API (uvicorn, one worker). ``REELHOUSE_BENCH_DATABASE_URL`` is
the bench database, ``REELHOUSE_BENCH_ORG_ID`` the organisation the seed belongs to (single
tenant: the peers have no authentication). ``GET /json`` answers a constant: the framework alone.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.clock import isoformat, utcnow
from app.ids import IdPrefix, new_id

PROJECT_BY_ID = (
    "SELECT id, slug, name, status, render_quota, created_at, updated_at "
    "FROM projects WHERE id = $1 AND org_id = $2"
)
PROJECTS_PAGE = {
    direction: "SELECT id, slug, name FROM projects WHERE org_id = $1 "
    f"ORDER BY created_at {direction}, id {direction} LIMIT $2"
    for direction in ("ASC", "DESC")
}
"""Oldest first (``ASC``) is the nested rows' order: the projects the write rows create meanwhile
are the newest, and have no content."""
CHARACTERS_OF = (
    "SELECT id, project_id, name FROM characters WHERE project_id = ANY($1::text[]) "
    "ORDER BY name, id"
)
SCENES_OF = (
    "SELECT id, project_id, title, position FROM scenes WHERE project_id = ANY($1::text[]) "
    "ORDER BY position, id"
)
SEGMENTS_OF = (
    "SELECT id, scene_id, position, text, duration_ms FROM segments "
    "WHERE scene_id = ANY($1::text[]) ORDER BY position, id"
)
SEGMENT_CHARACTERS_OF = (
    "SELECT sc.segment_id, c.id, c.name FROM segment_characters sc "
    "JOIN characters c ON c.id = sc.character_id WHERE sc.segment_id = ANY($1::text[]) "
    "ORDER BY sc.position, c.id"
)
SLUG_TAKEN = "SELECT 1 FROM projects WHERE org_id = $1 AND slug = $2"
INSERT_PROJECT = (
    "INSERT INTO projects (id, org_id, slug, name, description, status, settings, metadata, "
    "render_usage, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, '', 'active', $5::jsonb, '{}'::jsonb, 0, 1, $6, $6)"
)
INSERT_EVENT = (
    "INSERT INTO events (id, org_id, project_id, type, version, aggregate_type, aggregate_id, "
    "sequence, occurred_at, data) VALUES ($1, $2, $3, 'project.created', 1, 'project', $3, 1, "
    "$4, $5::jsonb)"
)

POOL_SIZE = 10
"""As many connections as the API's pool keeps (``app.database``), opened as needed."""


def database_url() -> str:
    url = os.environ["REELHOUSE_BENCH_DATABASE_URL"]
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def org_id() -> str:
    return os.environ["REELHOUSE_BENCH_ORG_ID"]


async def create_pool() -> asyncpg.Pool:
    pool = await asyncpg.create_pool(database_url(), min_size=1, max_size=POOL_SIZE)
    assert pool is not None
    return pool


def project_json(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "status": str(row["status"]).upper(),
        "renderQuota": row["render_quota"],
        "createdAt": isoformat(row["created_at"]),
        "updatedAt": isoformat(row["updated_at"]),
    }


def grouped(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, list[Mapping[str, Any]]]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


async def nested_projects(connection: asyncpg.Connection, first: int) -> dict[str, Any]:
    """The nested row's document by hand: a page of projects (oldest first), their cast and
    scenes, the scenes' segments and the segments' characters, in five statements."""
    page = await connection.fetch(PROJECTS_PAGE["ASC"], org_id(), first + 1)
    projects, more = page[:first], len(page) > first
    ids = [p["id"] for p in projects]
    cast = grouped(await connection.fetch(CHARACTERS_OF, ids), "project_id")
    scenes = grouped(await connection.fetch(SCENES_OF, ids), "project_id")
    scene_ids = [s["id"] for group in scenes.values() for s in group]
    segments = grouped(await connection.fetch(SEGMENTS_OF, scene_ids), "scene_id")
    segment_ids = [s["id"] for group in segments.values() for s in group]
    voices = grouped(await connection.fetch(SEGMENT_CHARACTERS_OF, segment_ids), "segment_id")
    nodes = [
        {
            "id": p["id"],
            "slug": p["slug"],
            "name": p["name"],
            "characters": [{"id": c["id"], "name": c["name"]} for c in cast[p["id"]]],
            "scenes": [
                {
                    "id": s["id"],
                    "title": s["title"],
                    "position": s["position"],
                    "segments": [
                        {
                            "id": g["id"],
                            "position": g["position"],
                            "text": g["text"],
                            "durationMs": g["duration_ms"],
                            "characters": [
                                {"id": v["id"], "name": v["name"]} for v in voices[g["id"]]
                            ],
                        }
                        for g in segments[s["id"]]
                    ],
                }
                for s in scenes[p["id"]]
            ],
        }
        for p in projects
    ]
    end = ids[-1] if ids else None
    return {"nodes": nodes, "pageInfo": {"hasNextPage": more, "endCursor": end}}


async def create_project(
    connection: asyncpg.Connection, slug: str, name: str, settings: dict[str, Any]
) -> dict[str, Any] | None:
    """A project and its outbox event in one transaction; None when the slug is taken."""
    project_id = new_id(IdPrefix.PROJECT)
    now: datetime = utcnow()
    org = org_id()
    async with connection.transaction():
        if await connection.fetchval(SLUG_TAKEN, org, slug):
            return None
        await connection.execute(
            INSERT_PROJECT, project_id, org, slug, name, orjson.dumps(settings).decode(), now
        )
        snapshot = {"id": project_id, "org_id": org, "slug": slug, "name": name}
        await connection.execute(
            INSERT_EVENT,
            new_id(IdPrefix.EVENT),
            org,
            project_id,
            now,
            orjson.dumps(snapshot).decode(),
        )
    return {"id": project_id, "slug": slug}


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


PAYLOAD = {
    "data": {
        "project": {
            "id": "prj_01JBENCH000000000000000000",
            "slug": "bench-project",
            "name": "Bench project",
            "status": "ACTIVE",
        }
    }
}


async def constant(_request: Request) -> Response:
    return JSON(PAYLOAD)


async def project(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection:
        row = await connection.fetchrow(PROJECT_BY_ID, request.path_params["id"], org_id())
    return JSON({"data": {"project": project_json(row) if row else None}})


async def projects(request: Request) -> Response:
    first = int(request.query_params.get("first", "10"))
    async with request.app.state.pool.acquire() as connection:
        page = await nested_projects(connection, first)
    return JSON({"data": {"projects": page}})


async def create(request: Request) -> Response:
    values = orjson.loads(await request.body())
    async with request.app.state.pool.acquire() as connection:
        created = await create_project(
            connection, values["slug"], values["name"], values.get("settings") or {}
        )
    if created is None:
        return JSON({"error": {"code": "CONFLICT"}}, status_code=409)
    return JSON({"data": {"createProject": {"project": created, "userErrors": []}}})


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    if "REELHOUSE_BENCH_DATABASE_URL" not in os.environ:
        yield
        return
    app.state.pool = await create_pool()
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/json", constant, methods=["GET", "POST"]),
        Route("/projects/{id}", project),
        Route("/projects", projects),
        Route("/projects", create, methods=["POST"]),
    ],
    lifespan=lifespan,
)
