"""Webhook endpoints end to end: a real receiver, the dispatcher and sender, Standard Webhooks
signatures verified with the official ``standardwebhooks`` package."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from app.auth.scopes import Scope
from app.events.signing import sign
from app.events.worker import EventWorker
from tests.conftest import Tenant
from tests.events_fixtures import Receiver, always, running_receiver

pytest_plugins = ["tests.events_fixtures"]

ENDPOINT_FIELDS = """id url description enabled disabledReason eventTypes projectIds eventVersion
rateLimit retrySchedule subscriptionQuery failingSince version createdAt"""

CREATE = f"""
mutation($input: CreateWebhookEndpointInput!) {{
  createWebhookEndpoint(input: $input) {{
    webhookEndpoint {{ {ENDPOINT_FIELDS} }}
    secret
    userErrors {{ field code message }}
  }}
}}"""

UPDATE = f"""
mutation($input: UpdateWebhookEndpointInput!) {{
  updateWebhookEndpoint(input: $input) {{
    webhookEndpoint {{ {ENDPOINT_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""

CREATE_PROJECT = """
mutation($slug: String!) {
  createProject(input: {slug: $slug, name: $slug}) { project { id version } userErrors { code } }
}"""

UPDATE_PROJECT = """
mutation($id: ID!, $name: String!) {
  updateProject(input: {id: $id, name: $name}) { project { id version } userErrors { code } }
}"""

DELIVERIES = """
query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookEndpoint(id: $id) {
    deliveries(status: $status, first: 100) {
      nodes {
        id eventId messageId eventType aggregateId sequence status attemptCount nextAttemptAt
        lastStatusCode lastError isTest finishedAt
        attempts { attempt startedAt statusCode succeeded durationMs responseExcerpt error nextAttemptAt }
      }
    }
  }
}"""


async def create_endpoint(
    tenant: Tenant, url: str, *, token: str | None = None, **extra: Any
) -> tuple[dict[str, Any], str]:
    result = await tenant.gql(CREATE, {"input": {"url": url, **extra}}, token=token)
    payload = result.ok()["createWebhookEndpoint"]
    assert payload["userErrors"] == [], payload
    return payload["webhookEndpoint"], payload["secret"]


async def create_project(tenant: Tenant, slug: str) -> str:
    data = (await tenant.gql(CREATE_PROJECT, {"slug": slug})).ok()["createProject"]
    assert data["userErrors"] == []
    project_id: str = data["project"]["id"]
    return project_id


async def rename_project(tenant: Tenant, project_id: str, name: str) -> None:
    data = (await tenant.gql(UPDATE_PROJECT, {"id": project_id, "name": name})).ok()
    assert data["updateProject"]["userErrors"] == []


async def deliveries(tenant: Tenant, endpoint_id: str, status: str | None = None) -> list[Any]:
    data = (await tenant.gql(DELIVERIES, {"id": endpoint_id, "status": status})).ok()
    nodes: list[Any] = data["webhookEndpoint"]["deliveries"]["nodes"]
    return nodes


def verified(secret: str, request: Any) -> Any:
    return Webhook(secret).verify(request.body, request.headers)


async def test_event_is_delivered_signed_per_standard_webhooks(
    tenant: Tenant, receiver: Receiver, worker: EventWorker
) -> None:
    endpoint, secret = await create_endpoint(
        tenant, receiver.url, eventTypes=["project.*"], description="crm"
    )
    assert endpoint["id"].startswith("whk_") and secret.startswith("whsec_")
    assert endpoint["eventTypes"] == ["project.*"] and endpoint["enabled"] is True
    project_id = await create_project(tenant, "signed-one")

    (request,) = await receiver.wait_count(1)
    body = verified(secret, request)
    assert body["type"] == "project.created"
    assert body["aggregate_id"] == project_id and body["project_id"] == project_id
    assert body["sequence"] == 1 and body["version"] == 1
    assert body["data"]["slug"] == "signed-one"
    assert body["occurred_at"].endswith("Z")
    assert request.webhook_id == body["id"] and body["id"].startswith("evt_")
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60

    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)
    tampered = dict(request.headers, **{"webhook-id": "evt_other"})
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body, tampered)

    [delivery] = await wait_deliveries(tenant, endpoint["id"], "SUCCEEDED", 1)
    assert delivery["eventId"] == body["id"] and delivery["messageId"] == body["id"]
    assert delivery["attemptCount"] == 1 and delivery["nextAttemptAt"] is None
    assert delivery["lastStatusCode"] == 200
    [attempt] = delivery["attempts"]
    assert attempt["attempt"] == 1 and attempt["statusCode"] == 200 and attempt["succeeded"]
    assert attempt["responseExcerpt"] == "ok" and attempt["durationMs"] >= 0


async def wait_deliveries(
    tenant: Tenant, endpoint_id: str, status: str, count: int, within: float = 20
) -> list[Any]:
    """Delivery state is written after the receiver answered: poll the API (bounded)."""
    import asyncio

    deadline = time.monotonic() + within
    while True:
        found = await deliveries(tenant, endpoint_id, status)
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"only {len(found)} {status} deliveries"
        await asyncio.sleep(0.05)


def test_stale_timestamp_is_rejected_by_receivers() -> None:
    """Receivers reject a replayed message: the timestamp is signed and checked for age."""
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"id":"evt_1"}'
    fresh = int(time.time())
    headers = {
        "webhook-id": "evt_1",
        "webhook-timestamp": str(fresh),
        "webhook-signature": sign(secret, "evt_1", fresh, body),
    }
    assert Webhook(secret).verify(body, headers) == {"id": "evt_1"}
    stale = fresh - 600
    headers.update(
        {"webhook-timestamp": str(stale), "webhook-signature": sign(secret, "evt_1", stale, body)}
    )
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, headers)


async def test_filters_by_type_and_project(
    tenant: Tenant, receiver: Receiver, worker: EventWorker
) -> None:
    first = await create_project(tenant, "filter-first")
    async with running_receiver() as jobs_only, running_receiver() as first_only:
        everything, _ = await create_endpoint(tenant, receiver.url)
        jobs, _ = await create_endpoint(tenant, jobs_only.url, eventTypes=["job.*"])
        only_first, _ = await create_endpoint(
            tenant, first_only.url, eventTypes=["*.updated"], projectIds=[first]
        )
        second = await create_project(tenant, "filter-second")
        await rename_project(tenant, second, "Second")
        await rename_project(tenant, first, "First")
        # The catch-all endpoint hears all three events; by then every delivery exists.
        got = await receiver.wait_for(
            lambda r: (
                {x.json["type"] for x in r} >= {"project.created", "project.updated"}
                and len([x for x in r if x.json["type"] == "project.updated"]) == 2
            )
        )
        projects = {r.json["aggregate_id"] for r in got if r.json["type"].startswith("project.")}
        assert projects == {first, second}
        (request,) = await first_only.wait_count(1)
        assert request.json["aggregate_id"] == first and request.json["type"] == "project.updated"
        assert await deliveries(tenant, jobs["id"]) == []
        assert len(await deliveries(tenant, only_first["id"])) == 1
        assert everything["eventTypes"] == ["*"]


BAD_INPUTS = [
    ({"url": "ftp://example.com/hook"}, "url", "INVALID"),
    ({"url": "https://user:pw@example.com/hook"}, "url", "INVALID"),
    ({"url": "https:///nohost"}, "url", "INVALID"),
    ({"url": "https://example.com/" + "a" * 2000}, "url", "INVALID"),
    ({"eventTypes": []}, "eventTypes", "REQUIRED"),
    ({"eventTypes": ["Project.Created"]}, "eventTypes", "INVALID"),
    ({"eventTypes": ["job.**"]}, "eventTypes", "INVALID"),
    ({"eventTypes": [f"t{i}" for i in range(51)]}, "eventTypes", "TOO_LONG"),
    ({"eventVersion": 2}, "eventVersion", "INVALID"),
    ({"rateLimit": 0}, "rateLimit", "OUT_OF_RANGE"),
    ({"retrySchedule": []}, "retrySchedule", "OUT_OF_RANGE"),
    ({"retrySchedule": [-1]}, "retrySchedule", "OUT_OF_RANGE"),
    ({"projectIds": []}, "projectIds", "OUT_OF_RANGE"),
    ({"description": "d" * 1001}, "description", "TOO_LONG"),
    ({"subscriptionQuery": "subscription {"}, "subscriptionQuery", "INVALID"),
    ({"subscriptionQuery": "query { events { nodes { id } } }"}, "subscriptionQuery", "INVALID"),
    (
        {"subscriptionQuery": 'subscription { job(id: "x") { status } }'},
        "subscriptionQuery",
        "INVALID",
    ),
    (
        {"subscriptionQuery": 'subscription { events(types: ["a"]) { id } }'},
        "subscriptionQuery",
        "INVALID",
    ),
    ({"subscriptionQuery": "subscription { events { nope } }"}, "subscriptionQuery", "INVALID"),
    (
        {"subscriptionQuery": "subscription($t: [String!]) { events { id } }"},
        "subscriptionQuery",
        "INVALID",
    ),
]


@pytest.mark.parametrize(("extra", "field", "code"), BAD_INPUTS)
async def test_create_rejects_bad_input(
    tenant: Tenant, extra: dict[str, Any], field: str, code: str
) -> None:
    variables = {"input": {"url": "https://hooks.example.com/x", **extra}}
    payload = (await tenant.gql(CREATE, variables)).ok()["createWebhookEndpoint"]
    assert payload["webhookEndpoint"] is None and payload["secret"] is None
    assert (["input", field], code) in [
        (e["field"][:2], e["code"]) for e in payload["userErrors"]
    ], payload["userErrors"]
    listed = (await tenant.gql("{ webhookEndpoints { nodes { id } } }")).ok()
    assert listed["webhookEndpoints"]["nodes"] == []


async def test_endpoints_are_private_to_the_org_and_need_scopes(
    tenant: Tenant, make_tenant: Any
) -> None:
    endpoint, _ = await create_endpoint(tenant, "https://hooks.example.com/a")
    other = await make_tenant()
    foreign_project = await create_project(other, "foreign-project")

    bad = (
        await tenant.gql(
            CREATE, {"input": {"url": "https://h.example.com", "projectIds": [foreign_project]}}
        )
    ).ok()["createWebhookEndpoint"]
    assert bad["userErrors"][0]["code"] == "NOT_FOUND"
    assert bad["userErrors"][0]["field"] == ["input", "projectIds", "0"]

    seen = await other.gql(
        "query($id: ID!) { webhookEndpoint(id: $id) { id } node(id: $id) { id } }",
        {"id": endpoint["id"]},
    )
    assert seen.ok() == {"webhookEndpoint": None, "node": None}
    changed = await other.gql(UPDATE, {"input": {"id": endpoint["id"], "url": "https://x.io"}})
    assert changed.ok()["updateWebhookEndpoint"]["userErrors"][0]["code"] == "NOT_FOUND"

    reader = await tenant.key(Scope.WEBHOOKS_READ)
    denied = await tenant.gql(CREATE, {"input": {"url": "https://x.example.com"}}, token=reader)
    assert denied.codes == ["UNAUTHORIZED_SCOPE"]
    listed = await tenant.gql("{ webhookEndpoints { nodes { id } } }", token=reader)
    assert [n["id"] for n in listed.ok()["webhookEndpoints"]["nodes"]] == [endpoint["id"]]
    nobody = await tenant.key(Scope.PROJECTS_READ)
    assert (await tenant.gql("{ webhookEndpoints { nodes { id } } }", token=nobody)).codes == [
        "UNAUTHORIZED_SCOPE"
    ]

    project = await create_project(tenant, "limited-project")
    limited = await tenant.key(Scope.WEBHOOKS_READ, Scope.WEBHOOKS_WRITE, project_ids=[project])
    forbidden = await tenant.gql(
        CREATE, {"input": {"url": "https://x.example.com", "projectIds": [project]}}, token=limited
    )
    assert forbidden.codes == ["FORBIDDEN"]
    hidden = await tenant.gql("{ webhookEndpoints { nodes { id } } }", token=limited)
    assert hidden.ok()["webhookEndpoints"]["nodes"] == []


async def test_secret_stays_out_of_events_and_reads(tenant: Tenant) -> None:
    endpoint, secret = await create_endpoint(tenant, "https://hooks.example.com/secret")
    events = (
        await tenant.gql(
            '{ events(filter: {types: ["webhook_endpoint.*"]}) { nodes { type aggregateId data } } }'
        )
    ).ok()["events"]["nodes"]
    created = [e for e in events if e["aggregateId"] == endpoint["id"]]
    assert [e["type"] for e in created] == ["webhook_endpoint.created"]
    assert secret not in str(created) and "secret" not in created[0]["data"]
    assert created[0]["data"]["url"] == "https://hooks.example.com/secret"


async def test_update_enable_disable_and_delete(tenant: Tenant) -> None:
    endpoint, _ = await create_endpoint(tenant, "https://hooks.example.com/u")
    updated = (
        await tenant.gql(
            UPDATE,
            {
                "input": {
                    "id": endpoint["id"],
                    "enabled": False,
                    "eventTypes": ["job.completed", "job.*", "job.*"],
                    "rateLimit": 5,
                    "retrySchedule": [1, 2],
                }
            },
        )
    ).ok()["updateWebhookEndpoint"]
    assert updated["userErrors"] == []
    row = updated["webhookEndpoint"]
    assert row["enabled"] is False and row["disabledReason"] == "Disabled by a user."
    assert row["eventTypes"] == ["job.*", "job.completed"]
    assert row["rateLimit"] == 5 and row["retrySchedule"] == [1.0, 2.0]
    assert row["version"] == endpoint["version"] + 1
    cleared = (
        await tenant.gql(
            UPDATE, {"input": {"id": endpoint["id"], "enabled": True, "rateLimit": None}}
        )
    ).ok()["updateWebhookEndpoint"]["webhookEndpoint"]
    assert cleared["enabled"] is True and cleared["disabledReason"] is None
    assert cleared["rateLimit"] is None
    null_url = (await tenant.gql(UPDATE, {"input": {"id": endpoint["id"], "url": None}})).ok()
    assert null_url["updateWebhookEndpoint"]["userErrors"][0]["code"] == "REQUIRED"

    deleted = (
        await tenant.gql(
            "mutation($id: ID!) { deleteWebhookEndpoint(input: {id: $id}) { deletedId "
            "userErrors { code } } }",
            {"id": endpoint["id"]},
        )
    ).ok()["deleteWebhookEndpoint"]
    assert deleted == {"deletedId": endpoint["id"], "userErrors": []}
    gone = await tenant.gql("query($id: ID!) { node(id: $id) { id } }", {"id": endpoint["id"]})
    assert gone.ok()["node"] is None


async def test_secret_rotation_signs_with_both_during_grace(
    tenant: Tenant, receiver: Receiver, worker: EventWorker
) -> None:
    endpoint, old = await create_endpoint(tenant, receiver.url, eventTypes=["project.created"])
    rotate = """
    mutation($id: ID!, $grace: Int) {
      rotateWebhookSecret(input: {id: $id, gracePeriodSeconds: $grace}) {
        secret webhookEndpoint { previousSecretExpiresAt } userErrors { field code }
      }
    }"""
    rotated = (await tenant.gql(rotate, {"id": endpoint["id"]})).ok()["rotateWebhookSecret"]
    new = rotated["secret"]
    assert new.startswith("whsec_") and new != old
    expires = datetime.fromisoformat(rotated["webhookEndpoint"]["previousSecretExpiresAt"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)

    await create_project(tenant, "rotation-one")
    (request,) = await receiver.wait_count(1)
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verified(old, request) == verified(new, request)

    final = (await tenant.gql(rotate, {"id": endpoint["id"], "grace": 0})).ok()
    newest = final["rotateWebhookSecret"]["secret"]
    await create_project(tenant, "rotation-two")
    _, second = await receiver.wait_count(2)
    assert len(second.headers["webhook-signature"].split(" ")) == 1
    assert verified(newest, second)["data"]["slug"] == "rotation-two"
    for stale in (old, new):
        with pytest.raises(WebhookVerificationError):
            verified(stale, second)

    too_long = (await tenant.gql(rotate, {"id": endpoint["id"], "grace": 8 * 86400})).ok()
    assert too_long["rotateWebhookSecret"]["userErrors"] == [
        {"field": ["input", "gracePeriodSeconds"], "code": "OUT_OF_RANGE"}
    ]


SEND_TEST = """
mutation($id: ID!) {
  sendTestWebhook(input: {endpointId: $id}) {
    delivery { id status isTest eventType attemptCount }
    attempt { attempt statusCode succeeded responseExcerpt error }
    userErrors { field code }
  }
}"""


async def test_send_test_webhook_reports_the_attempt(tenant: Tenant) -> None:
    async with running_receiver() as good, running_receiver(always(500, b"x" * 5000)) as bad:
        endpoint, secret = await create_endpoint(tenant, good.url, enabled=False)
        result = (await tenant.gql(SEND_TEST, {"id": endpoint["id"]})).ok()["sendTestWebhook"]
        assert result["attempt"] == {
            "attempt": 1,
            "statusCode": 200,
            "succeeded": True,
            "responseExcerpt": "ok",
            "error": None,
        }
        assert result["delivery"]["status"] == "SUCCEEDED" and result["delivery"]["isTest"]
        (request,) = good.requests
        body = verified(secret, request)
        assert body["type"] == "webhook.test" and body["data"]["endpoint_id"] == endpoint["id"]

        failing, _ = await create_endpoint(tenant, bad.url)
        result = (await tenant.gql(SEND_TEST, {"id": failing["id"]})).ok()["sendTestWebhook"]
        attempt = result["attempt"]
        assert attempt["statusCode"] == 500 and attempt["succeeded"] is False
        assert attempt["responseExcerpt"] == "x" * 1024
        assert result["delivery"]["status"] == "DEAD"
        assert len(bad.requests) == 1

    unknown = (await tenant.gql(SEND_TEST, {"id": "whk_01HZZZZZZZZZZZZZZZZZZZZZZZ"})).ok()
    assert unknown["sendTestWebhook"]["userErrors"] == [
        {"field": ["input", "endpointId"], "code": "NOT_FOUND"}
    ]


async def test_unreachable_receiver_is_recorded(tenant: Tenant) -> None:
    async with running_receiver() as gone:
        url = gone.url
    endpoint, _ = await create_endpoint(tenant, url)
    result = (await tenant.gql(SEND_TEST, {"id": endpoint["id"]})).ok()["sendTestWebhook"]
    assert result["attempt"]["statusCode"] is None
    assert "Connect" in result["attempt"]["error"]
