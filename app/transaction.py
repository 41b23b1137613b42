"""One write transaction per HTTP request, committed only once the answer is known.

Why: a request's own records must commit with its writes or not at all. An idempotency key's
stored response and a mutation's audit row are written by ``before_commit`` hooks into the same
transaction as the mutation, after execution has produced the response body; a process killed
between commit and reply has then either stored both or neither, so a retry can never run the
mutation twice.

How it joins: ``RequestTransactions`` (pure ASGI, around ``/graphql``, ``/v1`` and ``/console``)
makes a ``RequestTransaction`` current for the request. ``Database.writing()`` inside it runs in
a SAVEPOINT of the request's one transaction: a unit of work that fails (``userErrors``, a
broken constraint) rolls back alone, as each used to in its own transaction, and the next
mutation of the document carries on. Once the request has written, ``Database.reading()`` reads
through the same session, so later fields and mutations see the writes; one lock keeps the
session to one user at a time (an ``AsyncSession`` is not safe for concurrent use).
``Database.committed()`` signals and ``after_commit`` callbacks wait for the real commit.

Read-only requests never open it (the session starts at the first write or hook), so they hold
no connection and, on SQLite, never take the single writer's lock. An answer with a 5xx status
commits nothing: it tells the client to retry, which is only safe if nothing was kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, AsyncTransaction

from app.database_errors import contract_error
from app.errors import ApiError
from app.http.errors import error_body, internal_error
from app.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from app.database import Database

logger = logging.getLogger("reelhouse.transaction")


@dataclass(frozen=True, slots=True)
class Response:
    """A complete HTTP answer, as the client will receive it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((v for k, v in self.headers if k == name), None)

    def with_header(self, name: bytes, value: bytes) -> Response:
        kept = tuple((k, v) for k, v in self.headers if k != name)
        return Response(self.status, (*kept, (name, value)), self.body)

    @classmethod
    def of_error(cls, scope: Scope, error: ApiError) -> Response:
        body = orjson.dumps(error_body(scope, error))
        headers = [(b"content-type", b"application/json")]
        headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
        return cls(error.http_status, tuple(headers), body).sized()

    def sized(self) -> Response:
        """With the ``Content-Length`` of its body; a 204 or 304 has no content and declares
        none (RFC 9110)."""
        if self.status in (204, 304):
            kept = tuple((k, v) for k, v in self.headers if k != b"content-length")
            return Response(self.status, kept, b"")
        return self.with_header(b"content-length", str(len(self.body)).encode())


class AnswerReplaced(Exception):
    """Raised by the executor when the request's answer is a stored one (``respond_with``):
    the transport stops there and ``RequestTransactions`` sends the stored answer."""


CommitHook = Callable[[AsyncSession, Response], Awaitable[None]]
"""Writes the request's own records (the response is final: status, headers, body)."""
Callback = Callable[[], Awaitable[None]]

_SESSION_OPTIONS: dict[str, Any] = {"expire_on_commit": False, "autoflush": False}

_current: ContextVar[RequestTransaction | None] = ContextVar("request_transaction", default=None)
_holder: ContextVar[RequestTransaction | None] = ContextVar("transaction_holder", default=None)


def current_transaction() -> RequestTransaction | None:
    """The request transaction of the running request, while it is still open."""
    transaction = _current.get()
    return transaction if transaction is not None and transaction.open else None


