"""Inbound webhooks start automations: Standard Webhooks and plain HMAC signatures, timestamp
tolerance, replays accepted once (and forgotten once a replay can no longer pass), one 404 for
unknown endpoints and wrong secrets alike, the body cap, public routes that open nothing else,
and inbound secret rotation with a grace period."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import select
from sqlmodel import col
from standardwebhooks import Webhook

from app.automations.inbound import InboundWebhooks
from app.automations.replays import ReplayWindowPruner
from app.background import WorkerServices
from app.clock import utcnow
from app.events.signing import sign
from app.models import Automation, InboundWebhookMessage
from tests.api_client import Api
from tests.api_fixtures import ONLY_REST
from tests.conftest import Backend
from tests.events_fixtures import running_worker

ROUTE = "/webhooks/automations/"


async def _automation(api: Api, project_id: str, trigger: dict[str, Any]) -> dict[str, Any]:
    created = await api.create(
        "automations",
        {
            "name": "Inbound",
            "trigger": trigger,
            "actions": [
                {
                    "type": "webhook",
                    "url": "http://127.0.0.1:9/unused",
                    "body": {"got": "{{trigger.body.clip}}"},
                }
            ],
        },
        parent=project_id,
    )
    automation: dict[str, Any] = created.ok()
    return automation


def signed_headers(
    secret: str, body: bytes, message_id: str, stamp: int | None = None
) -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, message_id, stamp, body),
        "content-type": "application/json",
    }


@ONLY_REST
async def test_standard_webhooks_accepted_once_and_forgeries_look_unknown(
    api: Api, backend: Backend
) -> None:
    project = (await api.create("projects", {"slug": "inbound", "name": "In"})).ok()
    automation = await _automation(api, project["id"], {"type": "webhook"})
    secret = automation["inbound_secret"]
    url = automation["trigger"]["url"]
    assert url.startswith("http://testserver" + ROUTE)
    path = url.removeprefix("http://testserver")
    body = orjson.dumps({"clip": "take-7"})
    http = api.http

    accepted = await http.post(path, content=body, headers=signed_headers(secret, body, "msg_1"))
    assert accepted.status_code == 202, accepted.text
    run_id = accepted.json()["run_id"]
    again = await http.post(path, content=body, headers=signed_headers(secret, body, "msg_1"))
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")

    # The official library's signatures verify too.
    stamp = int(time.time())
    official = Webhook(secret).sign(
        "msg_2", __import__("datetime").datetime.fromtimestamp(stamp), body.decode()
    )
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(stamp),
        "webhook-signature": official,
    }
    assert (await http.post(path, content=body, headers=headers)).status_code == 202

    wrong = await http.post(
        path, content=body, headers=signed_headers("whsec_" + "B" * 44, body, "m3")
    )
    unknown = await http.post(
        ROUTE + "inb_01J0000000000000000000000A",
        content=body,
        headers=signed_headers(secret, body, "m4"),
    )
    tampered = await http.post(
        path, content=body + b" ", headers=signed_headers(secret, body, "m5")
    )
    for refused in (wrong, unknown, tampered):
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "NOT_FOUND"
        assert refused.json()["error"]["message"] == "No webhook endpoint here."

    stale = await http.post(
        path, content=body, headers=signed_headers(secret, body, "m6", int(time.time()) - 3600)
    )
    assert stale.status_code == 400 and "timestamp" in stale.json()["error"]["message"]

    big = b'{"x": "' + b"a" * (backend.settings.inbound_webhook_max_body_bytes + 10) + b'"}'
    assert (
        await http.post(path, content=big, headers=signed_headers(secret, big, "m7"))
    ).status_code == 413

    runs = (await api.list("automation_runs", automation_id=automation["id"])).items
    assert len(runs) == 2 and run_id in {r["id"] for r in runs}
    run = (await api.get("automation_runs", run_id)).ok()
    assert run["status"] == "queued" and run["trigger"]["body"] == {"clip": "take-7"}
    assert run["trigger"]["webhookId"] == "msg_1"


@ONLY_REST
async def test_plain_hmac_in_a_configured_header(api: Api) -> None:
    project = (await api.create("projects", {"slug": "hmac-in", "name": "In"})).ok()
    automation = await _automation(
        api,
        project["id"],
        {"type": "webhook", "signature_scheme": "hmac_sha256", "signature_header": "X-Hub-Sig"},
    )
    secret = automation["inbound_secret"]
    path = automation["trigger"]["url"].removeprefix("http://testserver")
    body = b'{"clip": "a"}'
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    first = await api.http.post(path, content=body, headers={"x-hub-sig": f"sha256={digest}"})
    assert first.status_code == 202
    replay = await api.http.post(path, content=body, headers={"x-hub-sig": digest})
    assert replay.json()["status"] == "duplicate"
    forged = await api.http.post(path, content=body, headers={"x-hub-sig": "0" * 64})
    assert forged.status_code == 404


@ONLY_REST
async def test_public_routes_open_nothing_else(api: Api) -> None:
    http = api.http
    for path in (
        "/webhooks/automations/../../graphql",
        "/storage/objects/../graphql",
        "/storage/objects/a/../../v1/projects",
    ):
        response = await http.post(path, json={"query": "{ projects { nodes { id } } }"})
        assert response.status_code in (401, 404), (path, response.status_code)
        assert "data" not in response.json()
    assert (await http.get("/v1/projects")).status_code == 401
    forged = await http.put(
        "/storage/objects/org/x/original?expires=9999999999&size=1&type=a/b&sig=00",
        content=b"x",
        headers={"content-type": "a/b"},
    )
    assert forged.status_code == 403


async def test_disabled_automation_never_runs(api: Api, backend: Backend) -> None:
    project = (await api.create("projects", {"slug": "off", "name": "Off"})).ok()
    automation = await _automation(api, project["id"], {"type": "webhook"})
    (await api.update("automations", automation["id"], {"enabled": False})).ok()
    refused = await api.action("automations", "run", automation["id"])
    assert refused.error == "VALIDATION_FAILED" and refused.fields == [("id", "INVALID_STATE")]
    path = automation["trigger"]["url"].removeprefix("http://testserver")
    body = b"{}"
    secret = automation["inbound_secret"]
    assert (
        await api.http.post(path, content=body, headers=signed_headers(secret, body, "x"))
    ).status_code == 404
    async with running_worker(backend):
        pass
    assert (await api.list("automation_runs", automation_id=automation["id"])).items == []


async def test_rotating_the_inbound_secret_keeps_the_old_one_for_the_grace_period(
    api: Api, backend: Backend
) -> None:
    project = (await api.create("projects", {"slug": "rotate-in", "name": "R"})).ok()
    automation = await _automation(api, project["id"], {"type": "webhook"})
    first = automation["inbound_secret"]
    path = automation["trigger"]["url"].removeprefix("http://testserver")
    body = b'{"clip": "r"}'

    async def status(secret: str, message_id: str) -> int:
        sent = await api.http.post(
            path, content=body, headers=signed_headers(secret, body, message_id)
        )
        return sent.status_code

    rotated = (
        await api.action(
            "automations",
            "rotate_inbound_secret",
            automation["id"],
            {"grace_period_seconds": 3600},
        )
    ).ok()
    second = rotated["inbound_secret"]
    assert second.startswith("whsec_") and second != first
    assert rotated["signing_secret"] is None
    assert rotated["trigger"]["previous_secret_expires_at"] is not None
    assert rotated["trigger"]["endpoint_id"] == automation["trigger"]["endpoint_id"]
    assert await status(first, "old-1") == 202
    assert await status(second, "new-1") == 202

    # The grace period over (moved into the past), only the new secret is accepted.
    async with backend.app.services.db.writing() as session:
        row = await session.get(Automation, automation["id"])
        assert row is not None and row.previous_inbound_secret is not None
        row.previous_inbound_secret_expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    assert await status(first, "old-2") == 404
    assert await status(second, "new-2") == 202

    now = (
        await api.action(
            "automations", "rotate_inbound_secret", automation["id"], {"grace_period_seconds": 0}
        )
    ).ok()
    assert now["trigger"]["previous_secret_expires_at"] is None
    assert await status(second, "new-3") == 404
    assert await status(now["inbound_secret"], "newest-1") == 202

    for grace in (-1, 8 * 86400):
        refused = await api.action(
            "automations",
            "rotate_inbound_secret",
            automation["id"],
            {"grace_period_seconds": grace},
        )
        assert refused.error == "VALIDATION_FAILED"
        assert refused.fields == [("grace_period_seconds", "OUT_OF_RANGE")]

    scheduled = (
        await api.create(
            "automations",
            {
                "name": "Nightly",
                "trigger": {"type": "schedule", "cron": "0 2 * * *"},
                "actions": [{"type": "webhook", "url": "http://127.0.0.1:9/x"}],
            },
            parent=project["id"],
        )
    ).ok()
    wrong = await api.action("automations", "rotate_inbound_secret", scheduled["id"])
    assert wrong.error == "VALIDATION_FAILED" and wrong.fields == [("id", "INVALID_STATE")]

    events = (await api.list("events", aggregate_id=automation["id"])).items
    rotations = [e for e in events if e["type"] == "automation.inbound_secret_rotated"]
    assert len(rotations) == 2
    shown = orjson.dumps(events).decode()
    assert not any(s in shown for s in (first, second, now["inbound_secret"]))
    assert "inbound_secret" not in rotations[0]["data"]


WINDOW = 3
"""Seconds of the replay windows in the test below."""


@ONLY_REST
async def test_accepted_messages_are_forgotten_after_their_replay_window(
    api: Api, backend: Backend
) -> None:
    """With a 3 s window: a Standard Webhooks message is kept while its timestamp is within
    the tolerance (after that its replay is refused as stale), a plain-HMAC body for the replay
    window (after that the same body is accepted again); the worker deletes the rest. (At 1 s
    a loaded machine could pass the window before the replay was even sent.)"""
    services = backend.app.services
    settings = backend.settings.model_copy(
        update={
            "inbound_webhook_tolerance_seconds": WINDOW,
            "inbound_webhook_hmac_replay_seconds": WINDOW,
        }
    )
    inbound = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=InboundWebhooks(services.db, settings)),
        base_url="http://testserver",
    )
    pruner = ReplayWindowPruner(
        WorkerServices(services.db, services.bus, settings, services.storage)
    )
    project = (await api.create("projects", {"slug": "prune-in", "name": "P"})).ok()
    standard = await _automation(api, project["id"], {"type": "webhook"})
    plain = await _automation(
        api, project["id"], {"type": "webhook", "signature_scheme": "hmac_sha256"}
    )
    body = b'{"clip": "p"}'
    digest = hmac.new(plain["inbound_secret"].encode(), body, hashlib.sha256).hexdigest()
    stamp = int(time.time())
    signed = signed_headers(standard["inbound_secret"], body, "kept-once", stamp)

    async def post(automation: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        url = automation["trigger"]["url"].removeprefix("http://testserver")
        return await inbound.post(url, content=body, headers=headers)

    async with inbound:
        assert (await post(standard, signed)).status_code == 202
        assert (await post(plain, {"x-signature-256": digest})).status_code == 202
        assert (await post(standard, signed)).json()["status"] == "duplicate"
        assert (await post(plain, {"x-signature-256": digest})).json()["status"] == "duplicate"
        async with services.db.reading() as session:
            rows = (
                (
                    await session.execute(
                        select(InboundWebhookMessage).where(
                            col(InboundWebhookMessage.automation_id).in_(
                                [standard["id"], plain["id"]]
                            )
                        )
                    )
                )
                .scalars()
                .all()
            )
        kept = {row.automation_id: row.keep_until for row in rows}
        assert kept[standard["id"]] == datetime.fromtimestamp(stamp + WINDOW, UTC)
        assert len(rows) == 2

        await pruner.run_once()
        assert len(await _messages(services, standard["id"], plain["id"])) == 2
        await asyncio.sleep(max(0.0, max(kept.values()).timestamp() - time.time()) + 0.1)
        await pruner.run_once()
        assert await _messages(services, standard["id"], plain["id"]) == []

        stale = await post(standard, signed)
        assert stale.status_code == 400 and "timestamp" in stale.json()["error"]["message"]
        assert (await post(plain, {"x-signature-256": digest})).status_code == 202
    runs = (await api.list("automation_runs", automation_id=standard["id"])).items
    assert len(runs) == 1


async def _messages(services: Any, *automation_ids: str) -> list[InboundWebhookMessage]:
    async with services.db.reading() as session:
        return list(
            (
                await session.execute(
                    select(InboundWebhookMessage).where(
                        col(InboundWebhookMessage.automation_id).in_(automation_ids)
                    )
                )
            ).scalars()
        )
