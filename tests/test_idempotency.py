"""Idempotency keys (DESIGN.md, "Idempotency") on both transports and both backends: a repeat
gets the first answer byte for byte, a concurrent repeat 409, another request under the key
422, a malformed key 400; nothing is stored for requests refused before execution, keys belong
to one organisation, and expired keys are swept."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlmodel import col

from app.background import WorkerServices
from app.clock import utcnow
from app.idempotency.expiry import IdempotencyExpiry
from app.models import IdempotencyKey, Job
from app.settings import Settings
from tests.conftest import Tenant

SUBMIT = (
    "mutation Submit($input: SubmitJobInput!) { submitJob(input: $input) "
    "{ job { id status kind } userErrors { code field message } } }"
)
PROJECT = 'mutation { createProject(input: {slug: "%s", name: "P"}) { project { id } } }'


async def new_project(tenant: Tenant, slug: str) -> str:
    project_id: str = (await tenant.gql(PROJECT % slug)).ok()["createProject"]["project"]["id"]
    return project_id


async def submit(
    tenant: Tenant,
    transport: str,
    project_id: str,
    key: str | None,
    *,
    kind: str = "generate",
    token: str | None = None,
    body: Any = None,
) -> httpx.Response:
    """``submitJob`` as the transport carries it; ``body`` replaces the REST body or the
    GraphQL variables' input."""
    headers = {"Authorization": f"Bearer {token or tenant.token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    if transport == "rest":
        payload = {"kind": kind} if body is None else body
        return await tenant.http.post(
            f"/v1/projects/{project_id}/jobs", json=payload, headers=headers
        )
    job_input = {"projectId": project_id, "kind": kind.upper()} if body is None else body
    return await tenant.http.post(
        "/graphql", json={"query": SUBMIT, "variables": {"input": job_input}}, headers=headers
    )


async def jobs_in(tenant: Tenant, project_id: str) -> int:
    async with tenant.services.db.reading() as session:
        query = select(func.count()).where(col(Job.project_id) == project_id)
        return int((await session.execute(query)).scalar_one())


async def stored_keys(tenant: Tenant) -> list[IdempotencyKey]:
    async with tenant.services.db.reading() as session:
        query = select(IdempotencyKey).where(col(IdempotencyKey.org_id) == tenant.org_id)
        return list((await session.execute(query)).scalars())


def code_of(response: httpx.Response) -> str:
    body = response.json()
    if "error" in body:
        return str(body["error"]["code"])
    return str(body["errors"][0]["extensions"]["code"])


def created(transport: str) -> int:
    return 201 if transport == "rest" else 200


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_a_repeat_gets_the_first_answer_byte_for_byte(tenant: Tenant, transport: str) -> None:
    project = await new_project(tenant, f"idem-repeat-{transport}")
    first = await submit(tenant, transport, project, "order-1")
    assert first.status_code == created(transport), first.text
    assert "idempotent-replayed" not in first.headers
    for _ in range(2):
        again = await submit(tenant, transport, project, "order-1")
        assert again.status_code == first.status_code
        assert again.content == first.content
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers.get("location") == first.headers.get("location")
        # A replay is a request of its own: its own id and the bucket as it is now.
        assert again.headers["x-request-id"] != first.headers["x-request-id"]
        assert "x-ratelimit-remaining" in again.headers
    assert await jobs_in(tenant, project) == 1
    # Without the key, the same request runs again: the key is what makes it a repeat.
    assert (await submit(tenant, transport, project, None)).status_code == created(transport)
    assert await jobs_in(tenant, project) == 2


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_an_answer_that_refused_the_write_is_replayed_too(
    tenant: Tenant, transport: str
) -> None:
    """Execution started and ended in a refusal (an archived project takes no jobs): the
    repeat gets that refusal back, even though the project has been reopened since."""
    project = await new_project(tenant, f"idem-refused-{transport}")
    archive = "mutation($id: ID!) { archiveProject(input: {id: $id}) { userErrors { code } } }"
    assert (await tenant.gql(archive, {"id": project})).ok()
    first = await submit(tenant, transport, project, "refused-1")
    assert first.status_code == (422 if transport == "rest" else 200), first.text
    restore = (
        "mutation($id: ID!) { updateProject(input: {id: $id, status: ACTIVE}) "
        "{ userErrors { code } } }"
    )
    assert (await tenant.gql(restore, {"id": project})).ok()
    again = await submit(tenant, transport, project, "refused-1")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert await jobs_in(tenant, project) == 0


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_the_key_with_another_request_is_refused(tenant: Tenant, transport: str) -> None:
    project = await new_project(tenant, f"idem-reuse-{transport}")
    other = await new_project(tenant, f"idem-reuse-other-{transport}")
    assert (await submit(tenant, transport, project, "k-1")).status_code == created(transport)
    for changed in (
        await submit(tenant, transport, project, "k-1", kind="render"),
        await submit(tenant, transport, other, "k-1"),
    ):
        assert changed.status_code == 422, changed.text
        assert code_of(changed) == "IDEMPOTENCY_KEY_REUSED"
        assert "idempotent-replayed" not in changed.headers
    assert (await jobs_in(tenant, project), await jobs_in(tenant, other)) == (1, 0)


async def test_the_same_request_in_other_words_is_a_repeat(tenant: Tenant) -> None:
    """REST: method + path + body as the body means it (key order and spacing do not count)."""
    project = await new_project(tenant, "idem-words")
    headers = {
        "Authorization": f"Bearer {tenant.token}",
        "Idempotency-Key": "words",
        "Content-Type": "application/json",
    }
    url = f"/v1/projects/{project}/jobs"
    first = await tenant.http.post(
        url, content=b'{"kind":"generate","input":{"a":1}}', headers=headers
    )
    again = await tenant.http.post(
        url, content=b'{ "input": { "a": 1 },\n  "kind": "generate" }', headers=headers
    )
    assert first.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert await jobs_in(tenant, project) == 1


@pytest.mark.parametrize("transport", ["graphql", "rest"])
@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there", "caf\u00e9"])
async def test_a_malformed_key_is_refused_and_runs_nothing(
    tenant: Tenant, transport: str, key: str
) -> None:
    project = await new_project(tenant, f"idem-bad-{transport}-{secrets.token_hex(4)}")
    raw = [
        (b"authorization", f"Bearer {tenant.token}".encode()),
        (b"idempotency-key", key.encode("latin-1")),
    ]
    if transport == "rest":
        response = await tenant.http.post(
            f"/v1/projects/{project}/jobs", json={"kind": "generate"}, headers=raw
        )
    else:
        variables = {"input": {"projectId": project, "kind": "GENERATE"}}
        response = await tenant.http.post(
            "/graphql", json={"query": SUBMIT, "variables": variables}, headers=raw
        )
    assert response.status_code == 400, response.text
    assert code_of(response) == "BAD_REQUEST"
    assert "Idempotency-Key" in response.text
    assert await jobs_in(tenant, project) == 0


async def test_reads_ignore_the_key(tenant: Tenant) -> None:
    """Reads are safe to repeat: the header is not even checked on them."""
    headers = {"Authorization": f"Bearer {tenant.token}", "Idempotency-Key": "x" * 300}
    assert (await tenant.http.get("/v1/projects", headers=headers)).status_code == 200
    query = {"query": "{ projects(first: 1) { nodes { id } } }"}
    answer = await tenant.http.post("/graphql", json=query, headers=headers)
    assert answer.status_code == 200 and "errors" not in answer.json()
    assert await stored_keys(tenant) == []


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_twenty_concurrent_repeats_make_one_job(tenant: Tenant, transport: str) -> None:
    project = await new_project(tenant, f"idem-race-{transport}")
    answers = await asyncio.gather(
        *(submit(tenant, transport, project, "burst") for _ in range(20))
    )
    statuses = sorted(a.status_code for a in answers)
    assert await jobs_in(tenant, project) == 1
    ran = [a for a in answers if "idempotent-replayed" not in a.headers and a.status_code < 300]
    assert len(ran) == 1, statuses
    for answer in answers:
        if answer.status_code == 409:
            assert code_of(answer) == "IDEMPOTENCY_KEY_IN_USE"
        else:
            assert (answer.status_code, answer.content) == (ran[0].status_code, ran[0].content)
    settled = await submit(tenant, transport, project, "burst")
    assert settled.content == ran[0].content and settled.headers["idempotent-replayed"] == "true"
    assert await jobs_in(tenant, project) == 1


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_refused_before_execution_stores_nothing(tenant: Tenant, transport: str) -> None:
    """A request refused by authentication or validation never ran: the same key then runs
    the corrected request."""
    project = await new_project(tenant, f"idem-early-{transport}")
    unknown = await submit(tenant, transport, project, "early", token="rh_live_nope")
    assert unknown.status_code == 401
    invalid_body: Any = (
        {"kind": "sculpt"} if transport == "rest" else {"projectId": project, "kind": "SCULPT"}
    )
    invalid = await submit(tenant, transport, project, "early", body=invalid_body)
    assert invalid.status_code in (400, 422), invalid.text
    assert await stored_keys(tenant) == []
    ran = await submit(tenant, transport, project, "early")
    assert ran.status_code == created(transport) and "idempotent-replayed" not in ran.headers
    assert await jobs_in(tenant, project) == 1


@pytest.mark.parametrize("transport", ["graphql", "rest"])
async def test_keys_belong_to_one_organisation(
    tenant: Tenant, make_tenant: Any, transport: str
) -> None:
    other: Tenant = await make_tenant()
    mine = await new_project(tenant, f"idem-org-{transport}")
    theirs = await new_project(other, f"idem-org-{transport}")
    first = await submit(tenant, transport, mine, "shared-name")
    second = await submit(other, transport, theirs, "shared-name")
    assert first.status_code == second.status_code == created(transport)
    assert "idempotent-replayed" not in second.headers
    assert await jobs_in(tenant, mine) == await jobs_in(other, theirs) == 1


async def test_expired_keys_run_afresh_and_are_swept(tenant: Tenant) -> None:
    project = await new_project(tenant, "idem-expiry")
    assert (await submit(tenant, "rest", project, "old")).status_code == 201
    assert (await submit(tenant, "rest", project, "fresh")).status_code == 201
    async with tenant.services.db.writing() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(col(IdempotencyKey.org_id) == tenant.org_id, col(IdempotencyKey.key) == "old")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    again = await submit(tenant, "rest", project, "old")
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert await jobs_in(tenant, project) == 3

    async with tenant.services.db.writing() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(col(IdempotencyKey.org_id) == tenant.org_id, col(IdempotencyKey.key) == "old")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    services = tenant.services
    loop = IdempotencyExpiry(
        WorkerServices(services.db, services.bus, services.settings, services.storage)
    )
    await loop.run_once()
    assert [k.key for k in await stored_keys(tenant)] == ["fresh"]


def test_a_claim_must_outlast_the_longest_request() -> None:
    """Otherwise a repeat could take over the key of a first request that is still running."""
    with pytest.raises(ValidationError, match="REELHOUSE_IDEMPOTENCY_CLAIM_SECONDS"):
        Settings(idempotency_claim_seconds=20, request_timeout_seconds=30)
    assert Settings(idempotency_claim_seconds=31, request_timeout_seconds=30)


async def test_an_empty_answer_is_replayed_as_204_without_a_body(make_tenant: Any) -> None:
    """A render farm's claim when nothing is queued: 204, and its repeat too (a retried claim
    must not take a job that was queued since)."""
    tenant: Tenant = await make_tenant()
    headers = {"Authorization": f"Bearer {tenant.token}", "Idempotency-Key": "claim-1"}
    body = {"kinds": ["render"]}
    first = await tenant.http.post("/v1/jobs/claim", json=body, headers=headers)
    project = await new_project(tenant, "idem-claim")
    assert (await submit(tenant, "rest", project, None, kind="render")).status_code == 201
    again = await tenant.http.post("/v1/jobs/claim", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (204, 204), again.text
    assert again.headers["idempotent-replayed"] == "true" and again.content == b""
    # RFC 9110: a 204 has no content, so it declares no length either.
    assert "content-length" not in again.headers and "content-type" not in again.headers
