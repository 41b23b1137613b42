"""The hostile cases of the authorization server, each on its own: PKCE, codes, redirect URIs,
clients, scopes, organisations, forged tokens, refresh reuse, CSRF and brute force."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
from authlib.integrations.base_client.errors import OAuthError
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import update
from sqlmodel import col

from app.clock import utcnow
from app.models import OAuthAuthorizationCode, UserRole
from tests.conftest import Backend, Tenant
from tests.identity_fixtures import (
    REDIRECT_URI,
    Browser,
    Client,
    Live,
    add_client,
    add_user,
    authorization_code,
    bearer,
    challenge_of,
    form_fields,
    new_verifier,
    oauth_client,
    query_params,
    signed_in_browser,
)
from tests.test_oauth_flows import VIEWER

PROJECT = "query($id: ID!) { project(id: $id) { id slug } }"


async def _token_request(live: Live, data: dict[str, str], **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=live.url) as http:
        return await http.post("/oauth/token", data=data, **kw)


def _authorize_url(client: Client, verifier: str, **params: str) -> str:
    query = {
        "response_type": "code",
        "client_id": client.id,
        "redirect_uri": REDIRECT_URI,
        "scope": "projects:read",
        "state": "s-123",
        "code_challenge": challenge_of(verifier),
        "code_challenge_method": "S256",
        **params,
    }
    return "/oauth/authorize?" + httpx.QueryParams({k: v for k, v in query.items() if v}).__str__()


async def _code(browser: Browser, client: Client, email: str, verifier: str, **params: str) -> str:
    """Sign in if needed, allow, and return the code (not exchanged)."""
    url = _authorize_url(client, verifier, **params)
    response = await browser.authorize(url)
    if 'name="password"' in response.text:
        await browser.sign_in(email)
        response = await browser.authorize(url)
    if response.status_code == 200:
        response = await browser.decide(response, "allow")
    assert response.status_code in (302, 303), response.text
    return query_params(response.headers["location"])["code"]


def _exchange(client: Client, code: str, verifier: str | None, **extra: str) -> dict[str, str]:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if verifier is not None:
        data["code_verifier"] = verifier
    data["client_id"] = client.id
    if client.secret:
        data["client_secret"] = client.secret
    return {**data, **extra}


async def _refused_within(live: Live, backend: Backend, token: str, limit: float = 1.0) -> None:
    """Both processes (the live server and the in-process app) refuse ``token`` within
    ``limit`` seconds."""
    started = time.monotonic()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=backend.app), base_url="http://testserver"
    ) as other:
        while True:
            here = await bearer(live, token, VIEWER)
            there = await other.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
            if here.status_code == 401 and there.status_code == 401:
                return
            assert time.monotonic() - started < limit, (here.text, there.text)
            await asyncio.sleep(0.02)


# --- PKCE and codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"code_challenge": "", "code_challenge_method": ""}, "PKCE is required"),
        ({"code_challenge_method": "plain"}, "must be S256"),
        ({"code_challenge": "short"}, "not an S256 challenge"),
        ({"response_type": "token"}, "response_type=code"),
    ],
    ids=["missing", "plain", "malformed", "implicit"],
)
async def test_pkce_s256_is_required_at_authorize(
    tenant: Tenant, live: Live, browser: Browser, params: dict[str, str], description: str
) -> None:
    client = await add_client(tenant)
    response = await browser.get(_authorize_url(client, new_verifier(), **params))
    assert response.status_code == 302
    answer = query_params(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT_URI)
    assert answer["error"] in ("invalid_request", "unsupported_response_type")
    assert description in answer["error_description"] and answer["state"] == "s-123"


async def test_wrong_or_missing_verifier_burns_the_code(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    verifier = new_verifier()
    code = await _code(browser, client, user.email, verifier)
    missing = await _token_request(live, _exchange(client, code, None))
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    late = await _token_request(live, _exchange(client, code, verifier))
    assert late.json()["error"] == "invalid_grant", "a code is presented once, whatever happens"

    code = await _code(browser, client, user.email, verifier)
    wrong = await _token_request(live, _exchange(client, code, new_verifier()))
    assert wrong.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier does not match the code_challenge.",
    }


async def test_code_replay_revokes_what_it_was_traded_for(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    verifier = new_verifier()
    code = await _code(browser, client, user.email, verifier)
    first = await _token_request(live, _exchange(client, code, verifier))
    assert first.status_code == 200
    tokens = first.json()
    replay = await _token_request(live, _exchange(client, code, verifier))
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    await _refused_within(live, backend, tokens["access_token"])
    refresh = await _token_request(
        live,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": client.id,
            "client_secret": client.secret or "",
        },
    )
    assert refresh.json()["error"] == "invalid_grant"


async def test_code_is_bound_to_its_client_redirect_uri_and_lifetime(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant, redirectUris=[REDIRECT_URI, "https://app.example/cb"])
    other = await add_client(tenant)
    verifier = new_verifier()

    code = await _code(browser, client, user.email, verifier)
    stolen = await _token_request(live, _exchange(other, code, verifier))
    assert stolen.json()["error"] == "invalid_grant"
    moved = await _token_request(
        live, _exchange(client, code, verifier, redirect_uri="https://app.example/cb")
    )
    assert moved.json()["error"] == "invalid_grant"

    code = await _code(browser, client, user.email, verifier)
    async with tenant.services.db.writing() as session:
        await session.execute(
            update(OAuthAuthorizationCode)
            .where(col(OAuthAuthorizationCode.client_id) == client.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = await _token_request(live, _exchange(client, code, verifier))
    assert expired.json()["error"] == "invalid_grant"
    assert "expired" in expired.json()["error_description"]


# --- redirects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        REDIRECT_URI + "/extra",
        REDIRECT_URI + "?next=https://evil.example",
        "http://127.0.0.1:10/callback",
        REDIRECT_URI.upper(),
    ],
)
async def test_a_redirect_uri_not_registered_exactly_is_never_followed(
    tenant: Tenant, live: Live, browser: Browser, redirect_uri: str
) -> None:
    client = await add_client(tenant)
    response = await browser.get(_authorize_url(client, new_verifier(), redirect_uri=redirect_uri))
    assert response.status_code == 400 and "location" not in response.headers
    assert "redirect URI" in response.text


async def test_unknown_or_revoked_client_gets_a_page_not_a_redirect(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    client = await add_client(tenant)
    ghost = Client("cli_01J00000000000000000000000", None, {})
    for who in (ghost, Client("not-a-client-id", None, {})):
        response = await browser.get(_authorize_url(who, new_verifier()))
        assert response.status_code == 400 and "location" not in response.headers
    unknown = await _token_request(
        live, {"grant_type": "client_credentials", "client_id": ghost.id, "client_secret": "x"}
    )
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_client"
    basic = await _token_request(
        live, {"grant_type": "client_credentials"}, auth=(client.id, "rhcs_wrong")
    )
    assert basic.status_code == 401 and basic.json()["error"] == "invalid_client"
    assert basic.headers["www-authenticate"].startswith("Basic ")


@pytest.mark.parametrize(
    "next", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
async def test_sign_in_never_sends_the_browser_off_site(
    tenant: Tenant, live: Live, next: str
) -> None:
    user = await add_user(tenant)
    async with httpx.AsyncClient(base_url=live.url, follow_redirects=False) as http:
        browser = Browser(http)
        page = await browser.get("/oauth/login?" + str(httpx.QueryParams({"next": next})))
        fields = form_fields(page.text)
        assert fields["next"] == ""
        fields.update(email=user.email, password="correct horse battery staple", next=next)
        response = await browser.post("/oauth/login", fields)
    assert response.status_code == 303 and response.headers["location"] == "/oauth/login"


# --- scopes -----------------------------------------------------------------------------


async def test_scopes_beyond_the_client_are_refused(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    for scope in ("keys:write", "projects:read admin", "nonsense"):
        response = await browser.get(_authorize_url(client, new_verifier(), scope=scope))
        assert query_params(response.headers["location"])["error"] == "invalid_scope"
    token = await authorization_code(live, browser, client, user, scope="projects:read")
    async with oauth_client(live, client) as oauth:
        with pytest.raises(OAuthError) as widened:
            await oauth.refresh_token(
                "/oauth/token",
                refresh_token=token["refresh_token"],
                scope="projects:read projects:write",
            )
    assert widened.value.error == "invalid_scope"


async def test_scopes_beyond_the_users_role_are_not_granted(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    client = await add_client(tenant, scopes=["projects:read", "keys:write", "content:write"])
    token = await authorization_code(
        live, browser, client, member, scope="projects:read keys:write content:write"
    )
    consent = next(p for p in browser.pages if "wants access" in p.text)
    assert "Your role does not allow" in consent.text and "keys:write" in consent.text
    assert token["scope"] == "projects:read content:write"
    created = await bearer(
        live,
        token["access_token"],
        'mutation { createApiKey(input: {name: "x", scopes: ["projects:read"]}) { secret } }',
    )
    assert created.json()["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_SCOPE"

    admin = await add_user(tenant, UserRole.ADMIN)
    other = await signed_in_browser(live, admin.email)
    try:
        token = await authorization_code(
            live, other, client, admin, scope="projects:read keys:write"
        )
    finally:
        await other.http.aclose()
    assert token["scope"] == "projects:read keys:write"
    demote = await tenant.gql(
        "mutation($id: ID!) { updateUser(input: {id: $id, role: MEMBER}) { userErrors { code } } }",
        {"id": admin.id},
    )
    assert demote.ok()["updateUser"]["userErrors"] == []
    started = time.monotonic()
    while (
        "keys:write"
        in (await bearer(live, token["access_token"], VIEWER)).json()["data"]["viewer"]["scopes"]
    ):
        assert time.monotonic() - started < 1.0, "the role change did not reach the token"
        await asyncio.sleep(0.02)


# --- organisations ----------------------------------------------------------------------


async def test_nothing_crosses_organisations(
    make_tenant: Any, live: Live, browser: Browser
) -> None:
    org_a, org_b = await make_tenant(), await make_tenant()
    client_a = await add_client(org_a)
    client_b = await add_client(org_b)
    user_b = await add_user(org_b)

    await browser.sign_in(user_b.email)
    foreign = await browser.authorize(_authorize_url(client_a, new_verifier()))
    assert foreign.status_code == 403 and "location" not in foreign.headers

    project_b = (
        await org_b.gql(
            'mutation { createProject(input: {slug: "bee", name: "B"}) { project { id } } }'
        )
    ).ok()["createProject"]["project"]["id"]
    async with oauth_client(live, client_a) as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    seen = await bearer(live, token["access_token"], PROJECT, {"id": project_b})
    assert seen.json()["data"]["project"] is None

    async with oauth_client(live, client_b) as oauth_b:
        introspected = await oauth_b.introspect_token(
            "/oauth/introspect", token=token["access_token"]
        )
        assert introspected.json() == {"active": False}
        await oauth_b.revoke_token("/oauth/revoke", token=token["access_token"])
    assert (await bearer(live, token["access_token"], VIEWER)).status_code == 200


# --- forged tokens ----------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(orjson.dumps(header))}.{_b64(orjson.dumps(claims))}"


FORGERIES = [
    "expired",
    "tampered",
    "alg_none",
    "hs256_with_public_key",
    "unknown_kid",
    "foreign_key_known_kid",
    "wrong_audience",
    "wrong_issuer",
    "typ_jwt",
]


@pytest.mark.parametrize("forgery", FORGERIES)
async def test_forged_and_stale_tokens_are_refused(
    tenant: Tenant, live: Live, forgery: str
) -> None:
    client = await add_client(tenant)
    async with oauth_client(live, client) as oauth:
        genuine = (await oauth.fetch_token("/oauth/token", grant_type="client_credentials"))[
            "access_token"
        ]
    kid, key = await live.app.services.identity.signing_keys.signer()
    claims = jwt.decode(genuine, key).claims
    header = {"alg": "RS256", "typ": "at+jwt", "kid": kid}
    now = int(time.time())

    def signed(head: dict[str, Any], body: dict[str, Any], with_key: RSAKey = key) -> str:
        return jwt.encode(head, body, with_key, algorithms=["RS256"])

    if forgery == "expired":
        token = signed(header, {**claims, "iat": now - 600, "exp": now - 1})
    elif forgery == "tampered":
        head, _, signature = genuine.split(".")
        token = f"{head}.{_b64(orjson.dumps({**claims, 'scope': 'admin'}))}.{signature}"
    elif forgery == "alg_none":
        token = _unsigned({"alg": "none", "typ": "at+jwt", "kid": kid}, claims) + "."
    elif forgery == "hs256_with_public_key":
        public_pem = key.as_pem(private=False)
        body = _unsigned({"alg": "HS256", "typ": "at+jwt", "kid": kid}, claims)
        mac = hmac.new(public_pem, body.encode(), hashlib.sha256).digest()
        token = f"{body}.{_b64(mac)}"
    elif forgery == "unknown_kid":
        stranger = RSAKey.generate_key(2048)
        token = signed({**header, "kid": "nope"}, claims, stranger)
    elif forgery == "foreign_key_known_kid":
        stranger = RSAKey.generate_key(2048)
        token = signed(header, claims, stranger)
    elif forgery == "wrong_audience":
        token = signed(header, {**claims, "aud": "https://elsewhere.example"})
    elif forgery == "wrong_issuer":
        token = signed(header, {**claims, "iss": "https://evil.example"})
    else:
        token = signed({**header, "typ": "JWT"}, claims)
    response = await bearer(live, token, VIEWER)
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert (await bearer(live, genuine, VIEWER)).status_code == 200


# --- refresh reuse ----------------------------------------------------------------------


async def test_refresh_token_reuse_revokes_the_whole_family(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    first = await authorization_code(live, browser, client, user)
    async with oauth_client(live, client) as oauth:
        second = await oauth.refresh_token("/oauth/token", refresh_token=first["refresh_token"])
        with pytest.raises(OAuthError) as reused:
            await oauth.refresh_token("/oauth/token", refresh_token=first["refresh_token"])
        assert reused.value.error == "invalid_grant"
        with pytest.raises(OAuthError) as family:
            await oauth.refresh_token("/oauth/token", refresh_token=second["refresh_token"])
        assert family.value.error == "invalid_grant"
    for access in (first["access_token"], second["access_token"]):
        await _refused_within(live, backend, access)


# --- CSRF -------------------------------------------------------------------------------


async def test_consent_needs_the_sessions_own_csrf_token(
    tenant: Tenant, live: Live, browser: Browser
) -> None:
    user = await add_user(tenant)
    attacker = await add_user(tenant)
    client = await add_client(tenant)
    await browser.sign_in(user.email)
    consent = await browser.authorize(_authorize_url(client, new_verifier()))
    fields = form_fields(consent.text)
    other = await signed_in_browser(live, attacker.email)
    try:
        theirs = form_fields((await other.authorize(_authorize_url(client, new_verifier()))).text)
    finally:
        await other.http.aclose()
    for csrf in ("", "forged", theirs["csrf_token"]):
        response = await browser.post(
            "/oauth/authorize", {**fields, "csrf_token": csrf, "decision": "allow"}
        )
        assert response.status_code == 403 and "location" not in response.headers
    async with httpx.AsyncClient(base_url=live.url) as stranger:
        response = await stranger.post("/oauth/authorize", data={**fields, "decision": "allow"})
    assert response.status_code == 401 and "location" not in response.headers


async def test_sign_in_needs_the_forms_csrf_cookie(tenant: Tenant, live: Live) -> None:
    user = await add_user(tenant)
    async with httpx.AsyncClient(base_url=live.url, follow_redirects=False) as http:
        page = await http.get("/oauth/login")
        fields = form_fields(page.text)
        fields.update(email=user.email, password="correct horse battery staple")
        http.cookies.clear()
        forged = await http.post("/oauth/login", data=fields)
        assert forged.status_code == 403 and "reelhouse_session" not in str(forged.headers)
        page = await http.get("/oauth/login")
        wrong = await http.post("/oauth/login", data={**fields, "csrf_token": "x" * 43})
        assert wrong.status_code == 403
