"""The webhook sender: claims due deliveries, signs and posts them, records every attempt.

A claim is a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) that counts the attempt
and leases the delivery for ``webhook_claim_seconds``; the POST happens outside any transaction,
and a second one records the outcome. A sender killed mid-flight leaves the delivery pending, and
once the lease ends another sender (or the restarted one) sends it again with the same
``webhook-id``: deliveries are at least once, never lost.

Rights: a delivery goes out only if the credential that saved its endpoint can still read its
event (``app.events.access``), checked with that credential's current state at every attempt.
Once the credential is revoked or expired (or lost ``events:read``) the endpoint is disabled;
an event it can no longer read (a scope or project taken away) is dead-lettered, with the
reason in ``last_error``.

Ordering: only the head of a chain is claimable (no earlier delivery of the same aggregate to
the same endpoint pending, see ``chains``), and not while an earlier event of its aggregate is
still undispatched. Outcomes of concurrent sends are recorded together, one transaction per
batch, guarded by the attempt number the sender claimed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, cast

import httpx
import orjson
from sqlalchemy import Integer, Select, Table, bindparam, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app import metrics
from app.auth.owners import Owner, current_owners
from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.clock import isoformat, utcnow
from app.database import Database
from app.events.access import may_read
from app.events.bus import DELIVERIES, OUTBOX, EventBus
from app.events.chains import (
    DELIVERY_TABLE,
    PENDING_SQL,
    Chain,
    is_head,
    lock_chains,
    unpark_next,
    unpark_stranded,
)
from app.events.policy import Decision, Outcome, Verdict, decide
from app.events.records import envelope
from app.events.signing import signature_headers, valid_secrets
from app.events.transport import new_client, post
from app.models import DeliveryStatus, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.models.webhook import PARKED
from app.outbox import record_event
from app.settings import Settings

logger = logging.getLogger("reelhouse.webhooks")

RECORD_MARGIN = 0.25
"""Share of the lease kept for recording an attempt after its request ended."""
SWEEP_SECONDS = 30.0
"""How often a sender makes sure no chain head was left parked (see ``chains``)."""

Renderer = Callable[[WebhookEndpoint, Event, Principal], Awaitable[dict[str, Any]]]
"""Builds an event's payload for an endpoint, with the current rights of its owner."""


OWNER_GONE = (
    "The credential that saved this endpoint no longer stands (a key revoked or expired, an "
    "OAuth client revoked, a user disabled) or lost `events:read`; save the endpoint again "
    "with a credential that can read its events."
)


class PayloadUnavailable(Exception):
    """The payload cannot be built and retrying will not help (e.g. the owner key is revoked)."""


def _encoded(payload: dict[str, Any]) -> bytes:
    """The body; an event whose data cannot be encoded fails only its own delivery, at once."""
    try:
        return orjson.dumps(payload)
    except TypeError:
        raise PayloadUnavailable(
            "The event's data cannot be encoded as JSON (nested too deep, or holding a number "
            "JSON cannot carry); it is not delivered."
        ) from None


async def event_payload(
    _endpoint: WebhookEndpoint, event: Event, _owner: Principal
) -> dict[str, Any]:
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
    aggregate_id: str | None = None
    payload: dict[str, Any] | None = None
    is_test: bool = False
    send_by: float = float("inf")
    """``time.monotonic()`` after which the lease is too close to its end to start sending."""
    owner: Principal | None = None
    """The current rights of the credential that saved the endpoint (None: no longer valid)."""

    @classmethod
    def of(
        cls,
        delivery: WebhookDelivery,
        endpoint: WebhookEndpoint,
        event: Event | None,
        send_by: float = float("inf"),
        owner: Principal | None = None,
        *,
        attempt: int | None = None,
    ) -> Claim:
        """``attempt``: the attempt this claim counts, when the row loaded predates it."""
        attempt = delivery.attempt_count if attempt is None else attempt
        return cls(
            delivery_id=delivery.id,
            org_id=delivery.org_id,
            attempt=attempt,
            attempt_in_round=attempt - delivery.retry_base,
            message_id=delivery.message_id,
            endpoint=endpoint,
            event=event,
            aggregate_id=delivery.aggregate_id,
            payload=delivery.payload,
            is_test=delivery.is_test,
            send_by=send_by,
            owner=owner,
        )

    def refusal(self) -> tuple[Verdict, str] | None:
        """Why this delivery may not go out under its endpoint's owner's current rights."""
        if self.is_test:
            return None
        owner = self.owner
        if owner is None or owner.org_id != self.org_id or not owner.has(Scope.EVENTS_READ):
            return Verdict.UNAUTHORISED, OWNER_GONE
        event = self.event
        if event is not None and not may_read(owner, event.org_id, event.type, event.project_id):
            return (
                Verdict.DEAD,
                f"Not delivered: the credential that saved this endpoint can no longer read "
                f"`{event.type}` events{' of this project' if event.project_id else ''}.",
            )
        return None


