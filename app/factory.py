"""The ASGI application: pure middleware around a small router.

Request path: request id → body limit → authentication → ``/graphql`` | ``/v1`` | probes.
This module is the wiring point allowed to import ``schema`` (see DESIGN.md's layout).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route, WebSocketRoute

from app.auth.keystore import KeyStore
from app.auth.principal import Principal
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.events.bus import EventBus, RedisEventBus
from app.events.worker import EventWorker
from app.http.authentication import AuthenticationMiddleware
from app.http.body_limit import BodyLimitMiddleware
from app.http.errors import error_body, request_id_of
from app.http.graphiql import STATIC_PREFIX, graphiql_assets, graphiql_page
from app.http.graphql import GraphQLEndpoint
from app.http.health import health, readiness
from app.http.request_id import RequestIdMiddleware
from app.http.subscriptions import GraphQLWebSocket
from app.redis import connect as connect_redis
from app.settings import Settings, get_settings
from app.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger("reelhouse")


@dataclass
class Services:
    """Process-wide objects, created once per app and closed at shutdown."""

    settings: Settings
    db: Database
    keys: KeyStore
    redis: Any | None
    bus: EventBus


def build_bus(settings: Settings, redis: Any | None) -> EventBus:
    """Redis pub/sub when Redis is configured (events cross processes), else in-process."""
    if redis is None:
        return EventBus(queue_size=settings.subscription_queue_size)
    return RedisEventBus(redis, settings.redis_prefix, queue_size=settings.subscription_queue_size)


def build_services(settings: Settings) -> Services:
    db = Database(settings.database_url, echo=settings.sql_echo, pool_size=settings.db_pool_size)
    redis = connect_redis(settings)
    bus = build_bus(settings, redis)
    db.on_commit_signal(bus.notify)
    return Services(
        settings=settings,
        db=db,
        keys=KeyStore(db, cache_seconds=settings.key_cache_seconds),
        redis=redis,
        bus=bus,
    )


class Application:
    """The middleware-wrapped app, keeping a handle on its services for the CLI and tests."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> Application:
    from resolvers.context import Context
    from schema import build_schema
    from schema.webhook_payloads import PayloadRenderer

    settings = settings or get_settings()
    services = build_services(settings)
    schema = build_schema(max_depth=settings.max_query_depth, max_tokens=settings.max_query_tokens)

    def context_factory(scope: Scope) -> Context:
        state = scope["state"]
        return Context(
            db=services.db,
            settings=settings,
            principal=state["principal"],
            request_id=state.get("request_id"),
        )

    def socket_context(principal: Principal, scope: Scope) -> Context:
        return Context(
            db=services.db,
            settings=settings,
            principal=principal,
            request_id=request_id_of(scope),
            bus=services.bus,
        )

    async def authenticate(token: str, _scope: Scope) -> Principal:
        return await services.keys.authenticate(token)

    websocket = GraphQLWebSocket(
        schema,
        authenticate,
        socket_context,
        recheck_seconds=settings.key_cache_seconds,
        max_message_bytes=settings.max_body_bytes,
        max_tokens=settings.max_query_tokens,
    )
    graphql = GraphQLEndpoint(
        schema,
        context_factory,
        graphiql=graphiql_page if settings.graphiql else None,
        websocket=websocket,
    )

    extra_checks = {}
    if services.redis is not None:
        redis = services.redis

        async def ping_redis() -> None:
            await redis.ping()

        extra_checks["redis"] = ping_redis

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        worker = None
        if settings.events_embedded_worker:
            worker = EventWorker(
                services.db,
                services.bus,
                settings,
                render=PayloadRenderer(schema, services.db, settings),
            )
            await worker.start()
        yield
        if worker is not None:
            await worker.stop()
        await services.bus.close()
        if services.redis is not None:
            await services.redis.aclose()
        await services.db.dispose()

    async def not_found(request: Request, _exc: Exception) -> JSONResponse:
        error = ApiError(ErrorCode.NOT_FOUND, f"No route for {request.method} {request.url.path}.")
        return JSONResponse(error_body(request.scope, error), status_code=404)

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        error = ApiError(ErrorCode.INTERNAL, "Internal server error.")
        return JSONResponse(error_body(request.scope, error), status_code=500)

    async def home(_request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    router = Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/ready", readiness(services.db, extra_checks)),
            Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            WebSocketRoute("/graphql", graphql),
            Mount(STATIC_PREFIX, graphiql_assets()),
        ],
        lifespan=lifespan,
        exception_handlers={404: not_found, 500: internal, Exception: internal},
    )
    router.state.services = services
    app: ASGIApp = AuthenticationMiddleware(router, services.keys)
    app = BodyLimitMiddleware(app, settings.max_body_bytes)
    app = RequestIdMiddleware(app)
    return Application(app, services)
