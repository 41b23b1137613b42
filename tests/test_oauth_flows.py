"""Every grant driven by Authlib's httpx OAuth 2.0 client against a live server, and the
tokens used as credentials on GraphQL and REST like API keys."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from joserfc import jwt
from joserfc.jwk import KeySet

from app.identity.endpoints import metadata
from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.identity_fixtures import (
    Browser,
    Live,
    add_client,
    add_user,
    authorization_code,
    bearer,
    oauth_client,
    query_params,
)

VIEWER = "{ viewer { credentialKind credentialId organizationId userId clientId scopes projectIds expiresAt } }"


async def _jwks(live: Live) -> KeySet:
    async with httpx.AsyncClient(base_url=live.url) as http:
        return KeySet.import_key_set((await http.get("/.well-known/jwks.json")).json())


async def test_client_credentials_token_is_an_rfc9068_jwt_that_works_like_a_key(
    tenant: Tenant, live: Live
) -> None:
    client = await add_client(tenant)
    async with oauth_client(live, client, scope="projects:read content:read") as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900
    assert token["scope"] == "projects:read content:read" and "refresh_token" not in token

    decoded = jwt.decode(token["access_token"], await _jwks(live), algorithms=["RS256"])
    assert decoded.header["typ"] == "at+jwt" and decoded.header["alg"] == "RS256"
    claims = decoded.claims
    assert claims["iss"] == live.url and claims["aud"] == live.url
    assert claims["sub"] == claims["client_id"] == client.id
    assert claims["org_id"] == tenant.org_id and claims["scope"] == "projects:read content:read"
    assert claims["exp"] - claims["iat"] == 900 and len(claims["jti"]) >= 16

    viewer = (await bearer(live, token["access_token"], VIEWER)).json()["data"]["viewer"]
    assert viewer["credentialKind"] == "ACCESS_TOKEN"
    assert viewer["credentialId"] == viewer["clientId"] == client.id
    assert viewer["organizationId"] == tenant.org_id and viewer["userId"] is None
    assert viewer["scopes"] == ["content:read", "projects:read"]

    async with httpx.AsyncClient(base_url=live.url) as http:
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        me = await http.get("/v1/me", headers=auth)
        assert me.status_code == 200 and me.json()["credential_kind"] == "access_token"
        assert (await http.get("/v1/projects", headers=auth)).status_code == 200
        refused = await http.post("/v1/projects", headers=auth, json={"slug": "nope", "name": "x"})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "UNAUTHORIZED_SCOPE"


async def test_client_credentials_default_scope_and_refusals(tenant: Tenant, live: Live) -> None:
    client = await add_client(tenant, accessTokenLifetime=120)
    async with oauth_client(live, client) as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
        assert token["scope"] == "content:read projects:read projects:write"
        assert token["expires_in"] == 120
        with pytest.raises(OAuthError) as escalated:
            await oauth.fetch_token(
                "/oauth/token", grant_type="client_credentials", scope="keys:write"
            )
        assert escalated.value.error == "invalid_scope"
    wrong = oauth_client(live, client.__class__(client.id, "rhcs_wrong", client.row))
    async with wrong:
        with pytest.raises(OAuthError) as failed:
            await wrong.fetch_token("/oauth/token", grant_type="client_credentials")
    assert failed.value.error == "invalid_client"

    public = await add_client(tenant, clientType="PUBLIC", grantTypes=["authorization_code"])
    async with httpx.AsyncClient(base_url=live.url) as http:
        answer = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials", "client_id": public.id}
        )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"
    assert answer.headers["cache-control"] == "no-store"


async def test_authorization_code_with_pkce_refresh_rotation_and_revocation(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    client = await add_client(tenant)
    token = await authorization_code(
        live, browser, client, user, scope="projects:read projects:write"
    )
    consent = next(p for p in browser.pages if "wants access" in p.text)
    assert client.row["name"] in consent.text
    assert "See projects, their settings and render quotas" in consent.text
    assert "partner terms" in consent.text and "privacy summary" in consent.text
    assert token["expires_in"] == 3600 and token["refresh_token"].startswith("rhrt_")

    viewer = (await bearer(live, token["access_token"], VIEWER)).json()["data"]["viewer"]
    assert viewer["userId"] == user.id and viewer["clientId"] == client.id
    assert viewer["scopes"] == ["projects:read", "projects:write"]

    async with oauth_client(live, client) as oauth:
        refreshed = await oauth.refresh_token("/oauth/token", refresh_token=token["refresh_token"])
        assert refreshed["refresh_token"] != token["refresh_token"]
        assert (await bearer(live, refreshed["access_token"], VIEWER)).status_code == 200

        narrowed = await oauth.refresh_token(
            "/oauth/token", refresh_token=refreshed["refresh_token"], scope="projects:read"
        )
        assert narrowed["scope"] == "projects:read"

        introspected = await oauth.introspect_token(
            "/oauth/introspect", token=narrowed["access_token"]
        )
        body = introspected.json()
        assert body["active"] is True and body["sub"] == user.id
        assert body["client_id"] == client.id and body["scope"] == "projects:read"

        await oauth.revoke_token("/oauth/revoke", token=narrowed["access_token"])
    revoked = await bearer(live, narrowed["access_token"], VIEWER)
    assert revoked.status_code == 401 and revoked.json()["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    await _refused_everywhere(backend, narrowed["access_token"])
    async with oauth_client(live, client) as again:
        gone = await again.introspect_token("/oauth/introspect", token=narrowed["access_token"])
    assert gone.json() == {"active": False}


async def _refused_everywhere(backend: Backend, access_token: str, limit: float = 1.0) -> None:
    """The other process (the in-process app on the same store) refuses it within ``limit``."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=backend.app), base_url="http://testserver"
    ) as http:
        started = time.monotonic()
        while True:
            response = await http.get("/v1/me", headers={"Authorization": f"Bearer {access_token}"})
            if response.status_code == 401:
                return
            assert time.monotonic() - started < limit, "still accepted after a second"
            await asyncio.sleep(0.02)


