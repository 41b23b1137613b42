"""Work saved with an OAuth access token (a webhook endpoint, an automation) acts later with the
current rights of what the token stood for: its client, and for a user's token the user too
(``app.auth.owners``). It delivers while they stand, stops once the client is revoked or the
user disabled, and never does more than the token itself could."""

from __future__ import annotations

from typing import Any

from app.auth.owners import current_owner, owner_columns
from app.auth.principal import CredentialKind, Principal
from app.auth.scopes import Scope
from app.events.worker import EventWorker
from app.models import Automation, UserRole, WebhookEndpoint
from tests.conftest import Tenant
from tests.events_fixtures import Receiver, eventually
from tests.identity_fixtures import (
    Browser,
    Live,
    add_client,
    add_user,
    authorization_code,
    bearer,
    oauth_client,
)
from tests.test_webhooks import CREATE, create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]

SCOPES = ["webhooks:write", "events:read", "projects:read"]
PAYLOAD = "subscription { events { type aggregateId data } }"
STATE = "query($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason } }"


async def _endpoint_by_token(live: Live, token: str, url: str) -> str:
    answer = await bearer(
        live,
        token,
        CREATE,
        {"input": {"url": url, "eventTypes": ["project.*"], "subscriptionQuery": PAYLOAD}},
    )
    payload = answer.json()["data"]["createWebhookEndpoint"]
    assert payload["userErrors"] == [], answer.text
    endpoint_id: str = payload["webhookEndpoint"]["id"]
    return endpoint_id


async def _disabled(tenant: Tenant, endpoint_id: str) -> dict[str, Any]:
    async def state() -> dict[str, Any] | None:
        found: dict[str, Any] = (await tenant.gql(STATE, {"id": endpoint_id})).ok()[
            "webhookEndpoint"
        ]
        return None if found["enabled"] else found

    disabled: dict[str, Any] = await eventually(state)
    return disabled


async def test_a_client_token_endpoint_delivers_until_the_client_is_revoked(
    tenant: Tenant, live: Live, receiver: Receiver, worker: EventWorker
) -> None:
    client = await add_client(tenant, scopes=SCOPES)
    async with oauth_client(live, client, scope=" ".join(SCOPES)) as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    endpoint_id = await _endpoint_by_token(live, token["access_token"], receiver.url)

    project = await create_project(tenant, "client-owned")
    [request] = await receiver.wait_count(1)
    body = request.json["data"]["events"]
    assert body["type"] == "project.created" and body["aggregateId"] == project

    revoked = await tenant.gql(
        "mutation($id: ID!) { revokeOauthClient(input: {id: $id}) { oauthClient { id } } }",
        {"id": client.id},
    )
    assert revoked.ok()
    await rename_project(tenant, project, "after revocation")
    state = await _disabled(tenant, endpoint_id)
    assert "OAuth client revoked" in state["disabledReason"]
    assert len(receiver.requests) == 1


async def test_a_user_token_endpoint_delivers_until_the_user_is_disabled(
    tenant: Tenant, live: Live, browser: Browser, receiver: Receiver, worker: EventWorker
) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    client = await add_client(tenant, scopes=[*SCOPES, "content:read"])
    token = await authorization_code(live, browser, client, user, scope=" ".join(SCOPES))
    endpoint_id = await _endpoint_by_token(live, token["access_token"], receiver.url)

    project = await create_project(tenant, "user-owned")
    [request] = await receiver.wait_count(1)
    assert request.json["data"]["events"]["aggregateId"] == project

    disabled = await tenant.gql(
        "mutation($id: ID!) { disableUser(input: {id: $id}) { userErrors { code } } }",
        {"id": user.id},
    )
    assert disabled.ok()["disableUser"]["userErrors"] == []
    await rename_project(tenant, project, "after the user left")
    state = await _disabled(tenant, endpoint_id)
    assert "user disabled" in state["disabledReason"]
    assert len(receiver.requests) == 1


def _token_principal(org_id: str, client_id: str, user_id: str | None) -> Principal:
    return Principal(
        credential_id=client_id,
        org_id=org_id,
        scopes=frozenset({Scope.WEBHOOKS_WRITE, Scope.EVENTS_READ, Scope.PROJECTS_READ}),
        project_ids=None,
        credential_kind=CredentialKind.ACCESS_TOKEN,
        client_id=client_id,
        user_id=user_id,
        token_id="jti-1",
    )


