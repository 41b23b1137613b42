"""Hot reads sent straight to asyncpg (``Database.read``, ``app.driver_reads``) give what a
session gives, for every table, and fail in the contract's terms."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text
from sqlmodel import SQLModel, col

from app.driver_reads import plan
from app.errors import ApiError, ErrorCode
from app.models import AuditRecord, Character, Project, SegmentCharacter
from tests.conftest import Tenant, count_statements
from tests.test_statement_counts import seed

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

NOT_PLANNED = {AuditRecord}
"""Tables with a column whose result processing needs the driver's type (numerics): read
through a session."""


def _values(row: Any) -> dict[str, Any]:
    return {prop.key: getattr(row, prop.key) for prop in inspect(type(row)).column_attrs}


async def test_every_table_reads_as_a_session_does(tenant: Tenant) -> None:
    await seed(tenant, 3)
    created = await tenant.gql(
        "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) "
        "{ webhookEndpoint { id } userErrors { code } } }",
        {"i": {"url": "https://example.com/hook", "eventTypes": ["project.*"]}},
    )
    assert created.ok()["createWebhookEndpoint"]["webhookEndpoint"], created.body
    db = tenant.services.db
    dialect = db.read_engine.sync_engine.dialect
    compared: dict[str, int] = {}
    for mapper in SQLModel._sa_registry.mappers:
        model = mapper.class_
        statement = select(model)
        planned = plan(statement, dialect)
        if len(mapper.primary_key) != 1 or model in NOT_PLANNED:
            assert planned is None, model
            continue
        assert planned is not None, model
        key = mapper.get_property_by_column(mapper.primary_key[0]).key
        async with db.reading() as session:
            expected = {getattr(r, key): _values(r) for r in await session.scalars(statement)}
        read = await db.read(statement, {})
        assert all(isinstance(row, model) for row in read)
        assert all(inspect(row).detached for row in read)
        assert {getattr(r, key): _values(r) for r in read} == expected, model
        compared[model.__name__] = len(read)
    for name in ("Project", "Character", "Segment", "ApiKey", "WebhookEndpoint", "Event"):
        assert compared.get(name), f"no {name} rows were compared"


async def test_several_columns_come_back_as_tuples(tenant: Tenant) -> None:
    await seed(tenant, 2)
    statement = (
        select(col(SegmentCharacter.segment_id), Character)
        .join(Character, col(Character.id) == SegmentCharacter.character_id)
        .where(col(Character.org_id) == tenant.org_id)
        .order_by(col(SegmentCharacter.segment_id))
    )
    async with tenant.services.db.reading() as session:
        expected = [(s, _values(c)) for s, c in (await session.execute(statement)).all()]
    read = await tenant.services.db.read(statement, {})
    assert len(read) >= 2
    assert [(s, _values(c)) for s, c in read] == expected


async def test_stored_integers_past_64_bits_read_back_exact(tenant: Tenant) -> None:
    """orjson would read them as floats; such texts go through ``json`` (``_stored_json``)."""
    [project_id] = await seed(tenant, 1)
    stored = {"big": 10**25, "small": 7, "ratio": 1.5, "text": "dé jà"}
    async with tenant.services.db.writing() as session:
        project = await session.get(Project, project_id)
        assert project is not None
        project.meta = stored
    statement = select(Project).where(col(Project.id) == project_id)
    [read] = await tenant.services.db.read(statement, {})
    assert read.meta == stored
    assert type(read.meta["big"]) is int


async def test_reads_are_counted_as_statements(tenant: Tenant) -> None:
    statement = select(Character).where(col(Character.org_id) == tenant.org_id)
    with count_statements(tenant.services) as seen:
        await tenant.services.db.read(statement, {})
    assert len(seen) == 1 and seen[0].startswith("SELECT")


async def test_a_backend_killed_mid_read_is_503_and_the_pool_recovers(tenant: Tenant) -> None:
    db = tenant.services.db
    sleeping = select(func.pg_sleep(30))
    read = asyncio.create_task(db.read(sleeping, {}))
    async with db.write_engine.connect() as admin:
        for _ in range(200):
            killed = await admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()"
                )
            )
            if killed.first() is not None:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the read never reached PostgreSQL")
    with pytest.raises(ApiError) as raised:
        await asyncio.wait_for(read, 10)
    assert raised.value.code is ErrorCode.SERVICE_UNAVAILABLE
    for _ in range(db.read_engine.pool.size() + 1):
        assert await db.read(select(func.count()).select_from(Character), {})
