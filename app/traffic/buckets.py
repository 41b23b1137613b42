"""Token buckets: in this process, or in Redis (one atomic Lua script per check) so that every
process draws on the same bucket.

A bucket holds up to ``capacity`` points and refills at ``per_second``; taking ``cost`` points
succeeds when that many are there. A negative cost is a refund (never refused, never above
capacity). The same script also counts the request in the day's usage and checks the
organisation's daily quota, so an admitted request costs at most one round trip to Redis, and
most cost none: the script also leases points ahead to the process (``RedisBuckets``).
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
local extra = tonumber(ARGV[4])
local returned = tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local total = -1
local over = 0
if KEYS[2] then
  local pending = tonumber(ARGV[6])
  local quota = tonumber(ARGV[8])
  if pending > 0 then
    redis.call('HINCRBY', KEYS[2], '_total', pending)
    redis.call('HINCRBY', KEYS[2], ARGV[7], pending)
  end
  total = tonumber(redis.call('HGET', KEYS[2], '_total') or '0')
  if total >= quota then
    over = 1
  else
    total = redis.call('HINCRBY', KEYS[2], '_total', 1)
    redis.call('HINCRBY', KEYS[2], ARGV[7], 1)
  end
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[9]))
  if quota - total <= extra then
    extra = 0
  end
end
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate + returned)
local admitted = 0
local granted = 0
if over == 0 and cost <= tokens then
  granted = math.max(cost, math.min(tokens, cost + extra))
  tokens = math.min(capacity, tokens - granted)
  admitted = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {admitted, tostring(tokens), total, over, tostring(granted)}
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


LEASE_FRACTION = 0.01
"""Of a bucket's capacity, what a process takes ahead from Redis when it takes points: the
requests that follow spend it without a round trip. Buckets under 100 points lease nothing."""
LEASE_SECONDS = 1.0
"""A lease not spent within this is given back with the process's next call for the bucket,
so points taken ahead cannot be spent long after the shared bucket has refilled."""


@dataclass(slots=True)
class Lease:
    """Points this process took ahead from one shared bucket, and the requests it admitted
    from them that the day's usage has not counted yet."""

    tokens: float
    base: float
    """The shared bucket's level after the lease was taken (what others could still take)."""
    at: float
    pending: int = 0
    organization_key: str | None = None
    member: str | None = None

    def fresh(self, now: float) -> bool:
        return now - self.at <= LEASE_SECONDS


