"""Queueing runs, inside the transaction of whatever fired them: the run and its
``automation.run.queued`` event commit together with the trigger's own change (an asset
becoming ready, an inbound webhook accepted, a cron tick taken), so a trigger fires exactly
once: never lost to a crash, never doubled by a retry. Workers pick the run up afterwards.

An asset rendered by an automation's run (its ``job_id``, or the job naming it as
output, was submitted by that run) never fires that same automation, and readiness fires no
run deeper than ``MAX_CHAIN_DEPTH`` in a chain of automations rendering each other's outputs:
without both, an ``asset_ready`` automation that renders would start itself for ever."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.clock import isoformat
from app.ids import IdPrefix, new_id
from app.models import Asset, Automation, AutomationRun, Job, TriggerType
from app.outbox import record_event

logger = logging.getLogger("reelhouse.automations")

MAX_CHAIN_DEPTH = 5


def queue_run(
    session: AsyncSession,
    automation: Automation,
    trigger_type: TriggerType,
    trigger: dict[str, Any],
    *,
    scheduled_for: datetime | None = None,
    run_id: str | None = None,
    chain_depth: int = 0,
) -> AutomationRun:
    run = AutomationRun(
        id=run_id or new_id(IdPrefix.AUTOMATION_RUN),
        org_id=automation.org_id,
        project_id=automation.project_id,
        automation_id=automation.id,
        trigger_type=trigger_type,
        trigger={**trigger, "type": trigger_type.value},
        steps=[{"type": a["type"], "status": "pending", "attempts": 0} for a in automation.actions],
        scheduled_for=scheduled_for,
        chain_depth=chain_depth,
    )
    session.add(run)
    record_event(session, run, "queued")
    return run


async def _rendered_by(session: AsyncSession, asset: Asset) -> AutomationRun | None:
    """The automation run whose render job produced ``asset``, if one did."""
    job_id = asset.job_id
    if job_id is None:
        job_id = (
            await session.execute(
                select(col(Job.id)).where(col(Job.output_asset_id) == asset.id).limit(1)
            )
        ).scalar_one_or_none()
    if job_id is None:
        return None
    run_id = (
        await session.execute(select(col(Job.automation_run_id)).where(col(Job.id) == job_id))
    ).scalar_one_or_none()
    if run_id is None:
        return None
    run = await session.get(AutomationRun, run_id)
    return run if run is not None and run.org_id == asset.org_id else None


async def queue_asset_ready(session: AsyncSession, asset: Asset) -> list[AutomationRun]:
    """Runs of the project's enabled ``asset_ready`` automations for an asset now ready,
    except those the loop guard holds back (see above)."""
    origin = await _rendered_by(session, asset)
    depth = origin.chain_depth + 1 if origin is not None else 0
    if depth > MAX_CHAIN_DEPTH:
        logger.info(
            "asset %s is %d renders deep in automations; it starts no more runs", asset.id, depth
        )
        return []
    automations = (
        await session.execute(
            select(Automation).where(
                col(Automation.org_id) == asset.org_id,
                col(Automation.project_id) == asset.project_id,
                col(Automation.trigger_type) == TriggerType.ASSET_READY,
                col(Automation.enabled).is_(True),
            )
        )
    ).scalars()
    trigger = {
        "assetId": asset.id,
        "projectId": asset.project_id,
        "asset": {**asset.snapshot(), "updated_at": isoformat(asset.updated_at)},
    }
    return [
        queue_run(session, a, TriggerType.ASSET_READY, trigger, chain_depth=depth)
        for a in automations
        if origin is None or a.id != origin.automation_id
    ]
