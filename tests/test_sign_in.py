"""Sign-in at /oauth/login: cookies, page headers, sign-out, throttling, disabled users.

These run in process against the backend's app (``environment=test``, so cookies are
``Secure``) over an ``https`` base URL, each from its own client address, so throttling one
address never slows another test.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.identity import accounts
from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.identity_fixtures import PASSWORD, Browser, Live, add_user, form_fields


@pytest_asyncio.fixture(loop_scope="session")
async def person(backend: Backend) -> AsyncIterator[Browser]:
    address = f"198.51.100.{secrets.randbelow(250) + 1}"
    transport = httpx.ASGITransport(app=backend.app, client=(address, 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="https://testserver", follow_redirects=False
    ) as http:
        yield Browser(http)


def _cookies(response: httpx.Response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0]
        found[name] = header
    return found


async def test_pages_are_self_contained_unframeable_and_uncached(person: Browser) -> None:
    page = await person.get("/oauth/login")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy and "base-uri 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    html = page.text
    assert "<script" not in html and "<link" not in html and "src=" not in html
    fields = form_fields(html)
    assert {"email", "password", "csrf_token", "next"} <= set(fields)


async def test_session_cookie_is_host_only_secure_httponly_lax(
    tenant: Tenant, person: Browser, backend: Backend
) -> None:
    user = await add_user(tenant)
    page = await person.get("/oauth/login")
    csrf_cookie = _cookies(page)["__Host-reelhouse_login_csrf"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in csrf_cookie
    signed_in = await person.sign_in(user.email)
    assert signed_in.status_code == 303
    session_cookie = _cookies(signed_in)["__Host-reelhouse_session"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in session_cookie
    assert "Domain" not in session_cookie
    principal = await backend.app.services.identity.session_principal(
        {
            "type": "http",
            "headers": [
                (
                    b"cookie",
                    f"__Host-reelhouse_session={person.http.cookies['__Host-reelhouse_session']}".encode(),
                )
            ],
        }
    )
    assert principal is not None and principal.user_id == user.id
    assert principal.credential_kind == "session" and principal.credential_id == user.id


async def test_development_cookies_are_not_secure(tenant: Tenant, live: Live) -> None:
    async with httpx.AsyncClient(base_url=live.url) as http:
        page = await http.get("/oauth/login")
    cookie = _cookies(page)["reelhouse_login_csrf"]
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_sign_out_ends_the_session_on_the_server(tenant: Tenant, person: Browser) -> None:
    user = await add_user(tenant)
    await person.sign_in(user.email)
    cookie = person.http.cookies["__Host-reelhouse_session"]
    signed_in = await person.get("/oauth/login")
    assert user.email in signed_in.text
    out = await person.post("/oauth/logout", form_fields(signed_in.text))
    assert out.status_code == 303
    assert "Max-Age=0" in _cookies(out)["__Host-reelhouse_session"]
    person.http.cookies.set("__Host-reelhouse_session", cookie)
    again = await person.get("/oauth/login")
    assert 'name="password"' in again.text, "the old cookie value no longer signs in"


async def test_email_is_case_insensitive_and_wrong_passwords_look_alike(
    tenant: Tenant, person: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await add_user(tenant, email=f"Mira.{secrets.token_hex(3)}@Studio.example")
    calls: list[str | None] = []
    real = accounts.verify_password

    async def counting(stored: str | None, password: str) -> bool:
        calls.append(stored)
        return await real(stored, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    unknown = await person.sign_in(f"nobody.{secrets.token_hex(4)}@studio.example", "x" * 12)
    wrong = await person.sign_in(user.email, "not the password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong email or password." in unknown.text and "Wrong email or password." in wrong.text
    assert calls[0] is None and calls[1] is not None, "an unknown email costs a verification too"
    right = await person.sign_in(user.email.upper(), PASSWORD)
    assert right.status_code == 303


async def test_repeated_failures_throttle_the_account(tenant: Tenant, backend: Backend) -> None:
    user = await add_user(tenant)
    limit = backend.settings.login_max_failures_per_account
    for attempt in range(limit):
        address = f"192.0.2.{attempt + 1}"
        async with _from(backend, address) as someone:
            failed = await someone.sign_in(user.email, f"guess number {attempt}")
            assert failed.status_code == 401
    async with _from(backend, "192.0.2.200") as owner:
        refused = await owner.sign_in(user.email, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins for this account" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= backend.settings.login_failure_window_seconds
    assert "__Host-reelhouse_session" not in _cookies(refused)


async def test_repeated_failures_throttle_the_address(make_tenant: Any, backend: Backend) -> None:
    tenant = await make_tenant()
    user = await add_user(tenant)
    address = f"203.0.113.{secrets.randbelow(250) + 1}"
    async with _from(backend, address) as attacker:
        for _ in range(backend.settings.login_max_failures_per_ip):
            stranger = f"{secrets.token_hex(5)}@studio.example"
            assert (await attacker.sign_in(stranger, "guess guess guess")).status_code == 401
        refused = await attacker.sign_in(user.email, PASSWORD)
    assert refused.status_code == 429 and "your network address" in refused.text
    async with _from(backend, "198.18.0.1") as elsewhere:
        assert (await elsewhere.sign_in(user.email, PASSWORD)).status_code == 303


async def test_disabled_users_cannot_sign_in_and_lose_their_sessions(
    tenant: Tenant, person: Browser
) -> None:
    user = await add_user(tenant, UserRole.MEMBER)
    await person.sign_in(user.email)
    assert user.email in (await person.get("/oauth/login")).text
    disabled = await tenant.gql(
        "mutation($id: ID!) { disableUser(input: {id: $id}) { user { disabled } userErrors { code } } }",
        {"id": user.id},
    )
    assert disabled.ok()["disableUser"]["user"]["disabled"] is True
    assert 'name="password"' in (await person.get("/oauth/login")).text
    assert (await person.sign_in(user.email)).status_code == 401


async def test_an_email_in_two_organisations_asks_which(make_tenant: Any, backend: Backend) -> None:
    org_a, org_b = await make_tenant(), await make_tenant()
    email = f"{secrets.token_hex(5)}@freelance.example"
    await add_user(org_a, email=email)
    await add_user(org_b, email=email)
    async with _from(backend, "198.18.1.1") as someone:
        ambiguous = await someone.sign_in(email)
        assert ambiguous.status_code == 400 and 'name="organization"' in ambiguous.text
        fields = form_fields(ambiguous.text)
        fields.update(email=email, password=PASSWORD, organization=org_b.slug)
        chosen = await someone.post("/oauth/login", fields)
    assert chosen.status_code == 303


async def test_malformed_forms_are_refused_plainly(person: Browser) -> None:
    page = await person.get("/oauth/login")
    fields = form_fields(page.text)
    repeated = await person.http.post(
        "/oauth/login",
        content=f"csrf_token={fields['csrf_token']}&email=a&email=b&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert repeated.status_code == 400 and "repeated" in repeated.text
    as_json = await person.http.post("/oauth/login", json={"email": "a"})
    assert as_json.status_code == 400


@asynccontextmanager
async def _from(backend: Backend, address: str) -> AsyncIterator[Browser]:
    """A browser whose requests come from ``address``."""
    transport = httpx.ASGITransport(app=backend.app, client=(address, 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="https://testserver", follow_redirects=False
    ) as http:
        yield Browser(http)
