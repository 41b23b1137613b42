"""The ASGI application: pure middleware around a small router.

Request path: request id → error boundary → body limit → authentication (API keys, OAuth
access tokens) → ``/graphql`` | ``/v1`` (each: request transaction → deadline) | ``/oauth`` |
``/console`` (request transaction) | probes. ``/graphql`` and ``/v1`` share one ``Executor`` (schema, extensions,
context). This module is the wiring point allowed to import ``schema`` and ``rest_compat``
(see DESIGN.md's layout).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import introspection_from_schema
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route, WebSocketRoute

from app.audit import AuditMiddleware, Auditor, current_record
from app.auth.key_changes import (
    CredentialCaches,
    KeyChangeNotifier,
    KeyChangePoller,
    KeyChangeSubscriber,
)
from app.auth.keystore import KeyStore
from app.auth.network import parse_network
from app.auth.principal import Principal
from app.auth.usage import UsageRecorder
from app.auth.watch import KeyWatch
from app.automations.inbound import PATH_PREFIX as INBOUND_PREFIX
from app.automations.inbound import InboundWebhooks
from app.automations.inbound import public_route as inbound_route
from app.crypto import secret_box_for
from app.database import Database
from app.demo import read_demo_key
from app.errors import ApiError
from app.events.bus import EventBus, RedisEventBus
from app.events.worker import EventWorker
from app.http.authentication import AuthenticationMiddleware, Authenticator, is_public
from app.http.body_limit import BodyLimitMiddleware
from app.http.cors import CorsMiddleware
from app.http.errors import (
    ErrorBoundary,
    api_error_handler,
    http_exception_handler,
    internal_error_handler,
    request_id_of,
)
from app.http.graphiql import (
    SCHEMA_JSON_PATH,
    SCHEMA_SDL_PATH,
    STATIC_PREFIX,
    GraphiQLPage,
    graphiql_assets,
)
from app.http.graphql import Executor, GraphQLEndpoint
from app.http.health import Check, Degraded, health, readiness
from app.http.metrics import metrics_endpoint
from app.http.public import PublicRoute
from app.http.request_id import RequestIdMiddleware
from app.http.schema_documents import SchemaDocuments
from app.http.subscriptions import GraphQLWebSocket
from app.http.timeouts import RequestDeadline
from app.idempotency import Idempotency, idempotent_request
from app.identity.service import Identity
from app.identity.token_principals import TokenPrincipals
from app.redis import connect as connect_redis
from app.settings import Settings, get_settings
from app.storage import LocalStorage, ObjectStorage, build_storage
from app.storage.local import OBJECTS_PATH
from app.storage.serving import ObjectRoutes
from app.storage.serving import public_route as storage_route
from app.traffic.control import TrafficControl
from app.traffic.middleware import AnonymousLimit, TrafficMiddleware
from app.traffic.record import STATE_KEY, RequestTraffic
from app.transaction import RequestTransactions
from app.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger("reelhouse")

MAX_UPLOAD_BYTES = 5 * 1024**4
"""Largest body a signed upload URL may carry; each URL allows exactly its own size."""

GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation (CPython's default is 700).

A nested list response builds tens of thousands of short-lived objects (rows, GraphQL
results); at 700 the collector ran about ten times per such request, and every tenth run
cascades into the older generations."""


@dataclass
class _Settling:
    """The collector is one per process and several apps may run in it (tests): the first to
    start settles the heap, the last to stop hands it back."""

    running: int = 0
    thresholds: tuple[int, int, int] = (0, 0, 0)


_settling = _Settling()


@contextlib.contextmanager
def settled_heap() -> Iterator[None]:
    """While the server runs: what exists once it has started (modules, the schema, the route
    table: ~150k objects) is moved out of the cyclic collector's sight, so collections only
    walk what requests allocate; back under its watch at shutdown.

    Measured in process on PostgreSQL: the nested list spent 8 of its 28 ms of CPU in the
    collector, walking the start-up heap; 2 ms after this."""
    if _settling.running == 0:
        _settling.thresholds = gc.get_threshold()
        gc.collect()
        gc.freeze()
        young, *older = _settling.thresholds
        gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), *older)
    _settling.running += 1
    try:
        yield
    finally:
        _settling.running -= 1
        if _settling.running == 0:
            gc.set_threshold(*_settling.thresholds)
            gc.unfreeze()


