"""Claiming, completing and releasing idempotency keys in the store.

A key's life: the first request that reaches execution *claims* it in a transaction of its
own (committed at once, so a concurrent repeat sees it and is answered 409); the answer is
stored by a ``before_commit`` hook of the request's own transaction, so it commits together
with the mutation's writes or not at all; a request that rolls back (a 5xx, a timeout, a
failed commit) *releases* the claim so a retry runs afresh. A process killed mid-request
leaves a claim without an answer and without writes: once ``idempotency_claim_seconds`` have
passed a repeat takes it over and runs the mutation, which is then its first run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.clock import utcnow
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.models import IdempotencyKey
from app.transaction import Response

logger = logging.getLogger("reelhouse.idempotency")

NOT_STORED = frozenset({b"content-length", b"date", b"server"})
"""Headers the replay computes afresh. Rate-limit and request-id headers are added outside
the request transaction, so they never reach the stored answer: a replay carries its own."""


@dataclass(frozen=True, slots=True)
class Claim:
    org_id: str
    key: str
    holder: str
    """The request id of the request that holds the claim."""


def in_use() -> ApiError:
    return ApiError(
        ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        "A request with this `Idempotency-Key` is still running; retry once it has answered.",
    )


def reused() -> ApiError:
    return ApiError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "This `Idempotency-Key` was used for a different request (method, path, body or "
        "operation and variables); use a new key for a new request.",
    )


class IdempotencyStore:
    def __init__(self, db: Database, *, keep: timedelta, claim_timeout: timedelta) -> None:
        self.db = db
        self.keep = keep
        self.claim_timeout = claim_timeout

    async def claim(self, org_id: str, key: str, fingerprint: str, holder: str) -> Claim | Response:
        """The claim of a first run (or of a takeover), or the stored answer of a completed
        one; ``ApiError`` 409 while another request holds it, 422 for another request."""
        now = utcnow()
        claim = Claim(org_id, key, holder)
        async with self.db.writing(own=True) as session:
            inserted = await session.execute(
                self.db.insert(IdempotencyKey)
                .values(
                    org_id=org_id,
                    key=key,
                    fingerprint=fingerprint,
                    claim=holder,
                    claimed_at=now,
                    expires_at=now + self.keep,
                )
                .on_conflict_do_nothing(index_elements=["org_id", "key"])
                .returning(col(IdempotencyKey.key))
            )
            if inserted.first() is not None:
                return claim
            row = await session.get(
                IdempotencyKey, {"org_id": org_id, "key": key}, with_for_update=True
            )
            if row is None:
                # Released between our insert and this read: the next attempt may claim it.
                raise in_use()
            if row.expires_at <= now:
                self._restart(row, fingerprint, holder, now)
                return claim
            if row.fingerprint != fingerprint:
                raise reused()
            if row.status is not None:
                return _answer(row)
            if row.claimed_at > now - self.claim_timeout:
                raise in_use()
            logger.warning(
                "idempotency key of %s taken over from %s (claimed %s, never answered)",
                org_id,
                row.claim,
                row.claimed_at.isoformat(),
            )
            row.claim, row.claimed_at = holder, now
        return claim

    @staticmethod
    def _restart(row: IdempotencyKey, fingerprint: str, holder: str, now: datetime) -> None:
        row.fingerprint, row.claim, row.claimed_at = fingerprint, holder, now
        row.status = row.headers = row.body = row.completed_at = None

    async def complete(self, session: AsyncSession, claim: Claim, response: Response) -> None:
        """Store ``response`` in the request's transaction; refused (and so the request's
        writes rolled back) if the claim was taken over meanwhile."""
        headers = [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in response.headers
            if name not in NOT_STORED
        ]
        stored = await session.execute(
            update(IdempotencyKey)
            .where(
                col(IdempotencyKey.org_id) == claim.org_id,
                col(IdempotencyKey.key) == claim.key,
                col(IdempotencyKey.claim) == claim.holder,
            )
            .values(
                status=response.status,
                headers=headers,
                body=response.body,
                completed_at=utcnow(),
            )
        )
        if not getattr(stored, "rowcount", 0):
            raise in_use()

    async def release(self, claim: Claim) -> None:
        """Forget a claim whose request kept nothing, so a retry runs it."""
        async with self.db.writing(own=True) as session:
            await session.execute(
                delete(IdempotencyKey).where(
                    col(IdempotencyKey.org_id) == claim.org_id,
                    col(IdempotencyKey.key) == claim.key,
                    col(IdempotencyKey.claim) == claim.holder,
                    col(IdempotencyKey.status).is_(None),
                )
            )


def _answer(row: IdempotencyKey) -> Response:
    headers = tuple(
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in row.headers or ()
    )
    assert row.status is not None
    return Response(row.status, headers, row.body or b"").sized()
