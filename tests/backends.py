"""Per-run databases: a fresh PostgreSQL database and Redis key prefix for every test run.

Locally a missing PostgreSQL or Redis skips the tests that need it; with ``CI=true`` it fails
them, so CI can never pass by silently testing less.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis

from app.crypto import new_key

POSTGRES_ADMIN_URL = os.environ.get(
    "REELHOUSE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("REELHOUSE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECRET_KEY = new_key()
"""The run's ``REELHOUSE_SECRET_KEY``: PostgreSQL apps and the processes tests start share it."""


def unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is not reachable ({type(error).__name__}: {error})"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


@asynccontextmanager
async def postgres_database(label: str = "run") -> AsyncIterator[str]:
    """Create ``reelhouse_test_<label>_<random>`` and drop it afterwards; yields its URL."""
    admin_url = _asyncpg_url(POSTGRES_ADMIN_URL)
    try:
        admin = await asyncio.wait_for(asyncpg.connect(admin_url), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        unavailable("PostgreSQL", error)
        raise
    name = f"reelhouse_test_{label}_{secrets.token_hex(4)}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = admin_url.rpartition("/")
    try:
        yield sqlalchemy_url(f"{base}/{name}")
    finally:
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="reelhouse-test-") as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'test.db'}"


@asynccontextmanager
async def redis_namespace() -> AsyncIterator[tuple[str, str]]:
    """Yields ``(url, prefix)``; every key under the prefix is deleted afterwards."""
    client = Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(client.ping(), timeout=5)
    except (OSError, TimeoutError, Exception) as error:  # redis raises its own ConnectionError
        await client.aclose()
        unavailable("Redis", error)
        raise
    prefix = f"reelhouse-test-{secrets.token_hex(4)}:"
    try:
        yield REDIS_URL, prefix
    finally:
        keys = [k async for k in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
        await client.aclose()
