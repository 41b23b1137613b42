"""The audit trail's retention: a background loop of the worker that deletes records older
than ``REELHOUSE_AUDIT_RETENTION_DAYS`` (default 90), in chunks (``delete_before``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Table

from app.background import BackgroundLoop, WorkerServices, delete_before
from app.clock import utcnow
from app.models import AuditRecord

logger = logging.getLogger("reelhouse.audit")

RECORDS: Table = AuditRecord.__table__  # type: ignore[attr-defined]


class AuditRetention(BackgroundLoop):
    name = "audit-retention"

    def __init__(self, services: WorkerServices) -> None:
        super().__init__(services)
        self.retention = timedelta(days=self.settings.audit_retention_days)

    def idle_seconds(self) -> float:
        return self.settings.audit_sweep_seconds

    async def run_once(self) -> bool:
        deleted = await self.sweep()
        if deleted:
            logger.info("audit retention: deleted %s records", deleted)
        return False

    async def sweep(self, now: datetime | None = None) -> int:
        return await delete_before(
            self.db, RECORDS, "occurred_at", (now or utcnow()) - self.retention
        )
