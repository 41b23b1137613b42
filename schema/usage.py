"""``rateLimit`` (the caller's buckets, free to ask) and ``usage`` (the organisation's day)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.traffic.buckets import Take
from app.traffic.cost import FREE, FieldCost
from app.traffic.record import RateClass
from resolvers import traffic as logic
from schema.costs import cost_metadata
from schema.fields import query_field

MAX_CREDENTIALS_SHOWN = 1000

RateLimitResource = strawberry.enum(
    RateClass,
    name="RateLimitResource",
    description="`READ`: queries and GET; `WRITE`: mutations, POST, PATCH and DELETE.",
)


INT_MAX = 2**31 - 1
"""GraphQL's `Int` is 32-bit; a server may be configured with limits past it (a test app, an
internal deployment without limits), which must not make `rateLimit` fail."""


@strawberry.type(description="One of the caller's token buckets, counted in cost points.")
class RateLimit:
    resource: RateLimitResource  # type: ignore[valid-type]
    limit: int = strawberry.field(
        description="Points a minute, and the most the bucket holds (at most 2147483647: a "
        "larger configured limit reads as that)."
    )
    remaining: int = strawberry.field(description="Points available now (at most 2147483647).")
    restore_rate: float = strawberry.field(description="Points restored per second.")
    reset_at: datetime = strawberry.field(description="When the bucket is full again.")


@strawberry.type(description="The caller's rate limits; asking costs nothing.")
class RateLimitStatus:
    cost: int = strawberry.field(description="What this query cost: always 0.")
    read: RateLimit
    write: RateLimit


def _bucket(resource: RateClass, take: Take) -> RateLimit:
    return RateLimit(
        resource=resource,
        limit=min(take.capacity, INT_MAX),
        remaining=min(int(take.remaining), INT_MAX),
        restore_rate=round(take.per_second, 3),
        reset_at=datetime.fromtimestamp(int(time.time()) + take.full_in, UTC),
    )


@strawberry.type(description="Requests one credential made today.")
class CredentialUsage:
    credential_id: strawberry.ID = strawberry.field(
        description="An API key's id, or an OAuth client's for its access tokens."
    )
    requests: int


@strawberry.type(description="The organisation's counts for the current UTC day.")
class Usage:
    day: date
    resets_at: datetime = strawberry.field(description="Midnight UTC, when the counts restart.")
    requests: int = strawberry.field(description="Authenticated requests today.")
    request_quota: int = strawberry.field(
        description="Requests allowed a day; beyond it, 429 `QUOTA_EXCEEDED` until midnight UTC."
    )
    webhook_deliveries: int = strawberry.field(description="Webhook deliveries sent today.")
    webhook_delivery_quota: int = strawberry.field(
        description="Deliveries sent a day; further ones wait for the next day."
    )
    credentials: list[CredentialUsage] = strawberry.field(
        description=f"Requests per credential, most first (the first {MAX_CREDENTIALS_SHOWN}); "
        "a caller limited to projects sees its own only.",
        metadata=cost_metadata(FieldCost(max_items=MAX_CREDENTIALS_SHOWN, items_per_point=100)),
    )


@strawberry.type
class UsageQueries:
    @query_field(
        scope=None,
        about_caller=True,
        description="The caller's rate limits (GitHub's `rateLimit`): both buckets, what is "
        "left and when they are full again. Costs nothing.",
        cost=FREE,
    )
    async def rate_limit(self, info: Info) -> RateLimitStatus:
        buckets = await logic.rate_limits(info.context)
        return RateLimitStatus(
            cost=0,
            read=_bucket(RateClass.READ, buckets[RateClass.READ]),
            write=_bucket(RateClass.WRITE, buckets[RateClass.WRITE]),
        )

    @query_field(
        scope=Scope.KEYS_READ,
        description="Today's requests (in all and per credential) and webhook deliveries of "
        "the organisation, with its daily quotas.",
    )
    async def usage(self, info: Info) -> Usage:
        found = await logic.usage_today(info.context)
        return Usage(
            day=found.day,
            resets_at=found.resets_at,
            requests=min(found.requests, INT_MAX),
            request_quota=min(found.request_quota, INT_MAX),
            webhook_deliveries=min(found.webhook_deliveries, INT_MAX),
            webhook_delivery_quota=min(found.webhook_delivery_quota, INT_MAX),
            credentials=[
                CredentialUsage(credential_id=strawberry.ID(k), requests=v)
                for k, v in list(found.per_credential.items())[:MAX_CREDENTIALS_SHOWN]
            ],
        )


QUERIES: tuple[type, ...] = (UsageQueries,)
MUTATIONS: tuple[type, ...] = ()
