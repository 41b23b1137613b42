"""Fixtures for identity and OAuth tests (registered in ``tests/conftest.py``): users, clients,
a live server, and a browser stand-in.

The live server is a second app on the same database and Redis (like a second process),
served by uvicorn on a free loopback port, in ``development`` so its session cookie may travel
over plain http. A ``Browser`` is an httpx client with a cookie jar that signs in and answers
the consent screen by its form fields, as a person's browser would; OAuth clients are
Authlib's own httpx client.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest_asyncio
from authlib.integrations.httpx_client import AsyncOAuth2Client

from app.factory import Application, create_app
from app.identity.accounts import normalise_email
from app.identity.passwords import hash_password
from app.models import User, UserRole
from tests.lifespan import lifespan

if TYPE_CHECKING:
    from tests.conftest import Backend, Tenant

PASSWORD = "correct horse battery staple"
REDIRECT_URI = "http://127.0.0.1:9/callback"
"""Registered by test clients; nothing listens there: the flow stops at the redirect."""

_INPUT = re.compile(r"<input\b[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')

CREATE_CLIENT = """
mutation($input: CreateOAuthClientInput!) {
  createOauthClient(input: $input) {
    oauthClient { id name clientType scopes grantTypes redirectUris secretLast4 revokedAt }
    clientSecret
    userErrors { field code message }
  }
}"""


@dataclass
class Live:
    url: str
    app: Application


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def live(backend: Backend) -> AsyncIterator[Live]:
    from tests.events_fixtures import serve

    settings = backend.settings.model_copy(update={"environment": "development"})
    app = create_app(settings)
    async with lifespan(app), serve(app) as url:
        yield Live(url, app)
    if app.services.redis is not None:
        await app.services.redis.aclose()
    await app.services.db.dispose()


async def add_user(
    tenant: Tenant,
    role: UserRole = UserRole.ADMIN,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    project_ids: list[str] | None = None,
) -> User:
    user = User(
        org_id=tenant.org_id,
        email=normalise_email(email or f"{secrets.token_hex(5)}@studio.example"),
        name="Test User",
        role=role,
        project_ids=project_ids,
        password_hash=await hash_password(password),
    )
    async with tenant.services.db.writing() as session:
        session.add(user)
    return user


@dataclass
class Client:
    id: str
    secret: str | None
    row: dict[str, Any]


async def add_client(tenant: Tenant, **input: Any) -> Client:
    input.setdefault("name", "Partner app")
    input.setdefault("clientType", "CONFIDENTIAL")
    input.setdefault("scopes", ["projects:read", "projects:write", "content:read"])
    input.setdefault("grantTypes", ["authorization_code", "refresh_token", "client_credentials"])
    input.setdefault("redirectUris", [REDIRECT_URI])
    result = await tenant.gql(CREATE_CLIENT, {"input": input})
    payload = result.ok()["createOauthClient"]
    assert payload["userErrors"] == [], payload
    return Client(payload["oauthClient"]["id"], payload["clientSecret"], payload["oauthClient"])


def oauth_client(live: Live, client: Client, **kwargs: Any) -> AsyncOAuth2Client:
    """Authlib's client for ``client``: PKCE S256, Basic auth (or none for public clients)."""
    kwargs.setdefault("redirect_uri", REDIRECT_URI)
    return AsyncOAuth2Client(
        client_id=client.id,
        client_secret=client.secret,
        token_endpoint_auth_method="client_secret_basic" if client.secret else "none",
        code_challenge_method="S256",
        base_url=live.url,
        **kwargs,
    )


def new_verifier() -> str:
    return secrets.token_urlsafe(48)


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def form_fields(html: str) -> dict[str, str]:
    """The named inputs of a page's forms (hidden ones included), by name."""
    fields: dict[str, str] = {}
    for tag in _INPUT.findall(html):
        attributes = {k: unescape(v) for k, v in _ATTRIBUTE.findall(tag)}
        if "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def query_params(location: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Browser:
    """A person's browser, reduced to cookies, forms and redirects it does not follow."""

    http: httpx.AsyncClient
    pages: list[httpx.Response] = field(default_factory=list)

    async def get(self, url: str) -> httpx.Response:
        response = await self.http.get(url)
        self.pages.append(response)
        return response

    async def post(self, url: str, data: dict[str, str]) -> httpx.Response:
        response = await self.http.post(url, data=data)
        self.pages.append(response)
        return response

    async def sign_in(self, email: str, password: str = PASSWORD, next: str = "") -> httpx.Response:
        page = await self.get(f"/oauth/login?next={next}" if next else "/oauth/login")
        fields = form_fields(page.text)
        fields.update(email=email, password=password)
        return await self.post("/oauth/login", fields)

    async def authorize(self, url: str) -> httpx.Response:
        """Follow the authorization request until the consent screen or the redirect back."""
        response = await self.get(url)
        while response.status_code in (302, 303):
            location = response.headers["location"]
            if not location.startswith("/"):
                return response
            response = await self.get(location)
        return response

    async def decide(self, consent: httpx.Response, decision: str) -> httpx.Response:
        fields = form_fields(consent.text)
        fields["decision"] = decision
        return await self.post("/oauth/authorize", fields)


@pytest_asyncio.fixture(loop_scope="session")
async def browser(live: Live) -> AsyncIterator[Browser]:
    async with httpx.AsyncClient(base_url=live.url, follow_redirects=False) as http:
        yield Browser(http)


async def signed_in_browser(live: Live, email: str) -> Browser:
    """A second browser (another person); the caller closes ``browser.http``."""
    browser = Browser(httpx.AsyncClient(base_url=live.url, follow_redirects=False))
    response = await browser.sign_in(email)
    assert response.status_code == 303, response.text
    return browser


async def authorization_code(
    live: Live,
    browser: Browser,
    client: Client,
    user: User,
    *,
    scope: str = "projects:read",
    verifier: str | None = None,
) -> dict[str, Any]:
    """The whole code flow with PKCE through Authlib's client: sign in, allow, exchange."""
    async with oauth_client(live, client, scope=scope) as oauth:
        verifier = verifier or new_verifier()
        url, state = oauth.create_authorization_url(
            f"{live.url}/oauth/authorize", code_verifier=verifier
        )
        response = await browser.authorize(url)
        if response.status_code == 200 and 'name="password"' in response.text:
            await browser.sign_in(user.email)
            response = await browser.authorize(url)
        if response.status_code == 200:
            response = await browser.decide(response, "allow")
        assert response.status_code in (302, 303), response.text
        location = response.headers["location"]
        assert query_params(location)["state"] == state
        token = await oauth.fetch_token(
            f"{live.url}/oauth/token", authorization_response=location, code_verifier=verifier
        )
    return dict(token)


async def bearer(
    live: Live, token: str, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    """A GraphQL request to the live server with ``token`` as the bearer credential."""
    async with httpx.AsyncClient(base_url=live.url) as http:
        return await http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
