"""The webhook sender: claims due deliveries, signs and posts them, records every attempt.

A claim is a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) that counts the attempt
and leases the delivery for ``webhook_claim_seconds``; the POST happens outside any transaction,
and a second one records the outcome. A sender killed mid-flight leaves the delivery pending, and
once the lease ends another sender (or the restarted one) sends it again with the same
``webhook-id``: deliveries are at least once, never lost.

Ordering: a delivery is only claimable when no earlier delivery of the same aggregate to the
same endpoint is still pending and no earlier event of that aggregate is still undispatched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

import httpx
import orjson
from sqlalchemy import Select, and_, exists, func, literal_column, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from app.clock import isoformat, utcnow
from app.database import Database
from app.events.bus import DELIVERIES, OUTBOX, EventBus
from app.events.policy import Decision, Outcome, Verdict, decide
from app.events.records import envelope
from app.events.signing import signature_headers
from app.events.transport import new_client, post
from app.models import DeliveryStatus, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.outbox import record_event
from app.settings import Settings

logger = logging.getLogger("reelhouse.webhooks")

Renderer = Callable[[WebhookEndpoint, Event], Awaitable[dict[str, Any]]]
PENDING: ColumnElement[Any] = literal_column("'pending'")
"""Inline, so the planner can use the partial indexes on pending deliveries."""


class PayloadUnavailable(Exception):
    """The payload cannot be built and retrying will not help (e.g. the owner key is revoked)."""


async def event_payload(_endpoint: WebhookEndpoint, event: Event) -> dict[str, Any]:
    return envelope(event)


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery a sender holds the lease on, with everything needed to send it."""

    delivery_id: str
    org_id: str
    attempt: int
    attempt_in_round: int
    message_id: str
    endpoint: WebhookEndpoint
    event: Event | None
    payload: dict[str, Any] | None = None
    is_test: bool = False

    @classmethod
    def of(cls, delivery: WebhookDelivery, endpoint: WebhookEndpoint, event: Event | None) -> Claim:
        return cls(
            delivery_id=delivery.id,
            org_id=delivery.org_id,
            attempt=delivery.attempt_count,
            attempt_in_round=delivery.attempt_count - delivery.retry_base,
            message_id=delivery.message_id,
            endpoint=endpoint,
            event=event,
            payload=delivery.payload,
            is_test=delivery.is_test,
        )


def secrets_in_use(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, plus the previous one while its grace period lasts."""
    secrets = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        secrets.append(endpoint.previous_secret)
    return secrets


def claimable(now: datetime, limit: int) -> Select[WebhookDelivery, WebhookEndpoint]:
    d = WebhookDelivery
    earlier = aliased(WebhookDelivery)
    earlier_pending = exists().where(
        col(earlier.endpoint_id) == col(d.endpoint_id),
        col(earlier.aggregate_id) == col(d.aggregate_id),
        col(earlier.status) == PENDING,
        or_(
            col(earlier.sequence) < col(d.sequence),
            and_(col(earlier.sequence) == col(d.sequence), col(earlier.id) < col(d.id)),
        ),
    )
    earlier_undispatched = exists().where(
        col(Event.aggregate_id) == col(d.aggregate_id),
        col(Event.sequence) < col(d.sequence),
        col(Event.dispatched_at).is_(None),
    )
    return (
        select(d, WebhookEndpoint)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(d.endpoint_id))
        .where(
            col(d.status) == PENDING,
            col(d.next_attempt_at) <= now,
            col(WebhookEndpoint.enabled).is_(True),
            ~earlier_pending,
            ~earlier_undispatched,
        )
        .order_by(col(d.next_attempt_at))
        .limit(limit)
        .with_for_update(of=d, skip_locked=True)
    )


def take_rate_slot(endpoint: WebhookEndpoint, now: datetime) -> float | None:
    """GCRA with a burst of one second's worth: None if a delivery may go now (the slot is
    taken), else the seconds until one may."""
    rate = endpoint.rate_limit or 0
    if rate <= 0:
        return None
    interval = 1.0 / rate
    tolerance = interval * (rate - 1)
    tat = max(endpoint.rate_next_at or now, now)
    ahead = (tat - now).total_seconds()
    if ahead > tolerance + 1e-9:
        return ahead - tolerance
    endpoint.rate_next_at = tat + timedelta(seconds=interval)
    return None


def disable_endpoint(session: AsyncSession, endpoint: WebhookEndpoint, reason: str) -> None:
    """Disable and record ``webhook_endpoint.disabled`` in the caller's transaction."""
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:300]
    endpoint.touch()
    session.add(endpoint)
    record_event(session, endpoint, "disabled")


