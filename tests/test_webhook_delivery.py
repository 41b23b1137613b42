"""Delivery behaviour against a real receiver: retries, dead letters, Retry-After, 410, disabling
failing endpoints, per-aggregate ordering, rate limits, redelivery, replay and payload
documents."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from app.auth.scopes import Scope
from app.events.dispatcher import Dispatcher
from app.events.sender import Sender
from app.events.worker import EventWorker
from app.factory import event_worker
from schema import build_schema
from tests.conftest import Backend, Tenant
from tests.events_fixtures import (
    WAIT_SECONDS,
    Answer,
    Receiver,
    Request,
    always,
    eventually,
    revoke,
    running_receiver,
    running_worker,
    worker_settings,
)
from tests.test_webhooks import (
    create_endpoint,
    create_project,
    deliveries,
    rename_project,
    verified,
)

pytest_plugins = ["tests.events_fixtures"]


def one_delivery(tenant: Tenant, endpoint_id: str, status: str) -> Callable[[], Awaitable[Any]]:
    async def check() -> Any:
        found = await deliveries(tenant, endpoint_id, status)
        return found[0] if found else None

    return check


def fail_first(count: int, status: int = 500, body: bytes = b"x" * 5000) -> Any:
    def respond(_request: Request, index: int) -> Answer:
        return (status, {}, body) if index < count else (200, {}, b"ok")

    return respond


async def test_retries_until_success_with_the_same_webhook_id(
    tenant: Tenant, worker: EventWorker
) -> None:
    async with running_receiver(fail_first(2)) as receiver:
        endpoint, secret = await create_endpoint(
            tenant, receiver.url, eventTypes=["project.created"]
        )
        await create_project(tenant, "retried")
        requests = await receiver.wait_count(3)
        assert [r.status for r in requests] == [500, 500, 200]
        assert len({r.webhook_id for r in requests}) == 1
        assert all(verified(secret, r)["type"] == "project.created" for r in requests)

        delivery = await eventually(one_delivery(tenant, endpoint["id"], "SUCCEEDED"))
    assert delivery["attemptCount"] == 3 and delivery["lastStatusCode"] == 200
    attempts = delivery["attempts"]
    assert [a["statusCode"] for a in attempts] == [500, 500, 200]
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert [a["succeeded"] for a in attempts] == [False, False, True]
    assert attempts[0]["responseExcerpt"] == "x" * 1024
    assert attempts[0]["nextAttemptAt"] is not None and attempts[2]["nextAttemptAt"] is None


async def test_client_errors_are_not_retried_and_410_disables(
    tenant: Tenant, worker: EventWorker
) -> None:
    async with (
        running_receiver(always(400, b"bad")) as rejecting,
        running_receiver(always(410, b"gone")) as gone,
    ):
        rejected, _ = await create_endpoint(tenant, rejecting.url, eventTypes=["project.created"])
        removed, _ = await create_endpoint(tenant, gone.url, eventTypes=["project.created"])
        await create_project(tenant, "four-hundred")
        dead = await eventually(one_delivery(tenant, rejected["id"], "DEAD"))
        assert dead["attemptCount"] == 1 and dead["lastStatusCode"] == 400
        assert dead["attempts"][0]["responseExcerpt"] == "bad"
        assert (await eventually(one_delivery(tenant, removed["id"], "DEAD")))["attemptCount"] == 1

        endpoint = (
            await tenant.gql(
                "query($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason version } }",
                {"id": removed["id"]},
            )
        ).ok()["webhookEndpoint"]
        assert endpoint["enabled"] is False and "410" in endpoint["disabledReason"]
        events = await disabled_events(tenant, removed["id"])
        assert [e["sequence"] for e in events] == [endpoint["version"]]
        # A disabled endpoint gets nothing new.
        await create_project(tenant, "after-gone")
        await eventually(lambda: _received(rejecting, 2))
        assert len(gone.requests) == 1


async def _received(receiver: Receiver, count: int) -> bool:
    return len(receiver.requests) >= count


async def disabled_events(tenant: Tenant, endpoint_id: str) -> list[Any]:
    listed = await tenant.gql(
        'query($id: ID!) { events(filter: {types: ["webhook_endpoint.disabled"], '
        "aggregateId: $id}) { nodes { type sequence data } } }",
        {"id": endpoint_id},
    )
    events: list[Any] = listed.ok()["events"]["nodes"]
    return events


async def test_retry_after_is_honoured(tenant: Tenant, worker: EventWorker) -> None:
    async with running_receiver(fail_first(1, 429, b"slow down")) as receiver:
        receiver.responder = _with_retry_after(receiver.responder, "1")
        endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.created"])
        await create_project(tenant, "retry-after")
        first, second = await receiver.wait_count(2)
    assert second.at - first.at >= 0.9
    delivery = await eventually(one_delivery(tenant, endpoint["id"], "SUCCEEDED"))
    attempt = delivery["attempts"][0]
    assert attempt["statusCode"] == 429


def _with_retry_after(respond: Any, value: str) -> Any:
    def wrapped(request: Request, index: int) -> Answer:
        status, headers, body = respond(request, index)
        return status, ({"Retry-After": value} if status == 429 else headers), body

    return wrapped


async def test_dead_letter_then_redeliver(tenant: Tenant, worker: EventWorker) -> None:
    async with running_receiver(always(503, b"down")) as receiver:
        endpoint, _ = await create_endpoint(
            tenant, receiver.url, eventTypes=["project.created"], retrySchedule=[0.05, 0.05]
        )
        await create_project(tenant, "dead-letter")
        dead = await eventually(one_delivery(tenant, endpoint["id"], "DEAD"))
        assert dead["attemptCount"] == 3 and len(receiver.requests) == 3
        assert dead["nextAttemptAt"] is None and dead["finishedAt"] is not None

        receiver.responder = always(200)
        redeliver = """
        mutation($id: ID!) {
          redeliverWebhook(input: {deliveryId: $id}) { delivery { status } userErrors { code } }
        }"""
        again = (await tenant.gql(redeliver, {"id": dead["id"]})).ok()["redeliverWebhook"]
        assert again == {"delivery": {"status": "PENDING"}, "userErrors": []}
        requests = await receiver.wait_count(4)
        assert requests[3].webhook_id == requests[0].webhook_id
        done = await eventually(one_delivery(tenant, endpoint["id"], "SUCCEEDED"))
        assert done["attemptCount"] == 4
        assert [a["attempt"] for a in done["attempts"]] == [1, 2, 3, 4]

        unknown = (await tenant.gql(redeliver, {"id": "dlv_01HZZZZZZZZZZZZZZZZZZZZZZZ"})).ok()
        assert unknown["redeliverWebhook"]["userErrors"] == [{"code": "NOT_FOUND"}]


async def test_endpoint_failing_too_long_is_disabled_and_resumes_when_enabled(
    tenant: Tenant, backend: Backend
) -> None:
    async with (
        running_worker(backend, webhook_disable_after_seconds=0.3),
        running_receiver(always(500)) as receiver,
    ):
        endpoint, _ = await create_endpoint(
            tenant, receiver.url, eventTypes=["project.created"], retrySchedule=[0.2] * 20
        )
        await create_project(tenant, "always-failing")

        async def disabled() -> Any:
            query = "query($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason } }"
            found = (await tenant.gql(query, {"id": endpoint["id"]})).ok()["webhookEndpoint"]
            return found if not found["enabled"] else None

        state = await eventually(disabled)
        assert "failed since" in state["disabledReason"]
        assert len(await disabled_events(tenant, endpoint["id"])) == 1
        [pending] = await deliveries(tenant, endpoint["id"], "PENDING")
        sent = len(receiver.requests)
        assert 2 <= sent < 20

        receiver.responder = always(200)
        enable = """
        mutation($id: ID!) {
          updateWebhookEndpoint(input: {id: $id, enabled: true}) {
            webhookEndpoint { enabled failingSince disabledReason } userErrors { code }
          }
        }"""
        enabled = (await tenant.gql(enable, {"id": endpoint["id"]})).ok()
        assert enabled["updateWebhookEndpoint"]["webhookEndpoint"] == {
            "enabled": True,
            "failingSince": None,
            "disabledReason": None,
        }
        done = await eventually(one_delivery(tenant, endpoint["id"], "SUCCEEDED"))
        assert done["id"] == pending["id"]


def flaky_once_per_event() -> Any:
    """Fails the first request of every event, accepts the retry."""
    seen: set[str] = set()

    def respond(request: Request, _index: int) -> Answer:
        if request.webhook_id not in seen:
            seen.add(request.webhook_id)
            return 500, {}, b"first time fails"
        return 200, {}, b"ok"

    return respond


async def test_events_of_one_aggregate_arrive_in_order(tenant: Tenant, worker: EventWorker) -> None:
    async with running_receiver(flaky_once_per_event()) as receiver:
        await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
        first = await create_project(tenant, "ordered-a")
        second = await create_project(tenant, "ordered-b")
        for round_ in range(4):
            await rename_project(tenant, first, f"A{round_}")
            await rename_project(tenant, second, f"B{round_}")
        requests = await receiver.wait_for(lambda r: len([x for x in r if x.status == 200]) >= 10)
    by_aggregate: dict[str, list[int]] = defaultdict(list)
    for request in requests:
        by_aggregate[request.json["aggregate_id"]].append(request.json["sequence"])
    for sequences in by_aggregate.values():
        assert sequences == sorted(sequences), sequences
        assert sorted(set(sequences)) == [1, 2, 3, 4, 5]
    accepted = defaultdict(list)
    for request in requests:
        if request.status == 200:
            accepted[request.json["aggregate_id"]].append(request.json["sequence"])
    assert accepted == {first: [1, 2, 3, 4, 5], second: [1, 2, 3, 4, 5]}


async def test_a_failing_aggregate_does_not_block_others(
    tenant: Tenant, worker: EventWorker
) -> None:
    blocked: set[str] = set()

    def respond(request: Request, _index: int) -> Answer:
        return (500, {}, b"no") if request.json["aggregate_id"] in blocked else (200, {}, b"ok")

    async with running_receiver(respond) as receiver:
        endpoint, _ = await create_endpoint(
            tenant, receiver.url, eventTypes=["project.*"], retrySchedule=[0.1] * 50
        )
        stuck = await create_project(tenant, "stuck")
        blocked.add(stuck)
        await rename_project(tenant, stuck, "Stuck again")
        free = await create_project(tenant, "free")
        await rename_project(tenant, free, "Free again")
        await receiver.wait_for(
            lambda r: (
                [x.json["sequence"] for x in r if x.json["aggregate_id"] == free] == [1, 2]
                and any(x.json["aggregate_id"] == stuck and x.status == 500 for x in r)
            )
        )
        assert all(
            r.json["sequence"] == 1 for r in receiver.requests if r.json["aggregate_id"] == stuck
        )
        waiting = {
            d["sequence"]: d
            for d in await deliveries(tenant, endpoint["id"], "PENDING")
            if d["aggregateId"] == stuck
        }
        assert waiting[1]["attemptCount"] >= 1 and waiting[1]["nextAttemptAt"] is not None
        assert waiting[2]["attemptCount"] == 0 and waiting[2]["nextAttemptAt"] is None
        blocked.clear()
        requests = await receiver.wait_for(
            lambda r: [x.json["sequence"] for x in r if x.json["aggregate_id"] == stuck][-1:] == [2]
        )
    assert [x.status for x in requests if x.json["aggregate_id"] == stuck][-2:] == [200, 200]
    assert len(await deliveries(tenant, endpoint["id"], "SUCCEEDED")) == 4


async def test_rate_limit_delays_without_spending_attempts(
    tenant: Tenant, worker: EventWorker
) -> None:
    async with running_receiver() as receiver:
        endpoint, _ = await create_endpoint(
            tenant, receiver.url, eventTypes=["project.created"], rateLimit=4
        )
        for i in range(6):
            await create_project(tenant, f"rate-{i}")
        await receiver.wait_count(6)
    done = await eventually(lambda: _all_succeeded(tenant, endpoint["id"], 6))
    assert all(d["attemptCount"] == 1 for d in done)
    # A burst of 4, then one every 0.25 s: the sixth slot comes 0.5 s after the first (without
    # the limit all six go at once, concurrently). Measured at the sender, from each attempt's
    # recorded start, not at the receiver, whose clock also counts connection set-up; the
    # margin is the time between a slot and its send on a loaded machine.
    started = sorted(datetime.fromisoformat(d["attempts"][0]["startedAt"]) for d in done)
    span = (started[-1] - started[0]).total_seconds()
    assert span >= 0.35, span


async def _all_succeeded(tenant: Tenant, endpoint_id: str, count: int) -> list[Any] | None:
    found = await deliveries(tenant, endpoint_id, "SUCCEEDED")
    return found if len(found) == count else None


REPLAY = """
mutation($input: ReplayWebhookEventsInput!) {
  replayWebhookEvents(input: $input) { count userErrors { field code } }
}"""


async def test_replay_sends_past_events_in_order(
    tenant: Tenant, worker: EventWorker, receiver: Receiver
) -> None:
    since = datetime.now(UTC).isoformat()
    # An endpoint that hears everything tells when the events were dispatched; the replayed
    # endpoint is created after that, so only the replay sends it anything.
    await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    project = await create_project(tenant, "replayed")
    await rename_project(tenant, project, "Replayed 2")
    other = await create_project(tenant, "replayed-other")
    await receiver.wait_count(3)
    async with running_receiver() as replayed:
        endpoint, _ = await create_endpoint(tenant, replayed.url, eventTypes=["project.*"])
        result = (
            await tenant.gql(REPLAY, {"input": {"endpointId": endpoint["id"], "since": since}})
        ).ok()["replayWebhookEvents"]
        assert result == {"count": 3, "userErrors": []}
        requests = await replayed.wait_count(3)
        got = [(r.json["aggregate_id"], r.json["sequence"]) for r in requests]
        assert got.index((project, 1)) < got.index((project, 2))
        assert sorted(got) == sorted([(project, 1), (project, 2), (other, 1)])

        await eventually(lambda: _all_succeeded(tenant, endpoint["id"], 3))
        only_updates = {"endpointId": endpoint["id"], "since": since, "types": ["*.updated"]}
        again = (await tenant.gql(REPLAY, {"input": only_updates})).ok()["replayWebhookEvents"]
        assert again["count"] == 1
        (fourth,) = (await replayed.wait_count(4))[3:]
        assert fourth.webhook_id == requests[got.index((project, 2))].webhook_id

    backwards = {"endpointId": endpoint["id"], "since": since, "until": "2000-01-01T00:00:00Z"}
    bad = (await tenant.gql(REPLAY, {"input": backwards})).ok()["replayWebhookEvents"]
    assert bad == {
        "count": None,
        "userErrors": [{"field": ["input", "until"], "code": "OUT_OF_RANGE"}],
    }
    wild = {"endpointId": endpoint["id"], "since": since, "types": ["no spaces"]}
    bad = (await tenant.gql(REPLAY, {"input": wild})).ok()["replayWebhookEvents"]
    assert bad["userErrors"] == [{"field": ["input", "types", "0"], "code": "INVALID"}]


async def test_payload_document_runs_with_the_owner_key(
    tenant: Tenant, worker: EventWorker, services: Any
) -> None:
    document = "subscription { events { id type aggregateId data } }"
    owner = await tenant.key(Scope.WEBHOOKS_WRITE, Scope.EVENTS_READ, Scope.PROJECTS_READ)
    async with running_receiver() as receiver:
        endpoint, secret = await create_endpoint(
            tenant,
            receiver.url,
            token=owner,
            eventTypes=["project.created"],
            subscriptionQuery=document,
        )
        project = await create_project(tenant, "documented")
        (request,) = await receiver.wait_count(1)
        body = verified(secret, request)
        assert set(body) == {"data"}
        event = body["data"]["events"]
        assert event["type"] == "project.created" and event["aggregateId"] == project
        assert event["id"] == request.webhook_id and event["data"]["slug"] == "documented"

        await revoke(services, owner)
        await create_project(tenant, "documented-revoked")
        dead = await eventually(one_delivery(tenant, endpoint["id"], "DEAD"))
        assert "revoked" in dead["lastError"] and len(receiver.requests) == 1


async def test_payload_document_needs_events_read(tenant: Tenant) -> None:
    writer = await tenant.key(Scope.WEBHOOKS_WRITE)
    result = await tenant.gql(
        "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) "
        "{ webhookEndpoint { id } userErrors { field code message } } }",
        {
            "input": {
                "url": "https://hooks.example.com/doc",
                "subscriptionQuery": "subscription { events { id } }",
            }
        },
        token=writer,
    )
    [error] = result.ok()["createWebhookEndpoint"]["userErrors"]
    assert error["field"] == ["input", "subscriptionQuery"] and "events:read" in error["message"]


async def test_a_claim_given_back_is_due_again_without_spending_its_attempt(
    tenant: Tenant, services: Any, receiver: Receiver
) -> None:
    """What a sender does with a claim it could not start in time (it stalled): the next
    sender gets it at once, with the same attempt number, and no request was made."""
    endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.created"])
    await create_project(tenant, "given-back")
    settings = worker_settings(services.settings)
    await Dispatcher(services.db, services.bus, batch_size=500, poll_seconds=1).dispatch_once()
    async with Sender(services.db, settings) as sender:
        [claim] = [c for c in await sender.claim(100) if c.endpoint.id == endpoint["id"]]
        assert claim.attempt == 1 and claim.send_by > time.monotonic()
        [leased] = await deliveries(tenant, endpoint["id"], "PENDING")
        assert leased["attemptCount"] == 1
        await sender.release(claim)
        [again] = [c for c in await sender.claim(100) if c.endpoint.id == endpoint["id"]]
        assert again.delivery_id == claim.delivery_id and again.attempt == 1
        await sender.deliver(again)
    [delivered] = await deliveries(tenant, endpoint["id"], "SUCCEEDED")
    assert [a["attempt"] for a in delivered["attempts"]] == [1]
    assert len(receiver.requests) == 1


async def test_a_worker_stopped_before_its_tasks_ran_stops_without_cancelling(
    backend: Backend,
) -> None:
    """``stop`` right after ``start``, before any task had its first step (what a test or a
    quick SIGTERM does), is heard by every loop: none waits out the grace period."""
    worker = event_worker(backend.app.services, build_schema(), worker_settings(backend.settings))
    await worker.start()
    tasks = list(worker._tasks)
    await worker.stop(grace_seconds=WAIT_SECONDS)
    assert tasks and all(task.done() and not task.cancelled() for task in tasks)


async def test_past_the_daily_quota_deliveries_wait_for_the_next_day(
    make_tenant: Any, backend: Backend
) -> None:
    tenant = await make_tenant()
    async with running_receiver() as receiver, running_worker(backend, daily_webhook_quota=2):
        endpoint, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.created"])
        for i in range(4):
            await create_project(tenant, f"quota-{i}")
        await receiver.wait_count(2)

        async def parked() -> list[Any] | None:
            pending = await deliveries(tenant, endpoint["id"], "PENDING")
            waiting = [d for d in pending if "daily quota" in (d["lastError"] or "")]
            return waiting if len(waiting) == 2 else None

        waiting = await eventually(parked)
        assert all(d["attemptCount"] == 0 for d in waiting)
        assert "after midnight UTC" in waiting[0]["lastError"]

        async def succeeded() -> list[Any] | None:
            # The receiver has the request before the worker has recorded its answer.
            done = await deliveries(tenant, endpoint["id"], "SUCCEEDED")
            return done if len(done) == 2 else None

        assert await eventually(succeeded)
        assert len(receiver.requests) == 2
    usage = (await tenant.gql("{ usage { webhookDeliveries } }")).ok()
    assert usage["usage"]["webhookDeliveries"] == 2