@dataclass
class Services:
    """Process-wide objects, created once per app and closed at shutdown."""

    settings: Settings
    db: Database
    keys: KeyStore
    redis: Any | None
    key_changes: KeyChangeNotifier
    """Announces changed keys, and whatever access tokens depend on, to every process."""
    key_subscriber: KeyChangeSubscriber | None
    """With Redis: credentials are cached only while its subscription is confirmed."""
    key_poller: KeyChangePoller | None
    """Without Redis: notices credential changes the CLI wrote to the shared SQLite file."""
    usage: UsageRecorder
    bus: EventBus
    storage: ObjectStorage
    identity: Identity
    watch: KeyWatch
    """Closes WebSockets whose credential was revoked, expired or narrowed."""
    auditor: Auditor
    traffic: TrafficControl
    """Rate limits and quotas (Redis buckets when Redis is configured)."""
    idempotency: Idempotency

    async def close(self) -> None:
        """Release the bus, object storage, Redis and the database pools."""
        await self.bus.close()
        await self.storage.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()

    def background(self) -> list[Coroutine[Any, Any, None]]:
        """What the lifespan runs next to the server (not started under bare ASGI test
        transports, where keys are then simply not cached with Redis)."""
        tasks = [self.usage.run(), *self.identity.background()]
        if self.key_subscriber is not None:
            tasks.append(self.key_subscriber.run())
        if self.key_poller is not None:
            tasks.append(self.key_poller.run())
        return tasks


def build_bus(settings: Settings, redis: Any | None) -> EventBus:
    """Redis pub/sub when Redis is configured (events cross processes), else in-process."""
    if redis is None:
        return EventBus(queue_size=settings.subscription_queue_size)
    assert settings.redis_url is not None
    return RedisEventBus(
        redis,
        settings.redis_prefix,
        settings.redis_url,
        queue_size=settings.subscription_queue_size,
    )


def statement_timeout(settings: Settings) -> float:
    """A second under the request timeout (half of it when that is short), so PostgreSQL stops
    a slow statement before the request's deadline cancels its task."""
    seconds = settings.request_timeout_seconds
    return max(seconds - 1.0, seconds / 2)


def build_services(settings: Settings, *, serving: bool = False) -> Services:
    """``serving``: for the API server, whose statements are bound by the request timeout."""
    db = Database(
        settings.database_url,
        echo=settings.sql_echo,
        pool_size=settings.db_pool_size,
        secret_box=secret_box_for(settings),
        busy_timeout=settings.sqlite_busy_timeout_seconds,
        statement_timeout=statement_timeout(settings) if serving else None,
    )
    redis = connect_redis(settings)
    bus = build_bus(settings, redis)
    db.on_commit_signal(bus.notify)
    keys = KeyStore(db, cache_seconds=settings.key_cache_seconds, caching=redis is None)
    tokens = TokenPrincipals(db, cache_seconds=settings.key_cache_seconds, caching=redis is None)
    watch = KeyWatch(caching=redis is None, fallback_seconds=settings.key_cache_seconds)
    caches = CredentialCaches(keys, tokens, watch)
    changes = KeyChangeNotifier(caches, redis, settings.redis_prefix)
    return Services(
        settings=settings,
        db=db,
        keys=keys,
        redis=redis,
        key_changes=changes,
        key_subscriber=(
            KeyChangeSubscriber(caches, settings.redis_url, settings.redis_prefix)
            if settings.redis_url
            else None
        ),
        key_poller=KeyChangePoller(caches, db) if redis is None else None,
        usage=UsageRecorder(db),
        bus=bus,
        storage=build_storage(settings),
        identity=Identity(
            db,
            settings,
            redis,
            tokens,
            changes,
            trusted_proxies=[parse_network(c) for c in settings.trusted_proxies],
        ),
        watch=watch,
        auditor=Auditor(
            db,
            trusted_proxies=[parse_network(c) for c in settings.trusted_proxies],
            inbound_prefix=INBOUND_PREFIX,
            capacity=settings.audit_buffer_size,
            batch_size=settings.audit_batch_size,
            interval=settings.audit_flush_seconds,
        ),
        traffic=TrafficControl.build(settings, redis),
        idempotency=Idempotency(db, settings),
    )


