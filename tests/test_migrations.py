"""The Alembic revisions build exactly the schema the models declare, on both backends.

A revision that drifts from the models (a missing index, a different type or nullability)
would only show up as a production bug on the backend nobody ran locally; here it fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
import pytest_asyncio
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, String, inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers every table
from app.migrate import alembic_config, downgrade, upgrade_async
from tests.backends import postgres_database, sqlite_database

COMPARE_OPTIONS = {"compare_type": True, "compare_server_default": True}
VERSION_TABLE = "alembic_version"


def _database(name: str) -> AbstractAsyncContextManager[str]:
    return postgres_database("migrations") if name == "postgres" else sqlite_database()


@pytest_asyncio.fixture(loop_scope="session", params=["sqlite", "postgres"])
async def empty_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    async with _database(request.param) as url:
        yield url


async def _inspect(url: str, look: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _differences(metadata: MetaData) -> Any:
    def look(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts=COMPARE_OPTIONS)
        return list(compare_metadata(context, metadata))

    return look


def _state(connection: Connection) -> tuple[set[str], str | None, list[str]]:
    tables = set(inspect(connection).get_table_names())
    revision = MigrationContext.configure(connection).get_current_revision()
    enums: list[str] = []
    if connection.dialect.name == "postgresql":
        enums = list(
            connection.execute(
                text(
                    "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                    " WHERE n.nspname = 'public' AND t.typtype = 'e'"
                )
            ).scalars()
        )
    return tables, revision, enums


def _drifted_copy() -> MetaData:
    """The models with one changed type, one changed nullability and one index gone."""
    drifted = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(drifted)
    projects = drifted.tables["projects"]
    projects.c.slug.type = String(80)
    projects.c.render_usage.nullable = True
    projects.c.version.type = String(10)
    projects.indexes.discard(next(i for i in projects.indexes if i.name == "ix_projects_org_id"))
    return drifted


async def test_upgrade_matches_models_and_downgrade_removes_everything(empty_url: str) -> None:
    await upgrade_async(empty_url)
    assert await _inspect(empty_url, _differences(SQLModel.metadata)) == []

    tables, revision, _ = await _inspect(empty_url, _state)
    assert tables == {*SQLModel.metadata.tables, VERSION_TABLE}
    assert revision == ScriptDirectory.from_config(alembic_config(empty_url)).get_current_head()

    await asyncio.to_thread(downgrade, empty_url, "base")
    tables, revision, enums = await _inspect(empty_url, _state)
    assert tables <= {VERSION_TABLE}
    assert revision is None
    assert enums == []

    await upgrade_async(empty_url)
    assert await _inspect(empty_url, _differences(SQLModel.metadata)) == []


async def test_comparison_catches_drift(empty_url: str) -> None:
    """Guards the test above: the comparison sees types, nullability and indexes."""
    await upgrade_async(empty_url)
    found = await _inspect(empty_url, _differences(_drifted_copy()))
    flat = [d for entry in found for d in (entry if isinstance(entry, list) else [entry])]
    kinds = {(d[0], d[3] if d[0].startswith("modify") else d[1].name) for d in flat}
    assert kinds == {
        ("modify_type", "slug"),
        ("modify_type", "version"),
        ("modify_nullable", "render_usage"),
        ("remove_index", "ix_projects_org_id"),
    }
