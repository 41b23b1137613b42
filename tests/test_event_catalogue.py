"""The event catalogue (the console's event-type picker) against what the server emits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel, col

from app.demo import seed_demo
from app.events.catalogue import BY_TYPE, CATALOGUE, TEST_EVENT_TYPE
from app.events.patterns import pattern_problem
from app.models import Event


async def test_every_event_the_demo_emits_is_catalogued(backend: Any) -> None:
    result = await seed_demo(backend.app.services.db, backend.settings)
    async with backend.app.services.db.reading() as session:
        types = set(
            (
                await session.execute(
                    select(col(Event.type)).where(col(Event.org_id) == result.org_id)
                )
            ).scalars()
        )
    assert types and types <= set(BY_TYPE), types - set(BY_TYPE)


def test_catalogued_types_name_real_aggregates_and_carry_examples() -> None:
    tables = {name.removesuffix("s") for name in SQLModel.metadata.tables}
    assert TEST_EVENT_TYPE in BY_TYPE
    for entry in CATALOGUE:
        assert pattern_problem(entry.type) is None, entry.type
        aggregate = entry.type.split(".", 1)[0]
        assert aggregate in tables | {"webhook", "telemetry"}, entry.type
        example = entry.example()
        assert example["type"] == entry.type and example["data"] == entry.data
        assert entry.description.endswith(".")
