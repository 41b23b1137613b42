"""The shared Redis client, when ``REELHOUSE_REDIS_URL`` is set, and subscriptions that know
when they are broken."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from app.settings import Settings

PING_EVERY = 1.0
SILENCE_LIMIT = 3.0

Handler = Callable[[dict[str, Any]], None]


def connect(settings: Settings) -> Redis | None:
    if not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, decode_responses=False, health_check_interval=30)


async def listen(url: str, channels: list[bytes | str], client_name: str, handle: Handler) -> None:
    """Subscribe to ``channels`` and hand every message (``subscribe`` confirmations included)
    to ``handle``, until the link fails: then it raises.

    The subscription has a connection of its own with no transparent retries, since a silent
    reconnect would drop whatever was published meanwhile; pings sent while idle find a link
    that died without an error. Callers treat a return by exception as "messages may have been
    missed" and resubscribe.
    """
    client = Redis.from_url(
        url,
        retry=Retry(NoBackoff(), 0),
        socket_connect_timeout=2,
        socket_keepalive=True,
        client_name=client_name,
    )
    pubsub = client.pubsub()
    task = asyncio.current_task()
    try:
        await pubsub.subscribe(*channels)
        heard = pinged = time.monotonic()
        while True:
            message: dict[str, Any] | None = await pubsub.get_message(timeout=PING_EVERY)
            if task is not None and task.cancelling():
                # A cancel that lands as ``get_message``'s read times out is turned into that
                # timeout by redis-py and lost; without this the task never ends (a shutdown
                # waiting for it hangs).
                raise asyncio.CancelledError
            now = time.monotonic()
            if message is not None:
                heard = now
                handle(message)
                continue
            if now - heard > SILENCE_LIMIT:
                raise ConnectionError("Redis stopped answering pings")
            if now - pinged >= PING_EVERY:
                pinged = now
                await pubsub.ping()
    finally:
        with contextlib.suppress(Exception):
            await pubsub.aclose()  # type: ignore[no-untyped-call]
        with contextlib.suppress(Exception):
            await client.aclose()
