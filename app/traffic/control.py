"""``TrafficControl``: the one entry point of rate limits and quotas.

Per credential, two token buckets (``read`` and ``write``) counted in cost points per minute,
holding one minute's worth (the burst); per organisation, a daily request quota counted in the
same atomic step as the bucket; per client address, a bucket for requests that present no
valid credential. The transports call it through ``RequestTraffic`` (schema extension, before
and after execution) and the middleware (requests that executed nothing, 304s, headers).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.auth.principal import Principal
from app.errors import ApiError, ErrorCode
from app.settings import Settings
from app.traffic.buckets import Buckets, Day, MemoryBuckets, RedisBuckets, Take
from app.traffic.record import RateClass, RequestTraffic

NOT_MODIFIED_COST = 1
"""A ``304 Not Modified`` still authenticated and ran its query, but sent nothing back."""
UNEXECUTED_COST = 1
"""A request refused before any operation ran (bad JSON, unknown route): it is counted."""
SECONDS_PER_MINUTE = 60
WEBHOOK_MEMBER = "_webhook_deliveries"
"""Where the day's webhook deliveries are counted, next to the requests (``_total``)."""


@dataclass(frozen=True, slots=True)
class Usage:
    day: date
    resets_at: datetime
    requests: int
    request_quota: int
    webhook_deliveries: int
    webhook_delivery_quota: int
    per_credential: dict[str, int]
    """Requests per credential id, most first."""


def seconds_to_midnight(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((tomorrow - now).total_seconds()))