def event_worker(services: Services, schema: Any, settings: Settings | None = None) -> EventWorker:
    """The process's event worker: dispatcher, webhook sender and background loops, with the
    domain operations they need from the schema and resolvers."""
    from resolvers.automation_actions import render_submitter
    from schema.webhook_payloads import PayloadRenderer

    settings = settings or services.settings
    return EventWorker(
        services.db,
        services.bus,
        settings,
        render=PayloadRenderer(schema, services.db, settings),
        storage=services.storage,
        submit_render=render_submitter(services.db, settings),
        quota=TrafficControl(settings, services.traffic.buckets).take_deliveries,
    )


def schema_for(settings: Settings) -> Any:
    """The GraphQL schema with the document limits of ``settings``."""
    from schema import build_schema
    from schema.extensions import DocumentLimits

    limits = DocumentLimits(
        max_aliases=settings.max_aliases,
        max_root_fields=settings.max_root_fields,
        max_directives=settings.max_directives_per_field,
        max_list_items=settings.max_list_items,
        max_response_bytes=settings.max_response_bytes,
    )
    return build_schema(
        max_depth=settings.max_query_depth, max_tokens=settings.max_query_tokens, limits=limits
    )


def public_routes(settings: Settings) -> tuple[PublicRoute, ...]:
    """Routes that authenticate callers themselves: signed storage URLs, signed webhooks."""
    routes = [inbound_route(settings.inbound_webhook_max_body_bytes)]
    if settings.storage_backend == "local":
        routes.append(storage_route(MAX_UPLOAD_BYTES))
    return tuple(routes)


