"""The OAuth 2.0 grants, on Authlib's RFC pieces (errors, PKCE, Basic credentials) with our
own async storage: Authlib's server classes are synchronous, and these requests must not hold
the event loop while they wait on the database.

- ``client_credentials``: confidential clients, for their own organisation (RFC 6749 §4.4).
- ``authorization_code`` with PKCE ``S256`` required (RFC 7636): codes are single-use, live at
  most 60 s and are bound to the client, the redirect URI and the challenge; a code presented
  twice revokes what it was traded for (RFC 6749 §4.1.2).
- ``refresh_token``: rotated on every use; a spent one presented again revokes its whole
  grant, every refresh and access token of the family (RFC 9700 §4.14.2).
- Revocation (RFC 7009) and introspection (RFC 7662).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.errors import (
    AccessDeniedError,
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    UnauthorizedClientError,
    UnsupportedGrantTypeError,
    UnsupportedResponseTypeError,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization, scope_to_list
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.audit import current_record
from app.auth.key_changes import KeyChangeNotifier
from app.auth.scopes import Scope, stored_scopes
from app.clock import utcnow
from app.database import Database
from app.identity import access_tokens, opaque
from app.identity.access_tokens import AccessToken, InvalidToken
from app.identity.grants import revoke_grants
from app.identity.signing_keys import SigningKeys
from app.identity.token_principals import TokenPrincipals, TokenRefused, narrow, user_scopes
from app.models import (
    OAuthAuthorizationCode,
    OAuthClient,
    OAuthConsent,
    OAuthGrant,
    OAuthRefreshToken,
    OAuthRevokedToken,
    User,
)
from app.settings import Settings

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
CODE_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
CODE_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
"""An S256 challenge: base64url of a SHA-256, unpadded."""
MAX_STATE = 1000


class AuthorizeProblem(Exception):
    """The request cannot be answered at its redirect URI (unknown client, a redirect URI that
    is not registered): it is shown on a page instead, so nothing ever redirects elsewhere."""


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    client: OAuthClient
    redirect_uri: str
    redirect_uri_sent: bool
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str
    prompt: str | None

    def form_fields(self) -> dict[str, str]:
        """The parameters the consent form posts back (checked again on submit)."""
        fields = {
            "response_type": "code",
            "client_id": self.client.id,
            "scope": " ".join(self.scopes),
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }
        if self.redirect_uri_sent:
            fields["redirect_uri"] = self.redirect_uri
        if self.state is not None:
            fields["state"] = self.state
        return fields


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where this server answers, for the request being served."""

    issuer: str
    audience: str


def _seconds(value: datetime) -> int:
    return int(value.timestamp())


def shown(values: list[str]) -> str:
    """Caller-supplied values quoted in an error description, which RFC 6749 restricts to
    printable ASCII without quotes and backslashes."""
    text = " ".join(values[:5])[:200]
    return "".join(c if 0x20 <= ord(c) <= 0x7E and c not in '"\\' else "?" for c in text)


def _scopes_of(raw: str | None, allowed: list[str]) -> tuple[str, ...]:
    """The requested scopes, known and within ``allowed``; none requested: ``allowed``."""
    requested = scope_to_list(raw) if raw else None
    if requested is None or not requested:
        return tuple(sorted(allowed))
    unknown = [s for s in requested if s not in {v.value for v in Scope}]
    if unknown:
        raise InvalidScopeError(f"Unknown scope: {shown(unknown)}")
    beyond = [s for s in requested if s not in allowed]
    if beyond:
        raise InvalidScopeError(f"The client may not ask for: {shown(beyond)}")
    return tuple(dict.fromkeys(requested))


