"""Idempotency keys (DESIGN.md, "Idempotency"): a retried write runs once, and its repeats get
the first answer back byte for byte.

``Idempotency.begin`` is the entry point the request path calls, from the schema extension
``IdempotentMutations`` once a mutation is admitted (after authentication, validation and the
rate limit: requests refused before execution store nothing); ``idempotent_request`` reads the
header when the request's context is built; ``IdempotencyExpiry`` is the worker's sweep.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.idempotency.requests import REPLAYED_HEADER, IdempotentRequest, idempotent_request
from app.idempotency.store import Claim, IdempotencyStore
from app.settings import Settings
from app.transaction import Response, current_transaction

__all__ = ["Idempotency", "IdempotentRequest", "IdempotentRun", "idempotent_request"]


class IdempotentRun:
    """A claimed key, for the request that runs under it."""

    def __init__(self, store: IdempotencyStore, claim: Claim) -> None:
        self.store = store
        self.claim = claim
        self.withdrawn = False

    async def complete(self, session: AsyncSession, response: Response) -> None:
        if not self.withdrawn:
            await self.store.complete(session, self.claim, response)

    async def release(self) -> None:
        if not self.withdrawn:
            await self.store.release(self.claim)

    async def withdraw(self) -> None:
        """The operation was refused before any field ran (its variables did not coerce):
        like any request refused before execution, it stores nothing."""
        await self.release()
        self.withdrawn = True


class Idempotency:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.store = IdempotencyStore(
            db,
            keep=timedelta(hours=settings.idempotency_key_hours),
            claim_timeout=timedelta(seconds=settings.idempotency_claim_seconds),
        )

    async def begin(
        self, request: IdempotentRequest, org_id: str, request_id: str, fingerprint: str
    ) -> IdempotentRun | None:
        """Claim the key for this request (the run), or arrange for the stored answer to be
        sent (None: do not execute). ``ApiError`` for a malformed key (400), a running first
        request (409) or a different request under the same key (422)."""
        key = request.checked_key()
        transaction = current_transaction()
        if transaction is None:
            # Nothing to store the answer with (only /graphql and /v1 have one): run it as a
            # request without a key, and touch nothing in the store.
            run = IdempotentRun(self.store, Claim(org_id, key, request_id))
            run.withdrawn = True
            return run
        outcome = await self.store.claim(org_id, key, fingerprint, request_id)
        if not isinstance(outcome, Claim):
            transaction.respond_with(outcome.with_header(REPLAYED_HEADER, b"true"))
            return None
        run = IdempotentRun(self.store, outcome)
        transaction.before_commit(run.complete)
        transaction.after_rollback(run.release)
        return run
