"""The Python SDK (sdk/python) against a live server, as a partner uses it: create a project,
page through a list, submit a job through a flaky network (one idempotency key for every
attempt), read typed errors, and verify a real delivered webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
import reelhouse
from reelhouse._client import RetryTransport, retry_delay

from app.events.worker import EventWorker
from app.types import Receive, Scope, Send
from tests.conftest import Tenant
from tests.events_fixtures import Receiver, serve

pytest_plugins = ["tests.events_fixtures"]


@dataclass
class FlakyProxy:
    """Forwards to the server, answering the first ``fail`` requests of a method itself with
    ``status`` (and ``Retry-After: 0``); records what every attempt carried."""

    upstream: str
    method: str = "POST"
    fail: int = 0
    status: int = 503
    seen: list[dict[str, str]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if scope["method"] == self.method:
            self.seen.append(headers)
            if len(self.seen) <= self.fail:
                raw = [(b"retry-after", b"0"), (b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": self.status, "headers": raw})
                await send({"type": "http.response.body", "body": b'{"error": {}}'})
                return
        query = scope["query_string"].decode()
        url = f"{self.upstream}{scope['path']}" + (f"?{query}" if query else "")
        forwarded = {k: v for k, v in headers.items() if k not in ("host", "content-length")}
        async with httpx.AsyncClient() as client:
            answer = await client.request(scope["method"], url, content=body, headers=forwarded)
        raw = [
            (k.encode(), v.encode())
            for k, v in answer.headers.items()
            if k not in ("content-length", "transfer-encoding", "content-encoding")
        ]
        await send({"type": "http.response.start", "status": answer.status_code, "headers": raw})
        await send({"type": "http.response.body", "body": answer.content})


@pytest_asyncio.fixture(loop_scope="session")
async def client(server: str, tenant: Tenant) -> AsyncIterator[reelhouse.AsyncReelhouse]:
    async with reelhouse.AsyncReelhouse(server, tenant.token) as sdk:
        yield sdk


async def test_create_and_page_through_every_project(client: reelhouse.AsyncReelhouse) -> None:
    made = [await client.projects.create(slug=f"sdk-{i}", name=f"SDK {i}") for i in range(5)]
    assert isinstance(made[0], reelhouse.models.Project)
    assert made[0].status.value == "active"
    seen = [p.id async for p in client.projects.list(limit=2, sort="created_at")]
    assert seen == [p.id for p in made]
    one = await client.projects.get(id=made[0].id)
    assert (one.slug, one.name) == ("sdk-0", "SDK 0")
    updated = await client.projects.update(id=made[0].id, name="Renamed")
    assert updated.name == "Renamed"


async def test_errors_are_typed(client: reelhouse.AsyncReelhouse) -> None:
    with pytest.raises(reelhouse.NotFoundError) as missing:
        await client.projects.get(id="prj_01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert missing.value.status == 404 and missing.value.request_id.startswith("req_")
    with pytest.raises(reelhouse.ValidationFailedError) as invalid:
        await client.projects.create(slug="NO", name="x")
    assert [f.field for f in invalid.value.fields] == ["slug"]
    with pytest.raises(reelhouse.ReelhouseError) as over:
        await client.projects.list(limit=101).__anext__()
    assert over.value.code == "VALIDATION_FAILED"


async def test_submit_retries_503_with_one_idempotency_key(server: str, tenant: Tenant) -> None:
    proxy = FlakyProxy(server, fail=2)
    async with serve(proxy) as url, reelhouse.AsyncReelhouse(url, tenant.token) as sdk:
        project = await sdk.projects.create(slug="sdk-jobs", name="Jobs")
        proxy.seen.clear()
        proxy.fail = 2
        job = await sdk.jobs.submit(project_id=project.id, kind="generate", input={"a": 1})
        assert job.status.value == "queued"
    keys = {headers["idempotency-key"] for headers in proxy.seen}
    assert len(proxy.seen) == 3 and len(keys) == 1
    async with reelhouse.AsyncReelhouse(server, tenant.token) as sdk:
        jobs = [j async for j in sdk.jobs.list(project_id=project.id)]
    assert [j.id for j in jobs] == [job.id], "the failed attempts ran nothing"


async def test_429_is_retried_and_a_caller_key_is_kept(server: str, tenant: Tenant) -> None:
    proxy = FlakyProxy(server, fail=1, status=429)
    async with serve(proxy) as url, reelhouse.AsyncReelhouse(url, tenant.token) as sdk:
        await sdk.http.post(
            "/v1/projects",
            json={"slug": "sdk-own-key", "name": "Own"},
            headers={"Idempotency-Key": "my-key-1"},
        )
    assert [h["idempotency-key"] for h in proxy.seen] == ["my-key-1", "my-key-1"]
    proxy_give_up = FlakyProxy(server, fail=10, status=503)
    async with (
        serve(proxy_give_up) as url,
        reelhouse.AsyncReelhouse(url, tenant.token, max_retries=2) as sdk,
    ):
        with pytest.raises(reelhouse.ReelhouseError) as unavailable:
            await sdk.projects.create(slug="sdk-never", name="Never")
    assert unavailable.value.status == 503 and len(proxy_give_up.seen) == 3


def test_network_errors_are_retried_by_the_transport() -> None:
    attempts: list[httpx.Request] = []

    class Flaky(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            attempts.append(request)
            if len(attempts) < 3:
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(201, json={"ok": True})

    with httpx.Client(transport=RetryTransport(Flaky(), max_retries=3)) as http:
        response = http.post("http://sdk.test/v1/projects", json={})
    assert response.status_code == 201
    assert len({r.headers["idempotency-key"] for r in attempts}) == 1 and len(attempts) == 3
    assert retry_delay(0, httpx.Response(429, headers={"Retry-After": "7"})) == 7
    assert 0 < retry_delay(3, None) <= 5


async def test_the_sync_client_pages_too(server: str, tenant: Tenant) -> None:
    def run() -> list[str]:
        with reelhouse.Reelhouse(server, tenant.token) as sdk:
            sdk.projects.create(slug="sdk-sync", name="Sync")
            return [p.slug for p in sdk.projects.list(limit=1)]

    assert "sdk-sync" in await asyncio.to_thread(run)


async def test_verify_a_delivered_webhook(
    client: reelhouse.AsyncReelhouse, receiver: Receiver, worker: EventWorker
) -> None:
    created: Any = await client.webhook_endpoints.create(
        url=receiver.url, event_types=["project.created"]
    )
    secret = created["secret"] if isinstance(created, dict) else created.secret
    project = await client.projects.create(slug="sdk-hook", name="Hooked")
    (request, *_) = await receiver.wait_count(1)
    event = reelhouse.verify_webhook(request.body, request.headers, secret)
    assert (event["type"], event["data"]["id"]) == ("project.created", project.id)
    with pytest.raises(reelhouse.WebhookVerificationFailed):
        reelhouse.verify_webhook(request.body + b" ", request.headers, secret)
    with pytest.raises(reelhouse.WebhookVerificationFailed):
        reelhouse.verify_webhook(request.body, request.headers, "whsec_" + "A" * 32)
