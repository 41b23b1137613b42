"""``POST /webhooks/automations/<endpoint id>``: partners' systems start webhook automations.

The sender signs the raw body with the automation's inbound secret, in one of two schemes:

- ``standard_webhooks``: ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``
  (``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, several allowed), verified with
  the same ``sign`` our own webhooks use; the timestamp must be within the tolerance, and a
  ``webhook-id`` is accepted once per automation (a replay is acknowledged, not run again);
- ``hmac_sha256``: a hex HMAC-SHA256 of the body (``sha256=`` prefix optional) in a header the
  automation names, for senders that cannot sign the standard way. The message is identified
  by the SHA-256 of the body, so an identical body is accepted once.

Every refusal before the signature is known good (no such endpoint, disabled, missing headers,
wrong signature) is the same 404 after the same work — a lookup and an HMAC with the real or a
stand-in secret — so neither the answer nor its timing tells whether an endpoint exists. An
accepted message is recorded and its run queued in one transaction, and the answer (202) does
not wait for the run, which a worker executes afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import select
from sqlmodel import col

from app.audit import current_record
from app.automations.triggers import queue_run
from app.clock import isoformat, utcnow
from app.database import Database
from app.errors import ApiError, ErrorCode, FieldError
from app.events.bus import OUTBOX, RUNS
from app.events.signing import sign, valid_secrets
from app.http.errors import request_id_of, send_error, send_json
from app.http.graphql import read_body
from app.http.public import PublicRoute
from app.ids import IdPrefix, new_id, prefix_of
from app.json_bounds import JsonBounds, json_problem
from app.models import Automation, InboundWebhookMessage, TriggerType
from app.settings import Settings
from app.types import Receive, Scope, Send

logger = logging.getLogger("reelhouse.inbound")

PATH_PREFIX = "/webhooks/automations/"
STANDARD = "standard_webhooks"
HMAC = "hmac_sha256"
DEFAULT_HMAC_HEADER = "x-signature-256"
STAND_IN_SECRET = "whsec_" + "A" * 44
"""Verified against when the endpoint does not exist, so that costs the same as a wrong
signature on one that does."""
MAX_SIGNATURES = 10
BODY_BOUNDS = JsonBounds(max_bytes=sys.maxsize, max_values=sys.maxsize)
"""The body's size is bounded as it is read; what it holds must still be storable (depth,
NUL, numbers JSON readers keep)."""


def public_route(max_body_bytes: int) -> PublicRoute:
    pattern = re.compile(re.escape(PATH_PREFIX) + r"[A-Za-z0-9_-]{1,64}")
    return PublicRoute(frozenset({"POST"}), pattern, max_body_bytes)


@dataclass(frozen=True, slots=True)
class Verified:
    signature_ok: bool
    message_id: str = ""
    timestamp: int | None = None


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def verify(
    scheme: str, header: str, secrets: Sequence[str], headers: dict[str, str], body: bytes
) -> Verified:
    """Whether the body was signed with one of ``secrets`` (the current one and, while a
    rotation's grace lasts, the previous one); the same work whatever comes in."""
    if scheme == HMAC:
        given = headers.get(header, "").strip().lower().removeprefix("sha256=")
        ok = False
        for secret in secrets:
            expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            ok |= hmac.compare_digest(expected, given)
        return Verified(ok, "sha256:" + hashlib.sha256(body).hexdigest())
    message_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    timestamp = int(stamp) if stamp.isdigit() and len(stamp) <= 12 else None
    candidates = headers.get("webhook-signature", "").split()[:MAX_SIGNATURES]
    ok = False
    for secret in secrets:
        try:
            expected = sign(secret, message_id, timestamp or 0, body)
        except ValueError:
            expected = sign(STAND_IN_SECRET, message_id, 0, body)
        for candidate in candidates:
            ok |= hmac.compare_digest(expected, candidate)
    ok = (
        ok
        and bool(message_id)
        and timestamp is not None
        and len(message_id) <= 200
        and "\x00" not in message_id
    )
    return Verified(ok, message_id, timestamp)


def secrets_of(automation: Automation | None, now: datetime) -> list[str]:
    """The secrets an inbound message may be signed with, always two (stand-ins where there
    are none), so an unknown endpoint or an automation without a rotation costs the same."""
    found: list[str] = []
    if automation is not None and automation.inbound_secret is not None:
        found = valid_secrets(
            automation.inbound_secret,
            automation.previous_inbound_secret,
            automation.previous_inbound_secret_expires_at,
            now,
        )
    return [*found, STAND_IN_SECRET, STAND_IN_SECRET][:2]


class InboundWebhooks:
    """The ASGI app at ``/webhooks/automations``."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        endpoint_id = scope["path"].removeprefix(PATH_PREFIX)
        client = scope.get("client")
        where = {"endpoint": endpoint_id, "client": client[0] if client else None}
        try:
            body = await read_body(receive)
            status, answer = await self._handle(scope, endpoint_id, body)
        except ApiError as error:
            logger.info("inbound webhook refused: %s %s", error.code.value, where)
            await send_error(scope, send, error)
            return
        logger.info("inbound webhook %s: %s %s", status, answer, where)
        await send_json(send, status, {**answer, "request_id": request_id_of(scope)})

    async def _handle(
        self, scope: Scope, endpoint_id: str, body: bytes
    ) -> tuple[int, dict[str, object]]:
        automation = None
        if prefix_of(endpoint_id) is IdPrefix.INBOUND_ENDPOINT:
            async with self.db.reading() as session:
                automation = (
                    await session.execute(
                        select(Automation).where(col(Automation.endpoint_id) == endpoint_id)
                    )
                ).scalar_one_or_none()
        usable = (
            automation is not None
            and automation.enabled
            and automation.trigger_type is TriggerType.WEBHOOK
            and automation.inbound_secret is not None
        )
        config = automation.trigger_config if automation is not None and usable else {}
        verified = verify(
            str(config.get("signatureScheme", STANDARD)),
            str(config.get("signatureHeader") or DEFAULT_HMAC_HEADER).lower(),
            secrets_of(automation if usable else None, utcnow()),
            _headers(scope),
            body,
        )
        if automation is None or not usable or not verified.signature_ok:
            raise ApiError(ErrorCode.NOT_FOUND, "No webhook endpoint here.")
        draft = current_record()
        if draft is not None:
            # Signed by the automation's secret: the call is its organisation's to audit.
            draft.org_id = automation.org_id
            draft.project_id = automation.project_id
        if verified.timestamp is not None:
            tolerance = self.settings.inbound_webhook_tolerance_seconds
            if abs(time.time() - verified.timestamp) > tolerance:
                raise ApiError(
                    ErrorCode.BAD_REQUEST,
                    f"`webhook-timestamp` is more than {tolerance} s away from now; "
                    "send a fresh signature.",
                )
        try:
            payload = orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            raise ApiError(ErrorCode.BAD_REQUEST, "The body must be JSON.") from None
        problem = json_problem(payload, BODY_BOUNDS)
        if problem is not None:
            code, text = problem
            message = f"The body {text}: it could not be stored as the run's trigger."
            raise ApiError(
                ErrorCode.VALIDATION_FAILED, message, fields=[FieldError(("body",), code, message)]
            )
        client = scope.get("client")
        return await self._accept(
            automation,
            verified.message_id,
            self._keep_until(verified),
            payload,
            client[0] if client else None,
        )

    def _keep_until(self, verified: Verified) -> datetime:
        """How long a replay of this message must be recognised: while its timestamp is still
        within the tolerance, or (plain HMAC has none) for the configured replay window."""
        now = utcnow()
        if verified.timestamp is None:
            return now + timedelta(seconds=self.settings.inbound_webhook_hmac_replay_seconds)
        tolerance = self.settings.inbound_webhook_tolerance_seconds
        return max(now, datetime.fromtimestamp(verified.timestamp + tolerance, UTC))

    async def _accept(
        self,
        automation: Automation,
        message_id: str,
        keep_until: datetime,
        payload: object,
        client: str | None,
    ) -> tuple[int, dict[str, object]]:
        async with self.db.writing() as session:
            fresh = await session.get(Automation, automation.id)
            if fresh is None or not fresh.enabled:
                raise ApiError(ErrorCode.NOT_FOUND, "No webhook endpoint here.")
            run_id = new_id(IdPrefix.AUTOMATION_RUN)
            stored = await session.execute(
                self.db.insert(InboundWebhookMessage)
                .values(
                    org_id=fresh.org_id,
                    automation_id=fresh.id,
                    message_id=message_id,
                    run_id=run_id,
                    client_address=client,
                    received_at=utcnow(),
                    keep_until=keep_until,
                )
                .on_conflict_do_nothing(index_elements=["automation_id", "message_id"])
                .returning(col(InboundWebhookMessage.id))
            )
            if stored.first() is None:
                return 200, {"status": "duplicate", "webhook_id": message_id}
            queue_run(
                session,
                fresh,
                TriggerType.WEBHOOK,
                {"webhookId": message_id, "receivedAt": isoformat(utcnow()), "body": payload},
                run_id=run_id,
            )
        self.db.committed(OUTBOX)
        self.db.committed(RUNS)
        return 202, {"status": "accepted", "run_id": run_id}
