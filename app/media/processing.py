"""Processing completed uploads: verify every byte, read media metadata, then READY or FAILED.

A worker claims one ``processing`` asset at a time with a lease (``lease_until``) and an
attempt number that fences its result: if it stalls past the lease, another worker takes the
asset over and the first one's late result is dropped. An asset whose processing was
interrupted ``MAX_ATTEMPTS`` times fails rather than looping forever.

The stored file is hashed in full, whatever the provider promised at completion, so an asset
is only ever READY with the bytes its checksum names. Becoming READY queues the project's
``asset_ready`` automations in the same transaction.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from app.automations.triggers import queue_asset_ready
from app.background import BackgroundLoop
from app.clock import utcnow
from app.events.bus import MEDIA, OUTBOX, RUNS
from app.media.ffprobe import ProbeFailed, available, probe
from app.models import Asset, AssetStatus
from app.outbox import record_event
from app.storage.base import sha256_of_file

logger = logging.getLogger("reelhouse.media")

MAX_ATTEMPTS = 3
PROBED = ("image/", "video/", "audio/")


@dataclass(frozen=True, slots=True)
class Claimed:
    asset_id: str
    attempt: int
    storage_key: str
    size_bytes: int | None
    sha256: str | None
    mime_type: str


@dataclass(frozen=True, slots=True)
class Result:
    ready: bool
    media: dict[str, Any] | None = None
    sha256: str | None = None
    reason: str | None = None


class MediaProbe(BackgroundLoop):
    name = "media-probe"
    signal = MEDIA

    async def run_once(self) -> bool:
        if not available():
            logger.error(
                "ffprobe is not installed (Debian: apt-get install ffmpeg); "
                "uploads wait in PROCESSING"
            )
            return False
        claimed = await self.claim()
        if claimed is None:
            return False
        await self.record(claimed, await self.process(claimed))
        return True

    async def claim(self) -> Claimed | None:
        now = utcnow()
        async with self.db.writing() as session:
            asset = (
                await session.execute(
                    select(Asset)
                    .where(
                        col(Asset.status) == AssetStatus.PROCESSING,
                        col(Asset.deleted_at).is_(None),
                        col(Asset.storage_key).is_not(None),
                        or_(col(Asset.lease_until).is_(None), col(Asset.lease_until) < now),
                    )
                    .order_by(col(Asset.updated_at))
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
            ).scalar_one_or_none()
            if asset is None or asset.storage_key is None:
                return None
            asset.processing_attempts += 1
            asset.lease_until = now + timedelta(seconds=self.settings.media_probe_lease_seconds)
            session.add(asset)
            return Claimed(
                asset.id,
                asset.processing_attempts,
                asset.storage_key,
                asset.size_bytes,
                asset.sha256,
                asset.mime_type,
            )

    async def process(self, claimed: Claimed) -> Result:
        if claimed.attempt > MAX_ATTEMPTS:
            return Result(False, reason=f"Processing was interrupted {MAX_ATTEMPTS} times.")
        try:
            async with self.services.storage.local_copy(claimed.storage_key) as path:
                size, sha256 = await asyncio.to_thread(sha256_of_file, path)
                if claimed.size_bytes is not None and size != claimed.size_bytes:
                    return Result(
                        False,
                        reason=f"The stored file has {size} bytes; {claimed.size_bytes} were "
                        "declared.",
                    )
                if claimed.sha256 is not None and sha256 != claimed.sha256:
                    return Result(
                        False, reason="The stored file's SHA-256 is not the declared checksum."
                    )
                media = None
                if claimed.mime_type.startswith(PROBED):
                    media = await probe(path, seconds=self.settings.media_probe_timeout_seconds)
        except FileNotFoundError:
            return Result(False, reason="The uploaded file is missing from storage.")
        except ProbeFailed as error:
            return Result(False, reason=str(error)[:1000])
        return Result(True, media=media, sha256=sha256)

    async def record(self, claimed: Claimed, result: Result) -> None:
        runs = []
        async with self.db.writing() as session:
            asset = await session.get(Asset, claimed.asset_id, with_for_update=self.db.is_postgres)
            if (
                asset is None
                or asset.status is not AssetStatus.PROCESSING
                or asset.processing_attempts != claimed.attempt
                or asset.deleted_at is not None
            ):
                return
            asset.lease_until = None
            if result.ready:
                asset.status = AssetStatus.READY
                asset.media = result.media
                asset.sha256 = asset.sha256 or result.sha256
                asset.failure_reason = None
            else:
                asset.status = AssetStatus.FAILED
                asset.failure_reason = result.reason
            asset.touch()
            session.add(asset)
            record_event(session, asset, asset.status.value)
            if result.ready:
                runs = await queue_asset_ready(session, asset)
        self.db.committed(OUTBOX)
        if runs:
            self.db.committed(RUNS)
