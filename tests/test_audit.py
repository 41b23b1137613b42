"""The audit trail: a record for every call, secrets kept out, queryable on both transports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlmodel import col

from app.audit.redaction import REDACTED, redact, scrub
from app.auth.scopes import Scope
from app.clock import isoformat, utcnow
from app.models import AuditRecord, Event
from tests.api_client import Api
from tests.conftest import Tenant

pytest_plugins = ["tests.events_fixtures"]

PROJECTS = "query { projects(first: 5) { nodes { id } } }"
CREATE_PROJECT = """
mutation($slug: String!) {
  createProject(input: {slug: $slug, name: "Audited"}) { project { id } userErrors { code } }
}"""
AUDIT_LOG = """
query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    nodes {
      id requestId correlationId traceparent occurredAt credentialId keyId clientId userId orgId
      projectId clientIp transport method path operationType operationName operation rootFields
      arguments status errorCodes cost durationMs
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def flushed(tenant: Tenant) -> None:
    await tenant.services.auditor.writer.flush()


async def audit_log(tenant: Tenant, token: str | None = None, **filter: Any) -> list[Any]:
    await flushed(tenant)
    result = await tenant.gql(AUDIT_LOG, {"filter": filter, "first": 100}, token=token)
    nodes: list[Any] = result.ok()["auditLog"]["nodes"]
    return nodes


async def stored(tenant: Tenant, request_id: str) -> list[AuditRecord]:
    """Rows as stored, whatever their organisation (the operator's view)."""
    await flushed(tenant)
    async with tenant.services.db.reading() as session:
        query = select(AuditRecord).where(col(AuditRecord.request_id) == request_id)
        return list((await session.execute(query)).scalars())


async def records_of(tenant: Tenant, request_id: str) -> list[Any]:
    return await audit_log(tenant, requestId=request_id)


async def test_every_call_is_recorded_on_both_transports(api: Api) -> None:
    tenant = api.tenant
    reader = await tenant.key(Scope.PROJECTS_READ, Scope.PROJECTS_WRITE)
    key_id = await key_id_of(tenant, reader)
    created = await api.create("projects", {"slug": "audited-one", "name": "A"}, token=reader)
    project_id = created.ok()["id"]
    await api.list("projects", token=reader, limit=5)
    missing = await api.get("projects", "prj_01HZZZZZZZZZZZZZZZZZZZZZZZ", token=reader)
    assert missing.error == "NOT_FOUND"

    nodes = await audit_log(tenant, keyId=key_id)
    fields = [n["rootFields"] for n in nodes]
    assert fields == [["project"], ["projects"], ["createProject"], ["viewer"]]
    if api.transport == "rest":  # REST's own documents' names are not the caller's
        assert [n["operation"] for n in nodes[:3]] == ["project", "projects", "createProject"]
    transport = "GRAPHQL" if api.transport == "graphql" else "REST"
    for node in nodes[:3]:
        assert node["id"].startswith("aud_") and node["requestId"].startswith("req_")
        assert node["keyId"] == key_id == node["credentialId"]
        assert node["orgId"] == tenant.org_id and node["transport"] == transport
        assert node["clientIp"] == "127.0.0.1" and node["durationMs"] >= 0
    got, listed, made, _ = nodes
    assert made["operationType"] == "mutation" and made["rootFields"] == ["createProject"]
    assert made["arguments"]["createProject"]["input"]["slug"] == "audited-one"
    assert made["projectId"] is None and made["errorCodes"] == []
    assert listed["operationType"] == "query" and listed["status"] == 200
    # GraphQL answers a missing object with null, REST with 404 NOT_FOUND.
    assert got["errorCodes"] == (["NOT_FOUND"] if api.transport == "rest" else [])
    assert got["status"] == (404 if api.transport == "rest" else 200)
    if api.transport == "rest":
        assert (made["method"], made["path"], made["status"]) == ("POST", "/v1/projects", 201)
        assert listed["path"] == "/v1/projects" and listed["method"] == "GET"
    else:
        assert made["path"] == "/graphql" and made["method"] == "POST"
    assert project_id.startswith("prj_")


async def key_id_of(tenant: Tenant, token: str) -> str:
    data = (await tenant.gql("query { viewer { credentialId } }", token=token)).ok()
    return str(data["viewer"]["credentialId"])


async def test_refused_calls_are_recorded(tenant: Tenant, http: httpx.AsyncClient) -> None:
    reader = await tenant.key(Scope.PROJECTS_READ)
    key_id = await key_id_of(tenant, reader)
    auth = {"Authorization": f"Bearer {reader}"}
    refusals = [
        await http.post(
            "/graphql", json={"query": CREATE_PROJECT, "variables": {"slug": "nope"}}, headers=auth
        ),
        await http.post("/graphql", content=b"x" * (2 * 1024 * 1024), headers=auth),
        await http.get("/v1/nowhere", headers=auth),
        await http.post(
            "/graphql",
            json={"query": "query { projects(first: 500) { nodes { id } } }"},
            headers=auth,
        ),
        await http.post("/graphql", json={"query": "{ nope }"}, headers=auth),
    ]
    ids = [r.headers["x-request-id"] for r in refusals]
    by_request = {n["requestId"]: n for n in await audit_log(tenant, keyId=key_id)}
    # The body limit refuses before authentication reads the key (DESIGN's request path).
    [too_big] = await stored(tenant, ids.pop(1))
    scope, no_route, too_many, invalid = (by_request[i] for i in ids)
    assert scope["errorCodes"] == ["UNAUTHORIZED_SCOPE"] and scope["operation"] == "createProject"
    assert (too_big.status, too_big.error_codes) == (413, ",PAYLOAD_TOO_LARGE,")
    assert (no_route["status"], no_route["errorCodes"]) == (404, ["NOT_FOUND"])
    assert no_route["transport"] == "REST" and no_route["path"] == "/v1/nowhere"
    assert too_many["errorCodes"] == ["VALIDATION_FAILED"]
    assert invalid["status"] == 400 and invalid["errorCodes"] == ["BAD_REQUEST"]

    # No credential (or a bad one): recorded without an organisation, for the operator.
    anonymous = await http.post("/graphql", json={"query": PROJECTS})
    forged = await http.get("/v1/projects", headers={"Authorization": "Bearer rh_live_nope"})
    [first] = await stored(tenant, anonymous.headers["x-request-id"])
    [second] = await stored(tenant, forged.headers["x-request-id"])
    assert (first.status, first.error_codes, first.org_id) == (401, ",UNAUTHENTICATED,", None)
    assert second.status == 401 and second.credential_id is None
    assert "rh_live_nope" not in orjson.dumps(second.model_dump(mode="json")).decode()

    # The console's pages are its own transport, whatever they answer.
    page = await http.get("/console/audit-probe")
    [console] = await stored(tenant, page.headers["x-request-id"])
    assert console.transport == "console" and console.status == page.status_code


async def test_correlation_ids_are_kept_echoed_and_reach_events(tenant: Tenant) -> None:
    trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = await tenant.http.post(
        "/graphql",
        json={"query": CREATE_PROJECT, "variables": {"slug": "correlated"}},
        headers={
            "Authorization": f"Bearer {tenant.token}",
            "X-Request-Id": "caller-42",
            "traceparent": trace,
        },
    )
    request_id = response.headers["x-request-id"]
    assert request_id.startswith("req_") and response.headers["x-correlation-id"] == "caller-42"
    [record] = await records_of(tenant, request_id)
    assert (record["correlationId"], record["traceparent"]) == ("caller-42", trace)
    assert [r["id"] for r in await audit_log(tenant, requestId="caller-42")] == [record["id"]]
    project_id = response.json()["data"]["createProject"]["project"]["id"]
    async with tenant.services.db.reading() as session:
        event = (
            await session.execute(select(Event).where(col(Event.aggregate_id) == project_id))
        ).scalar_one()
    assert event.request_id == request_id

    # Unprintable or overlong ids, malformed trace context: ignored, never echoed.
    odd = await tenant.http.post(
        "/graphql",
        json={"query": PROJECTS},
        headers={
            "Authorization": f"Bearer {tenant.token}",
            "X-Correlation-Id": "x" * 129,
            "traceparent": "not-a-trace",
        },
    )
    assert "x-correlation-id" not in odd.headers
    [plain] = await records_of(tenant, odd.headers["x-request-id"])
    assert plain["correlationId"] is None and plain["traceparent"] is None


async def test_audit_log_filters_scope_and_pages(
    tenant: Tenant, make_tenant: Any, http: httpx.AsyncClient
) -> None:
    project = (await tenant.gql(CREATE_PROJECT, {"slug": "limited-audit"})).ok()
    project_id = project["createProject"]["project"]["id"]
    caller = await tenant.key(Scope.PROJECTS_READ)
    caller_id = await key_id_of(tenant, caller)
    for _ in range(3):
        await tenant.gql(PROJECTS, token=caller)
    await tenant.gql(
        "query($id: ID!) { project(id: $id) { id } }", {"id": project_id}, token=caller
    )
    await http.get("/v1/projects?limit=1", headers={"Authorization": f"Bearer {caller}"})

    mine = await audit_log(tenant, keyId=caller_id)
    assert len(mine) == 6  # five calls, and the viewer lookup of key_id_of
    assert [n["occurredAt"] for n in mine] == sorted((n["occurredAt"] for n in mine), reverse=True)
    assert {n["transport"] for n in await audit_log(tenant, keyId=caller_id, transport="REST")} == {
        "REST"
    }
    assert len(await audit_log(tenant, keyId=caller_id, operation="projects")) == 4
    assert len(await audit_log(tenant, keyId=caller_id, path="/v1/proj")) == 1
    assert await audit_log(tenant, keyId=caller_id, status=404) == []
    assert await audit_log(tenant, keyId=caller_id, errorCode="not a code") == []
    later = isoformat(utcnow() + timedelta(minutes=1))
    assert await audit_log(tenant, keyId=caller_id, **{"from": later}) == []
    assert len(await audit_log(tenant, keyId=caller_id, to=later)) == 6

    # Pages: newest first, keyset cursors.
    page = (await tenant.gql(AUDIT_LOG, {"filter": {"keyId": caller_id}, "first": 4})).ok()
    rest = (
        await tenant.gql(
            AUDIT_LOG,
            {
                "filter": {"keyId": caller_id},
                "first": 4,
                "after": page["auditLog"]["pageInfo"]["endCursor"],
            },
        )
    ).ok()
    ids = [n["id"] for n in page["auditLog"]["nodes"] + rest["auditLog"]["nodes"]]
    assert ids == [n["id"] for n in mine]

    # REST: the same log, the same filters.
    listed = await http.get(
        "/v1/audit_log",
        params={"key_id": caller_id, "transport": "rest", "limit": 10},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert listed.status_code == 200, listed.text
    assert [r["path"] for r in listed.json()["data"]] == ["/v1/projects"]

    # Scope, organisation and projects.
    no_scope = await tenant.gql(AUDIT_LOG, {"first": 1}, token=caller)
    assert no_scope.codes == ["UNAUTHORIZED_SCOPE"]
    other = await make_tenant()
    assert await audit_log(other, keyId=caller_id) == []
    # Limited to the project: the calls that named it, not who made them (other keys are not
    # for it to know).
    limited = await tenant.key(Scope.AUDIT_READ, project_ids=[project_id])
    assert await audit_log(tenant, token=limited, keyId=caller_id) == []
    seen = await audit_log(tenant, token=limited)
    assert {n["projectId"] for n in seen} == {project_id}
    [read] = [n for n in seen if n["rootFields"] == ["project"]]
    assert read["keyId"] is None and read["credentialId"] is None


async def test_secrets_never_reach_records_or_logs(
    tenant: Tenant, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    from app.logs import JsonFormatter

    caplog.set_level("INFO")
    created = await tenant.gql(
        """mutation { createApiKey(input: {name: "leaky", scopes: ["projects:read"]}) {
             secret apiKey { id } userErrors { code } } }"""
    )
    key_secret = created.ok()["createApiKey"]["secret"]
    endpoint = await tenant.gql(
        """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
             secret webhookEndpoint { id } userErrors { code } } }""",
        {"input": {"url": "http://127.0.0.1:9/hook", "eventTypes": ["project.*"]}},
    )
    payload = endpoint.ok()["createWebhookEndpoint"]
    rotated = await tenant.gql(
        """mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret userErrors { code } } }""",
        {"id": payload["webhookEndpoint"]["id"]},
    )
    secrets = [key_secret, payload["secret"], rotated.ok()["rotateWebhookSecret"]["secret"]]
    # The secrets come back as arguments too: in variables, literals, headers and paths.
    await tenant.gql(
        "query($q: String) { projects(first: 1, filter: {slug: $q}) { nodes { id } } }",
        {"q": key_secret},
    )
    await tenant.gql(
        f'query {{ projects(first: 1, filter: {{slug: "{secrets[1]}"}}) {{ nodes {{ id }} }} }}'
    )
    await http.get(
        f"/v1/projects?slug={secrets[2]}", headers={"Authorization": f"Bearer {key_secret}"}
    )
    # A key pasted where an id goes: the operation's name, the correlation id, the path.
    await http.post(
        "/graphql",
        json={"query": f"query {key_secret} {{ viewer {{ credentialId }} }}"},
        headers={"Authorization": f"Bearer {tenant.token}", "X-Correlation-Id": key_secret},
    )
    await http.get(
        f"/v1/projects/{key_secret}", headers={"Authorization": f"Bearer {tenant.token}"}
    )
    await tenant.gql(
        """mutation { createUser(input: {email: "pw@studio.example", name: "P", role: MEMBER,
             password: "hunter2-hunter2"}) { userErrors { code } } }"""
    )
    secrets.append("hunter2-hunter2")
    await flushed(tenant)
    async with tenant.services.db.reading() as session:
        rows = (
            await session.execute(
                select(AuditRecord).where(
                    (col(AuditRecord.org_id) == tenant.org_id) | col(AuditRecord.org_id).is_(None)
                )
            )
        ).scalars()
        stored = orjson.dumps([r.model_dump(mode="json") for r in rows]).decode()
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(r) for r in caplog.records)
    assert "reelhouse.access" in logged and REDACTED in stored
    for secret in secrets:
        assert secret not in stored and secret not in logged


def test_redaction_rules() -> None:
    jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    assert redact({"password": "x", "clientSecret": "y", "errorCode": "NOT_FOUND"}) == {
        "password": REDACTED,
        "clientSecret": REDACTED,
        "errorCode": "NOT_FOUND",
    }
    text = scrub(f"see rh_test_{'a' * 38} and Bearer {jwt} and whsec_QUJDREVGR0g=")
    assert "rh_test_" not in text and "eyJ" not in text and "whsec_Q" not in text
    assert scrub("rhcs_abcdefghijklmnop rhrt_abcdefghijklmnop").count(REDACTED) == 2
    assert scrub("4qA0-Zt9_mXcP2vLr8yBnE6kJ1sD3fGhW5uQ7iO0aTc") == REDACTED  # token_urlsafe(32)
    assert scrub("prj_01HZZZZZZZZZZZZZZZZZZZZZZZ") == "prj_01HZZZZZZZZZZZZZZZZZZZZZZZ"
    long = redact({"items": list(range(50)), "text": "x" * 5000})
    assert len(long["items"]) == 21 and len(long["text"]) < 600


async def test_mutation_record_is_committed_with_its_writes(tenant: Tenant) -> None:
    """Written inside the mutation's transaction: the row exists before any batch runs."""
    response = await tenant.http.post(
        "/graphql",
        json={"query": CREATE_PROJECT, "variables": {"slug": "same-transaction"}},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    request_id = response.headers["x-request-id"]
    async with tenant.services.db.reading() as session:
        row = (
            await session.execute(
                select(AuditRecord).where(col(AuditRecord.request_id) == request_id)
            )
        ).scalar_one_or_none()
    assert row is not None and row.operation == "createProject"
    await flushed(tenant)
    [final] = await records_of(tenant, request_id)
    assert final["status"] == 200 and final["id"] == row.id


async def test_retention_deletes_old_records(tenant: Tenant, backend: Any) -> None:
    from app.audit.retention import AuditRetention
    from app.background import WorkerServices

    response = await tenant.http.post(
        "/graphql", json={"query": PROJECTS}, headers={"Authorization": f"Bearer {tenant.token}"}
    )
    [old] = await records_of(tenant, response.headers["x-request-id"])
    fresh = await tenant.http.post(
        "/graphql", json={"query": PROJECTS}, headers={"Authorization": f"Bearer {tenant.token}"}
    )
    await flushed(tenant)
    async with tenant.services.db.writing() as session:
        await session.execute(
            update(AuditRecord)
            .where(col(AuditRecord.id) == old["id"])
            .values(occurred_at=utcnow() - timedelta(days=91))
        )
    services = tenant.services
    loop = AuditRetention(
        WorkerServices(services.db, services.bus, backend.settings, services.storage)
    )
    assert await loop.sweep() >= 1
    assert await records_of(tenant, response.headers["x-request-id"]) == []
    assert len(await records_of(tenant, fresh.headers["x-request-id"])) == 1


async def test_metrics(tenant: Tenant, http: httpx.AsyncClient, backend: Any) -> None:
    await tenant.gql(PROJECTS)
    text = (await http.get("/metrics")).text
    for name in (
        "reelhouse_requests_total",
        "reelhouse_request_duration_seconds_bucket",
        "reelhouse_audit_buffer_depth",
        "reelhouse_webhook_deliveries_pending",
        "reelhouse_webhook_most_overdue_seconds",
        "reelhouse_events_undispatched",
        "reelhouse_subscriptions_open",
        "reelhouse_db_connections_in_use",
    ):
        assert name in text, name
    assert 'reelhouse_requests_total{operation="query",status="200",transport="graphql"}' in text

    from app.factory import create_app
    from tests.lifespan import lifespan

    guarded = create_app(
        backend.settings.model_copy(update={"metrics_token": SecretStr("s3cret-metrics")})
    )
    async with lifespan(guarded):
        transport = httpx.ASGITransport(app=guarded)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/metrics")).status_code == 401
            ok = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})
            assert ok.status_code == 200
    await guarded.services.db.dispose()


async def test_websocket_connections_and_subscriptions_are_recorded(
    tenant: Tenant, server: str
) -> None:
    from tests.events_fixtures import GraphQLSocket

    watcher = await tenant.key(Scope.EVENTS_READ)
    watcher_id = await key_id_of(tenant, watcher)
    async with GraphQLSocket.connect(server) as socket:
        assert await socket.init(watcher) == {"type": "connection_ack"}
        await socket.subscribe("1", 'subscription { events(types: ["project.*"]) { id } }')
        await socket.until_pong()
        await socket.send({"id": "1", "type": "complete"})
        await socket.subscribe("2", "subscription { job(id: $nope) { jobId } }")
        assert (await socket.receive())["type"] == "error"
        await socket.until_pong()
    async with GraphQLSocket.connect(server) as refused:
        await refused.send(
            {"type": "connection_init", "payload": {"Authorization": "Bearer rh_live_wrong"}}
        )
        assert await refused.closed_with() == 4403

    async def settled() -> list[Any]:
        nodes = await audit_log(tenant, keyId=watcher_id, transport="WEBSOCKET")
        return nodes if len(nodes) == 3 and all(n["durationMs"] > 0 for n in nodes) else []

    from tests.events_fixtures import eventually

    nodes = await eventually(settled)
    [connection] = [n for n in nodes if n["method"] == "GET"]
    subscriptions = [n for n in nodes if n["method"] is None]
    assert connection["status"] == 101 and connection["path"] == "/graphql"
    assert {n["requestId"] for n in nodes} == {connection["requestId"]}
    ok, failed = sorted(subscriptions, key=lambda n: n["occurredAt"])
    assert (ok["operationType"], ok["rootFields"], ok["status"]) == (
        "subscription",
        ["events"],
        200,
    )
    assert ok["arguments"] == {"events": {"types": ["project.*"]}}
    assert (failed["status"], failed["errorCodes"]) == (422, ["VALIDATION_FAILED"])
    assert failed["id"] != ok["id"] != connection["id"]


async def test_oauth_calls_and_sign_in_are_recorded_without_secrets(
    tenant: Tenant, live: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from app.logs import JsonFormatter
    from tests.identity_fixtures import PASSWORD, add_client, add_user, signed_in_browser

    caplog.set_level("INFO")
    client = await add_client(tenant)
    assert client.secret is not None
    user = await add_user(tenant)
    browser = await signed_in_browser(live, user.email)
    await browser.http.aclose()
    async with httpx.AsyncClient(base_url=live.url) as http:
        issued = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "projects:read"},
            auth=(client.id, client.secret),
        )
        access = issued.json()["access_token"]
        used = await http.post(
            "/graphql", json={"query": PROJECTS}, headers={"Authorization": f"Bearer {access}"}
        )
        refused = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_secret": client.secret[:-2] + "xx"},
            params={"client_id": client.id},
        )
    assert used.status_code == 200 and refused.status_code in (400, 401)
    await live.app.services.auditor.writer.flush()
    nodes = {n["requestId"]: n for n in await audit_log(tenant, clientId=client.id)}
    token_call = nodes[issued.headers["x-request-id"]]
    assert (token_call["transport"], token_call["path"], token_call["status"]) == (
        "OAUTH",
        "/oauth/token",
        200,
    )
    assert token_call["arguments"] == {"grant_type": "client_credentials", "scope": "projects:read"}
    graphql_call = nodes[used.headers["x-request-id"]]
    assert graphql_call["credentialId"] == client.id and graphql_call["keyId"] is None
    [failed] = await stored(tenant, refused.headers["x-request-id"])
    assert failed.error_codes == ",INVALID_CLIENT," and failed.transport == "oauth"
    async with tenant.services.db.reading() as session:
        rows = (
            await session.execute(select(AuditRecord).where(col(AuditRecord.transport) == "oauth"))
        ).scalars()
        everything = orjson.dumps([r.model_dump(mode="json") for r in rows]).decode()
    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for secret in (client.secret, access, PASSWORD, client.secret[:-2] + "xx"):
        assert secret not in everything and secret not in logged


async def test_text_the_store_cannot_keep_is_recorded_replaced(tenant: Tenant) -> None:
    """A call refused for NUL characters still gets its record (NUL replaced), on both
    backends, and the next calls' records are not held up by it."""
    response = await tenant.http.post(
        "/graphql",
        json={
            "query": "query($s: String) { projects(first: 1, filter: {slug: $s}) { nodes { id } } }",
            "variables": {"s": "a\x00b"},
        },
        headers={"Authorization": f"Bearer {tenant.token}", "X-Correlation-Id": "nul-call"},
    )
    after = await tenant.http.post(
        "/graphql", json={"query": PROJECTS}, headers={"Authorization": f"Bearer {tenant.token}"}
    )
    [record] = await records_of(tenant, response.headers["x-request-id"])
    assert record["errorCodes"] == ["VALIDATION_FAILED"]
    assert record["arguments"]["projects"]["filter"]["slug"] == "a\ufffdb"
    assert len(await records_of(tenant, after.headers["x-request-id"])) == 1