@dataclass(eq=False)
class RequestTransaction:
    db: Database
    scope: Scope
    open: bool = True
    kept: bool = False
    """Whether a unit of work finished without error (its writes will commit with the rest)."""
    _connection: AsyncConnection | None = None
    _root: AsyncTransaction | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _before_commit: list[CommitHook] = field(default_factory=list)
    _after_commit: list[Callback] = field(default_factory=list)
    _after_rollback: list[Callback] = field(default_factory=list)
    _signals: list[str] = field(default_factory=list)
    _replacement: Response | None = None

    @property
    def written(self) -> bool:
        """Whether the request's transaction has begun (its first write has happened)."""
        return self._connection is not None

    @property
    def engaged(self) -> bool:
        """Whether the answer must wait for this transaction (or is replaced)."""
        return self.written or bool(self._before_commit) or self._replacement is not None

    def before_commit(self, hook: CommitHook) -> None:
        """Run ``hook(session, response)`` inside the transaction once the response is built,
        just before the commit; the hook's writes commit or roll back with the request's."""
        self._before_commit.append(hook)

    def after_commit(self, callback: Callback) -> None:
        """Run ``callback`` once the request's writes are committed (never if rolled back)."""
        self._after_commit.append(callback)

    def after_rollback(self, callback: Callback) -> None:
        """Run ``callback`` if the request's writes are rolled back instead (a 5xx answer, a
        timeout, a failed commit), outside the transaction."""
        self._after_rollback.append(callback)

    def signal(self, name: str) -> None:
        """``Database.committed(name)`` of a write inside the request: sent after the commit."""
        if name not in self._signals:
            self._signals.append(name)

    def respond_with(self, response: Response) -> None:
        """Answer with ``response`` instead of whatever the endpoint produces (a replay)."""
        self._replacement = response

    @property
    def replacement(self) -> Response | None:
        return self._replacement

    @asynccontextmanager
    async def _holding(self) -> AsyncIterator[AsyncConnection]:
        """The request's connection, to one user at a time. A task already holding it (a
        loader batch started by a unit of work it awaits inherits the holding) goes on."""
        async with self._held():
            yield await self._begin()

    @asynccontextmanager
    async def _held(self) -> AsyncIterator[None]:
        if _holder.get() is self:
            yield
            return
        async with self._lock:
            token = _holder.set(self)
            try:
                yield
            finally:
                _holder.reset(token)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A fresh session (its own identity map, as every read had before) on the request's
        connection, inside its transaction: it sees the request's writes."""
        async with self._holding() as connection:
            session = AsyncSession(bind=connection, **_SESSION_OPTIONS)
            try:
                yield session
            finally:
                await session.close()

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[AsyncSession]:
        """A fresh session in a SAVEPOINT of the request's transaction: released when the block
        ends, rolled back alone if it raises.

        The first unit of work needs no SAVEPOINT: nothing else is in the transaction yet, so
        it runs in the transaction itself, and if it raises the whole transaction is rolled
        back and forgotten (the request is unwritten again). Most writing requests have one
        unit, and each SAVEPOINT and RELEASE is a round trip to the store."""
        async with self._held():
            if self._connection is None:
                connection = await self._begin()
                session = AsyncSession(bind=connection, **_SESSION_OPTIONS)
                try:
                    yield session
                    await session.flush()
                except BaseException:
                    await session.close()
                    await self._forget()
                    raise
                await session.close()
            else:
                connection = await self._begin()
                session = AsyncSession(
                    bind=connection, join_transaction_mode="create_savepoint", **_SESSION_OPTIONS
                )
                try:
                    async with session.begin():
                        yield session
                finally:
                    await session.close()
        self.kept = True

    async def _forget(self) -> None:
        """Roll back and drop the transaction of a first unit that failed."""
        connection, root = self._connection, self._root
        self._connection = self._root = None
        try:
            if root is not None and root.is_active:
                await root.rollback()
        finally:
            if connection is not None:
                await connection.close()

    async def _begin(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self.db.write_connection()
            try:
                self._root = await connection.begin()
            except BaseException:
                await connection.close()
                raise
            self._connection = connection
        return self._connection

    async def finish(self, response: Response) -> Response:
        """Commit (running the hooks first) or roll back, and return the answer to send: the
        replacement if one was set, an error if committing failed."""
        if self._replacement is not None:
            response = self._replacement
        if response.status >= 500:
            await self.abort()
            return response
        try:
            if self._before_commit:
                await self._run_hooks(response)
            if self._root is not None:
                async with self._lock:
                    await self._root.commit()
        except Exception as error:
            logger.warning("committing the request's writes failed", exc_info=True)
            await self.abort()
            failure = contract_error(error)
            if not isinstance(failure, ApiError):
                failure = internal_error()
            return Response.of_error(self.scope, failure)
        await self._close()
        for signal in self._signals:
            self.db.committed(signal)
        for callback in self._after_commit:
            await callback()
        return response

    async def _run_hooks(self, response: Response) -> None:
        """The before-commit hooks, in the transaction itself: one failing fails the commit."""
        async with self._holding() as connection:
            session = AsyncSession(bind=connection, **_SESSION_OPTIONS)
            try:
                for hook in self._before_commit:
                    await hook(session, response)
                await session.flush()
            finally:
                await session.close()

    async def abort(self) -> None:
        """Roll back whatever the request wrote; callers run this on any failure."""
        if not self.open:
            return
        try:
            if self._root is not None and self._root.is_active:
                await self._root.rollback()
        except Exception:
            logger.warning("rolling back the request's writes failed", exc_info=True)
        await self._close()
        for callback in self._after_rollback:
            try:
                await callback()
            except Exception:
                logger.exception("a rollback callback failed")

    async def _close(self) -> None:
        self.open = False
        connection, self._connection, self._root = self._connection, None, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                logger.warning("closing the request's connection failed", exc_info=True)


class RequestTransactions:
    """Gives each HTTP request a ``RequestTransaction`` and holds its answer until the
    transaction is settled: the client never sees a success whose writes did not commit."""

    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        transaction = RequestTransaction(self.db, scope)
        token = _current.set(transaction)
        held: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False

        async def holding_send(message: Message) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                if not transaction.engaged:
                    passing = True
                    await transaction.abort()
                if passing:
                    await send(message)
                else:
                    held.update(message)
                return
            if passing:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            response = Response(held["status"], tuple(held.get("headers", ())), b"".join(chunks))
            await settle(response)

        async def settle(response: Response) -> None:
            final = await transaction.finish(response)
            if final is not response:
                final = final.sized()
            await send(
                {
                    "type": "http.response.start",
                    "status": final.status,
                    "headers": list(final.headers),
                }
            )
            await send({"type": "http.response.body", "body": final.body})

        try:
            await self.app(scope, receive, holding_send)
        except AnswerReplaced:
            replacement = transaction.replacement
            assert replacement is not None
            await settle(replacement)
        finally:
            _current.reset(token)
            await transaction.abort()