@dataclass(frozen=True, slots=True)
class Attempted:
    """One attempt made, not yet recorded."""

    claim: Claim
    outcome: Outcome
    started: datetime
    decision: Decision

    @property
    def chain(self) -> Chain | None:
        aggregate_id = self.claim.aggregate_id
        return None if aggregate_id is None else (self.claim.endpoint.id, aggregate_id)

    def values(self) -> dict[str, Any]:
        """The attempt's row as ``INSERT`` parameters: no model instance per delivery."""
        outcome = self.outcome
        return {
            "org_id": self.claim.org_id,
            "delivery_id": self.claim.delivery_id,
            "attempt": self.claim.attempt,
            "started_at": self.started,
            "duration_ms": outcome.duration_ms,
            "status_code": outcome.status_code,
            "succeeded": self.decision.verdict is Verdict.SUCCEEDED,
            "response_excerpt": outcome.excerpt,
            "error": outcome.error,
            "next_attempt_at": self.decision.next_attempt_at,
            "request_headers": outcome.request_headers,
            "request_body": outcome.request_body,
            "response_headers": outcome.response_headers,
        }

    def row(self) -> WebhookAttempt:
        return WebhookAttempt(**self.values())

    def delivery_changes(self, now: datetime) -> dict[str, Any]:
        """Parameters of ``DELIVERY_OUTCOME``."""
        retry = self.decision.next_attempt_at if self.decision.verdict is Verdict.RETRY else None
        if retry is not None:
            status = DeliveryStatus.PENDING
        elif self.decision.verdict is Verdict.SUCCEEDED:
            status = DeliveryStatus.SUCCEEDED
        else:
            status = DeliveryStatus.DEAD
        return {
            "b_id": self.claim.delivery_id,
            "b_attempt": self.claim.attempt,
            "b_status": status,
            "b_next": retry or now,
            "b_code": self.outcome.status_code,
            "b_error": self.outcome.error,
            "b_now": now,
            "b_finished": None if retry is not None else now,
        }


WEBHOOK_ATTEMPTS = cast(Table, WebhookAttempt.__table__)  # type: ignore[attr-defined]
DELIVERY_OUTCOME = (
    update(DELIVERY_TABLE)
    .where(
        DELIVERY_TABLE.c.id == bindparam("b_id"),
        DELIVERY_TABLE.c.attempt_count == bindparam("b_attempt"),
        DELIVERY_TABLE.c.status == PENDING_SQL,
    )
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_next"),
        last_status_code=bindparam("b_code"),
        last_error=bindparam("b_error"),
        updated_at=bindparam("b_now"),
        finished_at=bindparam("b_finished"),
    )
)
"""A delivery's state after an attempt, written only while the sender still holds it."""
HELD_DELIVERIES = (
    select(DELIVERY_TABLE.c.id)
    .where(DELIVERY_TABLE.c.id.in_(bindparam("b_ids", expanding=True)))
    .with_for_update(read=True, key_share=True)
)
"""Those of the given deliveries that still exist, locked so that a concurrent endpoint
deletion waits instead of breaking the attempts' insert."""


