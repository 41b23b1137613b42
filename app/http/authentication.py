"""Authenticates ``Authorization: Bearer <key>`` before any routing or body parsing.

Protected paths are everything except the ones listed public: health probes, docs, the OpenAPI
document, GraphiQL's page and its static assets. WebSocket connections authenticate inside the
``connection_init`` message instead, since browsers cannot set headers on them.
"""

from __future__ import annotations

from app.auth.keystore import KeyStore
from app.errors import ApiError, ErrorCode
from app.http.errors import GRAPHQL_PATH, send_error
from app.types import ASGIApp, Receive, Scope, Send

PUBLIC_PATHS = frozenset({"/", "/health", "/ready", "/v1/openapi.json", "/docs"})
PUBLIC_PREFIXES = ("/static/", "/docs/")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _is_public(scope: Scope) -> bool:
    path: str = scope["path"]
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return True
    if path == GRAPHQL_PATH and scope.get("method") == "GET":
        accept = _header(scope, b"accept") or ""
        return "text/html" in accept
    return False


class AuthenticationMiddleware:
    def __init__(self, app: ASGIApp, keys: KeyStore) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_public(scope):
            await self.app(scope, receive, send)
            return
        token = bearer_token(_header(scope, b"authorization"))
        try:
            if token is None:
                raise ApiError(
                    ErrorCode.UNAUTHENTICATED,
                    "Send an API key as `Authorization: Bearer <key>`.",
                    headers={"WWW-Authenticate": 'Bearer realm="reelhouse"'},
                )
            principal = await self.keys.authenticate(token)
        except ApiError as error:
            if error.http_status == 401 and "WWW-Authenticate" not in error.headers:
                error.headers["WWW-Authenticate"] = (
                    'Bearer realm="reelhouse", error="invalid_token"'
                )
            await send_error(scope, send, error)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)