class AuthorizationServer:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        keys: SigningKeys,
        tokens: TokenPrincipals,
        changes: KeyChangeNotifier,
    ) -> None:
        self.db = db
        self.settings = settings
        self.keys = keys
        self.tokens = tokens
        self.changes = changes

    # -- clients -----------------------------------------------------------------------

    async def client(self, client_id: str) -> OAuthClient | None:
        if not client_id.startswith("cli_") or len(client_id) > 40:
            return None
        async with self.db.reading() as session:
            return await session.get(OAuthClient, client_id)

    async def authenticate_client(
        self, form: Mapping[str, str], headers: Mapping[str, str], *, public_ok: bool
    ) -> OAuthClient:
        """``client_secret_basic`` or ``client_secret_post`` for confidential clients; a bare
        ``client_id`` for public ones where ``public_ok``. Every failure is ``invalid_client``
        (401 with a challenge when the client used Basic), and unknown clients cost the same
        comparison as wrong secrets."""
        basic_id, basic_secret = extract_basic_authorization(headers)
        posted_id, posted_secret = form.get("client_id"), form.get("client_secret")
        if basic_id is not None and (
            posted_secret is not None or posted_id not in (None, basic_id)
        ):
            raise InvalidRequestError("Use one way of client authentication, not two.")
        client_id = basic_id if basic_id is not None else posted_id
        secret = basic_secret if basic_id is not None else posted_secret

        def failed(description: str) -> InvalidClientError:
            return InvalidClientError(description, status_code=401 if basic_id else 400)

        if not client_id:
            raise failed("Client authentication is required.")
        client = await self.client(client_id)
        if client is None or not client.confidential:
            opaque.same(secret or "", None)
        if client is None or client.revoked_at is not None:
            raise failed("Unknown or revoked client.")
        if client.confidential:
            if not secret or not opaque.same(secret, client.secret_hash):
                raise failed("Wrong client credentials.")
        elif secret:
            raise failed("A public client has no secret.")
        elif not public_ok:
            raise failed("This endpoint needs a confidential client's credentials.")
        draft = current_record()
        if draft is not None:
            draft.client_id, draft.org_id = client.id, client.org_id
        return client

    # -- authorization endpoint ----------------------------------------------------------

    async def authorization_request(self, params: Mapping[str, str]) -> AuthorizationRequest:
        """The checked request. Client and redirect URI problems raise ``AuthorizeProblem``;
        anything else an ``OAuth2Error`` to send back to the (now trusted) redirect URI."""
        client_id = params.get("client_id", "")
        client = await self.client(client_id) if client_id else None
        if client is None or client.revoked_at is not None:
            raise AuthorizeProblem("The application is unknown or has been revoked.")
        sent = params.get("redirect_uri")
        if sent is not None:
            if sent not in client.redirect_uris:
                raise AuthorizeProblem(
                    "The redirect URI is not one the application registered; nothing was sent."
                )
            redirect_uri = sent
        elif len(client.redirect_uris) == 1:
            redirect_uri = client.redirect_uris[0]
        else:
            raise AuthorizeProblem("The request must name one of the application's redirect URIs.")
        state = params.get("state")

        def refuse(error: OAuth2Error) -> OAuth2Error:
            error.redirect_uri = redirect_uri
            error.state = state
            return error

        if state is not None and len(state) > MAX_STATE:
            raise refuse(InvalidRequestError(f"`state` is longer than {MAX_STATE} characters."))
        response_type = params.get("response_type")
        if response_type != "code":
            raise refuse(
                UnsupportedResponseTypeError(
                    response_type, description="Only response_type=code is supported."
                )
            )
        if "authorization_code" not in client.grant_types:
            raise refuse(UnauthorizedClientError("The client may not use authorization_code."))
        challenge = params.get("code_challenge")
        method = params.get("code_challenge_method")
        if not challenge:
            raise refuse(InvalidRequestError("PKCE is required: send code_challenge (S256)."))
        if method != "S256":
            raise refuse(InvalidRequestError("code_challenge_method must be S256."))
        if not CODE_CHALLENGE.match(challenge):
            raise refuse(InvalidRequestError("code_challenge is not an S256 challenge."))
        try:
            scopes = _scopes_of(params.get("scope"), client.scopes)
        except OAuth2Error as error:
            raise refuse(error) from None
        return AuthorizationRequest(
            client=client,
            redirect_uri=redirect_uri,
            redirect_uri_sent=sent is not None,
            scopes=scopes,
            state=state,
            code_challenge=challenge,
            prompt=params.get("prompt"),
        )

    @staticmethod
    def grantable(request: AuthorizationRequest, user: User) -> tuple[list[str], list[str]]:
        """The requested scopes the user's role allows, and those it does not."""
        allowed = narrow(user_scopes(user), stored_scopes(request.scopes))
        granted = [s for s in request.scopes if s in allowed]
        return granted, [s for s in request.scopes if s not in allowed]

    async def remembered(self, user: User, request: AuthorizationRequest) -> bool:
        if request.prompt == "consent":
            return False
        async with self.db.reading() as session:
            consent = await session.get(OAuthConsent, (user.id, request.client.id))
        if consent is None:
            return False
        granted, _ = self.grantable(request, user)
        return bool(granted) and set(granted) <= set(consent.scopes)

    async def approve(self, user: User, request: AuthorizationRequest) -> str:
        """Remember the consent and issue a code; returns the redirect location."""
        granted, _ = self.grantable(request, user)
        if not granted:
            return self.deny(request, "Your role allows none of the requested scopes.")
        code = opaque.new_secret()
        now = utcnow()
        async with self.db.writing() as session:
            consent = await session.get(OAuthConsent, (user.id, request.client.id))
            if consent is None:
                session.add(
                    OAuthConsent(user_id=user.id, client_id=request.client.id, scopes=granted)
                )
            else:
                consent.scopes = sorted(set(consent.scopes) | set(granted))
                consent.updated_at = now
            session.add(
                OAuthAuthorizationCode(
                    code_hash=opaque.digest(code),
                    client_id=request.client.id,
                    user_id=user.id,
                    org_id=user.org_id,
                    redirect_uri=request.redirect_uri,
                    redirect_uri_sent=request.redirect_uri_sent,
                    scopes=granted,
                    code_challenge=request.code_challenge,
                    expires_at=now + timedelta(seconds=self.settings.oauth_code_seconds),
                )
            )
        params = [("code", code)]
        if request.state is not None:
            params.append(("state", request.state))
        return _with_params(request.redirect_uri, params)

    @staticmethod
    def deny(request: AuthorizationRequest, description: str | None = None) -> str:
        error = AccessDeniedError(description)
        error.state = request.state
        return _with_params(request.redirect_uri, error.get_body())

    # -- token endpoint --------------------------------------------------------------------

    async def token(
        self, form: Mapping[str, str], headers: Mapping[str, str], where: Endpoints
    ) -> dict[str, Any]:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise InvalidRequestError("Missing grant_type.")
        if grant_type not in GRANT_TYPES:
            error = UnsupportedGrantTypeError(grant_type)
            error.description = f"grant_type {shown([grant_type])} is not supported."
            raise error
        client = await self.authenticate_client(
            form, headers, public_ok=grant_type != "client_credentials"
        )
        if grant_type not in client.grant_types:
            raise UnauthorizedClientError(f"The client may not use {grant_type}.")
        if grant_type == "client_credentials":
            return await self._client_credentials(client, form, where)
        if grant_type == "authorization_code":
            return await self._authorization_code(client, form, where)
        return await self._refresh(client, form, where)

    async def _client_credentials(
        self, client: OAuthClient, form: Mapping[str, str], where: Endpoints
    ) -> dict[str, Any]:
        if not client.confidential:
            raise UnauthorizedClientError("Public clients cannot use client_credentials.")
        scopes = _scopes_of(form.get("scope"), client.scopes)
        lifetime = (
            client.access_token_lifetime or self.settings.oauth_client_credentials_token_seconds
        )
        return await self._respond(client, scopes, lifetime, where)

    async def _authorization_code(
        self, client: OAuthClient, form: Mapping[str, str], where: Endpoints
    ) -> dict[str, Any]:
        digest = _presented(form, "code", "authorization code")
        now = utcnow()
        async with self.db.writing() as session:
            row = await session.get(OAuthAuthorizationCode, digest)
            if row is None or row.client_id != client.id:
                raise InvalidGrantError("Unknown authorization code.")
            if row.used_at is not None or not await _claim(
                session,
                update(OAuthAuthorizationCode).where(
                    col(OAuthAuthorizationCode.code_hash) == digest,
                    col(OAuthAuthorizationCode.used_at).is_(None),
                ),
                now,
            ):
                replayed_grant = row.grant_id
            else:
                replayed_grant = ""
        if replayed_grant != "":
            if replayed_grant:
                await self._revoke_grant(replayed_grant, "authorization code replayed")
            raise InvalidGrantError("The authorization code was already used.")
        if row.expires_at <= now:
            raise InvalidGrantError("The authorization code has expired.")
        redirect_uri = form.get("redirect_uri")
        if (row.redirect_uri_sent or redirect_uri is not None) and redirect_uri != row.redirect_uri:
            raise InvalidGrantError("redirect_uri does not match the authorization request.")
        verifier = form.get("code_verifier")
        if not verifier:
            raise InvalidRequestError("Missing code_verifier (PKCE is required).")
        if not CODE_VERIFIER.match(verifier) or not hmac.compare_digest(
            create_s256_code_challenge(verifier), row.code_challenge
        ):
            raise InvalidGrantError("code_verifier does not match the code_challenge.")
        user = await self._active_user(row.user_id, client.org_id)
        async with self.db.writing() as session:
            grant = OAuthGrant(
                org_id=client.org_id, client_id=client.id, user_id=user.id, scopes=row.scopes
            )
            session.add(grant)
            await session.flush()
            await session.execute(
                update(OAuthAuthorizationCode)
                .where(col(OAuthAuthorizationCode.code_hash) == digest)
                .values(grant_id=grant.id)
            )
            refresh = await self._new_refresh(session, client, grant, row.scopes)
        lifetime = client.access_token_lifetime or self.settings.oauth_access_token_seconds
        return await self._respond(
            client, tuple(row.scopes), lifetime, where, user=user, grant=grant, refresh=refresh
        )

    async def _refresh(
        self, client: OAuthClient, form: Mapping[str, str], where: Endpoints
    ) -> dict[str, Any]:
        digest = _presented(form, "refresh_token", "refresh token")
        now = utcnow()
        async with self.db.writing() as session:
            row = await session.get(OAuthRefreshToken, digest)
            grant = await session.get(OAuthGrant, row.grant_id) if row is not None else None
            if row is None or grant is None or grant.client_id != client.id:
                raise InvalidGrantError("Unknown refresh token.")
            if grant.revoked_at is not None:
                raise InvalidGrantError("The grant of this refresh token has been revoked.")
            reused = row.used_at is not None or not await _claim(
                session,
                update(OAuthRefreshToken).where(
                    col(OAuthRefreshToken.token_hash) == digest,
                    col(OAuthRefreshToken.used_at).is_(None),
                ),
                now,
            )
            if not reused and row.expires_at > now:
                requested = form.get("scope")
                scopes = tuple(row.scopes)
                if requested:
                    asked = scope_to_list(requested)
                    if not set(asked) <= set(row.scopes):
                        raise InvalidScopeError("A refresh cannot widen the granted scopes.")
                    scopes = tuple(dict.fromkeys(asked))
                refresh = await self._new_refresh(session, client, grant, row.scopes)
        if reused:
            await self._revoke_grant(grant.id, "refresh token reused")
            raise InvalidGrantError(
                "This refresh token was already used; its whole grant has been revoked."
            )
        if row.expires_at <= now:
            raise InvalidGrantError("The refresh token has expired.")
        user = await self._active_user(grant.user_id, client.org_id)
        lifetime = client.access_token_lifetime or self.settings.oauth_access_token_seconds
        return await self._respond(
            client, scopes, lifetime, where, user=user, grant=grant, refresh=refresh
        )

    async def _active_user(self, user_id: str, org_id: str) -> User:
        async with self.db.reading() as session:
            user = await session.get(User, user_id)
        if user is None or user.org_id != org_id or user.disabled:
            raise InvalidGrantError("The user of this grant is disabled or gone.")
        return user

    async def _new_refresh(
        self, session: AsyncSession, client: OAuthClient, grant: OAuthGrant, scopes: list[str]
    ) -> str | None:
        if "refresh_token" not in client.grant_types:
            return None
        token = opaque.new_secret(opaque.REFRESH_TOKEN_PREFIX)
        lifetime = client.refresh_token_lifetime or self.settings.oauth_refresh_token_seconds
        session.add(
            OAuthRefreshToken(
                token_hash=opaque.digest(token),
                grant_id=grant.id,
                scopes=list(scopes),
                expires_at=utcnow() + timedelta(seconds=lifetime),
            )
        )
        return token

    async def _respond(
        self,
        client: OAuthClient,
        scopes: tuple[str, ...],
        lifetime: int,
        where: Endpoints,
        *,
        user: User | None = None,
        grant: OAuthGrant | None = None,
        refresh: str | None = None,
    ) -> dict[str, Any]:
        token = access_tokens.new_access_token(
            issuer=where.issuer,
            audience=where.audience,
            client_id=client.id,
            org_id=client.org_id,
            scopes=scopes,
            lifetime=lifetime,
            user_id=user.id if user is not None else None,
            grant_id=grant.id if grant is not None else None,
        )
        body: dict[str, Any] = {
            "access_token": await access_tokens.sign(token, self.keys),
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": token.scope,
        }
        if refresh is not None:
            body["refresh_token"] = refresh
        return body

    async def _revoke_grant(self, grant_id: str, reason: str) -> None:
        async with self.db.writing() as session:
            await revoke_grants(session, reason, grant_id=grant_id)
        await self.changes.announce(grant_id)

    # -- revocation and introspection ------------------------------------------------------

    async def _access_token(self, value: str, where: Endpoints) -> AccessToken | None:
        try:
            return await access_tokens.verify(
                value, self.keys, issuer=where.issuer, audience=where.audience
            )
        except InvalidToken:
            return None

    async def revoke(
        self, form: Mapping[str, str], headers: Mapping[str, str], where: Endpoints
    ) -> None:
        """RFC 7009: unknown, expired and other clients' tokens are answered the same way
        (200) and left alone."""
        client = await self.authenticate_client(form, headers, public_ok=True)
        value = form.get("token")
        if not value:
            raise InvalidRequestError("Missing token.")
        if access_tokens.looks_like_jwt(value):
            token = await self._access_token(value, where)
            if token is None or token.client_id != client.id:
                return
            async with self.db.writing() as session:
                if await session.get(OAuthRevokedToken, token.jti) is None:
                    session.add(
                        OAuthRevokedToken(
                            jti=token.jti,
                            expires_at=datetime.fromtimestamp(token.expires_at, UTC),
                        )
                    )
            await self.changes.announce(token.jti)
            return
        if len(value) > opaque.MAX_LENGTH:
            return
        async with self.db.reading() as session:
            row = await session.get(OAuthRefreshToken, opaque.digest(value))
            grant = await session.get(OAuthGrant, row.grant_id) if row is not None else None
        if grant is not None and grant.client_id == client.id:
            await self._revoke_grant(grant.id, "revoked by the client")

    async def introspect(
        self, form: Mapping[str, str], headers: Mapping[str, str], where: Endpoints
    ) -> dict[str, Any]:
        """RFC 7662 for confidential clients, about tokens of their own organisation."""
        client = await self.authenticate_client(form, headers, public_ok=False)
        value = form.get("token")
        if not value:
            raise InvalidRequestError("Missing token.")
        inactive: dict[str, Any] = {"active": False}
        if access_tokens.looks_like_jwt(value):
            token = await self._access_token(value, where)
            if token is None or token.org_id != client.org_id:
                return inactive
            try:
                principal = await self.tokens.principal(token)
            except TokenRefused:
                return inactive
            answer: dict[str, Any] = {
                "active": True,
                "token_type": "Bearer",
                "scope": " ".join(sorted(s.value for s in principal.scopes)),
                "client_id": token.client_id,
                "sub": token.subject,
                "aud": token.audience,
                "iss": token.issuer,
                "iat": token.issued_at,
                "exp": token.expires_at,
                "jti": token.jti,
                "org_id": token.org_id,
            }
            return answer
        if len(value) > opaque.MAX_LENGTH:
            return inactive
        async with self.db.reading() as session:
            row = await session.get(OAuthRefreshToken, opaque.digest(value))
            grant = await session.get(OAuthGrant, row.grant_id) if row is not None else None
            user = await session.get(User, grant.user_id) if grant is not None else None
        if (
            row is None
            or grant is None
            or grant.org_id != client.org_id
            or grant.revoked_at is not None
            or row.used_at is not None
            or row.expires_at <= utcnow()
            or user is None
            or user.disabled
        ):
            return inactive
        return {
            "active": True,
            "token_type": "refresh_token",
            "scope": " ".join(row.scopes),
            "client_id": grant.client_id,
            "sub": grant.user_id,
            "iat": _seconds(row.created_at),
            "exp": _seconds(row.expires_at),
            "org_id": grant.org_id,
        }


def _presented(form: Mapping[str, str], name: str, what: str) -> str:
    """The digest of the opaque secret in ``form[name]``; over-long values are unknown."""
    value = form.get(name)
    if not value:
        raise InvalidRequestError(f"Missing {name}.")
    if len(value) > opaque.MAX_LENGTH:
        raise InvalidGrantError(f"Unknown {what}.")
    return opaque.digest(value)


async def _claim(session: AsyncSession, stmt: Any, now: datetime) -> bool:
    """Marks a single-use row used; False when another request got there first."""
    result = await session.execute(
        stmt.values(used_at=now).execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _with_params(uri: str, params: list[tuple[str, str]]) -> str:
    return str(add_params_to_uri(uri, params))
