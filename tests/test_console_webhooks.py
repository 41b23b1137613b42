"""The console's webhook pages in process: endpoints created with the event-type picker, field
errors beside their fields, the Test button's signed request as the receiver saw it and as the
page shows it, enable/disable, secret rotation, and a member who may only look."""

from __future__ import annotations

import html
import re
from typing import Any

from standardwebhooks import Webhook

from app.events.catalogue import BY_TYPE
from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.console_fixtures import csrf_of, person
from tests.events_fixtures import Receiver, free_socket
from tests.identity_fixtures import Browser, add_user

pytest_plugins = ["tests.events_fixtures"]

ENDPOINTS = "query { webhookEndpoints(first: 100) { nodes { id url eventTypes enabled } } }"


async def endpoints(tenant: Tenant) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = (await tenant.gql(ENDPOINTS)).ok()["webhookEndpoints"]["nodes"]
    return nodes


async def create(browser: Browser, url: str, **fields: str) -> tuple[str, str]:
    """Add an endpoint through the form; its id and the secret the page shows once."""
    csrf = await csrf_of(browser, "/console/webhooks/new")
    created = await browser.post(
        "/console/webhooks/new", {"csrf_token": csrf, "url": url, "enabled": "on", **fields}
    )
    assert created.status_code == 200, created.text
    secret = re.search(r'value="(whsec_[^"]+)"', created.text)
    endpoint_id = re.search(r'href="/console/webhooks/(whk_[0-9A-Z]+)"', created.text)
    assert secret and endpoint_id
    return endpoint_id.group(1), secret.group(1)


