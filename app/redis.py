"""The shared Redis client, when ``REELHOUSE_REDIS_URL`` is set."""

from __future__ import annotations

from redis.asyncio import Redis

from app.settings import Settings


def connect(settings: Settings) -> Redis | None:
    if not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, decode_responses=False, health_check_interval=30)
