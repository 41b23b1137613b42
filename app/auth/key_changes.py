"""Telling every process that a credential changed, so cached copies are dropped within a second.

Credentials are API keys and what OAuth access tokens depend on (the token, its grant, its
client, its user): one announcement names the changed id and every cache drops what depends on
it (``CredentialCaches``).

With Redis, a change is published on ``<prefix>api-keys:changed`` and every API process keeps a
subscription (``KeyChangeSubscriber``, started in the app's lifespan). While that subscription
is not confirmed, the process does not cache keys at all: a missed message can then never
leave a revoked key usable. Without Redis there is one API process: changes made through it
invalidate in-process, and ``KeyChangePoller`` picks up changes other processes (the CLI) wrote
to the shared SQLite file.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any, Protocol

from redis.asyncio import Redis
from sqlmodel import col, select

from app.clock import utcnow
from app.database import Database
from app.models import ApiKey, OAuthClient, User
from app.redis import listen

logger = logging.getLogger("reelhouse.keys")

CHANNEL_SUFFIX = "api-keys:changed"


def channel_name(redis_prefix: str) -> str:
    return f"{redis_prefix}{CHANNEL_SUFFIX}"


class CredentialCache(Protocol):
    def forget(self, changed_id: str | None = None, /) -> None: ...

    def set_caching(self, enabled: bool, /) -> None: ...


class CredentialCaches:
    """Several caches hearing the same announcements (API keys, access tokens, and last the
    open connections holding a credential, which check it again)."""

    def __init__(self, *caches: CredentialCache) -> None:
        self._caches = caches

    def forget(self, changed_id: str | None = None, /) -> None:
        for cache in self._caches:
            cache.forget(changed_id)

    def set_caching(self, enabled: bool, /) -> None:
        for cache in self._caches:
            cache.set_caching(enabled)


class KeyChangeNotifier:
    """Announces a committed change of a credential to this process and, through Redis, to all."""

    def __init__(
        self, store: CredentialCache | None, redis: Redis | None, redis_prefix: str
    ) -> None:
        self._store = store
        self._redis = redis
        self.channel = channel_name(redis_prefix)

    async def announce(self, key_id: str) -> None:
        if self._store is not None:
            self._store.forget(key_id)
        if self._redis is None:
            return
        for attempt in range(3):
            try:
                await self._redis.publish(self.channel, key_id)
                return
            except Exception:
                if attempt == 2:
                    logger.exception("could not publish the change of %s", key_id)
                    return
                await asyncio.sleep(0.05 * (attempt + 1))


class KeyChangeSubscriber:
    """Keeps a Redis subscription to key changes (``app.redis.listen``: a broken link surfaces
    at once); the store caches only while it is confirmed."""

    def __init__(self, store: CredentialCache, redis_url: str, redis_prefix: str) -> None:
        self._store = store
        self._url = redis_url
        self.channel = channel_name(redis_prefix)
        self.client_name = f"{redis_prefix}key-changes"
        self.live = False
        self.confirmed = asyncio.Event()
        """Set while a subscription is confirmed (tests and readiness wait on it)."""

    def _set_live(self, live: bool) -> None:
        self.live = live
        self._store.set_caching(live)
        if live:
            self.confirmed.set()
        else:
            self.confirmed.clear()

    async def run(self) -> None:
        delay = 0.05
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("API key change subscription lost (%s); not caching keys", error)
            finally:
                if self.live:
                    self._set_live(False)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _listen(self) -> None:
        await listen(self._url, [self.channel], self.client_name, self._handle)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "subscribe":
            self._set_live(True)
        elif kind == "message":
            data = message.get("data")
            key_id = data.decode() if isinstance(data, bytes) else str(data)
            self._store.forget(key_id)


WATCHED: tuple[Any, ...] = (ApiKey, OAuthClient, User)
"""What another process (the CLI) may change under a cached credential."""


class KeyChangePoller:
    """Embedded mode: notices credentials changed by another process (the CLI) by
    ``updated_at``.

    Every change bumps a row's version and ``updated_at``; each poll looks back a few seconds
    (the processes share one machine and its clock, as they share the SQLite file) and drops
    what depends on rows whose version it has not seen. If polls stall longer than the
    look-back, everything is dropped, since a change may have slipped past.
    """

    LOOK_BACK = timedelta(seconds=5)

    def __init__(
        self,
        store: CredentialCache,
        db: Database,
        *,
        interval: float = 0.5,
        watched: tuple[Any, ...] = WATCHED,
    ) -> None:
        self._store = store
        self._db = db
        self._interval = interval
        self._watched = watched
        self._seen: dict[str, int] = {}
        self._last_poll: float | None = None

    async def poll(self) -> list[str]:
        """One look at the store; returns the ids of keys it invalidated."""
        started = time.monotonic()
        since = utcnow() - self.LOOK_BACK
        rows: list[Any] = []
        async with self._db.reading() as session:
            for model in self._watched:
                rows.extend(
                    (
                        await session.execute(
                            select(col(model.id), col(model.version)).where(
                                col(model.updated_at) > since
                            )
                        )
                    ).all()
                )
        if self._last_poll is not None and started - self._last_poll > (
            self.LOOK_BACK.total_seconds() / 2
        ):
            self._store.forget()
        self._last_poll = started
        changed = []
        seen: dict[str, int] = {}
        for key_id, version in rows:
            seen[key_id] = version
            if self._seen.get(key_id) != version:
                self._store.forget(key_id)
                changed.append(key_id)
        self._seen = seen
        return changed

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("polling credential changes failed")
