"""Rate-limit leases on Redis (``app.traffic.buckets.RedisBuckets``): a process takes 1 % of a
bucket ahead, so most requests cost no round trip, while the limit, the headers and the day's
usage stay what one shared bucket says."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from app.redis import connect as connect_redis
from app.traffic import buckets as buckets_module
from app.traffic.buckets import Day, RedisBuckets
from tests.conftest import Backend

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

CAPACITY = 1000
PER_SECOND = CAPACITY / 60
DAY = Day("20261204", 3600, "usage:20261204:org_lease", "key_lease", 10**6)


class Counted:
    """The take script, counting its calls."""

    def __init__(self, script: Any) -> None:
        self.script = script
        self.calls = 0

    async def __call__(self, **kwargs: Any) -> Any:
        self.calls += 1
        return await self.script(**kwargs)


@pytest_asyncio.fixture(loop_scope="session")
async def shared(backend: Backend) -> AsyncIterator[tuple[RedisBuckets, RedisBuckets]]:
    """Two processes' buckets on one Redis namespace."""
    redis = connect_redis(backend.settings)
    assert redis is not None
    prefix = f"{backend.settings.redis_prefix}lease-{secrets.token_hex(3)}:"
    try:
        yield RedisBuckets(redis, prefix), RedisBuckets(redis, prefix)
    finally:
        await redis.aclose()


async def take(buckets: RedisBuckets, cost: int = 1, key: str = "rl:read:key_lease") -> Any:
    found, _ = await buckets.take(key, cost, CAPACITY, PER_SECOND, DAY)
    return found


async def test_most_requests_cost_no_round_trip(shared: tuple[RedisBuckets, RedisBuckets]) -> None:
    one, _ = shared
    counted = Counted(one._take)
    one._take = counted
    remaining = [int((await take(one)).remaining) for _ in range(110)]
    assert counted.calls <= 10, "one call per lease of 10 points, not one per request"
    assert remaining == list(range(CAPACITY - 1, CAPACITY - 111, -1)), "exact for one process"
    usage = await one.usage(DAY.organization_key)
    assert (usage["_total"], usage[DAY.member]) == (110, 110)


async def test_two_processes_never_admit_more_than_the_bucket(
    shared: tuple[RedisBuckets, RedisBuckets],
) -> None:
    one, two = shared
    small = 300

    async def hammer(buckets: RedisBuckets) -> int:
        admitted = 0
        for _ in range(250):
            found, _ = await buckets.take("rl:read:both", 1, small, 0.0001, DAY)
            admitted += found.admitted
        return admitted

    results = await asyncio.gather(*(hammer(b) for b in (one, two, one, two)))
    assert small - 2 * 3 <= sum(results) <= small, results


async def test_an_unspent_lease_goes_back_to_the_bucket(
    shared: tuple[RedisBuckets, RedisBuckets], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = shared
    monkeypatch.setattr(buckets_module, "LEASE_SECONDS", 0.05)
    await take(one, key="rl:read:back")
    held = await two.peek("rl:read:back", CAPACITY, PER_SECOND)
    assert int(held.remaining) <= CAPACITY - 1 - 10, "the other process sees the lease taken"
    await asyncio.sleep(0.1)
    await take(one, key="rl:read:back")
    seen = await two.peek("rl:read:back", CAPACITY, PER_SECOND)
    assert int(seen.remaining) >= CAPACITY - 2 - 10, "the stale lease came back"


async def test_a_large_refund_goes_straight_back(
    shared: tuple[RedisBuckets, RedisBuckets],
) -> None:
    one, two = shared
    await take(one, cost=500, key="rl:read:refund")
    await one.take("rl:read:refund", -450, CAPACITY, PER_SECOND)
    seen = await two.peek("rl:read:refund", CAPACITY, PER_SECOND)
    assert int(seen.remaining) >= CAPACITY - 50 - 10, "others may spend the refund at once"
