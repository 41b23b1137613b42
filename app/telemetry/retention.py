"""The retention sweep: a background loop of the worker that deletes telemetry past
``REELHOUSE_TELEMETRY_RETENTION_DAYS`` and insert ids past the dedupe window.

Deletes go in chunks, each its own short transaction, so a sweep never holds locks for long
and any number of workers may sweep at once (a row two of them pick is deleted once).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table

from app.background import BackgroundLoop, WorkerServices, delete_before
from app.clock import utcnow
from app.models import TelemetryEvent, TelemetryInsertId

logger = logging.getLogger("reelhouse.telemetry")

DEDUPE_WINDOW = timedelta(days=7)
"""An ``insertId`` seen within this long before is a duplicate."""
CHUNK = 5000
EVENTS: Table = TelemetryEvent.__table__  # type: ignore[attr-defined]
INSERT_IDS: Table = TelemetryInsertId.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Swept:
    events: int
    insert_ids: int


class TelemetryRetention(BackgroundLoop):
    name = "telemetry-retention"

    def __init__(self, services: WorkerServices) -> None:
        super().__init__(services)
        self.retention = timedelta(days=self.settings.telemetry_retention_days)

    def idle_seconds(self) -> float:
        return self.settings.telemetry_sweep_seconds

    async def run_once(self) -> bool:
        swept = await self.sweep()
        if swept.events or swept.insert_ids:
            logger.info("telemetry retention: deleted %s events", swept.events)
        return False

    async def sweep(self, now: datetime | None = None) -> Swept:
        now = now or utcnow()
        events = await self._delete_before(EVENTS, "occurred_at", now - self.retention)
        insert_ids = await self._delete_before(INSERT_IDS, "seen_at", now - DEDUPE_WINDOW)
        return Swept(events, insert_ids)

    async def _delete_before(self, table: Table, column: str, cutoff: datetime) -> int:
        return await delete_before(self.db, table, column, cutoff, CHUNK)
