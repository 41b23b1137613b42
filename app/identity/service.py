"""``Identity``: users' sign-in and the OAuth 2.0 authorization server, as one object the app
wires in. The shared request path calls ``authenticate`` for bearer tokens that are JWTs, and
the console calls ``session_principal``; everything else is routes under ``/oauth`` and
``/.well-known``.
"""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any

from starlette.routing import BaseRoute, Route

from app.auth.key_changes import KeyChangeNotifier
from app.auth.network import Network
from app.auth.principal import Principal
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.identity import access_tokens, housekeeping
from app.identity.access_tokens import ExpiredToken, InvalidToken
from app.identity.authorization import AuthorizationServer, Endpoints
from app.identity.endpoints import OAuthEndpoints
from app.identity.pages import Pages
from app.identity.sessions import Sessions, principal_of
from app.identity.signing_keys import SigningKeys
from app.identity.throttle import LoginThrottle
from app.identity.token_principals import TokenPrincipals, TokenRefused
from app.settings import Settings
from app.types import Scope

_SCHEMES = {"ws": "http", "wss": "https"}


def origin_of(scope: Scope) -> str:
    """``scheme://host[:port]`` the request was addressed to."""
    scheme = str(scope.get("scheme", "http"))
    scheme = _SCHEMES.get(scheme, scheme)
    host = ""
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = value.decode("latin-1")
            break
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}"


def _invalid(message: str) -> ApiError:
    return ApiError(
        ErrorCode.UNAUTHENTICATED,
        message,
        headers={
            "WWW-Authenticate": f'Bearer realm="reelhouse", error="invalid_token", '
            f'error_description="{message}"'
        },
    )


class Identity:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        redis: Any | None,
        tokens: TokenPrincipals,
        changes: KeyChangeNotifier,
        *,
        trusted_proxies: Sequence[Network] = (),
    ) -> None:
        self.db = db
        self.settings = settings
        self.tokens = tokens
        self.changes = changes
        self.signing_keys = SigningKeys(db, settings)
        self.server = AuthorizationServer(db, settings, self.signing_keys, tokens, changes)
        self.sessions = Sessions(db, settings)
        self.throttle = LoginThrottle(settings, redis)
        self.pages = Pages(
            db, settings, self.server, self.sessions, self.throttle, tuple(trusted_proxies)
        )
        self.endpoints = OAuthEndpoints(
            self.server, self.signing_keys, settings, lambda r: self.where(r.scope)
        )

    def where(self, scope: Scope) -> Endpoints:
        issuer = (self.settings.oauth_issuer or origin_of(scope)).rstrip("/")
        return Endpoints(issuer=issuer, audience=self.settings.oauth_audience or issuer)

    async def authenticate(self, token: str, scope: Scope) -> Principal:
        """A bearer JWT as a ``Principal``, or 401 ``UNAUTHENTICATED`` saying why not."""
        where = self.where(scope)
        try:
            claims = await access_tokens.verify(
                token, self.signing_keys, issuer=where.issuer, audience=where.audience
            )
        except ExpiredToken:
            raise _invalid(
                "The access token has expired; refresh it or request a new one."
            ) from None
        except InvalidToken as error:
            raise _invalid(f"Invalid access token: {error}.") from None
        try:
            return await self.tokens.principal(claims)
        except TokenRefused as refused:
            raise _invalid(f"The access token is no longer valid: {refused}.") from None

    async def session_principal(self, scope: Scope) -> Principal | None:
        """The signed-in user of a browser request (the console), or None."""
        signed_in = await self.sessions.current(scope)
        return principal_of(signed_in) if signed_in is not None else None

    async def startup(self) -> None:
        await self.signing_keys.ensure()

    def background(self) -> list[Coroutine[Any, Any, None]]:
        return [self.signing_keys.run(), housekeeping.run(self.db)]

    def routes(self) -> list[BaseRoute]:
        pages, endpoints = self.pages, self.endpoints
        return [
            Route("/oauth/login", pages.login_page, methods=["GET"]),
            Route("/oauth/login", pages.login, methods=["POST"]),
            Route("/oauth/logout", pages.logout, methods=["POST"]),
            Route("/oauth/authorize", pages.authorize, methods=["GET", "POST"]),
            Route("/oauth/token", endpoints.token, methods=["POST"]),
            Route("/oauth/revoke", endpoints.revoke, methods=["POST"]),
            Route("/oauth/introspect", endpoints.introspect, methods=["POST"]),
            Route("/.well-known/oauth-authorization-server", endpoints.metadata),
            Route("/.well-known/openid-configuration", endpoints.metadata),
            Route("/.well-known/jwks.json", endpoints.jwks),
        ]