async def test_consent_is_remembered_until_more_is_asked(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    await authorization_code(live, browser, client, user, scope="projects:read")
    pages = len(browser.pages)
    await authorization_code(live, browser, client, user, scope="projects:read")
    assert not any("wants access" in p.text for p in browser.pages[pages:]), "asked again"

    pages = len(browser.pages)
    await authorization_code(live, browser, client, user, scope="projects:read content:read")
    assert any("wants access" in p.text for p in browser.pages[pages:]), "more needs consent"

    async with oauth_client(live, client, scope="projects:read") as oauth:
        url, _ = oauth.create_authorization_url(
            f"{live.url}/oauth/authorize", code_verifier="v" * 43, prompt="consent"
        )
    assert "wants access" in (await browser.authorize(url)).text


async def test_public_client_uses_pkce_without_a_secret(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant, UserRole.MEMBER)
    client = await add_client(
        tenant, clientType="PUBLIC", grantTypes=["authorization_code", "refresh_token"]
    )
    assert client.secret is None
    token = await authorization_code(live, browser, client, user, scope="content:read")
    async with oauth_client(live, client) as oauth:
        refreshed = await oauth.refresh_token("/oauth/token", refresh_token=token["refresh_token"])
        assert refreshed["scope"] == "content:read"
        await oauth.revoke_token("/oauth/revoke", token=refreshed["refresh_token"])
        with pytest.raises(OAuthError) as ended:
            await oauth.refresh_token("/oauth/token", refresh_token=refreshed["refresh_token"])
    assert ended.value.error == "invalid_grant"
    assert (await bearer(live, refreshed["access_token"], VIEWER)).status_code == 401


async def test_denied_consent_returns_access_denied_with_state(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    await browser.sign_in(user.email)
    async with oauth_client(live, client, scope="projects:read") as oauth:
        url, state = oauth.create_authorization_url(
            f"{live.url}/oauth/authorize", code_verifier="d" * 43
        )
    consent = await browser.authorize(url)
    denied = await browser.decide(consent, "deny")
    assert denied.status_code == 303
    params = query_params(denied.headers["location"])
    assert params["error"] == "access_denied" and params["state"] == state
    assert "code" not in params


async def test_metadata_documents_agree_and_validate(live: Live, backend: Backend) -> None:
    async with httpx.AsyncClient(base_url=live.url) as http:
        rfc8414 = (await http.get("/.well-known/oauth-authorization-server")).json()
        openid = (await http.get("/.well-known/openid-configuration")).json()
        jwks = (await http.get("/.well-known/jwks.json")).json()
    assert rfc8414 == openid
    assert rfc8414["issuer"] == live.url
    assert rfc8414["code_challenge_methods_supported"] == ["S256"]
    assert rfc8414["token_endpoint"] == f"{live.url}/oauth/token"
    assert set(rfc8414["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
        "client_credentials",
    }
    assert jwks["keys"] and all(k["kty"] == "RSA" and "d" not in k for k in jwks["keys"])
    https = backend.settings.model_copy(update={"oauth_issuer": "https://api.example.com"})
    AuthorizationServerMetadata(metadata(https, "https://api.example.com")).validate()


async def test_websocket_subscriptions_admit_access_tokens(tenant: Tenant, live: Live) -> None:
    from tests.events_fixtures import GraphQLSocket

    client = await add_client(tenant, scopes=["events:read"], grantTypes=["client_credentials"])
    async with oauth_client(live, client) as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    async with GraphQLSocket.connect(live.url) as socket:
        await socket.send(
            {
                "type": "connection_init",
                "payload": {"Authorization": f"Bearer {token['access_token']}"},
            }
        )
        ack: dict[str, Any] = await socket.receive()
        assert ack["type"] == "connection_ack", ack