def secrets_in_use(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    return valid_secrets(
        endpoint.secret, endpoint.previous_secret, endpoint.previous_secret_expires_at, now
    )


def _claimable() -> Select[WebhookDelivery, WebhookEndpoint]:
    d = WebhookDelivery
    earlier_undispatched = exists().where(
        col(Event.aggregate_id) == col(d.aggregate_id),
        col(Event.sequence) < col(d.sequence),
        col(Event.dispatched_at).is_(None),
    )
    return (
        select(d, WebhookEndpoint)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(d.endpoint_id))
        .where(
            col(d.status) == PENDING_SQL,
            col(d.next_attempt_at) <= bindparam("b_now"),
            col(WebhookEndpoint.enabled).is_(True),
            is_head(),
            ~earlier_undispatched,
        )
        .order_by(col(d.next_attempt_at))
        .limit(bindparam("b_limit", type_=Integer))
        .with_for_update(of=d, skip_locked=True)
    )


CLAIMABLE = _claimable()
"""Due chain heads of enabled endpoints (``b_now``, ``b_limit``), built once: building it
(``is_head``'s aliased subquery adapted by the ORM) cost more than running it."""


LEASE = (
    update(DELIVERY_TABLE)
    .where(DELIVERY_TABLE.c.id.in_(bindparam("b_ids", expanding=True)))
    .values(
        attempt_count=DELIVERY_TABLE.c.attempt_count + 1,
        next_attempt_at=bindparam("b_lease"),
        updated_at=bindparam("b_now"),
    )
)
"""Counts the attempt of claimed deliveries and leases them: one statement, not a flush."""
NEXT_DUE = select(func.min(DELIVERY_TABLE.c.next_attempt_at)).where(
    DELIVERY_TABLE.c.status == PENDING_SQL,
    DELIVERY_TABLE.c.next_attempt_at > bindparam("b_now"),
    DELIVERY_TABLE.c.next_attempt_at < PARKED,
)
"""When the next pending delivery that is neither due nor parked becomes due."""
EVENTS_BY_ID = select(Event).where(col(Event.id).in_(bindparam("b_ids", expanding=True)))


DeliveryQuota = Callable[[str, int], Awaitable[int]]
"""(organisation id, deliveries about to be sent) → how many its day still allows (counted)."""


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


REQUEST_ID_HEADER = "webhook-request-id"
"""The ``req_…`` of the API call that caused the event, so a receiver can tie the two."""


