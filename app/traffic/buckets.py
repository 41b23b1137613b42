"""Token buckets: in this process, or in Redis (one atomic Lua script per check) so that every
process draws on the same bucket.

A bucket holds up to ``capacity`` points and refills at ``per_second``; taking ``cost`` points
succeeds when that many are there. A negative cost is a refund (never refused, never above
capacity). The same script also counts the request in the day's usage and checks the
organisation's daily quota, so an admitted request costs one round trip to Redis.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any, Protocol

from redis.exceptions import RedisError

logger = logging.getLogger("reelhouse.traffic")

FAILURE_LOG_SECONDS = 60.0
RETRY_REDIS_SECONDS = 5.0
"""After Redis failed, how long checks stay on the process's own buckets before trying it
again (so a dead Redis costs no connect attempt per request)."""
MAX_MEMORY_BUCKETS = 100_000
"""Buckets kept in a process; beyond it, full (idle) ones are forgotten."""


@dataclass(frozen=True, slots=True)
class Take:
    """What a bucket said: admitted or not, and what is left."""

    admitted: bool
    remaining: float
    capacity: int
    per_second: float
    cost: int

    @property
    def retry_after(self) -> int:
        """Whole seconds until ``cost`` points are there (at least 1 when refused)."""
        if self.admitted:
            return 0
        missing = max(0.0, self.cost - self.remaining)
        return max(1, math.ceil(missing / self.per_second))

    @property
    def full_in(self) -> int:
        """Whole seconds until the bucket is full again."""
        return max(0, math.ceil((self.capacity - self.remaining) / self.per_second))


@dataclass(frozen=True, slots=True)
class Count:
    """A daily counter after counting (``quota_exceeded``: over the organisation's quota)."""

    organization: int
    quota_exceeded: bool


@dataclass(frozen=True, slots=True)
class Day:
    """The UTC day requests are counted in, and the usage keys to count under."""

    stamp: str
    seconds_left: int
    organization_key: str
    member: str
    quota: int


class Buckets(Protocol):
    async def take(
        self, key: str, cost: int, capacity: int, per_second: float, day: Day | None = None
    ) -> tuple[Take, Count | None]:
        """Take ``cost`` (refund when negative); with ``day``, first count the request under
        the organisation and ``day.member`` and refuse it (taking nothing) past the quota."""
        ...

    async def peek(self, key: str, capacity: int, per_second: float) -> Take: ...

    async def usage(self, organization_key: str) -> dict[str, int]:
        """Today's counts of one organisation: ``_total`` and one per member."""
        ...

    async def count(
        self, organization_key: str, member: str, seconds_left: int, amount: int = 1
    ) -> int:
        """Adds ``amount`` to a daily counter (webhook deliveries) and returns its total."""
        ...


class MemoryBuckets:
    """Buckets in this process (the embedded default, and the fallback when Redis is down)."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.counters: dict[str, dict[str, int]] = {}

    def _level(self, key: str, capacity: int, per_second: float, now: float) -> float:
        tokens, at = self.buckets.get(key, (float(capacity), now))
        return min(float(capacity), tokens + max(0.0, now - at) * per_second)

    async def take(
        self, key: str, cost: int, capacity: int, per_second: float, day: Day | None = None
    ) -> tuple[Take, Count | None]:
        now = self.clock()
        tokens = self._level(key, capacity, per_second, now)
        counted = None
        if day is not None:
            counts = self.counters.setdefault(day.organization_key, {})
            total = counts.get("_total", 0)
            if total >= day.quota:
                self.buckets[key] = (tokens, now)
                refused = Take(False, tokens, capacity, per_second, cost)
                return refused, Count(total, True)
            counts["_total"] = total + 1
            counts[day.member] = counts.get(day.member, 0) + 1
            counted = Count(total + 1, False)
            self._forget_old_days(day.stamp)
        admitted = cost <= tokens
        if admitted:
            tokens = min(float(capacity), tokens - cost)
        self.buckets[key] = (tokens, now)
        if len(self.buckets) > MAX_MEMORY_BUCKETS:
            self._forget_full(now, capacity, per_second)
        return Take(admitted, tokens, capacity, per_second, cost), counted

    async def peek(self, key: str, capacity: int, per_second: float) -> Take:
        tokens = self._level(key, capacity, per_second, self.clock())
        return Take(True, tokens, capacity, per_second, 0)

    async def usage(self, organization_key: str) -> dict[str, int]:
        return dict(self.counters.get(organization_key, {}))

    async def count(
        self, organization_key: str, member: str, seconds_left: int, amount: int = 1
    ) -> int:
        counts = self.counters.setdefault(organization_key, {})
        counts[member] = counts.get(member, 0) + amount
        return counts[member]

    def _forget_old_days(self, stamp: str) -> None:
        if len(self.counters) > MAX_MEMORY_BUCKETS:
            for key in [k for k in self.counters if stamp not in k]:
                del self.counters[key]

    def _forget_full(self, now: float, capacity: int, per_second: float) -> None:
        horizon = capacity / per_second if per_second else 0.0
        for key, (_tokens, at) in list(self.buckets.items()):
            if now - at > horizon:
                del self.buckets[key]


TAKE_SCRIPT = """
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local total = -1
local over = 0
if KEYS[2] then
  local quota = tonumber(ARGV[5])
  total = tonumber(redis.call('HGET', KEYS[2], '_total') or '0')
  if total >= quota then
    over = 1
  else
    total = redis.call('HINCRBY', KEYS[2], '_total', 1)
    redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
    redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
  end
end
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local admitted = 0
if over == 0 and cost <= tokens then
  tokens = math.min(capacity, tokens - cost)
  admitted = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {admitted, tostring(tokens), total, over}
"""

PEEK_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  return tostring(capacity)
end
return tostring(math.min(capacity, tokens + math.max(0, now - at) * rate))
"""


class RedisBuckets:
    """Buckets shared by every process through Redis. When Redis cannot be reached and
    ``fail_open`` is set, the process falls back to its own buckets (limits then hold per
    process), logs that once a minute, and ``degraded`` says so to ``/ready``."""

    def __init__(self, redis: Any, prefix: str, *, fail_open: bool = True) -> None:
        self.redis = redis
        self.prefix = prefix
        self.fail_open = fail_open
        self.fallback = MemoryBuckets()
        self._take = redis.register_script(TAKE_SCRIPT)
        self._peek = redis.register_script(PEEK_SCRIPT)
        self.failed_at: float | None = None
        self._logged_at = -math.inf

    @property
    def degraded(self) -> bool:
        return self.failed_at is not None

    def _failed(self, error: Exception) -> None:
        if not self.fail_open:
            raise error
        now = time.monotonic()
        self.failed_at = now
        if now - self._logged_at >= FAILURE_LOG_SECONDS:
            self._logged_at = now
            logger.warning(
                "Redis is unreachable (%s): rate limits and quotas hold per process until it "
                "is back",
                type(error).__name__,
            )

    def _skipping(self) -> bool:
        return (
            self.failed_at is not None
            and time.monotonic() - self.failed_at < RETRY_REDIS_SECONDS
            and self.fail_open
        )

    def _recovered(self) -> None:
        if self.failed_at is not None:
            self.failed_at = None
            logger.warning("Redis is reachable again: rate limits are global again")

    async def take(
        self, key: str, cost: int, capacity: int, per_second: float, day: Day | None = None
    ) -> tuple[Take, Count | None]:
        keys = [self.prefix + key]
        args: list[Any] = [cost, capacity, per_second]
        if day is not None:
            keys.append(self.prefix + day.organization_key)
            args += [day.member, day.quota, day.seconds_left + 3600]
        if self._skipping():
            return await self.fallback.take(key, cost, capacity, per_second, day)
        try:
            admitted, tokens, total, over = await self._take(keys=keys, args=args)
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.take(key, cost, capacity, per_second, day)
        self._recovered()
        take = Take(bool(admitted), float(tokens), capacity, per_second, cost)
        counted = Count(int(total), bool(over)) if day is not None else None
        return take, counted

    async def peek(self, key: str, capacity: int, per_second: float) -> Take:
        if self._skipping():
            return await self.fallback.peek(key, capacity, per_second)
        try:
            tokens = await self._peek(keys=[self.prefix + key], args=[capacity, per_second])
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.peek(key, capacity, per_second)
        self._recovered()
        return Take(True, float(tokens), capacity, per_second, 0)

    async def usage(self, organization_key: str) -> dict[str, int]:
        try:
            raw = await self.redis.hgetall(self.prefix + organization_key)
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.usage(organization_key)
        return {_text(k): int(v) for k, v in raw.items()}

    async def count(
        self, organization_key: str, member: str, seconds_left: int, amount: int = 1
    ) -> int:
        key = self.prefix + organization_key
        if self._skipping():
            return await self.fallback.count(organization_key, member, seconds_left, amount)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hincrby(key, member, amount)
                pipe.expire(key, seconds_left + 3600)
                total, _ = await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.count(organization_key, member, seconds_left, amount)
        return int(total)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
