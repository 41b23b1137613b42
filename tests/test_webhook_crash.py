"""Crash safety: real worker processes SIGKILLed mid-flight, a real receiver that fails some
requests, PostgreSQL and Redis. Nothing may be lost or reordered; a duplicate is allowed only
across a kill, and always carries the same ``webhook-id``."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlmodel import col
from standardwebhooks import Webhook

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.factory import build_services
from app.migrate import upgrade_async
from app.models import DeliveryStatus, Project, WebhookDelivery
from app.settings import Settings
from resolvers import projects, webhooks
from resolvers.context import Context
from resolvers.unit_of_work import unit_of_work
from resolvers.writes import load_for_update
from tests.backends import SECRET_KEY, postgres_database, redis_namespace
from tests.events_fixtures import Answer, Request, running_receiver
from tests.process_fixtures import Worker

PROJECTS = 100
UPDATES_PER_PROJECT = 19
EVENTS = PROJECTS * (1 + UPDATES_PER_PROJECT)
KILLS = 6
WORKERS = 2
DEADLINE_SECONDS = 120

WORKER_ENV = {
    "REELHOUSE_EVENTS_POLL_SECONDS": "0.1",
    "REELHOUSE_WEBHOOK_RETRY_SCHEDULE": "[0.05, 0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.5, 0.5]",
    "REELHOUSE_WEBHOOK_RETRY_JITTER": "0.2",
    # Generous next to a local receiver, so that only a kill (never a timeout on a loaded
    # machine) can make a sender resend what was received; a lease ends 15 s after a kill.
    "REELHOUSE_WEBHOOK_TIMEOUT_SECONDS": "5",
    "REELHOUSE_WEBHOOK_CONNECT_TIMEOUT_SECONDS": "2",
    "REELHOUSE_WEBHOOK_CLAIM_SECONDS": "15",
    "REELHOUSE_WEBHOOK_CONCURRENCY": "16",
    "REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
}


def flaky(seed: int) -> Any:
    """Fails about one request in ten."""
    rng = random.Random(seed)

    def respond(_request: Request, _index: int) -> Answer:
        roll = rng.random()
        if roll < 0.1:
            return 500, {}, b"unlucky"
        return 200, {}, b"ok"

    return respond


@contextlib.asynccontextmanager
async def environment() -> AsyncIterator[Settings]:
    async with postgres_database("crash") as url, redis_namespace() as (redis_url, prefix):
        await upgrade_async(url)
        yield Settings(
            database_url=url,
            redis_url=redis_url,
            redis_prefix=prefix,
            environment="test",
            webhooks_allow_private_urls=True,
            secret_key=SecretStr(SECRET_KEY),
        )


async def produce(ctx: Context, project_ids: list[str], offset: int) -> None:
    """Each transaction changes a few projects (one event each), like a busy API would."""
    for round_ in range(UPDATES_PER_PROJECT):
        for start in range(0, len(project_ids), 5):
            async with unit_of_work(ctx) as uow:
                for project_id in project_ids[start : start + 5]:
                    project = await load_for_update(uow, Project, project_id)
                    project.name = f"n{offset}-{round_}"
                    uow.changed(project)


@pytest.mark.slow
async def test_killed_workers_lose_nothing_and_keep_order() -> None:
    async with environment() as settings, running_receiver(flaky(7)) as receiver:
        services = build_services(settings)
        try:
            org, _ = await ensure_organization(services.db, "crash", "Crash")
            async with services.db.writing() as session:
                _, token = await issue_key(
                    session, org_id=org.id, name="crash", scopes=[Scope.ADMIN]
                )
            ctx = Context(services.db, settings, await services.keys.authenticate(token))
            _, secret = await webhooks.create_endpoint(
                ctx, {"url": receiver.url, "event_types": ["project.*"]}, lambda *_: []
            )
            env = {
                **os.environ,
                **WORKER_ENV,
                "REELHOUSE_DATABASE_URL": settings.database_url,
                "REELHOUSE_REDIS_URL": settings.redis_url or "",
                "REELHOUSE_REDIS_PREFIX": settings.redis_prefix,
                "REELHOUSE_SECRET_KEY": SECRET_KEY,
            }
            with tempfile.TemporaryDirectory() as folder:
                workers = [Worker(env, Path(folder) / f"worker-{i}.log") for i in range(WORKERS)]
                await asyncio.gather(*(w.start() for w in workers))
                kills: list[float] = []
                try:
                    created = [
                        (await projects.create_project(ctx, {"slug": f"crash-{i}", "name": "c"})).id
                        for i in range(PROJECTS)
                    ]
                    producers = asyncio.gather(*(produce(ctx, created[i::4], i) for i in range(4)))
                    rng = random.Random(11)
                    for kill in range(KILLS):
                        await asyncio.sleep(rng.uniform(0.4, 1.2))
                        victim = workers[kill % WORKERS]
                        kills.append(time.monotonic())
                        await victim.kill()
                        await victim.start()
                    await producers
                    await receiver.wait_for(
                        lambda r: len({x.webhook_id for x in r if x.status == 200}) >= EVENTS,
                        within=DEADLINE_SECONDS,
                    )
                    await _all_succeeded(services.db)
                finally:
                    for worker in workers:
                        await worker.stop()
        finally:
            await services.close()

    check_receipts(receiver.requests, secret, kills)


async def _all_succeeded(db: Any) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        async with db.reading() as session:
            open_ = (
                await session.execute(
                    select(func.count()).where(
                        col(WebhookDelivery.status) != DeliveryStatus.SUCCEEDED
                    )
                )
            ).scalar_one()
        if open_ == 0:
            return
        assert time.monotonic() < deadline, f"{open_} deliveries not succeeded"
        await asyncio.sleep(0.2)


def check_receipts(requests: list[Request], secret: str, kills: list[float]) -> None:
    verifier = Webhook(secret)
    by_aggregate: dict[str, list[int]] = defaultdict(list)
    accepted: dict[str, list[float]] = defaultdict(list)
    for request in requests:
        body = verifier.verify(request.body, request.headers)
        assert request.webhook_id == body["id"]
        by_aggregate[body["aggregate_id"]].append(body["sequence"])
        if request.status == 200:
            accepted[body["id"]].append(request.at)

    assert len(accepted) == EVENTS
    assert len(by_aggregate) == PROJECTS
    for sequences in by_aggregate.values():
        assert sequences == sorted(sequences), f"out of order: {sequences}"
        assert set(sequences) == set(range(1, UPDATES_PER_PROJECT + 2))
    # A second receipt of the same message only ever follows a kill.
    for times in accepted.values():
        for earlier, later in itertools.pairwise(times):
            assert any(earlier < kill < later for kill in kills), "duplicate without a kill"
