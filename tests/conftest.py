"""Fixtures: the app on each backend, organisations with keys, and a GraphQL client.

The ``backend`` parameter runs every test that uses ``app`` once on the embedded default
(SQLite, in-process) and once on PostgreSQL + Redis. Tests isolate themselves by creating their
own organisations, so one migrated database serves the whole run. The app's lifespan runs as
under uvicorn, except the embedded event worker: event tests start the dispatcher and sender
they need themselves, so deliveries never happen behind another test's back.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import event

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.factory import Application, create_app
from app.ids import IdPrefix, new_id
from app.migrate import upgrade_async
from app.settings import Settings
from tests.api_fixtures import api, make_api, transport  # noqa: F401 (suites on both transports)
from tests.backends import SECRET_KEY, postgres_database, redis_namespace, sqlite_database
from tests.identity_fixtures import browser, live  # noqa: F401 (OAuth suites)
from tests.lifespan import IN_BACKGROUND, lifespan

BACKENDS = ["sqlite", "postgres"]


@dataclass
class Backend:
    name: str
    settings: Settings
    app: Application


CORS_ORIGIN = "https://app.example.com"
"""The one browser origin the test servers allow."""

GENEROUS_LIMITS: dict[str, Any] = {
    "rate_limit_read_per_minute": 10**12,
    "rate_limit_write_per_minute": 10**12,
    "rate_limit_anonymous_per_minute": 10**12,
    "max_query_cost": 10**12,
    "max_aliases": 10**6,
}
"""The shared app's traffic settings: suites make far more calls a minute with one key (or,
for 401s, from one address) than a partner may, and query nested plain lists whose cost (each
counted at its bound) is far past a partner's per-request maximum, to test isolation and SQL
counts, and generated documents with hundreds of aliases (the isolation matrix). Limits are
still checked and counted on every call; ``tests/test_traffic.py`` and
``tests/test_request_limits.py`` exercise them with keys of their own limits, and apps with the
default settings."""


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    async with AsyncExitStack() as stack:
        objects = stack.enter_context(tempfile.TemporaryDirectory(prefix="reelhouse-objects-"))
        key_dir = stack.enter_context(tempfile.TemporaryDirectory())
        stored = {
            "storage_local_root": objects,
            "public_url": "http://testserver",
            "cors_origins": [CORS_ORIGIN],
            "demo_key_file": str(Path(key_dir) / "demo-key"),
            **GENEROUS_LIMITS,
        }
        if request.param == "postgres":
            url = await stack.enter_async_context(postgres_database())
            redis_url, prefix = await stack.enter_async_context(redis_namespace())
            settings = Settings(
                database_url=url,
                redis_url=redis_url,
                redis_prefix=prefix,
                environment="test",
                webhooks_allow_private_urls=True,
                events_embedded_worker=False,
                secret_key=SecretStr(SECRET_KEY),
                **stored,
            )
        else:
            url = await stack.enter_async_context(sqlite_database())
            settings = Settings(
                database_url=url,
                redis_url=None,
                environment="test",
                webhooks_allow_private_urls=True,
                events_embedded_worker=False,
                **stored,
            )
        await upgrade_async(settings.database_url)
        app = create_app(settings)
        async with lifespan(app):
            yield Backend(request.param, settings, app)
        if app.services.redis is not None:
            await app.services.redis.aclose()
        await app.services.db.dispose()


@pytest.fixture
def services(backend: Backend) -> Any:
    return backend.app.services


@pytest_asyncio.fixture(loop_scope="session")
async def http(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    asgi = httpx.ASGITransport(app=backend.app)
    async with httpx.AsyncClient(transport=asgi, base_url="http://testserver") as client:
        yield client


@dataclass
class GraphQLResult:
    status: int
    body: dict[str, Any]
    headers: httpx.Headers

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.body.get("errors") or [])

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]

    def ok(self) -> Any:
        assert self.status == 200 and not self.errors, self.body
        return self.data


@dataclass
class Tenant:
    """An organisation and a way to call the API as one of its keys."""

    http: httpx.AsyncClient
    org_id: str
    slug: str
    token: str
    services: Any
    tokens: dict[str, str] = field(default_factory=dict)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> GraphQLResult:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token or self.token}"},
        )
        return GraphQLResult(response.status_code, response.json(), response.headers)

    async def key(self, *scopes: Scope, project_ids: list[str] | None = None, **extra: Any) -> str:
        async with self.services.db.writing() as session:
            _, token = await issue_key(
                session,
                org_id=self.org_id,
                name="test key",
                scopes=scopes,
                project_ids=project_ids,
                **extra,
            )
        return token


@pytest_asyncio.fixture(loop_scope="session")
async def make_tenant(http: httpx.AsyncClient, services: Any) -> Any:
    async def make(scopes: tuple[Scope, ...] = (Scope.ADMIN,)) -> Tenant:
        slug = new_id(IdPrefix.ORGANIZATION).lower().replace("_", "-")
        org, _ = await ensure_organization(services.db, slug, f"Org {slug}")
        async with services.db.writing() as session:
            _, token = await issue_key(session, org_id=org.id, name="admin", scopes=scopes)
        return Tenant(http=http, org_id=org.id, slug=slug, token=token, services=services)

    return make


@pytest_asyncio.fixture(loop_scope="session")
async def tenant(make_tenant: Any) -> Tenant:
    result: Tenant = await make_tenant()
    return result


def _is_key_lookup(statement: str) -> bool:
    """Authentication is the only reader of ``api_key_secrets`` (``app.auth.keystore``)."""
    return statement.lstrip().upper().startswith("SELECT") and "api_key_secrets" in statement


@contextmanager
def count_statements(services: Any, *, authentication: bool = False) -> Iterator[list[str]]:
    """Collects the SQL statements every engine of the app runs inside the block for requests,
    leaving out the app's background tasks (a usage flush may fall inside any block) and,
    unless ``authentication``, the API key lookup: whether a request needs one depends on the
    key cache, which the key-change poller clears whenever it sees a recently created key."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if IN_BACKGROUND.get():
            return
        if not authentication and _is_key_lookup(statement):
            return
        control = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE SAVEPOINT")
        if not statement.lstrip().upper().startswith(control):
            statements.append(statement)

    def heard(statement: str) -> None:
        record(None, None, statement)

    engines = [e.sync_engine for e in services.db.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    services.db.statement_listeners.append(heard)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
        services.db.statement_listeners.remove(heard)
