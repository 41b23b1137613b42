"""Sign-in throttling: failed attempts counted per account and per client address.

After too many failures in the window, further attempts for that account (or from that
address) are refused before any password is checked, until the window ends. With Redis the
counts are shared by every process; without it they live in this process (the embedded
deployment is one process).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from app.settings import Settings


@dataclass(frozen=True, slots=True)
class Throttled:
    scope: str
    """``account`` or ``address``."""
    retry_after: int
    """Seconds until attempts are accepted again."""


class LoginThrottle:
    def __init__(self, settings: Settings, redis: Any | None) -> None:
        self._window = settings.login_failure_window_seconds
        self._limits = {
            "account": settings.login_max_failures_per_account,
            "address": settings.login_max_failures_per_ip,
        }
        self._redis = redis
        self._prefix = f"{settings.redis_prefix}login-failures:"
        self._local: dict[str, tuple[int, float]] = {}

    def _keys(self, account: str, address: str) -> dict[str, str]:
        return {"account": f"account:{account.lower()}", "address": f"address:{address}"}

    async def check(self, account: str, address: str) -> Throttled | None:
        for scope, key in self._keys(account, address).items():
            count, retry_after = await self._read(key)
            if count >= self._limits[scope]:
                return Throttled(scope, max(1, retry_after))
        return None

    async def failed(self, account: str, address: str) -> None:
        for key in self._keys(account, address).values():
            await self._increment(key)

    async def succeeded(self, account: str) -> None:
        key = self._keys(account, "")["account"]
        if self._redis is not None:
            await self._redis.delete(self._prefix + key)
        else:
            self._local.pop(key, None)

    async def _read(self, key: str) -> tuple[int, int]:
        if self._redis is not None:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.get(self._prefix + key)
                pipe.ttl(self._prefix + key)
                raw, ttl = await pipe.execute()
            return int(raw or 0), int(ttl) if ttl and ttl > 0 else self._window
        count, started = self._local.get(key, (0, 0.0))
        left = started + self._window - time.monotonic()
        if left <= 0:
            self._local.pop(key, None)
            return 0, self._window
        return count, int(left) + 1

    async def _increment(self, key: str) -> None:
        if self._redis is not None:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(self._prefix + key)
                pipe.expire(self._prefix + key, self._window, nx=True)
                await pipe.execute()
            return
        count, started = self._local.get(key, (0, 0.0))
        now = time.monotonic()
        if now - started >= self._window:
            count, started = 0, now
        self._local[key] = (count + 1, started)
        if len(self._local) > 100_000:
            self._local = {k: v for k, v in self._local.items() if now - v[1] < self._window}
