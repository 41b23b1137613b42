"""``GET /metrics``: Prometheus text format, behind ``REELHOUSE_METRICS_TOKEN`` when set.

Gauges of shared state (the webhook queue, the outbox) are read from the store at each scrape,
with queries the partial indexes answer (pending deliveries, undispatched events), so a scrape
costs a few index lookups whatever the tables' sizes.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlmodel import col
from starlette.requests import Request
from starlette.responses import Response

from app import metrics
from app.clock import as_utc, utcnow
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.http.authentication import bearer_token
from app.http.headers import header
from app.models import DeliveryStatus, Event, WebhookDelivery


def metrics_endpoint(
    db: Database, token: SecretStr | None
) -> Callable[[Request], Awaitable[Response]]:
    """The ``/metrics`` route: ``token`` (``REELHOUSE_METRICS_TOKEN``) required when set."""
    sampler = Sampler(db)
    expected = token.get_secret_value().encode() if token is not None else None

    async def serve(request: Request) -> Response:
        if expected is not None:
            presented = bearer_token(header(request.scope, b"authorization")) or ""
            if not hmac.compare_digest(presented.encode(), expected):
                raise ApiError(
                    ErrorCode.UNAUTHENTICATED,
                    "Send the metrics token as `Authorization: Bearer <token>`.",
                    headers={"WWW-Authenticate": 'Bearer realm="reelhouse-metrics"'},
                )
        await sampler.sample()
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return serve


class Sampler:
    """Reads the gauges of shared state from the store."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def sample(self) -> None:
        now = utcnow()
        pending = col(WebhookDelivery.status) == DeliveryStatus.PENDING
        async with self.db.reading() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(col(WebhookDelivery.created_at))).where(pending)
                )
            ).one()
            overdue = (
                await session.execute(
                    select(func.min(col(WebhookDelivery.next_attempt_at))).where(
                        pending, col(WebhookDelivery.next_attempt_at) <= now
                    )
                )
            ).scalar()
            undispatched = (
                await session.execute(
                    select(func.count()).where(col(Event.dispatched_at).is_(None))
                )
            ).scalar()
        metrics.WEBHOOKS_PENDING.set(count or 0)
        metrics.WEBHOOK_OLDEST_PENDING.set(
            (now - as_utc(oldest)).total_seconds() if oldest is not None else 0
        )
        metrics.WEBHOOK_MOST_OVERDUE.set(
            max((now - as_utc(overdue)).total_seconds(), 0) if overdue is not None else 0
        )
        metrics.EVENTS_UNDISPATCHED.set(undispatched or 0)
        metrics.DB_POOL_IN_USE.set(sum(_checked_out(engine) for engine in self.db.engines))


def _checked_out(engine: object) -> int:
    pool = getattr(getattr(engine, "sync_engine", None), "pool", None)
    checked = getattr(pool, "checkedout", None)
    return int(checked()) if callable(checked) else 0
