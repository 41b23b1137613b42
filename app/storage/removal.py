"""Removing the stored files of deleted assets, once ``storage_delete_after_seconds`` passed.

Deleting an asset only hides it (``deleted_at``), so the delete is one quick transaction and a
mistake can be undone by an operator for a while; this loop removes the object afterwards and
notes ``object_removed_at``. Deleting an object twice is harmless, so workers need no lease:
rows are taken with ``SKIP LOCKED`` in small batches.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from app.background import BackgroundLoop
from app.clock import utcnow
from app.models import Asset

logger = logging.getLogger("reelhouse.storage")

BATCH = 50


class ObjectRemoval(BackgroundLoop):
    name = "object-removal"

    async def run_once(self) -> bool:
        cutoff = utcnow() - timedelta(seconds=self.settings.storage_delete_after_seconds)
        async with self.db.writing() as session:
            assets = (
                (
                    await session.execute(
                        select(Asset)
                        .where(
                            col(Asset.deleted_at) <= cutoff,
                            col(Asset.storage_key).is_not(None),
                            col(Asset.object_removed_at).is_(None),
                        )
                        .order_by(col(Asset.deleted_at))
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            for asset in assets:
                assert asset.storage_key is not None
                await self.services.storage.delete(asset.storage_key)
                asset.object_removed_at = utcnow()
                session.add(asset)
        if assets:
            logger.info("removed %d stored files of deleted assets", len(assets))
        return len(assets) == BATCH
