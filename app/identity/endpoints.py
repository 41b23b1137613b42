"""The authorization server's machine endpoints: token, revocation, introspection, metadata
(RFC 8414, also served as the OpenID discovery document) and the JWKS.

They answer in OAuth's own shapes (``{"error": "invalid_grant", ...}``), not the API's error
envelope: OAuth client libraries read these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidRequestError, OAuth2Error
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.audit import current_record
from app.audit.redaction import redact
from app.auth.scopes import Scope
from app.identity.authorization import GRANT_TYPES, AuthorizationServer, Endpoints
from app.identity.forms import FormError, read_form
from app.identity.signing_keys import ALGORITHM, SigningKeys
from app.settings import Settings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
Where = Callable[[Request], Endpoints]


def oauth_error(error: OAuth2Error) -> Response:
    status, body, headers = error()
    merged = {k: v for k, v in headers if k.lower() != "content-type"}
    return JSONResponse(body, status_code=status, headers={**merged, **NO_STORE})


def metadata(settings: Settings, issuer: str) -> dict[str, Any]:
    document = AuthorizationServerMetadata(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/oauth/authorize",
        token_endpoint=f"{issuer}/oauth/token",
        jwks_uri=f"{issuer}/.well-known/jwks.json",
        revocation_endpoint=f"{issuer}/oauth/revoke",
        introspection_endpoint=f"{issuer}/oauth/introspect",
        scopes_supported=[s.value for s in Scope],
        response_types_supported=["code"],
        response_modes_supported=["query"],
        grant_types_supported=list(GRANT_TYPES),
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post", "none"],
        revocation_endpoint_auth_methods_supported=[
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        introspection_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported=["S256"],
        op_tos_uri=settings.oauth_terms_url,
        op_policy_uri=settings.oauth_privacy_url,
    )
    document["access_token_signing_alg_values_supported"] = [ALGORITHM]
    return dict(document)


def note_arguments(form: dict[str, str]) -> None:
    """The call's audit record keeps the form, its secrets (``client_secret``, ``code``,
    ``code_verifier``, tokens, passwords) redacted."""
    draft = current_record()
    if draft is not None:
        draft.note_operation(None, None, [], redact(form), None)


class OAuthEndpoints:
    def __init__(
        self, server: AuthorizationServer, keys: SigningKeys, settings: Settings, where: Where
    ) -> None:
        self.server = server
        self.keys = keys
        self.settings = settings
        self.where = where

    async def _form(self, request: Request) -> dict[str, str]:
        try:
            return await read_form(request)
        except FormError as error:
            raise InvalidRequestError(str(error).capitalize() + ".") from None

    async def _answer(
        self, request: Request, handle: Callable[[dict[str, str]], Awaitable[Any]]
    ) -> Response:
        try:
            form = await self._form(request)
            note_arguments(form)
            result = await handle(form)
        except OAuth2Error as error:
            return oauth_error(error)
        return JSONResponse(result if result is not None else {}, headers=NO_STORE)

    async def token(self, request: Request) -> Response:
        where = self.where(request)
        return await self._answer(
            request, lambda form: self.server.token(form, request.headers, where)
        )

    async def revoke(self, request: Request) -> Response:
        where = self.where(request)
        return await self._answer(
            request, lambda form: self.server.revoke(form, request.headers, where)
        )

    async def introspect(self, request: Request) -> Response:
        where = self.where(request)
        return await self._answer(
            request, lambda form: self.server.introspect(form, request.headers, where)
        )

    async def metadata(self, request: Request) -> Response:
        return JSONResponse(
            metadata(self.settings, self.where(request).issuer),
            headers={"Cache-Control": "public, max-age=300"},
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(
            await self.keys.jwks(), headers={"Cache-Control": "public, max-age=300"}
        )