class Application:
    """The middleware-wrapped app, keeping a handle on its services for the CLI and tests."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> Application:
    from console.app import console_routes
    from resolvers.context import Context
    from rest_compat import create_rest_app
    from rest_compat.api import graphql_schema_of
    from rest_compat.docs import docs_routes

    settings = settings or get_settings()
    services = build_services(settings, serving=True)
    schema = schema_for(settings)

    def make_context(principal: Principal, scope: Scope) -> Context:
        """Every resolver's context, whichever transport admitted ``principal``; each
        WebSocket operation gets a traffic record of its own."""
        draft = current_record()
        if draft is not None and draft.principal is None:
            draft.principal = principal
        traffic = (scope.get("state") or {}).get(STATE_KEY)
        if not isinstance(traffic, RequestTraffic):
            traffic = services.traffic.record(principal, "GET")
        return Context(
            db=services.db,
            settings=settings,
            principal=principal,
            request_id=request_id_of(scope),
            key_changes=services.key_changes,
            bus=services.bus,
            storage=services.storage,
            traffic=traffic,
            idempotency=services.idempotency,
            idempotent_request=idempotent_request(scope),
        )

    def context_factory(scope: Scope) -> Context:
        return make_context(scope["state"]["principal"], scope)

    authenticator = Authenticator(
        services.keys,
        trusted_proxies=[parse_network(c) for c in settings.trusted_proxies],
        usage=services.usage,
        tokens=services.identity,
    )
    auditor = services.auditor if settings.audit_enabled else None
    websocket = GraphQLWebSocket(
        schema,
        authenticator.admit,
        make_context,
        guard=services.watch.guard,
        max_operations=settings.subscriptions_per_connection,
        max_per_credential=settings.subscriptions_per_credential,
        max_sockets_per_credential=settings.sockets_per_credential,
        max_message_bytes=settings.max_body_bytes,
        max_tokens=settings.max_query_tokens,
        max_variables_bytes=settings.max_variables_bytes,
        auditor=auditor,
    )
    executor = Executor(schema, context_factory)
    graphiql = GraphiQLPage(read_demo_key(settings)) if settings.graphiql else None
    graphql = GraphQLEndpoint(
        executor,
        graphiql=graphiql,
        websocket=websocket,
        max_variables_bytes=settings.max_variables_bytes,
    )
    introspection = orjson.dumps(introspection_from_schema(graphql_schema_of(schema)))
    schema_documents = SchemaDocuments(
        {
            SCHEMA_SDL_PATH: (schema.as_str().encode() + b"\n", "text/plain; charset=utf-8"),
            SCHEMA_JSON_PATH: (introspection, "application/json"),
        }
    )
    rest = create_rest_app(schema, executor, max_variables_bytes=settings.max_variables_bytes)

    extra_checks: dict[str, Check] = {}
    if services.redis is not None:
        redis = services.redis

        async def ping_redis() -> None:
            await redis.ping()

        extra_checks["redis"] = ping_redis
        traffic = services.traffic

        async def global_rate_limits() -> None:
            if traffic.degraded:
                raise Degraded("Redis unreachable, rate limits and quotas hold per process")

        extra_checks["rate_limits"] = global_rate_limits

    if services.key_subscriber is not None:
        subscriber = services.key_subscriber

        async def key_changes_subscribed() -> None:
            if not subscriber.live:
                raise ConnectionError("not subscribed to API key changes")

        extra_checks["key_changes"] = key_changes_subscribed

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await services.identity.startup()
        if auditor is not None:
            auditor.writer.start()
        worker = None
        if settings.events_embedded_worker:
            worker = event_worker(services, schema)
            await worker.start()
        tasks = [asyncio.create_task(job) for job in services.background()]
        with settled_heap():
            yield
        if worker is not None:
            await worker.stop(grace_seconds=settings.shutdown_grace_seconds)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await services.usage.flush()
        except Exception:
            logger.exception("writing API key last-used times at shutdown failed")
        await services.auditor.close(settings.shutdown_grace_seconds)
        await services.close()

    storage_mounts = []
    if isinstance(services.storage, LocalStorage):
        storage_mounts.append(Mount(OBJECTS_PATH.rstrip("/"), ObjectRoutes(services.storage)))

    async def home(_request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    timeout = settings.request_timeout_seconds
    transactional_rest = RequestTransactions(RequestDeadline(rest, timeout), services.db)
    router = Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/ready", readiness(services.db, extra_checks)),
            Route("/metrics", metrics_endpoint(services.db, settings.metrics_token)),
            Route(SCHEMA_SDL_PATH, schema_documents),
            Route(SCHEMA_JSON_PATH, schema_documents),
            Route(
                "/graphql",
                RequestTransactions(RequestDeadline(graphql, timeout), services.db),
            ),
            WebSocketRoute("/graphql", graphql),
            Mount(STATIC_PREFIX, graphiql_assets()),
            Route("/v1", transactional_rest),
            Mount("/v1", transactional_rest),
            Mount(INBOUND_PREFIX.rstrip("/"), InboundWebhooks(services.db, settings)),
            *storage_mounts,
            *docs_routes(),
            *services.identity.routes(),
            *console_routes(executor, services.identity.sessions, services.db),
        ],
        lifespan=lifespan,
        exception_handlers={
            ApiError: api_error_handler,
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
    )
    router.state.services = services
    public = public_routes(settings)
    app: ASGIApp = TrafficMiddleware(router, services.traffic)
    app = AuthenticationMiddleware(app, authenticator, public)
    app = AnonymousLimit(
        app,
        services.traffic,
        lambda scope: not is_public(scope, public),
        [parse_network(c) for c in settings.trusted_proxies],
    )
    app = BodyLimitMiddleware(
        app,
        settings.max_body_bytes,
        public,
        max_query_string_bytes=settings.max_query_string_bytes,
        read_timeout=settings.body_read_timeout_seconds,
    )
    app = ErrorBoundary(app)
    app = CorsMiddleware(
        app, settings.cors_origins, allow_credentials=settings.cors_allow_credentials
    )
    if auditor is not None:
        app = AuditMiddleware(app, auditor)
    app = RequestIdMiddleware(app)
    return Application(app, services)
