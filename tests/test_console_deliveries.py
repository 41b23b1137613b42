"""The console's deliveries page in process: filters (status, event type, time) with refused
values beside their fields, each attempt's request and response, redelivery, and a replay
previewed (``dryRun``: nothing sent) before it is sent; a member may look but not act."""

from __future__ import annotations

import html
import re

from app.events.worker import EventWorker
from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.console_fixtures import csrf_of, person
from tests.events_fixtures import Receiver, always, running_receiver
from tests.identity_fixtures import add_user
from tests.test_webhooks import create_endpoint, create_project, wait_deliveries

pytest_plugins = ["tests.events_fixtures"]


async def test_find_a_failed_delivery_see_its_attempt_and_redeliver_it(
    tenant: Tenant, backend: Backend, worker: EventWorker
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with running_receiver(always(400, b"bad signature?")) as receiver:
        endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
        await create_project(tenant, "failing-one")
        [dead] = await wait_deliveries(tenant, endpoint["id"], "DEAD", 1)
        async with person(backend.app, admin.email) as browser:
            listed = await browser.get(
                f"/console/deliveries?endpointId={endpoint['id']}&status=DEAD&eventTypes=project.*"
            )
            assert listed.status_code == 200
            assert f'href="/console/deliveries/{dead["id"]}"' in listed.text
            other = await browser.get(
                f"/console/deliveries?endpointId={endpoint['id']}&status=SUCCEEDED"
            )
            assert dead["id"] not in other.text and "No deliveries match." in other.text
            later = await browser.get(
                f"/console/deliveries?endpointId={endpoint['id']}&createdAfter=2999-01-01T00:00"
            )
            assert dead["id"] not in later.text

            detail = await browser.get(f"/console/deliveries/{dead['id']}")
            page = html.unescape(detail.text)
            assert f"POST {receiver.url}" in page and "webhook-signature: v1," in page
            assert '"type":"project.created"' in page
            assert "HTTP 400" in page and "bad signature?" in page

            csrf = await csrf_of(browser, f"/console/deliveries/{dead['id']}")
            again = await browser.post(
                f"/console/deliveries/{dead['id']}/redeliver", {"csrf_token": csrf}
            )
            assert again.status_code == 303
            await receiver.wait_count(2)


async def test_filter_errors_stand_beside_their_fields(tenant: Tenant, backend: Backend) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        bad_type = await browser.get("/console/deliveries?eventTypes=job..x")
        assert bad_type.status_code == 422 and 'id="eventTypes-error"' in bad_type.text
        bad_time = await browser.get("/console/deliveries?createdAfter=yesterday")
        assert bad_time.status_code == 422 and 'id="createdAfter-error"' in bad_time.text


async def test_replay_is_previewed_then_sent(
    tenant: Tenant, backend: Backend, receiver: Receiver, worker: EventWorker
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    await create_project(tenant, "replayed-one")
    await create_project(tenant, "replayed-two")
    await wait_deliveries(tenant, endpoint["id"], "SUCCEEDED", 2)
    async with person(backend.app, admin.email) as browser:
        csrf = await csrf_of(browser, "/console/deliveries")
        form = {
            "csrf_token": csrf,
            "endpointId": endpoint["id"],
            "since": "2000-01-01T00:00",
            "types": "project.created",
        }
        preview = await browser.post("/console/deliveries/replay", {**form, "action": "preview"})
        assert preview.status_code == 200
        shown = re.search(r'id="replay-preview"><strong>(\d+)</strong>', preview.text)
        assert shown and shown.group(1) == "2"
        assert 'value="replay">Replay 2</button>' in preview.text
        until = re.search(
            r'name="until" type="datetime-local" step="1" value="([^"]+)"', preview.text
        )
        assert until is not None
        assert len(receiver.requests) == 2
        sent = await browser.post(
            "/console/deliveries/replay", {**form, "until": until.group(1), "action": "replay"}
        )
        assert sent.status_code == 303 and "replayed=2" in sent.headers["location"]
        await receiver.wait_count(4)
        refused = await browser.post(
            "/console/deliveries/replay",
            {**form, "since": "2999-01-01T00:00", "until": "2000-01-01T00:00", "action": "preview"},
        )
        assert refused.status_code == 422 and 'id="until-error"' in refused.text


async def test_a_member_sees_deliveries_but_cannot_redeliver_or_replay(
    tenant: Tenant, backend: Backend, receiver: Receiver
) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    endpoint, _ = await create_endpoint(tenant, receiver.url)
    tested = await tenant.gql(
        "mutation($id: ID!) { sendTestWebhook(input: {endpointId: $id}) { delivery { id } } }",
        {"id": endpoint["id"]},
    )
    delivery_id = tested.ok()["sendTestWebhook"]["delivery"]["id"]
    async with person(backend.app, member.email) as browser:
        listed = await browser.get("/console/deliveries")
        assert listed.status_code == 200 and delivery_id in listed.text
        assert "Replay a time range" not in listed.text
        detail = await browser.get(f"/console/deliveries/{delivery_id}")
        assert detail.status_code == 200 and "Redeliver" not in detail.text
        csrf = await csrf_of(browser, "/console/deliveries")
        for path in (f"/console/deliveries/{delivery_id}/redeliver", "/console/deliveries/replay"):
            forged = await browser.post(
                path,
                {"csrf_token": csrf, "endpointId": endpoint["id"], "since": "2000-01-01T00:00"},
            )
            assert forged.status_code == 403, path
    assert len(receiver.requests) == 1
