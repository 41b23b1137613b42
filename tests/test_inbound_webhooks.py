"""Inbound webhooks start automations: Standard Webhooks and plain HMAC signatures, timestamp
tolerance, replays accepted once, one 404 for unknown endpoints and wrong secrets alike, the
body cap, and public routes that open nothing else."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import orjson
from standardwebhooks import Webhook

from app.events.signing import sign
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


def _signed(secret: str, body: bytes, message_id: str, stamp: int | None = None) -> dict[str, str]:
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

    accepted = await http.post(path, content=body, headers=_signed(secret, body, "msg_1"))
    assert accepted.status_code == 202, accepted.text
    run_id = accepted.json()["run_id"]
    again = await http.post(path, content=body, headers=_signed(secret, body, "msg_1"))
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

    wrong = await http.post(path, content=body, headers=_signed("whsec_" + "B" * 44, body, "m3"))
    unknown = await http.post(
        ROUTE + "inb_01J0000000000000000000000A", content=body, headers=_signed(secret, body, "m4")
    )
    tampered = await http.post(path, content=body + b" ", headers=_signed(secret, body, "m5"))
    for refused in (wrong, unknown, tampered):
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "NOT_FOUND"
        assert refused.json()["error"]["message"] == "No webhook endpoint here."

    stale = await http.post(
        path, content=body, headers=_signed(secret, body, "m6", int(time.time()) - 3600)
    )
    assert stale.status_code == 400 and "timestamp" in stale.json()["error"]["message"]

    big = b'{"x": "' + b"a" * (backend.settings.inbound_webhook_max_body_bytes + 10) + b'"}'
    assert (
        await http.post(path, content=big, headers=_signed(secret, big, "m7"))
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
        await api.http.post(path, content=body, headers=_signed(secret, body, "x"))
    ).status_code == 404
    async with running_worker(backend):
        pass
    assert (await api.list("automation_runs", automation_id=automation["id"])).items == []
