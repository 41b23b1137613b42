"""Webhook endpoints, their deliveries, test sends, redelivery and replay.

Endpoints belong to the organisation: a key limited to listed projects can neither see nor
manage them (an endpoint may still filter on projects). An endpoint receives only what the
credential that saved it may read (``app.events.access``): saving one, or changing where it
sends or what, needs ``events:read`` and the read scope of every event family it receives, and
makes the caller its owner; the sender checks the owner's current rights at each delivery. A
payload subscription document is checked by the schema layer when saved (``check_document``)
and executed at delivery with the owner's permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col

from app.auth.owners import owner_columns
from app.clock import isoformat, utcnow
from app.errors import ApiError, ErrorCode, FieldError
from app.events.access import missing_scopes
from app.events.bus import DELIVERIES
from app.events.catalogue import TEST_EVENT_TYPE
from app.events.dispatcher import delivery_row, insert_deliveries
from app.events.patterns import MAX_PATTERNS, normalize, pattern_problem, type_clause
from app.events.sender import Claim, Sender
from app.events.signing import new_secret, rotate
from app.events.urls import url_problem
from app.ids import IdPrefix, new_id
from app.models import (
    DeliveryStatus,
    Event,
    Project,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from resolvers.context import Context
from resolvers.events import check_types
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, InputErrors
from resolvers.writes import apply_changes, load_for_update

DocumentCheck = Callable[[str, Context], list[str]]
"""Problems with a payload subscription document (empty: valid), from the schema layer."""

SUPPORTED_EVENT_VERSIONS = (1,)
MAX_PROJECT_FILTER = 100
MAX_RETRY_STEPS = 50
MAX_RETRY_DELAY_SECONDS = 7 * 86400
MAX_RATE_LIMIT = 10_000
MAX_DOCUMENT_LENGTH = 10_000
MAX_GRACE_SECONDS = 7 * 86400


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    endpoint_id: str | None = None
    status: DeliveryStatus | None = None
    event_id: str | None = None
    event_types: Sequence[str] | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


def _require_org_wide_key(ctx: Context) -> None:
    if ctx.principal.project_ids is not None:
        raise ApiError(
            ErrorCode.FORBIDDEN,
            "Webhook endpoints belong to the organisation; a key limited to listed projects "
            "cannot manage them.",
        )


RETARGETING = ("url", "event_types", "project_ids", "subscription_query")
"""Changes to where an endpoint sends, or what: the caller must be able to read it all, and
becomes the owner whose rights deliveries are checked against."""


def _require_rights(ctx: Context, event_types: Sequence[str] | None) -> None:
    missing = missing_scopes(ctx.principal, event_types)
    if missing:
        needed = ", ".join(f"`{s.value}`" for s in missing)
        raise ApiError(
            ErrorCode.UNAUTHORIZED_SCOPE,
            f"An endpoint receives only what the key that saves it can read; these event "
            f"types need {needed}.",
        )


def _check_types(check: Checker, path: str, types: Sequence[str] | None) -> None:
    if types is None:
        return
    if not types:
        check.add(path, InputErrorCode.REQUIRED, f"`{path}` needs at least one type (or `*`).")
    if len(types) > MAX_PATTERNS:
        check.add(path, InputErrorCode.TOO_LONG, f"`{path}` has more than {MAX_PATTERNS} entries.")
    for index, pattern in enumerate(types):
        problem = pattern_problem(pattern)
        if problem is not None:
            check.add((path, str(index)), InputErrorCode.INVALID, f"`{pattern}` {problem}.")


def _check_endpoint(
    ctx: Context,
    check: Checker,
    values: Mapping[str, Any],
    check_document: DocumentCheck,
    *,
    creating: bool,
) -> None:
    url = values.get("url")
    if url is None:
        if creating or "url" in values:
            check.add("url", InputErrorCode.REQUIRED, "`url` is required.")
    else:
        problem = url_problem(url, allow_private=ctx.settings.webhooks_allow_private_urls)
        if problem is not None:
            check.add("url", InputErrorCode.INVALID, f"`url` {problem}.")
    check.text("description", values.get("description"), max_length=1000)
    if not creating and "event_types" in values and values["event_types"] is None:
        check.add("eventTypes", InputErrorCode.REQUIRED, "`eventTypes` cannot be null.")
    _check_types(check, "eventTypes", values.get("event_types"))
    projects = values.get("project_ids")
    if projects is not None and not 1 <= len(projects) <= MAX_PROJECT_FILTER:
        check.add(
            "projectIds",
            InputErrorCode.OUT_OF_RANGE,
            f"`projectIds` takes 1 to {MAX_PROJECT_FILTER} ids (null: every project).",
        )
    version = values.get("event_version")
    if version is not None and version not in SUPPORTED_EVENT_VERSIONS:
        supported = ", ".join(map(str, SUPPORTED_EVENT_VERSIONS))
        check.add("eventVersion", InputErrorCode.INVALID, f"Supported versions: {supported}.")
    check.int_range("rateLimit", values.get("rate_limit"), low=1, high=MAX_RATE_LIMIT)
    schedule = values.get("retry_schedule")
    if schedule is not None:
        if not 1 <= len(schedule) <= MAX_RETRY_STEPS:
            check.add(
                "retrySchedule",
                InputErrorCode.OUT_OF_RANGE,
                f"`retrySchedule` takes 1 to {MAX_RETRY_STEPS} delays (null: the default).",
            )
        if any(not 0 <= step <= MAX_RETRY_DELAY_SECONDS for step in schedule):
            check.add(
                "retrySchedule",
                InputErrorCode.OUT_OF_RANGE,
                f"Each delay is 0 to {MAX_RETRY_DELAY_SECONDS} seconds.",
            )
    document = values.get("subscription_query")
    if document is not None:
        if len(document) > MAX_DOCUMENT_LENGTH:
            check.add(
                "subscriptionQuery",
                InputErrorCode.TOO_LONG,
                f"`subscriptionQuery` is longer than {MAX_DOCUMENT_LENGTH} characters.",
            )
        else:
            for problem in check_document(document, ctx):
                check.add("subscriptionQuery", InputErrorCode.INVALID, problem)


async def _check_projects(uow: UnitOfWork, project_ids: Sequence[str] | None) -> None:
    if not project_ids:
        return
    found = set(
        (
            await uow.session.execute(
                select(col(Project.id)).where(
                    col(Project.id).in_(set(project_ids)), *visibility(uow.ctx, Project)
                )
            )
        ).scalars()
    )
    missing = [
        FieldError(("input", "projectIds", str(i)), InputErrorCode.NOT_FOUND.value, "No project.")
        for i, project_id in enumerate(project_ids)
        if project_id not in found
    ]
    if missing:
        raise InputErrors(missing)


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Input values as stored: filters normalised, blank documents cleared."""
    out = dict(values)
    if out.get("event_types") is not None:
        out["event_types"] = normalize(out["event_types"])
    if out.get("project_ids") is not None:
        out["project_ids"] = sorted(set(out["project_ids"]))
    if "subscription_query" in out and not (out["subscription_query"] or "").strip():
        out["subscription_query"] = None
    if "retry_schedule" in out and out["retry_schedule"] is not None:
        out["retry_schedule"] = [float(s) for s in out["retry_schedule"]]
    return out