class Sender:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        bus: EventBus | None = None,
        render: Renderer = event_payload,
        client: httpx.AsyncClient | None = None,
        quota: DeliveryQuota | None = None,
    ) -> None:
        """``quota``: counts deliveries against their organisation's day (traffic
        control)."""
        self.db = db
        self.settings = settings
        self.quota = quota
        self.bus = bus
        self.render = render
        self._own_client = client is None
        self.client = client or new_client(settings)
        self.stopping = False

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
        claims, _ = await self._claim(limit)
        return claims

    async def _claim(self, limit: int) -> tuple[list[Claim], float | None]:
        """Claims up to ``limit``; when fewer were due, also the seconds until the next one is,
        read in the same transaction rather than in a session of its own."""
        now = utcnow()
        async with self.db.writing() as session:
            claims = await self._lease(session, limit, now)
            if len(claims) == limit:
                return claims, None
            await session.flush()  # deliveries postponed by a rate limit or quota count too
            wait = await self._until_due(session, now)
        return claims, wait

    async def _lease(self, session: AsyncSession, limit: int, now: datetime) -> list[Claim]:
        lease_seconds = self.settings.webhook_claim_seconds
        # Start sending only while the request and its recording still fit in the lease, so
        # a stalled sender does not race the one that takes the delivery over.
        budget = lease_seconds * (1 - RECORD_MARGIN) - self.settings.webhook_timeout_seconds
        send_by = time.monotonic() + (budget if budget > 0 else lease_seconds / 2)
        claimed = await session.execute(CLAIMABLE, {"b_now": now, "b_limit": limit})
        rows: list[tuple[WebhookDelivery, WebhookEndpoint]] = [(r[0], r[1]) for r in claimed.all()]
        if not rows:
            return []
        rows = await self._rate_limited(session, rows, now)
        rows = await self._within_quota(rows, now)
        if not rows:
            return []
        event_ids = [d.event_id for d, _ in rows if d.event_id]
        events: dict[str, Event] = {}
        if event_ids:
            result = await session.execute(EVENTS_BY_ID, {"b_ids": event_ids})
            events = {e.id: e for e in result.scalars()}
        owners = await current_owners(session, [e for _, e in rows])
        lease = now + timedelta(seconds=lease_seconds)
        connection = await session.connection()
        await connection.execute(
            LEASE, {"b_ids": [d.id for d, _ in rows], "b_lease": lease, "b_now": now}
        )
        claims = []
        for delivery, endpoint in rows:
            event = events.get(delivery.event_id or "")
            stored = Owner.of(endpoint)
            owner = owners.get(stored) if stored is not None else None
            attempt = delivery.attempt_count + 1
            claims.append(Claim.of(delivery, endpoint, event, send_by, owner, attempt=attempt))
        return claims

    async def release(self, claim: Claim) -> None:
        """Give back a claim that was not sent: due now, its attempt not spent."""
        async with self.db.writing() as session:
            await session.execute(
                update(DELIVERY_TABLE)
                .where(
                    DELIVERY_TABLE.c.id == claim.delivery_id,
                    DELIVERY_TABLE.c.attempt_count == claim.attempt,
                    DELIVERY_TABLE.c.status == PENDING_SQL,
                )
                .values(attempt_count=claim.attempt - 1, next_attempt_at=utcnow())
            )

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

    async def _within_quota(
        self, rows: list[tuple[WebhookDelivery, WebhookEndpoint]], now: datetime
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Keeps the deliveries their organisation's daily quota still allows; the others
        wait, unspent and saying why, until the next UTC day."""
        if self.quota is None:
            return rows
        by_org: dict[str, list[tuple[WebhookDelivery, WebhookEndpoint]]] = {}
        for row in rows:
            by_org.setdefault(row[1].org_id, []).append(row)
        kept = []
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        for org_id, claimed in by_org.items():
            allowed = await self.quota(org_id, len(claimed))
            kept += claimed[:allowed]
            for delivery, _ in claimed[allowed:]:
                delivery.next_attempt_at = tomorrow
                delivery.last_error = (
                    f"The organisation's daily quota of {self.settings.daily_webhook_quota:,} "
                    "webhook deliveries is used up; this one is sent after midnight UTC."
                )
                delivery.updated_at = now
        return kept

    async def deliver(self, claim: Claim) -> WebhookAttempt:
        """Send one claimed delivery and record the attempt."""
        attempted = await self.attempt(claim)
        await self.record([attempted])
        return attempted.row()

    async def attempt(self, claim: Claim) -> Attempted:
        """Build, sign and POST the payload (no store access besides the payload document)."""
        started = utcnow()
        refused = claim.refusal()
        if refused is not None:
            verdict, reason = refused
            outcome = Outcome(None, 0, error=reason[:500])
            return Attempted(claim, outcome, started, Decision(verdict))
        forced: Verdict | None = None
        try:
            body = _encoded(await self._payload(claim))
        except PayloadUnavailable as error:
            outcome, forced = Outcome(None, 0, error=str(error)[:500]), Verdict.DEAD
        except Exception:
            logger.exception("building the payload of %s failed", claim.delivery_id)
            outcome = Outcome(None, 0, error="internal error while building the payload")
        else:
            secrets = secrets_in_use(claim.endpoint, started)
            if not secrets:
                outcome = Outcome(
                    None,
                    0,
                    error="The endpoint's signing secret cannot be decrypted: the key that "
                    "sealed it is missing from REELHOUSE_SECRET_KEY.",
                )
                return Attempted(claim, outcome, started, self._decide(claim, outcome, None))
            headers = signature_headers(secrets, claim.message_id, int(started.timestamp()), body)
            if claim.event is not None and claim.event.request_id is not None:
                headers[REQUEST_ID_HEADER] = claim.event.request_id
            outcome = await post(
                self.client,
                claim.endpoint.url,
                body,
                headers,
                allow_private=self.settings.webhooks_allow_private_urls,
                total_seconds=self.settings.webhook_timeout_seconds,
            )
        return Attempted(claim, outcome, started, self._decide(claim, outcome, forced))

    async def _payload(self, claim: Claim) -> dict[str, Any]:
        if claim.payload is not None:
            return claim.payload
        if claim.event is None:
            raise PayloadUnavailable("The event of this delivery no longer exists.")
        if claim.owner is None:
            raise PayloadUnavailable(OWNER_GONE)
        return await self.render(claim.endpoint, claim.event, claim.owner)

    def _decide(self, claim: Claim, outcome: Outcome, forced: Verdict | None) -> Decision:
        if forced is not None:
            return Decision(forced)
        return decide(
            outcome,
            attempt_in_round=claim.attempt_in_round,
            schedule=claim.endpoint.retry_schedule or self.settings.webhook_retry_schedule,
            jitter=self.settings.webhook_retry_jitter,
            retries=not claim.is_test,
        )

    async def record(self, batch: list[Attempted]) -> None:
        """Record attempts in one transaction: the attempt rows, each delivery's new state (only
        if the sender still held it: a lease taken over after a stall is not overwritten), and
        the health of each endpoint. Core statements on the session's connection: the ORM's
        bulk paths cost more than the rows they write."""
        now = utcnow()
        disabled = False
        async with self.db.writing() as session:
            connection = await session.connection()
            ids = [a.claim.delivery_id for a in batch]
            existing = set((await connection.execute(HELD_DELIVERIES, {"b_ids": ids})).scalars())
            kept = [a for a in batch if a.claim.delivery_id in existing]
            if not kept:
                return
            chains = [a.chain for a in kept if a.chain is not None]
            await lock_chains(connection, chains, postgres=self.db.is_postgres)
            await connection.execute(insert(WEBHOOK_ATTEMPTS), [a.values() for a in kept])
            await connection.execute(DELIVERY_OUTCOME, [a.delivery_changes(now) for a in kept])
            finished = [
                a.chain
                for a in kept
                if a.chain is not None and a.decision.verdict is not Verdict.RETRY
            ]
            await unpark_next(connection, finished, now, postgres=self.db.is_postgres)
            disabled = await self._track_health(session, kept, now)
        for attempted in kept:
            metrics.WEBHOOK_DELIVERIES.labels(attempted.decision.verdict.value).inc()
        if disabled:
            self.db.committed(OUTBOX)

    async def _track_health(
        self, session: AsyncSession, batch: list[Attempted], now: datetime
    ) -> bool:
        """Per endpoint: a success ends its failing streak; 410, or failing without a success
        for ``webhook_disable_after_seconds``, disables it. True if one was disabled."""
        verdicts: dict[str, list[Verdict]] = defaultdict(list)
        claimed: dict[str, WebhookEndpoint] = {}
        for attempted in batch:
            if not attempted.claim.is_test:
                verdicts[attempted.claim.endpoint.id].append(attempted.decision.verdict)
                claimed.setdefault(attempted.claim.endpoint.id, attempted.claim.endpoint)
        disabled = False
        for endpoint_id in sorted(verdicts):
            seen = verdicts[endpoint_id]
            succeeded_at = max(
                (i for i, v in enumerate(seen) if v is Verdict.SUCCEEDED), default=-1
            )
            if succeeded_at == len(seen) - 1:
                if claimed[endpoint_id].failing_since is not None:
                    await session.execute(
                        update(WebhookEndpoint)
                        .where(col(WebhookEndpoint.id) == endpoint_id)
                        .values(failing_since=None)
                    )
                continue
            endpoint = await session.get(
                WebhookEndpoint,
                endpoint_id,
                with_for_update={"key_share": True} if self.db.is_postgres else None,
            )
            if endpoint is None or not endpoint.enabled:
                continue
            if Verdict.GONE in seen:
                disable_endpoint(session, endpoint, "The endpoint answered 410 Gone.")
                disabled = True
            elif Verdict.UNAUTHORISED in seen:
                disable_endpoint(session, endpoint, OWNER_GONE)
                disabled = True
            elif succeeded_at >= 0 or endpoint.failing_since is None:
                endpoint.failing_since = now
            elif (
                now - endpoint.failing_since
            ).total_seconds() >= self.settings.webhook_disable_after_seconds:
                since = isoformat(endpoint.failing_since)
                disable_endpoint(session, endpoint, f"Every delivery failed since {since}.")
                disabled = True
        return disabled

    async def _until_due(self, session: AsyncSession, now: datetime) -> float:
        """Until the next pending delivery is due (bounded by the poll interval)."""
        due: datetime | str | None = (await session.execute(NEXT_DUE, {"b_now": now})).scalar()
        poll = self.settings.events_poll_seconds
        if due is None:
            return poll
        if isinstance(due, str):
            due = datetime.fromisoformat(due)
        return min(poll, max(0.0, (due - now).total_seconds()) + 0.001)

    async def _sweep(self) -> None:
        try:
            async with self.db.writing() as session:
                stranded = await unpark_stranded(session, utcnow())
        except Exception:
            logger.exception("sweeping parked deliveries failed")
            return
        if stranded:
            logger.warning("unparked %d deliveries left waiting behind finished ones", stranded)

    async def _send_and_record(self, claim: Claim, recorder: _Recorder) -> None:
        try:
            if time.monotonic() > claim.send_by:
                logger.warning("%s waited too long to be sent; released", claim.delivery_id)
                await self.release(claim)
                return
            await recorder.submit(await self.attempt(claim))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception(
                "delivering %s failed; it is retried after its lease", claim.delivery_id
            )

    def stop(self) -> None:
        """Stop claiming; ``run`` returns once sends in flight are given up (their leases
        bring them back) and attempts already made are recorded."""
        self.stopping = True
        if self.bus is not None:
            self.bus.signal(DELIVERIES).set()

    async def run(self) -> None:
        if self.bus is None:
            raise RuntimeError("a running sender needs the event bus")
        signal = self.bus.signal(DELIVERIES)
        poll = self.settings.events_poll_seconds
        inflight: set[asyncio.Task[None]] = set()
        recorder = _Recorder(self.record)
        recording = asyncio.create_task(recorder.run())

        def finished(task: asyncio.Task[None]) -> None:
            inflight.discard(task)
            signal.set()

        next_sweep = time.monotonic() + SWEEP_SECONDS
        try:
            while not self.stopping:
                signal.clear()
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + SWEEP_SECONDS
                    await self._sweep()
                free = self.settings.webhook_concurrency - len(inflight)
                claims: list[Claim] = []
                wait = poll
                if free > 0:
                    try:
                        claims, until_due = await self._claim(free)
                        if until_due is not None:
                            wait = until_due
                    except Exception:
                        logger.exception("claiming deliveries failed; retrying")
                for claim in claims:
                    task = asyncio.create_task(self._send_and_record(claim, recorder))
                    inflight.add(task)
                    task.add_done_callback(finished)
                if (claims and len(claims) == free) or self.stopping:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(signal.wait(), wait)
        finally:
            for task in inflight:
                task.cancel()
            await asyncio.gather(*inflight, return_exceptions=True)
            recorder.stop()
            await asyncio.gather(recording, return_exceptions=True)


class _Recorder:
    """Records attempts of concurrent sends in shared transactions: whatever finished while
    the previous batch was being written goes into the next one, so recording costs one
    transaction per batch rather than per delivery, with no added wait."""

    def __init__(self, record: Callable[[list[Attempted]], Awaitable[None]]):
        self._record = record
        self._pending: list[tuple[Attempted, asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._stopping = False

    async def submit(self, attempted: Attempted) -> None:
        """Returns once the attempt is recorded (or recording failed, which was logged)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((attempted, done))
        self._wake.set()
        await done

    def stop(self) -> None:
        """Return from ``run`` once what is pending is recorded."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                if self._stopping:
                    return
                continue
            try:
                await self._record([attempted for attempted, _ in batch])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("recording %d attempts failed; they are retried", len(batch))
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