class RedisBuckets:
    """Buckets shared by every process through Redis. When Redis cannot be reached and
    ``fail_open`` is set, the process falls back to its own buckets (limits then hold per
    process), logs that once a minute, and ``degraded`` says so to ``/ready``.

    Why leases: a round trip to Redis is most of what rate limiting costs a request (about
    0.13 ms of CPU, against 0.013 ms for an in-process bucket). Whenever a process calls Redis
    it takes 1 % of the bucket ahead (``LEASE_FRACTION``) and admits the next requests from it
    locally, counting them in the day's usage with its next call. What this gives up is small
    and bounded: at most one lease per process is held back from the others (the limit is exact
    to within 1 % per process), and near the daily quota nothing is leased, so one process
    keeps the quota exactly."""

    def __init__(self, redis: Any, prefix: str, *, fail_open: bool = True) -> None:
        self.redis = redis
        self.prefix = prefix
        self.fail_open = fail_open
        self.fallback = MemoryBuckets()
        self._take = redis.register_script(TAKE_SCRIPT)
        self._peek = redis.register_script(PEEK_SCRIPT)
        self.failed_at: float | None = None
        self._logged_at = -math.inf
        self.leases: dict[str, Lease] = {}

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
        if self._skipping():
            return await self.fallback.take(key, cost, capacity, per_second, day)
        now = time.monotonic()
        extra = int(capacity * LEASE_FRACTION)
        lease = self.leases.get(key)
        if lease is not None and lease.fresh(now):
            local = self._take_leased(lease, cost, extra, capacity, per_second, day)
            if local is not None:
                return local
        # Taken out of the lease before the await: requests running meanwhile must neither
        # spend what is being given back nor give it back a second time.
        returned, pending = 0.0, 0
        if lease is not None:
            returned, lease.tokens = lease.tokens, 0.0
            if day is not None:
                pending, lease.pending = lease.pending, 0
        keys = [self.prefix + key]
        args: list[Any] = [cost, capacity, per_second, extra if cost > 0 else 0, returned]
        if day is not None:
            keys.append(self.prefix + day.organization_key)
            args += [pending, day.member, day.quota, day.seconds_left + 3600]
        try:
            admitted, tokens, total, over, granted = await self._take(keys=keys, args=args)
        except (RedisError, OSError) as error:
            if lease is not None:
                lease.pending += pending
            self._failed(error)
            return await self.fallback.take(key, cost, capacity, per_second, day)
        self._recovered()
        level = float(tokens)
        held = float(granted) - cost if admitted else 0.0
        lease = self.leases.get(key)
        if held > 0 or lease is not None:
            lease = self._lease(key, lease, held, level, now, day)
        remaining = level + (lease.tokens if lease is not None else 0.0)
        take = Take(bool(admitted), remaining, capacity, per_second, cost)
        counted = Count(int(total), bool(over)) if day is not None else None
        return take, counted

    def _take_leased(
        self,
        lease: Lease,
        cost: int,
        extra: int,
        capacity: int,
        per_second: float,
        day: Day | None,
    ) -> tuple[Take, Count | None] | None:
        """``cost`` from the lease, or None when Redis must be asked (the lease is short, or a
        refund is larger than a lease: the other processes should have it back)."""
        if cost > lease.tokens or -cost > extra:
            return None
        lease.tokens -= cost
        counted = None
        if day is not None:
            lease.pending += 1
            lease.organization_key, lease.member = day.organization_key, day.member
            counted = Count(-1, False)
        remaining = min(float(capacity), lease.base + lease.tokens)
        return Take(True, remaining, capacity, per_second, cost), counted

    def _lease(
        self,
        key: str,
        lease: Lease | None,
        held: float,
        level: float,
        now: float,
        day: Day | None,
    ) -> Lease:
        """Adds ``held`` to the bucket's lease (others may have added theirs meanwhile)."""
        if lease is None:
            lease = self.leases[key] = Lease(held, level, now)
        else:
            lease.tokens += held
            lease.base, lease.at = level, now
        if day is not None:
            lease.organization_key, lease.member = day.organization_key, day.member
        if len(self.leases) > MAX_MEMORY_BUCKETS:
            for stale in [k for k, v in self.leases.items() if not v.fresh(now) and not v.pending]:
                del self.leases[stale]
        return lease

    async def peek(self, key: str, capacity: int, per_second: float) -> Take:
        if self._skipping():
            return await self.fallback.peek(key, capacity, per_second)
        try:
            tokens = await self._peek(keys=[self.prefix + key], args=[capacity, per_second])
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.peek(key, capacity, per_second)
        self._recovered()
        lease = self.leases.get(key)
        held = lease.tokens if lease is not None and lease.fresh(time.monotonic()) else 0.0
        return Take(True, min(float(capacity), float(tokens) + held), capacity, per_second, 0)

    async def usage(self, organization_key: str) -> dict[str, int]:
        """As Redis counts them, plus what this process admitted from its leases and has not
        counted there yet (other processes' show with their next call)."""
        try:
            raw = await self.redis.hgetall(self.prefix + organization_key)
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self.fallback.usage(organization_key)
        counts = {_text(k): int(v) for k, v in raw.items()}
        for lease in self.leases.values():
            if lease.pending and lease.organization_key == organization_key and lease.member:
                counts["_total"] = counts.get("_total", 0) + lease.pending
                counts[lease.member] = counts.get(lease.member, 0) + lease.pending
        return counts

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
