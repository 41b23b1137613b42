"""The worker's sweep of idempotency keys past their time (``REELHOUSE_IDEMPOTENCY_KEY_HOURS``);
an expired key is already treated as new when a request reuses it, so this only frees space."""

from __future__ import annotations

import logging

from sqlalchemy import Table

from app.background import BackgroundLoop, delete_before
from app.clock import utcnow
from app.models import IdempotencyKey

logger = logging.getLogger("reelhouse.idempotency")

KEYS: Table = IdempotencyKey.__table__  # type: ignore[attr-defined]


class IdempotencyExpiry(BackgroundLoop):
    name = "idempotency-expiry"

    def idle_seconds(self) -> float:
        return self.settings.idempotency_sweep_seconds

    async def run_once(self) -> bool:
        deleted = await delete_before(self.db, KEYS, "expires_at", utcnow())
        if deleted:
            logger.info("idempotency expiry: deleted %s keys", deleted)
        return False
