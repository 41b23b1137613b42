"""The console in process: sign-in reuse, security headers, CSRF, our error pages, field
errors from the API, and what a member's role hides and refuses. The browser tests
(``test_console_browser.py``) drive the same pages in Chromium."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import col

from app.auth.scopes import Scope
from app.models import AuditRecord, UserRole
from app.models.audit import Transport
from tests.conftest import Backend, Tenant
from tests.console_fixtures import csrf_of, person
from tests.identity_fixtures import add_user

KEY_NAMES = "query { apiKeys(first: 100) { nodes { name } } }"


async def key_names(tenant: Tenant) -> list[str]:
    result = await tenant.gql(KEY_NAMES)
    return [n["name"] for n in result.ok()["apiKeys"]["nodes"]]


async def test_signed_out_goes_to_sign_in_and_comes_back(tenant: Tenant, backend: Backend) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        await browser.post("/oauth/logout", {"csrf_token": await csrf_of(browser, "/console/")})
        away = await browser.get("/console/keys?after=x")
        assert away.status_code == 303
        assert away.headers["location"] == "/oauth/login?next=%2Fconsole%2Fkeys%3Fafter%3Dx"
        back = await browser.sign_in(user.email, next="/console/keys")
        assert back.status_code == 303 and back.headers["location"] == "/console/keys"


async def test_pages_send_a_strict_policy_and_own_assets(tenant: Tenant, backend: Backend) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        for path in (
            "/console/",
            "/console/keys",
            "/console/keys/new",
            "/console/webhooks",
            "/console/webhooks/new",
            "/console/deliveries",
            "/console/events",
            "/console/audit",
        ):
            page = await browser.get(path)
            assert page.status_code == 200, (path, page.text)
            policy = page.headers["content-security-policy"]
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
            assert "script-src 'self'" in policy and "style-src 'self'" in policy
            assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
            assert page.headers["x-content-type-options"] == "nosniff"
            assert page.headers["referrer-policy"] == "no-referrer"
            assert page.headers["cache-control"] == "no-store"
            assert "<style" not in page.text and " style=" not in page.text
            assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None
        for asset in ("/console/static/console.css", "/console/static/console.js"):
            served = await browser.get(asset)
            assert served.status_code == 200 and served.text


async def test_our_own_404_and_errors_show_the_request_id(tenant: Tenant, backend: Backend) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        missing = await browser.get("/console/no-such-page")
        assert missing.status_code == 404
        assert "text/html" in missing.headers["content-type"]
        assert missing.headers["x-request-id"] in missing.text
        assert "Page not found" in missing.text
        key = await browser.get("/console/keys/key_01J00000000000000000000000")
        assert key.status_code == 404 and key.headers["x-request-id"] in key.text


async def test_a_key_form_without_scopes_says_so_next_to_the_field(
    tenant: Tenant, backend: Backend
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        csrf = await csrf_of(browser, "/console/keys/new")
        refused = await browser.post(
            "/console/keys/new",
            {"csrf_token": csrf, "name": "no scopes", "readRateLimit": "0"},
        )
        assert refused.status_code == 422
        scopes_error = re.search(r'id="scopes-error">([^<]+)<', refused.text)
        assert scopes_error and "at least one scope" in scopes_error.group(1)
        assert 'id="readRateLimit-error"' in refused.text
        assert 'value="no scopes"' in refused.text
    assert "no scopes" not in await key_names(tenant)


async def test_forms_without_the_session_token_change_nothing(
    tenant: Tenant, backend: Backend
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        forged = await browser.post(
            "/console/keys/new",
            {"csrf_token": "forged", "name": "forged key", "scope:projects:read": "on"},
        )
        assert forged.status_code == 403
        assert forged.headers["x-request-id"] in forged.text
    assert "forged key" not in await key_names(tenant)


async def test_a_key_created_in_the_console_is_the_apis_own(
    tenant: Tenant, backend: Backend
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        csrf = await csrf_of(browser, "/console/keys/new")
        created = await browser.post(
            "/console/keys/new",
            {
                "csrf_token": csrf,
                "name": "render farm",
                "scope:jobs:read": "on",
                "scope:jobs:execute": "on",
                "allowedCidrs": "10.0.0.0/8\n192.168.1.0/24",
                "writeRateLimit": "90",
            },
        )
        assert created.status_code == 200, created.text
        secret = re.search(r'value="(rh_(?:live|test)_[^"]+)"', created.text)
        assert secret is not None
    result = await tenant.gql(
        "query { apiKeys(first: 100) { nodes { name scopes allowedCidrs writeRateLimit } } }"
    )
    [key] = [k for k in result.ok()["apiKeys"]["nodes"] if k["name"] == "render farm"]
    assert key == {
        "name": "render farm",
        "scopes": ["jobs:execute", "jobs:read"],
        "allowedCidrs": ["10.0.0.0/8", "192.168.1.0/24"],
        "writeRateLimit": 90,
    }


async def test_a_member_is_not_offered_and_cannot_forge_admin_actions(
    tenant: Tenant, backend: Backend
) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    async with person(backend.app, member.email) as browser:
        overview = await browser.get("/console/")
        assert overview.status_code == 200
        assert 'href="/console/users"' not in overview.text
        assert 'href="/console/oauth-clients"' not in overview.text
        assert 'href="/console/keys"' in overview.text
        for path in ("/console/users", "/console/users/new"):
            page = await browser.get(path)
            assert page.status_code == 403, path
        keys = await browser.get("/console/keys")
        assert keys.status_code == 200 and "Create API key" not in keys.text
        assert (await browser.get("/console/keys/new")).status_code == 403
        csrf = await csrf_of(browser, "/console/keys")
        forged = await browser.post(
            "/console/keys/new",
            {"csrf_token": csrf, "name": "member key", "scope:projects:read": "on"},
        )
        assert forged.status_code == 403
    assert "member key" not in await key_names(tenant)


async def test_the_console_acts_with_the_users_role_through_graphql(
    make_tenant: object, backend: Backend, tenant: Tenant
) -> None:
    """An admin (not an owner) cannot give a key ``admin``: the API's own escalation rule
    answers, and the page shows it."""
    user = await add_user(tenant, UserRole.ADMIN)
    assert Scope.ADMIN.value
    async with person(backend.app, user.email) as browser:
        form = await browser.get("/console/keys/new")
        assert 'name="scope:admin"' not in form.text
        csrf = await csrf_of(browser, "/console/keys/new")
        refused = await browser.post(
            "/console/keys/new",
            {"csrf_token": csrf, "name": "escalated", "scope:admin": "on"},
        )
        assert refused.status_code == 403
        assert refused.headers["x-request-id"] in refused.text
    assert "escalated" not in await key_names(tenant)


async def audit_rows(tenant: Tenant, request_id: str) -> list[AuditRecord]:
    """The stored records of ``request_id``, read without waiting for the batch writer."""
    async with tenant.services.db.reading() as session:
        query = select(AuditRecord).where(col(AuditRecord.request_id) == request_id)
        return list((await session.execute(query)).scalars())


async def test_a_console_write_commits_with_its_audit_record(
    tenant: Tenant, backend: Backend
) -> None:
    """The form's mutation and its ``console`` record share the request's transaction: the
    record is stored by the time the page (or the redirect) arrives, once."""
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        csrf = await csrf_of(browser, "/console/keys/new")
        created = await browser.post(
            "/console/keys/new",
            {"csrf_token": csrf, "name": "audited key", "scope:jobs:read": "on"},
        )
        assert created.status_code == 200, created.text
        created_id = created.headers["x-request-id"]
        [record] = await audit_rows(tenant, created_id)
        assert record.transport is Transport.CONSOLE and record.status == 200
        assert record.operation_name == "ConsoleCreateApiKey" and record.user_id == user.id
        key_id = re.search(r'href="/console/keys/(key_[0-9A-Za-z]+)"', created.text)
        assert key_id is not None

        revoked = await browser.post(
            f"/console/keys/{key_id.group(1)}/revoke", {"csrf_token": csrf, "confirm": "yes"}
        )
        assert revoked.status_code == 303
        assert revoked.headers["location"] == f"/console/keys/{key_id.group(1)}?revoked=1"
        [record] = await audit_rows(tenant, revoked.headers["x-request-id"])
        assert record.operation_name == "ConsoleRevokeApiKey" and record.status == 303
        shown = await browser.get(revoked.headers["location"])
        assert shown.status_code == 200 and "Revoked" in shown.text

        await tenant.services.auditor.writer.flush()
        assert len(await audit_rows(tenant, created_id)) == 1


async def test_console_forms_are_never_replayed_from_the_idempotency_store(
    tenant: Tenant, backend: Backend
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, user.email) as browser:
        csrf = await csrf_of(browser, "/console/keys/new")
        form = {"csrf_token": csrf, "name": "twice", "scope:jobs:read": "on"}
        answers = [
            await browser.http.post(
                "/console/keys/new", data=form, headers={"Idempotency-Key": "same"}
            )
            for _ in range(2)
        ]
        assert [a.status_code for a in answers] == [200, 200]
        assert all("idempotent-replayed" not in a.headers for a in answers)
    assert (await key_names(tenant)).count("twice") == 2