async def test_owners_resolve_to_the_token_bounded_by_client_and_user_now(tenant: Tenant) -> None:
    """The client may hold more than the token was granted, the user's role more still: the
    owner is the token's scopes as far as both still allow, with the user's projects."""
    db = tenant.services.db
    project = await create_project(tenant, "owner-projects")
    client = await add_client(tenant, scopes=["admin"])
    user = await add_user(tenant, UserRole.MEMBER, project_ids=[project])
    saved = owner_columns(_token_principal(tenant.org_id, client.id, user.id))
    assert saved["owner_scopes"] == ["events:read", "projects:read", "webhooks:write"]
    endpoint = WebhookEndpoint(org_id=tenant.org_id, url="https://x.example", **saved)

    owner = await current_owner(db, endpoint)
    assert owner is not None and owner.user_id == user.id and owner.client_id == client.id
    assert owner.scopes == {Scope.EVENTS_READ, Scope.PROJECTS_READ}, "members write no webhooks"
    assert owner.project_ids == {project}

    automation = Automation(org_id=tenant.org_id, project_id=project, name="a", **saved)
    assert await current_owner(db, automation) == owner, "one resolver for both"

    machine = WebhookEndpoint(
        org_id=tenant.org_id,
        url="https://x.example",
        **owner_columns(_token_principal(tenant.org_id, client.id, None)),
    )
    alone = await current_owner(db, machine)
    assert alone is not None and alone.project_ids is None
    assert alone.scopes == {Scope.WEBHOOKS_WRITE, Scope.EVENTS_READ, Scope.PROJECTS_READ}

    foreign = WebhookEndpoint(org_id="org_01J00000000000000000000000", url="x", **saved)
    assert await current_owner(db, foreign) is None, "another organisation's owner is no one"


CREATE_AUTOMATION = """
mutation($input: CreateAutomationInput!) {
  createAutomation(input: $input) { automation { id ownerKeyId } userErrors { field code } }
}"""
RUN = """
mutation($id: ID!) { runAutomation(input: {id: $id}) { automationRun { id } userErrors { code } } }
"""
RUN_STATE = "query($id: ID!) { node(id: $id) { ... on AutomationRun { id status error output } } }"


async def finished_run(tenant: Tenant, run_id: str) -> dict[str, Any]:
    """The run once it succeeded or failed."""

    async def run() -> dict[str, Any] | None:
        found: dict[str, Any] = (await tenant.gql(RUN_STATE, {"id": run_id})).ok()["node"]
        return found if found["status"] in ("SUCCEEDED", "FAILED") else None

    done: dict[str, Any] = await eventually(run)
    return done


async def test_an_automation_saved_with_a_token_stops_acting_once_its_client_is_revoked(
    tenant: Tenant, live: Live, receiver: Receiver, worker: EventWorker
) -> None:
    project = await create_project(tenant, "token-automation")
    scopes = ["automations:write", "automations:read", "projects:read"]
    client = await add_client(tenant, scopes=scopes)
    async with oauth_client(live, client, scope=" ".join(scopes)) as oauth:
        token = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    action = {"type": "WEBHOOK", "url": receiver.url, "body": {"run": "{{run.id}}"}}
    answer = await bearer(
        live,
        token["access_token"],
        CREATE_AUTOMATION,
        {
            "input": {
                "projectId": project,
                "name": "Forward",
                "trigger": {"type": "WEBHOOK"},
                "actions": [action],
            }
        },
    )
    created = answer.json()["data"]["createAutomation"]
    assert created["userErrors"] == [], answer.text
    automation = created["automation"]
    assert automation["ownerKeyId"] == client.id

    async def run() -> dict[str, Any]:
        started = (await tenant.gql(RUN, {"id": automation["id"]})).ok()["runAutomation"]
        assert started["userErrors"] == []
        return await finished_run(tenant, started["automationRun"]["id"])

    first = await run()
    assert first["status"] == "SUCCEEDED", first
    [request] = await receiver.wait_count(1)
    assert request.json == {"run": first["id"]}

    revoked = await tenant.gql(
        "mutation($id: ID!) { revokeOauthClient(input: {id: $id}) { oauthClient { id } } }",
        {"id": client.id},
    )
    assert revoked.ok()
    second = await run()
    assert second["status"] == "FAILED" and "no longer stands" in second["error"]
    assert len(receiver.requests) == 1
