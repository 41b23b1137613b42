"""The console's OAuth clients page in process: register (the secret shown once, and it works
at the token endpoint), field errors beside their fields, edit, rotate, revoke; members never
reach it."""

from __future__ import annotations

import re

import httpx

from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.console_fixtures import csrf_of, person
from tests.identity_fixtures import Browser, add_user


async def token_status(tenant: Tenant, client_id: str, secret: str) -> int:
    response = await tenant.http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    return response.status_code


async def register(browser: Browser, **fields: str) -> httpx.Response:
    csrf = await csrf_of(browser, "/console/oauth-clients/new")
    form = {
        "csrf_token": csrf,
        "name": "Render farm",
        "clientType": "CONFIDENTIAL",
        "grant:client_credentials": "on",
        "scope:jobs:read": "on",
        **fields,
    }
    return await browser.post("/console/oauth-clients/new", form)


async def test_register_rotate_and_revoke_an_application(tenant: Tenant, backend: Backend) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        created = await register(browser)
        assert created.status_code == 200, created.text
        client_id = re.search(r"<code>(cli_[0-9A-Z]+)</code>", created.text)
        secret = re.search(r'id="secret" type="text" readonly value="([^"]+)"', created.text)
        assert client_id and secret
        client, first = client_id.group(1), secret.group(1)
        assert await token_status(tenant, client, first) == 200
        listed = await browser.get("/console/oauth-clients")
        assert client in listed.text and "Render farm" in listed.text

        page = f"/console/oauth-clients/{client}"
        csrf = await csrf_of(browser, page)
        saved = await browser.post(
            f"{page}/edit",
            {
                "csrf_token": csrf,
                "name": "Render farm 2",
                "grant:client_credentials": "on",
                "scope:jobs:read": "on",
                "scope:projects:read": "on",
            },
        )
        assert saved.status_code == 303
        shown = await browser.get(page)
        assert "Render farm 2" in shown.text and "jobs:read, projects:read" in shown.text

        rotated = await browser.post(f"{page}/rotate", {"csrf_token": csrf})
        second = re.search(r'id="secret" type="text" readonly value="([^"]+)"', rotated.text)
        assert second and second.group(1) != first
        assert await token_status(tenant, client, first) == 401
        assert await token_status(tenant, client, second.group(1)) == 200

        unconfirmed = await browser.post(f"{page}/revoke", {"csrf_token": csrf})
        assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.text
        revoked = await browser.post(f"{page}/revoke", {"csrf_token": csrf, "confirm": "yes"})
        assert revoked.status_code == 303
        assert await token_status(tenant, client, second.group(1)) == 401


async def test_registration_errors_stand_next_to_their_fields(
    tenant: Tenant, backend: Backend
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        refused = await register(
            browser,
            **{"grant:authorization_code": "on", "redirectUris": "http://example.com/callback"},
        )
        assert refused.status_code == 422
        assert 'id="redirectUris-error"' in refused.text
        assert "http://example.com/callback</textarea>" in refused.text
        public = await register(browser, clientType="PUBLIC")
        assert public.status_code == 422 and 'id="grantTypes-error"' in public.text
    listed = await tenant.gql("query { oauthClients(first: 100) { nodes { name } } }")
    assert "Render farm" not in [c["name"] for c in listed.ok()["oauthClients"]["nodes"]]


async def test_members_cannot_reach_or_forge_application_changes(
    tenant: Tenant, backend: Backend
) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    async with person(backend.app, member.email) as browser:
        assert (await browser.get("/console/oauth-clients")).status_code == 403
        csrf = await csrf_of(browser, "/console/keys")
        forged = await browser.post(
            "/console/oauth-clients/new",
            {"csrf_token": csrf, "name": "forged", "clientType": "CONFIDENTIAL"},
        )
        assert forged.status_code == 403
