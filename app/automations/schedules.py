"""Cron ticks: each due tick of an enabled schedule automation becomes exactly one run.

The automations whose ``next_run_at`` has passed are locked (``FOR UPDATE SKIP LOCKED``; on
SQLite the write lock), the run is queued for the tick and ``next_run_at`` moves to the next
tick in the same transaction, so no two workers take the same tick; a unique (automation,
tick) constraint backs that up. Ticks missed while no worker ran are not replayed one by one:
the latest missed tick runs once, then the schedule continues from now.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from app.automations.cron import last_tick, next_tick
from app.automations.triggers import queue_run
from app.background import BackgroundLoop
from app.clock import isoformat, utcnow
from app.events.bus import OUTBOX, RUNS
from app.models import Automation, TriggerType

BATCH = 100


class ScheduleTicker(BackgroundLoop):
    name = "automation-schedules"

    async def run_once(self) -> bool:
        now = utcnow()
        async with self.db.writing() as session:
            due = (
                (
                    await session.execute(
                        select(Automation)
                        .where(
                            col(Automation.next_run_at) <= now,
                            col(Automation.trigger_type) == TriggerType.SCHEDULE,
                            col(Automation.enabled).is_(True),
                        )
                        .order_by(col(Automation.next_run_at))
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            for automation in due:
                config = automation.trigger_config
                tick = automation.next_run_at
                assert tick is not None
                following = next_tick(config["cron"], config["timezone"], tick)
                if following <= now:
                    tick = last_tick(config["cron"], config["timezone"], now)
                    following = next_tick(config["cron"], config["timezone"], now)
                queue_run(
                    session,
                    automation,
                    TriggerType.SCHEDULE,
                    {"scheduledFor": isoformat(tick)},
                    scheduled_for=tick,
                )
                automation.next_run_at = following
                session.add(automation)
        if due:
            self.db.committed(OUTBOX)
            self.db.committed(RUNS)
        return len(due) == BATCH
