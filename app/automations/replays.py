"""Forgetting accepted inbound webhook messages once a replay of them can no longer pass.

A message's row exists to refuse its replay; its ``keep_until`` is when the replay would be
refused anyway (a Standard Webhooks timestamp out of tolerance) or, for plain HMAC, the end of
the configured replay window. Deleting a row twice is harmless, so workers need no lease.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlmodel import col

from app.background import BackgroundLoop
from app.clock import utcnow
from app.models import InboundWebhookMessage

logger = logging.getLogger("reelhouse.inbound")

BATCH = 1000
EVERY_SECONDS = 60.0


class ReplayWindowPruner(BackgroundLoop):
    name = "inbound-replay-pruning"

    def idle_seconds(self) -> float:
        return EVERY_SECONDS

    async def run_once(self) -> bool:
        message = InboundWebhookMessage
        expired = (
            select(col(message.id))
            .where(col(message.keep_until) < utcnow())
            .order_by(col(message.keep_until))
            .limit(BATCH)
        )
        async with self.db.writing() as session:
            result = await session.execute(
                delete(message)
                .where(col(message.id).in_(expired.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
        removed = int(getattr(result, "rowcount", 0) or 0)
        if removed:
            logger.info("forgot %d inbound webhook messages past their replay window", removed)
        return removed == BATCH