async def get_endpoint(ctx: Context, endpoint_id: str) -> WebhookEndpoint | None:
    endpoint: WebhookEndpoint | None = await ctx.loaders.by_id(WebhookEndpoint).load(endpoint_id)
    return endpoint


async def list_endpoints(
    ctx: Context, enabled: bool | None, ordering: Ordering, first: int | None, after: str | None
) -> Page[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(*visibility(ctx, WebhookEndpoint))
    if enabled is not None:
        stmt = stmt.where(col(WebhookEndpoint.enabled).is_(enabled))
    return await paginate(ctx.db, stmt, WebhookEndpoint, ordering, first, after)


async def create_endpoint(
    ctx: Context, values: Mapping[str, Any], check_document: DocumentCheck
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its signing secret (shown once)."""
    _require_org_wide_key(ctx)
    check = Checker()
    _check_endpoint(ctx, check, values, check_document, creating=True)
    check.raise_if_any()
    stored = {k: v for k, v in _stored(values).items() if v is not None}
    _require_rights(ctx, stored.get("event_types"))
    async with unit_of_work(ctx) as uow:
        await _check_projects(uow, stored.get("project_ids"))
        secret = new_secret()
        endpoint = WebhookEndpoint(
            org_id=ctx.org_id, secret=secret, **owner_columns(ctx.principal), **stored
        )
        uow.add(endpoint)
        uow.emit(endpoint, "created")
    return endpoint, secret


async def update_endpoint(
    ctx: Context, endpoint_id: str, values: Mapping[str, Any], check_document: DocumentCheck
) -> WebhookEndpoint:
    _require_org_wide_key(ctx)
    check = Checker()
    _check_endpoint(ctx, check, values, check_document, creating=False)
    for name, field in (
        ("enabled", "enabled"),
        ("description", "description"),
        ("event_version", "eventVersion"),
    ):
        if name in values and values[name] is None:
            check.add(field, InputErrorCode.REQUIRED, f"`{field}` cannot be null.")
    check.raise_if_any()
    changes = _stored(values)
    async with unit_of_work(ctx) as uow:
        endpoint = await load_for_update(uow, WebhookEndpoint, endpoint_id, what="Webhook endpoint")
        await _check_projects(uow, changes.get("project_ids"))
        if changes.get("enabled") and not endpoint.enabled:
            changes.update(disabled_reason=None, failing_since=None)
        if changes.get("enabled") is False and endpoint.enabled:
            changes["disabled_reason"] = "Disabled by a user."
        retargeted = any(
            name in changes and changes[name] != getattr(endpoint, name) for name in RETARGETING
        )
        if retargeted or (changes.get("enabled") and not endpoint.enabled):
            _require_rights(ctx, changes.get("event_types", endpoint.event_types))
            changes.update(owner_columns(ctx.principal))
        if apply_changes(endpoint, changes):
            uow.changed(endpoint)
    if changes.get("enabled"):
        ctx.db.committed(DELIVERIES)
    return endpoint


async def delete_endpoint(ctx: Context, endpoint_id: str) -> str:
    """Deletes the endpoint with its deliveries and attempts."""
    _require_org_wide_key(ctx)
    async with unit_of_work(ctx) as uow:
        endpoint = await load_for_update(uow, WebhookEndpoint, endpoint_id, what="Webhook endpoint")
        await uow.delete(endpoint)
    return endpoint_id


async def rotate_secret(
    ctx: Context, endpoint_id: str, grace_period_seconds: int | None
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one keeps signing (alongside) for the grace period."""
    _require_org_wide_key(ctx)
    grace = grace_period(ctx, grace_period_seconds)
    async with unit_of_work(ctx) as uow:
        endpoint = await load_for_update(uow, WebhookEndpoint, endpoint_id, what="Webhook endpoint")
        rotated = rotate(endpoint.secret, grace, utcnow())
        endpoint.secret = rotated.secret
        endpoint.previous_secret = rotated.previous
        endpoint.previous_secret_expires_at = rotated.previous_expires_at
        uow.changed(endpoint, "secret_rotated")
    return endpoint, rotated.secret


def grace_period(ctx: Context, given: int | None) -> int:
    """How long a rotated secret stays valid: ``given`` (checked), or the configured default.
    Every secret rotation (webhook endpoints, automation inbound secrets) takes it so."""
    grace = ctx.settings.webhook_secret_grace_seconds if given is None else given
    check = Checker()
    check.int_range("gracePeriodSeconds", grace, low=0, high=MAX_GRACE_SECONDS)
    check.raise_if_any()
    return grace


async def send_test(ctx: Context, endpoint_id: str) -> tuple[WebhookDelivery, WebhookAttempt]:
    """Deliver a ``webhook.test`` event now (one attempt, no retries), even to a disabled
    endpoint, so a partner can check their receiver before enabling it."""
    _require_org_wide_key(ctx)
    now = utcnow()
    async with unit_of_work(ctx) as uow:
        endpoint = await load_for_update(
            uow, WebhookEndpoint, endpoint_id, path=("input", "endpointId"), what="Webhook endpoint"
        )
        message_id = new_id(IdPrefix.EVENT)
        delivery = WebhookDelivery(
            org_id=ctx.org_id,
            endpoint_id=endpoint.id,
            message_id=message_id,
            event_type=TEST_EVENT_TYPE,
            attempt_count=1,
            next_attempt_at=now + timedelta(seconds=ctx.settings.webhook_claim_seconds),
            is_test=True,
            payload={
                "id": message_id,
                "type": TEST_EVENT_TYPE,
                "version": 1,
                "aggregate_type": "webhook_endpoint",
                "aggregate_id": endpoint.id,
                "sequence": 0,
                "project_id": None,
                "occurred_at": isoformat(now),
                "data": {"endpoint_id": endpoint.id, "url": endpoint.url},
            },
        )
        uow.add(delivery)
    async with Sender(ctx.db, ctx.settings) as sender:
        attempt = await sender.deliver(Claim.of(delivery, endpoint, None))
    async with ctx.db.reading() as session:
        stored = await session.get(WebhookDelivery, delivery.id)
    return stored or delivery, attempt


def _restart(delivery: WebhookDelivery, now: datetime) -> None:
    delivery.status = DeliveryStatus.PENDING
    delivery.retry_base = delivery.attempt_count
    delivery.next_attempt_at = now
    delivery.finished_at = None
    delivery.updated_at = now


async def redeliver(ctx: Context, delivery_id: str) -> WebhookDelivery:
    """Send a delivery again now with a fresh round of retries (same ``webhook-id``)."""
    _require_org_wide_key(ctx)
    async with unit_of_work(ctx) as uow:
        delivery = await load_for_update(
            uow, WebhookDelivery, delivery_id, path=("input", "deliveryId"), what="Delivery"
        )
        if delivery.is_test:
            raise InputErrors(
                [
                    FieldError(
                        ("input", "deliveryId"),
                        InputErrorCode.INVALID_STATE.value,
                        "Test deliveries are not redelivered; send a new test.",
                    )
                ]
            )
        _restart(delivery, utcnow())
    ctx.db.committed(DELIVERIES)
    return delivery


async def replay(
    ctx: Context,
    endpoint_id: str,
    since: datetime,
    until: datetime | None,
    types: Sequence[str] | None,
    *,
    dry_run: bool = False,
) -> int:
    """Queue every event of ``[since, until)`` the endpoint subscribes to (and matching
    ``types``), new or already delivered; returns how many were queued (``dry_run``: how many
    would be, queuing nothing)."""
    _require_org_wide_key(ctx)
    now = utcnow()
    end = until or now
    check = Checker()
    if end <= since:
        check.add("until", InputErrorCode.OUT_OF_RANGE, "`until` must be after `since`.")
    _check_types(check, "types", types)
    check.raise_if_any()
    limit = ctx.settings.webhook_replay_limit
    async with unit_of_work(ctx) as uow:
        endpoint = await load_for_update(
            uow, WebhookEndpoint, endpoint_id, path=("input", "endpointId"), what="Webhook endpoint"
        )
        in_range = [
            col(Event.org_id) == ctx.org_id,
            col(Event.occurred_at) >= since,
            col(Event.occurred_at) < end,
        ]
        if endpoint.project_ids is not None:
            in_range.append(col(Event.project_id).in_(endpoint.project_ids))
        events = list(
            (
                await uow.session.execute(
                    select(Event)
                    .where(
                        *in_range,
                        type_clause(col(Event.type), endpoint.event_types),
                        type_clause(col(Event.type), types),
                    )
                    .order_by(col(Event.occurred_at), col(Event.id))
                    .limit(limit + 1)
                )
            ).scalars()
        )
        if len(events) > limit:
            raise InputErrors(
                [
                    FieldError(
                        ("input", "since"),
                        InputErrorCode.OUT_OF_RANGE.value,
                        f"More than {limit} events match; replay a shorter time range.",
                    )
                ]
            )
        if not events or dry_run:
            return len(events)
        event_ids = [e.id for e in events]
        await insert_deliveries(
            uow.session, ctx.db, [delivery_row(endpoint, e, next_attempt_at=now) for e in events]
        )
        await uow.session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.endpoint_id) == endpoint.id,
                col(WebhookDelivery.event_id).in_(event_ids),
                col(WebhookDelivery.status) != DeliveryStatus.PENDING,
            )
            .values(
                status=DeliveryStatus.PENDING,
                retry_base=WebhookDelivery.attempt_count,
                next_attempt_at=now,
                finished_at=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    ctx.db.committed(DELIVERIES)
    return len(event_ids)


async def get_delivery(ctx: Context, delivery_id: str) -> WebhookDelivery | None:
    delivery: WebhookDelivery | None = await ctx.loaders.by_id(WebhookDelivery).load(delivery_id)
    return delivery


async def list_deliveries(
    ctx: Context, filter: DeliveryFilter, first: int | None, after: str | None
) -> Page[WebhookDelivery]:
    stmt = select(WebhookDelivery).where(*visibility(ctx, WebhookDelivery))
    if filter.endpoint_id is not None:
        stmt = stmt.where(col(WebhookDelivery.endpoint_id) == filter.endpoint_id)
    if filter.status is not None:
        stmt = stmt.where(col(WebhookDelivery.status) == filter.status)
    if filter.event_id is not None:
        stmt = stmt.where(col(WebhookDelivery.event_id) == filter.event_id)
    if filter.event_types:
        check_types(filter.event_types, ("filter", "eventTypes"))
        stmt = stmt.where(type_clause(col(WebhookDelivery.event_type), filter.event_types))
    if filter.created_after is not None:
        stmt = stmt.where(col(WebhookDelivery.created_at) >= filter.created_after)
    if filter.created_before is not None:
        stmt = stmt.where(col(WebhookDelivery.created_at) < filter.created_before)
    return await paginate(ctx.db, stmt, WebhookDelivery, Ordering("created_at"), first, after)


async def attempts_of(ctx: Context, delivery_id: str) -> list[WebhookAttempt]:
    attempts: list[WebhookAttempt] = await ctx.loaders.children(
        WebhookAttempt, "delivery_id", "attempt"
    ).load(delivery_id)
    return attempts
