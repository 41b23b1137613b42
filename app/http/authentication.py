"""Authenticates ``Authorization: Bearer <credential>`` before any routing or body parsing: an
API key, or an OAuth access token (a JWT, verified by ``app.identity``). Both become the same
``Principal``.

Protected paths are everything except the ones listed public: health probes, docs, the OpenAPI
document, GraphiQL's page and its static assets, the OAuth server (``/oauth/…``,
``/.well-known/…``), which authenticates clients and users its own way, and the console
(``/console/…``), which admits signed-in users by their session cookie. WebSocket connections authenticate inside the
``connection_init`` message instead, since browsers cannot set headers on them.

After the key, its IP allowlist: the client address is the TCP peer, or the forwarded address
when the peer is a trusted proxy (``app.auth.network``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.audit import current_record
from app.auth.keystore import KeyStore
from app.auth.network import Network, client_address, networks_of, within
from app.auth.principal import Principal
from app.auth.usage import UsageRecorder
from app.errors import ApiError, ErrorCode
from app.http.caching import PRIVATE, with_cache_control
from app.http.errors import GRAPHQL_PATH, send_error
from app.http.headers import header, headers
from app.http.public import PublicRoute, public_route_of
from app.identity.access_tokens import looks_like_jwt
from app.types import ASGIApp, Receive, Scope, Send

PUBLIC_PATHS = frozenset(
    {
        "/",
        "/health",
        "/ready",
        "/metrics",
        "/v1",
        "/v1/",
        "/v1/openapi.json",
        "/docs",
        "/graphql/schema.graphql",
        "/graphql/schema.json",
        "/console",
    }
)
PUBLIC_PREFIXES = ("/static/", "/docs/", "/oauth/", "/.well-known/", "/console/")


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def is_public(scope: Scope, routes: Sequence[PublicRoute] = ()) -> bool:
    """Whether a path is served without a credential (probes, documents, OAuth, signed routes)."""
    path: str = scope["path"]
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return True
    if public_route_of(scope, routes) is not None:
        return True
    if path == GRAPHQL_PATH and scope.get("method") == "GET":
        accept = header(scope, b"accept") or ""
        return "text/html" in accept
    return False


def check_client_address(
    scope: Scope, principal: Principal, trusted_proxies: Sequence[Network]
) -> None:
    """403 ``IP_NOT_ALLOWED`` when the key has an allowlist and the client is outside it."""
    if principal.allowed_cidrs is None:
        return
    client = scope.get("client")
    address = client_address(
        client[0] if client else None, headers(scope, b"x-forwarded-for"), trusted_proxies
    )
    if address is None or not within(address, networks_of(principal.allowed_cidrs)):
        shown = str(address) if address is not None else "an unknown address"
        raise ApiError(ErrorCode.IP_NOT_ALLOWED, f"This API key may not be used from {shown}.")


class AccessTokens(Protocol):
    """``app.identity.service.Identity``: OAuth access tokens as principals."""

    async def authenticate(self, token: str, scope: Scope) -> Principal: ...


class Authenticator:
    """Admits a bearer token from any transport (HTTP requests, WebSocket ``connection_init``):
    the key or access token must be valid, the client inside a key's allowlist, and a key's use
    is recorded. Written once so a WebSocket cannot skip what a request must pass."""

    def __init__(
        self,
        keys: KeyStore,
        *,
        trusted_proxies: Sequence[Network] = (),
        usage: UsageRecorder | None = None,
        tokens: AccessTokens | None = None,
    ) -> None:
        self.keys = keys
        self.trusted_proxies = tuple(trusted_proxies)
        self.usage = usage
        self.tokens = tokens

    async def admit(self, token: str | None, scope: Scope) -> Principal:
        if token is None:
            raise ApiError(
                ErrorCode.UNAUTHENTICATED,
                "Send an API key or OAuth access token as `Authorization: Bearer <token>`.",
                headers={"WWW-Authenticate": 'Bearer realm="reelhouse"'},
            )
        if self.tokens is not None and looks_like_jwt(token):
            return _noted(await self.tokens.authenticate(token, scope))
        principal = _noted(await self.keys.authenticate(token))
        check_client_address(scope, principal, self.trusted_proxies)
        if self.usage is not None:
            self.usage.touch(principal.credential_id)
        return principal


def _noted(principal: Principal) -> Principal:
    """The call's audit record names the credential even if a later check refuses it."""
    draft = current_record()
    if draft is not None:
        draft.principal = principal
    return principal


class AuthenticationMiddleware:
    """``public``: routes that authenticate their callers themselves (signed storage URLs,
    signed inbound webhooks)."""

    def __init__(
        self, app: ASGIApp, authenticator: Authenticator, public: Sequence[PublicRoute] = ()
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.public = tuple(public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope, self.public):
            await self.app(scope, receive, send)
            return
        token = bearer_token(header(scope, b"authorization"))
        try:
            principal = await self.authenticator.admit(token, scope)
        except ApiError as error:
            if error.http_status == 401 and "WWW-Authenticate" not in error.headers:
                error.headers["WWW-Authenticate"] = (
                    'Bearer realm="reelhouse", error="invalid_token"'
                )
            await send_error(scope, send, error)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, with_cache_control(send, PRIVATE))
