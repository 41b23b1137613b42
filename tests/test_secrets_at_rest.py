"""Secrets at rest and in logs: webhook signing secrets, automations' inbound and signing
secrets and the private halves of access-token signing keys are stored sealed (OAuth client
secrets, like API keys, only hashed), a database dump or a failing statement's log line never
yields one, and a broken constraint is a contract error."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from standardwebhooks import Webhook

from app.crypto import SecretBox, key_file_of, new_key, secret_box_for
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.events.worker import EventWorker
from app.models import Project
from app.models.sealing import reseal
from tests.api_client import Api
from tests.conftest import Backend, Tenant
from tests.events_fixtures import Receiver, deliveries_when
from tests.identity_fixtures import add_client
from tests.test_webhooks import create_endpoint, create_project, rename_project

pytest_plugins = ["tests.events_fixtures"]

ROTATE = """
mutation($id: ID!) {
  rotateWebhookSecret(input: {id: $id, gracePeriodSeconds: 3600}) { secret userErrors { code } }
}"""


async def stored_secrets(services: Any, endpoint_id: str) -> tuple[str, str | None]:
    """The columns as a dump would show them (plain SQL, no column types)."""
    async with services.db.reading() as session:
        row = (
            await session.execute(
                text("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = :id"),
                {"id": endpoint_id},
            )
        ).one()
    return row[0], row[1]


async def test_signing_secrets_are_stored_sealed_and_still_sign(
    tenant: Tenant, services: Any, receiver: Receiver, worker: EventWorker
) -> None:
    endpoint, first = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    raw, previous = await stored_secrets(services, endpoint["id"])
    assert first.startswith("whsec_") and previous is None
    assert raw.startswith("v1.") and first not in raw and first[6:] not in raw
    assert services.db.secret_box.open(raw) == first

    rotated = (await tenant.gql(ROTATE, {"id": endpoint["id"]})).ok()["rotateWebhookSecret"]
    second = rotated["secret"]
    raw, previous = await stored_secrets(services, endpoint["id"])
    assert previous is not None and second not in raw and first not in previous
    assert services.db.secret_box.open(raw) == second
    assert services.db.secret_box.open(previous) == first

    project = await create_project(tenant, "sealed-signs")
    [request] = await receiver.wait_count(1)
    for secret in (first, second):
        assert Webhook(secret).verify(request.body, request.headers)["aggregate_id"] == project


async def database_dump(backend: Backend) -> str:
    """The whole database as its own dump tool writes it (``pg_dump``; SQLite's ``.dump``)."""
    url = make_url(backend.settings.database_url)
    if url.get_backend_name() == "sqlite":
        path = str(url.database)

        def dump() -> str:
            with sqlite3.connect(path) as connection:
                return "\n".join(connection.iterdump())

        return await asyncio.to_thread(dump)
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    process = await asyncio.create_subprocess_exec(
        "pg_dump", "--data-only", libpq, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return out.decode()


async def test_a_database_dump_holds_no_secret(
    tenant: Tenant, services: Any, backend: Backend
) -> None:
    _, webhook_secret = await create_endpoint(tenant, "https://hooks.example.com/dumped")
    project_id = await create_project(tenant, "dumped")
    automation = await tenant.gql(
        'mutation($p: ID!) { createAutomation(input: {projectId: $p, name: "D", trigger: '
        '{type: WEBHOOK}, actions: [{type: WEBHOOK, url: "https://hooks.example.com/d"}]}) '
        "{ automation { id } signingSecret inboundSecret userErrors { code } } }",
        {"p": project_id},
    )
    saved = automation.ok()["createAutomation"]
    assert saved["userErrors"] == []
    client = await add_client(tenant)
    _, signing_key = await services.identity.signing_keys.signer()
    pem = signing_key.as_pem(private=True).decode()
    body = pem.split("-----")[2].strip().splitlines()[1]

    dump = await database_dump(backend)
    assert saved["automation"]["id"] in dump and client.id in dump, "the rows are in the dump"
    for secret in (webhook_secret, saved["signingSecret"], saved["inboundSecret"]):
        assert secret.startswith("whsec_") and secret[6:] not in dump
    assert client.secret is not None and client.secret not in dump
    assert "PRIVATE KEY" not in dump and body not in dump


async def test_an_unreadable_secret_fails_only_its_deliveries(
    tenant: Tenant, services: Any, receiver: Receiver, worker: EventWorker
) -> None:
    """A value sealed under a key no longer configured: that endpoint's deliveries fail with a
    clear error (and are retried); listing endpoints and other endpoints keep working."""
    broken, _ = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    healthy, secret = await create_endpoint(tenant, receiver.url, eventTypes=["project.*"])
    foreign = "v1.0badc0de.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    async with services.db.writing() as session:
        await session.execute(
            text("UPDATE webhook_endpoints SET secret = :s WHERE id = :id"),
            {"s": foreign, "id": broken["id"]},
        )
    listed = (await tenant.gql("{ webhookEndpoints { nodes { id } } }")).ok()
    assert {broken["id"], healthy["id"]} <= {n["id"] for n in listed["webhookEndpoints"]["nodes"]}
    await create_project(tenant, "one-unreadable")
    [request] = await receiver.wait_count(1)
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "project.created"
    [delivery] = await deliveries_when(tenant, broken["id"], lambda d: d["lastError"])
    assert delivery["status"] == "PENDING" and "REELHOUSE_SECRET_KEY" in delivery["lastError"]
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("resource", "fields", "field"),
    [("webhook_endpoints", {"event_version": None}, "event_version")],
)
async def test_null_for_a_required_field_is_refused_not_a_500(
    api: Api, resource: str, fields: dict[str, Any], field: str
) -> None:
    created = await api.create(resource, {"url": "https://hooks.example.com/n"})
    outcome = await api.update(resource, created.ok()["id"], fields)
    assert outcome.error == "VALIDATION_FAILED"
    assert outcome.fields == [(field, "REQUIRED")]
    outcome.on_rest(422)


async def test_null_description_clears_it(api: Api) -> None:
    project = (await api.create("projects", {"slug": "null-desc", "name": "N"})).ok()["id"]
    character = await api.create("characters", {"name": "C", "description": "d"}, parent=project)
    updated = await api.update("characters", character.ok()["id"], {"description": None})
    assert updated.ok()["description"] == ""


async def test_broken_constraints_are_contract_errors_and_log_no_values(
    tenant: Tenant, services: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A write that still breaks a constraint (here forced past the resolvers) never becomes
    500, and neither the error nor any log line quotes the row."""
    project_id = await create_project(tenant, "constraint-a")
    caplog.set_level(logging.INFO)
    with pytest.raises(ApiError) as taken:
        async with services.db.writing() as session:
            session.add(Project(org_id=tenant.org_id, slug="constraint-a", name="whsec_not_logged"))
    assert taken.value.code is ErrorCode.CONFLICT
    with pytest.raises(ApiError) as missing:
        async with services.db.writing() as session:
            await session.execute(
                text("UPDATE projects SET name = NULL WHERE id = :id"), {"id": project_id}
            )
    assert missing.value.code is ErrorCode.VALIDATION_FAILED
    for error in (taken.value, missing.value):
        assert "whsec_not_logged" not in error.message and project_id not in error.message
        assert "whsec_not_logged" not in str(error.__cause__)
    assert "whsec_not_logged" not in caplog.text
    await rename_project(tenant, project_id, "still fine")


async def test_key_rotation_reseals_every_stored_secret(
    tenant: Tenant, services: Any, backend: Backend
) -> None:
    """Rotation: configure ``new,old``, run ``reelhouse secret-key reseal``, drop ``old``."""
    endpoint, secret = await create_endpoint(tenant, "https://hooks.example.com/rotate")
    await tenant.gql(ROTATE, {"id": endpoint["id"]})
    configured = backend.settings.secret_key
    path = key_file_of(backend.settings.database_url)
    old = configured.get_secret_value() if configured else path.read_text().strip()  # type: ignore[union-attr]
    new = new_key()
    rotating = backend.settings.model_copy(update={"secret_key": SecretStr(f"{new},{old}")})
    db = Database(rotating.database_url, secret_box=secret_box_for(rotating))
    try:
        report = await reseal(db)
        assert report.counts["webhook_endpoints.secret"] >= 1
        assert report.counts["webhook_endpoints.previous_secret"] >= 1
        assert (await reseal(db)).counts == dict.fromkeys(report.counts, 0)
    finally:
        await db.dispose()
    raw, previous = await stored_secrets(services, endpoint["id"])
    only_new = SecretBox.from_text(new)
    assert previous is not None and only_new.is_current(raw) and only_new.is_current(previous)
    assert only_new.open(raw) == secret or only_new.open(previous) == secret
    assert report.counts["oauth_signing_keys.private_key"] >= 1

    # Back under the session's key, which every other test's app still holds alone.
    restoring = backend.settings.model_copy(update={"secret_key": SecretStr(f"{old},{new}")})
    db = Database(restoring.database_url, secret_box=secret_box_for(restoring))
    try:
        assert (await reseal(db)).counts["oauth_signing_keys.private_key"] >= 1
    finally:
        await db.dispose()
    assert SecretBox.from_text(old).is_current((await stored_secrets(services, endpoint["id"]))[0])
