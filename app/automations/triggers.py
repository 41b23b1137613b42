"""Queueing runs, inside the transaction of whatever fired them: the run and its
``automation.run.queued`` event commit together with the trigger's own change (an asset
becoming ready, an inbound webhook accepted, a cron tick taken), so a trigger fires exactly
once: never lost to a crash, never doubled by a retry. Workers pick the run up afterwards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.clock import isoformat
from app.ids import IdPrefix, new_id
from app.models import Asset, Automation, AutomationRun, TriggerType
from app.outbox import record_event


def queue_run(
    session: AsyncSession,
    automation: Automation,
    trigger_type: TriggerType,
    trigger: dict[str, Any],
    *,
    scheduled_for: datetime | None = None,
    run_id: str | None = None,
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
    )
    session.add(run)
    record_event(session, run, "queued")
    return run


async def queue_asset_ready(session: AsyncSession, asset: Asset) -> list[AutomationRun]:
    """Runs of the project's enabled ``asset_ready`` automations for an asset now ready."""
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
    return [queue_run(session, a, TriggerType.ASSET_READY, trigger) for a in automations]
