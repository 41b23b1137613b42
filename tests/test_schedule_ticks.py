"""Cron schedules across several real worker processes: each tick becomes exactly one run.

The workers' schedule tickers read the time from a file (``tests/clocked_worker.py``) that the
test moves one tick at a time, so every process sees each tick become due at the same moment
and races for it, and no test waits for a real hour. One worker is SIGKILLed along the way.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from app.automations.cron import next_tick
from app.clock import as_utc, isoformat
from app.models import Automation, AutomationRun, Event, Job, RunStatus, TriggerType
from resolvers import automations
from tests.process_fixtures import Environment, environment

pytestmark = pytest.mark.slow

WORKERS = 3
CRON, ZONE = "0 * * * *", "Asia/Kolkata"
"""On the hour in India, UTC+05:30: every tick is at half past in UTC."""
WAIT_SECONDS = 30.0
CLOCKED_WORKER = ("-m", "tests.clocked_worker")


def set_clock(path: Path, at: datetime) -> None:
    """Every worker's ticker reads this time from now on (the file is replaced whole)."""
    scratch = path.with_suffix(".next")
    scratch.write_text(isoformat(at))
    os.replace(scratch, path)


async def _schedule(env: Environment) -> tuple[str, datetime]:
    ctx, project_id, template_id = await env.studio("ticks")
    saved = await automations.create_automation(
        ctx,
        {
            "project_id": project_id,
            "name": "Hourly",
            "trigger": {"type": TriggerType.SCHEDULE, "cron": CRON, "timezone": ZONE},
            "actions": [
                {
                    "type": "render",
                    "template_id": template_id,
                    "input": {"tick": "{{trigger.scheduledFor}}"},
                }
            ],
        },
    )
    assert saved.automation.next_run_at is not None
    return saved.automation.id, as_utc(saved.automation.next_run_at)


async def _runs(env: Environment, automation_id: str) -> list[AutomationRun]:
    async with env.services.db.reading() as session:
        return list(
            (
                await session.execute(
                    select(AutomationRun)
                    .where(col(AutomationRun.automation_id) == automation_id)
                    .order_by(col(AutomationRun.scheduled_for))
                )
            ).scalars()
        )


async def _until(env: Environment, automation_id: str, count: int) -> list[AutomationRun]:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(runs := await _runs(env, automation_id)) < count:
        assert time.monotonic() < deadline, f"{len(runs)} of {count} ticks taken"
        await asyncio.sleep(0.02)
    return runs


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
async def test_each_tick_runs_once_across_worker_processes(backend: str) -> None:
    async with environment(backend) as env:
        automation_id, first = await _schedule(env)
        assert (first.minute, first.second) == (30, 0)
        clock = env.folder / "clock"
        set_clock(clock, first - timedelta(seconds=1))
        worker_env = env.worker_env(
            REELHOUSE_TEST_CLOCK_FILE=str(clock),
            # A run the killed worker held continues elsewhere soon.
            REELHOUSE_AUTOMATION_RUN_LEASE_SECONDS="3",
            REELHOUSE_WEBHOOK_TIMEOUT_SECONDS="2",
        )
        expected: list[datetime] = []
        async with env.workers(WORKERS, worker_env, CLOCKED_WORKER) as workers:
            tick = first
            for index in range(4):
                if index == 2:
                    await workers.members[0].kill()
                # A little past the tick, as a real clock would be when a ticker looks.
                set_clock(clock, tick + timedelta(seconds=index))
                expected.append(tick)
                await _until(env, automation_id, len(expected))
                tick = next_tick(CRON, ZONE, tick)
            # Three ticks pass while no ticker looks: they collapse into one run, the latest.
            skipped = [tick, next_tick(CRON, ZONE, tick)]
            latest = next_tick(CRON, ZONE, skipped[-1])
            set_clock(clock, latest + timedelta(minutes=5))
            expected.append(latest)
            await _until(env, automation_id, len(expected))
            # Every ticker has looked many times more at the same clock.
            await asyncio.sleep(0.5)
            runs = await _runs(env, automation_id)
            finished = await _all_finished(env, automation_id, len(expected))
            log = workers.logs()
        async with env.services.db.reading() as session:
            automation = await session.get(Automation, automation_id)
            queued = (
                await session.execute(
                    select(func.count()).where(
                        col(Event.type) == "automation.run.queued",
                        col(Event.aggregate_id).in_([r.id for r in runs]),
                    )
                )
            ).scalar_one()
            jobs = (await session.execute(select(Job))).scalars().all()

    assert "Traceback" not in log, log[-5000:]
    ticks = [as_utc(r.scheduled_for) for r in runs if r.scheduled_for is not None]
    assert ticks == expected, [isoformat(t) for t in ticks]
    assert all(t.minute == 30 for t in ticks)
    assert [r.trigger for r in runs] == [
        {"type": "schedule", "scheduledFor": isoformat(t)} for t in expected
    ]
    assert queued == len(expected)
    assert automation is not None and automation.next_run_at is not None
    assert as_utc(automation.next_run_at) == next_tick(CRON, ZONE, latest + timedelta(minutes=5))
    assert {r.status for r in finished} == {RunStatus.SUCCEEDED}
    assert sorted(job.input["tick"] for job in jobs) == [isoformat(t) for t in expected]


async def _all_finished(env: Environment, automation_id: str, count: int) -> list[AutomationRun]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        runs = await _runs(env, automation_id)
        if len(runs) == count and all(r.status.finished for r in runs):
            return runs
        assert time.monotonic() < deadline, [(r.id, r.status) for r in runs]
        await asyncio.sleep(0.05)
