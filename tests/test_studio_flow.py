"""The whole studio flow, on both backends, both storage providers and both transports:
upload a generated clip through its presigned URL, the worker verifies it and reads its
metadata, an ``asset_ready`` automation renders it, a farm key claims and completes the job,
and the partner's receiver gets the automation's signed webhook. Then the asset is deleted and
its stored file removed by the worker."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiobotocore.session import get_session
from standardwebhooks import Webhook

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.factory import Application, create_app, event_worker
from app.ids import IdPrefix, new_id
from app.settings import Settings
from schema import build_schema
from tests.api_client import Api
from tests.conftest import Backend
from tests.events_fixtures import eventually, running_receiver, worker_settings
from tests.lifespan import lifespan
from tests.media_fixtures import make_clip, s3_endpoint  # noqa: F401 (fixture)

WAIT = 30.0


async def _bucket(endpoint: str) -> str:
    name = f"reelhouse-{secrets.token_hex(4)}"
    async with get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ) as client:
        await client.create_bucket(Bucket=name)
    return name


@contextlib.asynccontextmanager
async def studio(
    backend: Backend, provider: str, endpoint: str | None
) -> AsyncIterator[Application]:
    """The backend's database behind an app using ``provider``, with a fast worker running."""
    changes: dict[str, Any] = {"storage_delete_after_seconds": 0}
    if provider == "s3":
        assert endpoint is not None
        changes.update(
            storage_backend="s3",
            storage_s3_bucket=await _bucket(endpoint),
            storage_s3_endpoint_url=endpoint,
            storage_s3_access_key_id="test",
            storage_s3_secret_access_key="test",
            storage_s3_addressing_style="path",
        )
    settings: Settings = worker_settings(backend.settings, **changes)
    app = create_app(settings)
    async with lifespan(app), event_worker(app.services, build_schema(), settings):
        yield app


@pytest.mark.parametrize("provider", ["local", "s3"])
async def test_upload_to_render_to_partner_webhook(
    backend: Backend, transport: str, provider: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    endpoint = request.getfixturevalue("s3_endpoint") if provider == "s3" else None
    clip = make_clip(tmp_path)
    async with (
        studio(backend, provider, endpoint) as app,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
        httpx.AsyncClient() as internet,
        running_receiver() as partner,
    ):
        services = app.services
        slug = new_id(IdPrefix.ORGANIZATION).lower().replace("_", "-")
        org, _ = await ensure_organization(services.db, slug, "Studio")
        async with services.db.writing() as session:
            _, token = await issue_key(session, org_id=org.id, name="admin", scopes=[Scope.ADMIN])
            _, farm = await issue_key(
                session, org_id=org.id, name="farm", scopes=[Scope.JOBS_EXECUTE, Scope.JOBS_READ]
            )
        api = Api(client, token, transport)

        project = (await api.create("projects", {"slug": "studio", "name": "Studio"})).ok()
        template = (
            await api.create(
                "templates",
                {
                    "name": "Grade",
                    "style": {"source": "{{clip}}", "look": "warm"},
                    "variables": [{"key": "clip", "type": "string", "required": True}],
                },
                parent=project["id"],
            )
        ).ok()
        automation = (
            await api.create(
                "automations",
                {
                    "name": "Grade every clip",
                    "trigger": {"type": "asset_ready"},
                    "actions": [
                        {
                            "type": "render",
                            "template_id": template["id"],
                            "variables": {"clip": "{{trigger.assetId}}"},
                            "wait_for_job": True,
                        },
                        {
                            "type": "webhook",
                            "url": partner.url,
                            "body": {
                                "asset": "{{trigger.assetId}}",
                                "job": "{{actions.0.output.jobId}}",
                                "render": "{{actions.0.output.outputAssetId}}",
                                "note": "clip {{trigger.asset.name}} graded",
                            },
                        },
                    ],
                },
                parent=project["id"],
            )
        ).ok()
        signing_secret = automation["signing_secret"]

        created = (
            await api.create(
                "assets",
                {
                    "name": "take-1.mp4",
                    "type": "video",
                    "mime_type": "video/mp4",
                    "size_bytes": len(clip.data),
                    "sha256": clip.sha256,
                },
                parent=project["id"],
            )
        ).ok()
        assert created["status"] == "uploading"
        upload = created["upload"]
        assert upload["method"] == "PUT" and upload["expires_at"].endswith("Z")
        uploader = client if upload["url"].startswith("http://testserver") else internet
        put = await uploader.put(upload["url"], content=clip.data, headers=upload["headers"])
        assert put.status_code == 200, put.text

        completed = (await api.action("assets", "complete_upload", created["id"])).ok()
        assert completed["status"] == "processing"

        async def ready() -> dict[str, Any] | None:
            asset: dict[str, Any] = (await api.get("assets", created["id"])).ok()
            assert asset["status"] != "failed", asset
            return asset if asset["status"] == "ready" else None

        asset = await eventually(ready, WAIT)
        media = asset["media"]
        assert (media["width"], media["height"], media["codec"]) == (
            clip.width,
            clip.height,
            "mpeg4",
        )
        assert media["fps"] == clip.fps and 0.9 <= media["duration_seconds"] <= 1.1
        original = asset["urls"]["original"]
        fetched = await (client if original.startswith("http://testserver") else internet).get(
            original
        )
        assert fetched.status_code == 200 and fetched.content == clip.data

        async def claimed() -> dict[str, Any] | None:
            outcome = await api.action("jobs", "claim", fields={"kinds": ["render"]}, token=farm)
            return outcome.ok()

        job = await eventually(claimed, WAIT)
        assert job["variables"] == {"clip": created["id"]}
        assert job["resolved_style"] == {"source": created["id"], "look": "warm"}
        rendered = (
            await api.create(
                "assets",
                {
                    "name": "graded.mp4",
                    "type": "video",
                    "mime_type": "video/mp4",
                    "url": "https://cdn.example.com/graded.mp4",
                },
                parent=project["id"],
            )
        ).ok()
        done = await api.action(
            "jobs", "complete", job["id"], {"output_asset_id": rendered["id"]}, token=farm
        )
        assert done.ok()["status"] == "succeeded"

        [delivery] = await partner.wait_count(1)
        sent = Webhook(signing_secret).verify(delivery.body, delivery.headers)
        assert sent == {
            "asset": created["id"],
            "job": job["id"],
            "render": rendered["id"],
            "note": "clip take-1.mp4 graded",
        }

        async def finished() -> list[dict[str, Any]] | None:
            runs = (await api.list("automation_runs", automation_id=automation["id"])).items
            return runs if runs and runs[0]["status"] == "succeeded" else None

        [run] = await eventually(finished, WAIT)
        assert delivery.webhook_id == f"{run['id']}.1"
        assert run["trigger"]["assetId"] == created["id"] and run["error"] is None
        assert run["started_at"] <= run["finished_at"]

        deleted = await api.delete("assets", created["id"])
        assert deleted.error is None
        storage = services.storage
        key = f"{org.id}/{created['id']}/original"
        await eventually(lambda: _gone(storage, key), WAIT)


async def _gone(storage: Any, key: str) -> bool:
    return await storage.stat(key) is None