class TrafficControl:
    def __init__(self, settings: Settings, buckets: Buckets) -> None:
        self.settings = settings
        self.buckets = buckets
        self.enabled = settings.rate_limits
        self._blocked: dict[str, float] = {}

    @classmethod
    def build(cls, settings: Settings, redis: object | None) -> TrafficControl:
        """Redis buckets when Redis is configured (limits hold across processes), else
        in-process ones."""
        if redis is None:
            return cls(settings, MemoryBuckets())
        buckets = RedisBuckets(
            redis, settings.redis_prefix + "traffic:", fail_open=settings.rate_limit_fail_open
        )
        return cls(settings, buckets)

    @property
    def degraded(self) -> bool:
        return isinstance(self.buckets, RedisBuckets) and self.buckets.degraded

    def limit(self, principal: Principal, resource: RateClass) -> int:
        """Points per minute (and the burst) of a credential's bucket."""
        if resource is RateClass.READ:
            return principal.read_rate_limit or self.settings.rate_limit_read_per_minute
        return principal.write_rate_limit or self.settings.rate_limit_write_per_minute

    def record(self, principal: Principal, method: str) -> RequestTraffic:
        return RequestTraffic(self, principal, RateClass.of_method(method))

    def _day(self, principal: Principal) -> Day:
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d")
        return Day(
            stamp=stamp,
            seconds_left=seconds_to_midnight(now),
            organization_key=f"usage:{stamp}:{principal.org_id}",
            member=principal.credential_id,
            quota=self.settings.daily_request_quota,
        )

    async def _take(
        self, record: RequestTraffic, resource: RateClass, cost: int
    ) -> tuple[Take, bool]:
        """Takes ``cost`` from the credential's bucket, counting the request first if it has
        not been; returns the bucket and whether the day's quota refused it."""
        capacity = self.limit(record.principal, resource)
        day = None if record.counted else self._day(record.principal)
        take, count = await self.buckets.take(
            f"rl:{resource.value}:{record.credential_id}",
            cost,
            capacity,
            capacity / SECONDS_PER_MINUTE,
            day,
        )
        record.counted = True
        record.take = take
        return take, count is not None and count.quota_exceeded

    async def admit(self, record: RequestTraffic, resource: RateClass, cost: int) -> None:
        record.resource = resource
        record.requested_cost = cost
        maximum = self.settings.max_query_cost
        if cost > maximum:
            record.refused = ErrorCode.QUERY_TOO_COMPLEX
            raise ApiError(
                ErrorCode.QUERY_TOO_COMPLEX,
                f"This query costs {cost} points; the most one request may cost is {maximum}.",
                extensions={"cost": cost, "maximumCost": maximum},
            )
        if not self.enabled:
            return
        capacity = self.limit(record.principal, resource)
        if cost > capacity:
            record.refused = ErrorCode.QUERY_TOO_COMPLEX
            raise ApiError(
                ErrorCode.QUERY_TOO_COMPLEX,
                f"This query costs {cost} points, more than this credential's {resource.value} "
                f"limit of {capacity} points a minute.",
                extensions={"cost": cost, "maximumCost": capacity},
            )
        take, over_quota = await self._take(record, resource, cost)
        if over_quota:
            record.refused = ErrorCode.QUOTA_EXCEEDED
            raise ApiError(
                ErrorCode.QUOTA_EXCEEDED,
                f"The organisation's daily quota of {self.settings.daily_request_quota:,} "
                "requests is used up; it resets at midnight UTC.",
                headers={"Retry-After": str(seconds_to_midnight(datetime.now(UTC)))},
            )
        if not take.admitted:
            record.refused = ErrorCode.RATE_LIMIT_EXCEEDED
            raise ApiError(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                f"Rate limit exceeded: this request costs {cost} {resource.value} points and "
                f"{int(take.remaining)} are available; retry in {take.retry_after} s.",
                headers={"Retry-After": str(take.retry_after), **self.header_dict(record)},
                extensions={"cost": record.cost_extension()},
            )
        record.charged = cost

    async def settle(self, record: RequestTraffic, actual: int) -> None:
        record.actual_cost = actual
        await self.refund_to(record, actual)

    async def refund_to(self, record: RequestTraffic, cost: int) -> None:
        if not self.enabled or record.charged <= cost:
            return
        capacity = self.limit(record.principal, record.resource)
        take, _ = await self.buckets.take(
            f"rl:{record.resource.value}:{record.credential_id}",
            cost - record.charged,
            capacity,
            capacity / SECONDS_PER_MINUTE,
        )
        record.charged = cost
        record.take = take

    async def finish(self, record: RequestTraffic, status: int) -> None:
        """At the response: a request that executed nothing is counted (and costs
        ``UNEXECUTED_COST``); a 304 costs ``NOT_MODIFIED_COST``."""
        if not self.enabled or record.refused is not None:
            return
        if record.requested_cost is None and record.take is None:
            take, _ = await self._take(record, record.resource, UNEXECUTED_COST)
            if take.admitted:
                record.charged = UNEXECUTED_COST
        elif status == 304:
            await self.refund_to(record, NOT_MODIFIED_COST)

    def header_dict(self, record: RequestTraffic) -> dict[str, str]:
        take = record.take
        if take is None:
            return {}
        name = record.resource.value
        full_in = take.full_in
        return {
            "X-RateLimit-Limit": str(take.capacity),
            "X-RateLimit-Remaining": str(int(take.remaining)),
            "X-RateLimit-Reset": str(int(time.time()) + full_in),
            "X-RateLimit-Resource": name,
            "RateLimit-Policy": f'"{name}";q={take.capacity};w={SECONDS_PER_MINUTE}',
            "RateLimit": f'"{name}";r={int(take.remaining)};t={full_in}',
        }

    def headers(self, record: RequestTraffic) -> Sequence[tuple[bytes, bytes]]:
        return [(k.lower().encode(), v.encode()) for k, v in self.header_dict(record).items()]

    async def status(self, principal: Principal) -> dict[RateClass, Take]:
        """Both buckets of a credential as they are now, without spending anything."""
        found = {}
        for resource in RateClass:
            capacity = self.limit(principal, resource)
            found[resource] = await self.buckets.peek(
                f"rl:{resource.value}:{principal.credential_id}",
                capacity,
                capacity / SECONDS_PER_MINUTE,
            )
        return found

    async def usage(self, org_id: str) -> Usage:
        """Today's (UTC) counts of an organisation: requests in all and per credential, and
        webhook deliveries."""
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d")
        counts = await self.buckets.usage(f"usage:{stamp}:{org_id}")
        requests = counts.pop("_total", 0)
        deliveries = counts.pop(WEBHOOK_MEMBER, 0)
        return Usage(
            day=now.date(),
            resets_at=now + timedelta(seconds=seconds_to_midnight(now)),
            requests=requests,
            request_quota=self.settings.daily_request_quota,
            webhook_deliveries=deliveries,
            webhook_delivery_quota=self.settings.daily_webhook_quota,
            per_credential=dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        )

    async def take_deliveries(self, org_id: str, wanted: int) -> int:
        """Counts up to ``wanted`` webhook delivery attempts about to be sent and returns how
        many the organisation's daily quota allows (the rest wait for the next UTC day)."""
        if not self.enabled or wanted <= 0:
            return wanted
        now = datetime.now(UTC)
        key = f"usage:{now.strftime('%Y%m%d')}:{org_id}"
        left = seconds_to_midnight(now)
        total = await self.buckets.count(key, WEBHOOK_MEMBER, left, wanted)
        over = min(wanted, max(0, total - self.settings.daily_webhook_quota))
        if over:
            await self.buckets.count(key, WEBHOOK_MEMBER, left, -over)
        return wanted - over

    # Requests without a valid credential share one bucket per client address.

    def blocked_for(self, address: str) -> int:
        """Seconds this address must still wait, as this process last saw its bucket."""
        until = self._blocked.get(address)
        if until is None:
            return 0
        left = until - time.monotonic()
        if left <= 0:
            del self._blocked[address]
            return 0
        return math.ceil(left)

    async def charge_anonymous(self, address: str) -> None:
        if not self.enabled:
            return
        capacity = self.settings.rate_limit_anonymous_per_minute
        take, _ = await self.buckets.take(
            f"rl:anonymous:{address}", 1, capacity, capacity / SECONDS_PER_MINUTE
        )
        if take.remaining < 1 or not take.admitted:
            wait = max(1.0, (1 - take.remaining) / take.per_second)
            if len(self._blocked) > 100_000:
                self._blocked.clear()
            self._blocked[address] = time.monotonic() + wait
