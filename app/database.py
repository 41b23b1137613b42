"""Async engines and sessions for SQLite (embedded default) and PostgreSQL.

SQLite allows one writer: write transactions start with ``BEGIN IMMEDIATE`` on their own engine,
so two writers queue on the lock (``busy_timeout``) instead of deadlocking when both try to
upgrade a read lock; readers use a second engine and never block behind a writer (WAL).

PostgreSQL has one engine whose connections autocommit: a read is its one statement, with no
``BEGIN``/``ROLLBACK`` around it. At READ COMMITTED every statement sees its own snapshot
anyway, so reads lose nothing; write sessions ask for a READ COMMITTED transaction, as before.
A checkout costs no round trip: instead of a pre-ping, a pooled connection whose socket the
driver has seen closed (a PostgreSQL restart, a killed backend, a proxy that dropped it) is
replaced before use (``_replace_closed``); one that died silently fails its request with 503
and the pool is emptied, as any disconnect does.

Errors leave a session in the contract's terms (``app.database_errors``): an unreachable
database is 503 ``SERVICE_UNAVAILABLE``, a broken constraint a contract error. Statement
parameters never appear in errors or logs (``hide_parameters``): they hold the caller's data.
Sealed columns (``app.models.columns.SealedText``) find the process's ``SecretBox`` on the
engine's dialect.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

from app import driver_reads
from app.crypto import SecretBox
from app.database_errors import contract_error
from app.models.columns import SECRET_BOX_ATTRIBUTE
from app.transaction import RequestTransaction, current_transaction
from app.types import AnySelect

POSTGRES_CONNECT_TIMEOUT_SECONDS = 5.0
DRIVER_READS_KEPT = 4096
"""Compiled hot reads kept (``Database.read``), least recently used dropped first."""


def _sqlite_engine(url: str, *, echo: bool, begin: str, busy_timeout: float) -> AsyncEngine:
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        json_deserializer=_stored_json,
        connect_args={"timeout": busy_timeout},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


_LONG_NUMBER = re.compile(r"\d{19}")


def _stored_json(text: str) -> Any:
    """Stored JSON as Python values, with orjson (the standard library's decoder was 7 % of a
    nested list's CPU). orjson reads an integer past 64 bits as a float, which ``json`` keeps
    exact: inputs holding one are refused (``app.json_bounds``), and a stored text with a run of
    19 digits goes through ``json`` anyway, as does anything orjson refuses."""
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def _postgres_connect_args(statement_timeout: float | None) -> dict[str, Any]:
    args: dict[str, Any] = {"timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS}
    if statement_timeout is not None:
        milliseconds = max(1, int(statement_timeout * 1000))
        args["server_settings"] = {"statement_timeout": str(milliseconds)}
    return args


def _replace_closed(engine: AsyncEngine) -> None:
    """A pooled asyncpg connection that the driver knows is closed is replaced at checkout
    (the pool retries with a new one): what a pre-ping finds, without its round trip on every
    checkout (~0.1 ms of CPU and a round trip per read)."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("the pooled connection was closed")


@contextmanager
def _in_contract_terms() -> Iterator[None]:
    """Re-raise the store's errors as ``contract_error`` says (a plain ``TimeoutError`` inside
    a session is the driver's: connecting timed out)."""
    try:
        yield
    except Exception as error:
        translated = contract_error(error, timed_out_connecting=isinstance(error, TimeoutError))
        if translated is error:
            raise
        raise translated from error


class Database:
    """The process's connection to the store: one read and one write session factory."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = 10,
        secret_box: SecretBox | None = None,
        busy_timeout: float = 30.0,
        statement_timeout: float | None = None,
    ) -> None:
        """``busy_timeout``: SQLite only, how long a write waits for another process's lock
        before the request is answered 503. ``statement_timeout``: PostgreSQL only, how long
        one statement may run before the server stops it (``TIMEOUT``), so a request past its
        deadline frees its connection cleanly (``app.http.timeouts``)."""
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            self.read_engine = _sqlite_engine(
                url, echo=echo, begin="BEGIN", busy_timeout=busy_timeout
            )
            self.write_engine = _sqlite_engine(
                url, echo=echo, begin="BEGIN IMMEDIATE", busy_timeout=busy_timeout
            )
            write_bind = self.write_engine
        else:
            self.read_engine = self.write_engine = create_async_engine(
                url,
                echo=echo,
                hide_parameters=True,
                pool_size=pool_size,
                max_overflow=pool_size,
                isolation_level="AUTOCOMMIT",
                json_deserializer=_stored_json,
                connect_args=_postgres_connect_args(statement_timeout),
            )
            _replace_closed(self.read_engine)
            write_bind = self.write_engine.execution_options(isolation_level="READ COMMITTED")
        self.secret_box = secret_box
        for engine in self.engines:
            setattr(engine.sync_engine.dialect, SECRET_BOX_ATTRIBUTE, secret_box)
        self._read = async_sessionmaker(self.read_engine, expire_on_commit=False, autoflush=False)
        self._write = async_sessionmaker(write_bind, expire_on_commit=False, autoflush=False)
        self._write_bind = write_bind
        self._commit_listeners: list[Callable[[str], None]] = []
        self._driver_read = functools.lru_cache(maxsize=DRIVER_READS_KEPT)(self._plan)
        """The compiled hot read of a statement (``read``), kept by the statement object."""
        self.statement_listeners: list[Callable[[str], None]] = []
        """Hear the SQL of every statement sent past SQLAlchemy (``read``), as its
        ``before_cursor_execute`` event hears the others (tests and the bench count both)."""

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def insert(self, table: Any) -> Any:
        """An ``INSERT`` in this store's dialect, for its ``on_conflict_do_nothing`` (both
        SQLite and PostgreSQL have it, under different classes)."""
        return pg_insert(table) if self.is_postgres else sqlite_insert(table)

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        if self.read_engine is self.write_engine:
            return (self.read_engine,)
        return (self.read_engine, self.write_engine)

    def _request(self) -> RequestTransaction | None:
        transaction = current_transaction()
        return transaction if transaction is not None and transaction.db is self else None

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for plain reads. On PostgreSQL each statement runs on its own (no
        transaction): anything that needs one, such as ``SELECT ... FOR UPDATE``, belongs in
        ``writing()``. Once a request has written (``app.transaction``), its reads go through
        its transaction, so they see its writes."""
        request = self._request()
        with _in_contract_terms():
            if request is not None and request.written:
                async with request.reading() as session:
                    yield session
            else:
                async with self._read() as session:
                    yield session

    async def read(self, statement: AnySelect, params: Mapping[str, Any]) -> list[Any]:
        """Run a hot read: ``statement``'s rows, as ``scalars()`` gives them for one entity or
        column, as tuples for several. The statement object is the cache key of its compiled
        plan, so callers keep theirs (``resolvers.loaders``). On PostgreSQL, outside a request
        that has written, it goes straight to the driver (``app.driver_reads``)."""
        read = self._driver_read(statement)
        request = self._request()
        if read is None or (request is not None and request.written):
            async with self.reading() as session:
                result = await session.execute(statement, params)
                if len(statement.column_descriptions) == 1:
                    return list(result.scalars())
                return [tuple(row) for row in result.all()]
        for listener in self.statement_listeners:
            listener(read.sql)
        arguments = read.arguments(params)
        pool = self.read_engine.sync_engine.pool
        with _in_contract_terms():
            pooled = await greenlet_spawn(pool.connect)
        try:
            driver: Any = pooled.driver_connection
            try:
                records = await driver.fetch(read.sql, *arguments)
            except Exception as error:
                lost = driver.is_closed()
                if lost:
                    await greenlet_spawn(pooled.invalidate, error)
                wrapped = DBAPIError.instance(
                    read.sql,
                    None,
                    error,
                    Exception,
                    hide_parameters=True,
                    connection_invalidated=lost,
                )
                translated = contract_error(wrapped)
                raise (error if translated is wrapped else translated) from error
        finally:
            await greenlet_spawn(pooled.close)
        return read.rows(records)

    def _plan(self, statement: AnySelect) -> driver_reads.DriverRead | None:
        if not self.is_postgres:
            return None
        return driver_reads.plan(statement, self.read_engine.sync_engine.dialect)

    @asynccontextmanager
    async def writing(self, *, own: bool = False) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that commits on success and rolls back on any error.

        Inside a request transaction it is a savepoint of that transaction instead (rolled back
        alone on error, committed with the request); ``own=True`` asks for a transaction of its
        own even there, for a record others must see at once (an idempotency key's claim)."""
        request = None if own else self._request()
        with _in_contract_terms():
            if request is not None:
                async with request.savepoint() as session:
                    yield session
            else:
                async with self._write() as session, session.begin():
                    yield session

    async def write_connection(self) -> AsyncConnection:
        """A bare write connection (the request transaction's: it commits it itself)."""
        return await self._write_bind.connect()

    def on_commit_signal(self, listener: Callable[[str], None]) -> None:
        """Have ``listener`` hear of commits that created work for background workers."""
        self._commit_listeners.append(listener)

    def committed(self, signal: str) -> None:
        """Call after a commit that created work of kind ``signal`` (``outbox``: events were
        written; ``deliveries``: webhook deliveries became due), to wake whoever does it.
        Inside a request transaction the signal waits for its commit."""
        request = self._request()
        if request is not None:
            request.signal(signal)
            return
        for listener in self._commit_listeners:
            listener(signal)

    async def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` once what was just written is committed: at once outside a request
        transaction, after its commit inside one (never if it rolls back)."""
        request = self._request()
        if request is not None:
            request.after_commit(callback)
        else:
            await callback()

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