class Sender:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        bus: EventBus | None = None,
        render: Renderer = event_payload,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.bus = bus
        self.render = render
        self._own_client = client is None
        self.client = client or new_client(settings)

    async def __aenter__(self) -> Sender:
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_client:
            await self.client.aclose()

    async def claim(self, limit: int) -> list[Claim]:
        now = utcnow()
        async with self.db.writing() as session:
            rows: list[tuple[WebhookDelivery, WebhookEndpoint]] = [
                (r[0], r[1]) for r in (await session.execute(claimable(now, limit))).all()
            ]
            if not rows:
                return []
            rows = await self._rate_limited(session, rows, now)
            event_ids = [d.event_id for d, _ in rows if d.event_id]
            events: dict[str, Event] = {}
            if event_ids:
                result = await session.execute(select(Event).where(col(Event.id).in_(event_ids)))
                events = {e.id: e for e in result.scalars()}
            lease = now + timedelta(seconds=self.settings.webhook_claim_seconds)
            claims = []
            for delivery, endpoint in rows:
                delivery.attempt_count += 1
                delivery.next_attempt_at = lease
                delivery.updated_at = now
                claims.append(Claim.of(delivery, endpoint, events.get(delivery.event_id or "")))
        return claims

    async def _rate_limited(
        self,
        session: AsyncSession,
        rows: list[tuple[WebhookDelivery, WebhookEndpoint]],
        now: datetime,
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Keeps the deliveries whose endpoint has a free rate slot; postpones the others
        (the attempt is not spent)."""
        limited = sorted({e.id for _, e in rows if e.rate_limit})
        if not limited:
            return rows
        locked = await session.execute(
            select(WebhookEndpoint)
            .where(col(WebhookEndpoint.id).in_(limited))
            .order_by(col(WebhookEndpoint.id))
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
        fresh = {e.id: e for e in locked.scalars()}
        kept = []
        for delivery, endpoint in rows:
            endpoint = fresh.get(endpoint.id, endpoint)
            wait = take_rate_slot(endpoint, now)
            if wait is None:
                kept.append((delivery, endpoint))
            else:
                delivery.next_attempt_at = now + timedelta(seconds=wait)
                delivery.updated_at = now
        return kept

    async def deliver(self, claim: Claim) -> WebhookAttempt:
        """Send one claimed delivery and record the attempt."""
        started = utcnow()
        forced: Verdict | None = None
        try:
            body = orjson.dumps(await self._payload(claim))
        except PayloadUnavailable as error:
            outcome, forced = Outcome(None, 0, error=str(error)[:500]), Verdict.DEAD
        except Exception:
            logger.exception("building the payload of %s failed", claim.delivery_id)
            outcome = Outcome(None, 0, error="internal error while building the payload")
        else:
            headers = signature_headers(
                secrets_in_use(claim.endpoint, started),
                claim.message_id,
                int(started.timestamp()),
                body,
            )
            outcome = await post(
                self.client,
                claim.endpoint.url,
                body,
                headers,
                allow_private=self.settings.webhooks_allow_private_urls,
                total_seconds=self.settings.webhook_timeout_seconds,
            )
        attempt = await self.record(claim, outcome, started, forced)
        if self.bus is not None:
            self.bus.notify(DELIVERIES)
        return attempt

    async def _payload(self, claim: Claim) -> dict[str, Any]:
        if claim.payload is not None:
            return claim.payload
        if claim.event is None:
            raise PayloadUnavailable("The event of this delivery no longer exists.")
        return await self.render(claim.endpoint, claim.event)

    def decision(self, claim: Claim, outcome: Outcome, forced: Verdict | None) -> Decision:
        if forced is not None:
            return Decision(forced)
        return decide(
            outcome,
            attempt_in_round=claim.attempt_in_round,
            schedule=claim.endpoint.retry_schedule or self.settings.webhook_retry_schedule,
            jitter=self.settings.webhook_retry_jitter,
            retries=not claim.is_test,
        )

    async def record(
        self, claim: Claim, outcome: Outcome, started: datetime, forced: Verdict | None = None
    ) -> WebhookAttempt:
        decision = self.decision(claim, outcome, forced)
        now = utcnow()
        attempt = WebhookAttempt(
            org_id=claim.org_id,
            delivery_id=claim.delivery_id,
            attempt=claim.attempt,
            started_at=started,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            succeeded=decision.verdict is Verdict.SUCCEEDED,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            next_attempt_at=decision.next_attempt_at,
        )
        disabled = False
        async with self.db.writing() as session:
            delivery = await session.get(
                WebhookDelivery, claim.delivery_id, with_for_update=self.db.is_postgres
            )
            if delivery is None:
                return attempt
            session.add(attempt)
            if (
                delivery.status is DeliveryStatus.PENDING
                and delivery.attempt_count == claim.attempt
            ):
                self._apply(delivery, outcome, decision, now)
            if not claim.is_test:
                disabled = await self._track_health(session, claim.endpoint.id, decision, now)
        if disabled:
            self.db.committed(OUTBOX)
        return attempt

    @staticmethod
    def _apply(
        delivery: WebhookDelivery, outcome: Outcome, decision: Decision, now: datetime
    ) -> None:
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        delivery.updated_at = now
        if decision.verdict is Verdict.RETRY and decision.next_attempt_at is not None:
            delivery.next_attempt_at = decision.next_attempt_at
            return
        delivery.status = (
            DeliveryStatus.SUCCEEDED
            if decision.verdict is Verdict.SUCCEEDED
            else DeliveryStatus.DEAD
        )
        delivery.finished_at = now

    async def _track_health(
        self, session: AsyncSession, endpoint_id: str, decision: Decision, now: datetime
    ) -> bool:
        """Clears the failing streak on success; disables the endpoint on 410 or after failing
        for ``webhook_disable_after_seconds``. True if it was disabled."""
        if decision.verdict is Verdict.SUCCEEDED:
            await session.execute(
                update(WebhookEndpoint)
                .where(
                    col(WebhookEndpoint.id) == endpoint_id,
                    col(WebhookEndpoint.failing_since).is_not(None),
                )
                .values(failing_since=None)
            )
            return False
        endpoint = await session.get(
            WebhookEndpoint,
            endpoint_id,
            with_for_update={"key_share": True} if self.db.is_postgres else None,
        )
        if endpoint is None or not endpoint.enabled:
            return False
        if decision.verdict is Verdict.GONE:
            disable_endpoint(session, endpoint, "The endpoint answered 410 Gone.")
            return True
        if endpoint.failing_since is None:
            endpoint.failing_since = now
            return False
        failing_for = (now - endpoint.failing_since).total_seconds()
        if failing_for < self.settings.webhook_disable_after_seconds:
            return False
        disable_endpoint(
            session,
            endpoint,
            f"Every delivery failed since {isoformat(endpoint.failing_since)}.",
        )
        return True

    async def seconds_until_due(self) -> float:
        """Until the next pending delivery is due (bounded by the poll interval)."""
        now = utcnow()
        async with self.db.reading() as session:
            due = (
                await session.execute(
                    select(func.min(col(WebhookDelivery.next_attempt_at))).where(
                        col(WebhookDelivery.status) == PENDING,
                        col(WebhookDelivery.next_attempt_at) > now,
                    )
                )
            ).scalar()
        poll = self.settings.events_poll_seconds
        if due is None:
            return poll
        if isinstance(due, str):
            due = datetime.fromisoformat(due)
        return min(poll, max(0.0, (due - now).total_seconds()) + 0.001)

    async def _deliver_logged(self, claim: Claim) -> None:
        try:
            await self.deliver(claim)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception(
                "delivering %s failed; it is retried after its lease", claim.delivery_id
            )

    async def run(self) -> None:
        if self.bus is None:
            raise RuntimeError("a running sender needs the event bus")
        signal = self.bus.signal(DELIVERIES)
        poll = self.settings.events_poll_seconds
        inflight: set[asyncio.Task[None]] = set()

        def finished(task: asyncio.Task[None]) -> None:
            inflight.discard(task)
            signal.set()

        try:
            while True:
                signal.clear()
                free = self.settings.webhook_concurrency - len(inflight)
                claims: list[Claim] = []
                wait = poll
                if free > 0:
                    try:
                        claims = await self.claim(free)
                        if len(claims) < free:
                            wait = await self.seconds_until_due()
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        logger.exception("claiming deliveries failed; retrying")
                for claim in claims:
                    task = asyncio.create_task(self._deliver_logged(claim))
                    inflight.add(task)
                    task.add_done_callback(finished)
                if claims and len(claims) == free:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(signal.wait(), wait)
        finally:
            for task in inflight:
                task.cancel()
            await asyncio.gather(*inflight, return_exceptions=True)