async def test_the_picker_offers_the_catalogue_and_creates_the_endpoint(
    tenant: Tenant, backend: Backend, receiver: Receiver
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        form = await browser.get("/console/webhooks/new")
        assert form.status_code == 200
        for event_type in ("job.completed", "asset.approved", "user.disabled"):
            assert f'name="event:{event_type}"' in form.text
        assert 'name="event:webhook.test"' not in form.text
        assert html.escape(BY_TYPE["job.completed"].description) in form.text
        assert "output_asset_id" in form.text
        endpoint_id, _ = await create(
            browser,
            receiver.url,
            **{"event:job.completed": "on", "patterns": "asset.*", "description": "bridge"},
        )
        listed = await browser.get("/console/webhooks")
        assert receiver.url in listed.text and endpoint_id in listed.text
        detail = await browser.get(f"/console/webhooks/{endpoint_id}")
        assert 'name="event:job.completed" value="on" checked' in detail.text
        assert "asset.*</textarea>" in detail.text
    [stored] = [e for e in await endpoints(tenant) if e["id"] == endpoint_id]
    assert (
        sorted(stored["eventTypes"]) == ["asset.*", "job.completed"] and stored["enabled"] is True
    )


async def test_api_errors_stand_next_to_their_fields(tenant: Tenant, backend: Backend) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    before = len(await endpoints(tenant))
    async with person(backend.app, admin.email) as browser:
        csrf = await csrf_of(browser, "/console/webhooks/new")
        refused = await browser.post(
            "/console/webhooks/new",
            {
                "csrf_token": csrf,
                "url": "ftp://example.com/hook",
                "patterns": "job..done",
                "subscriptionQuery": "subscription { nope }",
            },
        )
        assert refused.status_code == 422
        for name in ("url", "eventTypes", "subscriptionQuery"):
            assert f'id="{name}-error"' in refused.text, name
        assert 'value="ftp://example.com/hook"' in refused.text
    assert len(await endpoints(tenant)) == before


async def test_the_test_button_sends_a_signed_request_and_shows_both_sides(
    tenant: Tenant, backend: Backend, receiver: Receiver
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        endpoint_id, secret = await create(browser, receiver.url)
        csrf = await csrf_of(browser, f"/console/webhooks/{endpoint_id}")
        tested = await browser.post(f"/console/webhooks/{endpoint_id}/test", {"csrf_token": csrf})
        assert tested.status_code == 200, tested.text
    [request] = receiver.requests
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test" and payload["data"]["endpoint_id"] == endpoint_id
    page = html.unescape(tested.text)
    assert f"POST {receiver.url}" in page
    assert f"webhook-signature: {request.headers['webhook-signature']}" in page
    assert f"webhook-id: {request.headers['webhook-id']}" in page
    assert '"type":"webhook.test"' in page
    response = page[page.index("<h4>Response</h4>") :]
    assert re.search(r"HTTP 200</span>\n(.+\n)*server: uvicorn\n(.+\n)*\nok</pre>", response)
    assert re.search(r'class="latency">\d+ ms<', tested.text)


async def test_disable_enable_and_rotate(
    tenant: Tenant, backend: Backend, receiver: Receiver
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        endpoint_id, secret = await create(browser, receiver.url)
        page = f"/console/webhooks/{endpoint_id}"
        csrf = await csrf_of(browser, page)
        disabled = await browser.post(f"{page}/disable", {"csrf_token": csrf})
        assert disabled.status_code == 303
        [stored] = [e for e in await endpoints(tenant) if e["id"] == endpoint_id]
        assert stored["enabled"] is False
        shown = await browser.get(disabled.headers["location"])
        assert "Disabled by a user." in shown.text and f'action="{page}/enable"' in shown.text
        assert (await browser.post(f"{page}/enable", {"csrf_token": csrf})).status_code == 303
        [stored] = [e for e in await endpoints(tenant) if e["id"] == endpoint_id]
        assert stored["enabled"] is True
        rotated = await browser.post(
            f"{page}/rotate", {"csrf_token": csrf, "gracePeriodSeconds": "3600"}
        )
        assert rotated.status_code == 200
        new_secret = re.search(r'value="(whsec_[^"]+)"', rotated.text)
        assert new_secret and new_secret.group(1) != secret
        assert "previous secret keeps signing too until" in rotated.text
        too_long = await browser.post(
            f"{page}/rotate", {"csrf_token": csrf, "gracePeriodSeconds": "99999999"}
        )
        assert too_long.status_code == 422 and 'id="gracePeriodSeconds-error"' in too_long.text


async def test_a_member_reads_webhooks_but_is_offered_and_allowed_no_action(
    tenant: Tenant, backend: Backend, receiver: Receiver
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    member = await add_user(tenant, UserRole.MEMBER)
    async with person(backend.app, admin.email) as browser:
        endpoint_id, _ = await create(browser, receiver.url)
    async with person(backend.app, member.email) as browser:
        listed = await browser.get("/console/webhooks")
        assert listed.status_code == 200 and "Add endpoint" not in listed.text
        detail = await browser.get(f"/console/webhooks/{endpoint_id}")
        assert detail.status_code == 200
        assert "Send test" not in detail.text and "Rotate secret" not in detail.text
        assert (await browser.get("/console/webhooks/new")).status_code == 403
        csrf = await csrf_of(browser, "/console/webhooks")
        for action in ("test", "disable", "rotate", "edit"):
            forged = await browser.post(
                f"/console/webhooks/{endpoint_id}/{action}",
                {"csrf_token": csrf, "url": "https://example.com/x"},
            )
            assert forged.status_code == 403, action
    assert receiver.requests == []
    [stored] = [e for e in await endpoints(tenant) if e["id"] == endpoint_id]
    assert stored["enabled"] is True and stored["url"] == receiver.url


async def test_a_receiver_that_never_answers_shows_the_request_and_why(
    tenant: Tenant, backend: Backend
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    closed = free_socket()
    url = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    closed.close()
    async with person(backend.app, admin.email) as browser:
        endpoint_id, _ = await create(browser, url)
        csrf = await csrf_of(browser, f"/console/webhooks/{endpoint_id}")
        tested = await browser.post(f"/console/webhooks/{endpoint_id}/test", {"csrf_token": csrf})
    assert tested.status_code == 200
    page = html.unescape(tested.text)
    assert "no answer</span>" in page and "No answer came." in page
    assert re.search(r'class="notice bad attempt-error">ConnectError', tested.text)
    assert f"POST {url}" in page and "webhook-signature: v1," in page
