"""``last_used_at`` without a write per request.

A request only notes its key in memory, at most once a minute per key; a background task
writes the noted keys in one batched statement. A crash loses at most that minute, which is
the precision ``lastUsedAt`` promises anyway.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from sqlalchemy import bindparam, or_, update

from app.clock import utcnow
from app.database import Database
from app.models import ApiKey
from app.models.columns import UTCDateTime

logger = logging.getLogger("reelhouse.keys")

_TABLE = ApiKey.__table__  # type: ignore[attr-defined]
_UPDATE = (
    update(_TABLE)
    .where(
        _TABLE.c.id == bindparam("key_id"),
        or_(
            _TABLE.c.last_used_at.is_(None),
            _TABLE.c.last_used_at < bindparam("used_at", type_=UTCDateTime),
        ),
    )
    .values(last_used_at=bindparam("used_at", type_=UTCDateTime))
)
"""Never moves ``last_used_at`` backwards (several processes flush independently), and leaves
``version``/``updated_at`` alone: being used is not a change of the key."""


class UsageRecorder:
    def __init__(self, db: Database, *, every_seconds: float = 60.0) -> None:
        self._db = db
        self._every = every_seconds
        self._noted: dict[str, float] = {}
        self._pending: dict[str, datetime] = {}

    def touch(self, key_id: str) -> None:
        """Called on the request path: a dictionary lookup, no I/O."""
        now = time.monotonic()
        last = self._noted.get(key_id)
        if last is not None and now - last < self._every:
            return
        self._noted[key_id] = now
        self._pending[key_id] = utcnow()

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self) -> int:
        """Write the noted keys in one statement; returns how many were written."""
        if not self._pending:
            return 0
        batch, self._pending = self._pending, {}
        try:
            async with self._db.writing() as session:
                await session.execute(
                    _UPDATE, [{"key_id": k, "used_at": t} for k, t in batch.items()]
                )
        except BaseException:
            for key_id, used_at in batch.items():
                self._pending[key_id] = max(used_at, self._pending.get(key_id, used_at))
            raise
        horizon = time.monotonic() - self._every
        self._noted = {k: t for k, t in self._noted.items() if t > horizon}
        return len(batch)

    async def run(self, interval: float = 5.0) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("writing API key last-used times failed")
