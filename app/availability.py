"""Telling "a backend we depend on is unreachable" apart from "a bug".

The database or Redis going away (refused connections, a dropped link, a pool with no free
connection, SQLite locked by another process for longer than its busy timeout) is answered 503
``SERVICE_UNAVAILABLE`` with ``Retry-After``, never 500: the client should retry, and the
process recovers by itself once the backend is back (pooled connections are pinged before
use, Redis clients reconnect).
"""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.errors import ApiError, ErrorCode

RETRY_AFTER_SECONDS = 5

SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")
POSTGRES_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300", "53400"})
"""Admin shutdown, crash shutdown, cannot connect now, too many connections, limit exceeded;
and every ``08xxx`` (connection exception)."""


def service_unavailable(what: str) -> ApiError:
    return ApiError(
        ErrorCode.SERVICE_UNAVAILABLE,
        f"{what} is temporarily unavailable; retry in a few seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE of a driver error (asyncpg hides it one ``__cause__`` below SQLAlchemy's
    adapter), or None."""
    seen: BaseException | None = getattr(error, "orig", None) or error
    for _ in range(3):
        if seen is None:
            return None
        state = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if isinstance(state, str):
            return state
        seen = seen.__cause__
    return None


def database_unreachable(error: BaseException) -> bool:
    """Refused, reset or dropped connections, an exhausted pool, PostgreSQL shutting down or
    full, SQLite locked or unopenable. (A connect timeout is a plain ``TimeoutError``, which
    only the database layer can attribute: it checks for that itself.)"""
    if isinstance(error, PoolTimeout | ConnectionError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated or isinstance(error, InterfaceError):
            return True
        state = sqlstate_of(error)
        if state is not None:
            return state.startswith("08") or state in POSTGRES_UNAVAILABLE_STATES
        if isinstance(error, OperationalError):
            message = str(error.orig).lower()
            return any(fragment in message for fragment in SQLITE_UNAVAILABLE)
    return False


def redis_unreachable(error: BaseException) -> bool:
    return isinstance(error, RedisConnectionError | RedisTimeoutError)


def as_unavailable(error: BaseException) -> ApiError | None:
    """``SERVICE_UNAVAILABLE`` for an unreachable backend, None for anything else."""
    if redis_unreachable(error):
        return service_unavailable("Redis")
    if database_unreachable(error):
        return service_unavailable("The database")
    return None
