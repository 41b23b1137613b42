"""Automations over both transports: what saving checks (references, schedules) and the
asset_ready loop guard (an automation is not started by what it rendered, and chains of
automations stop at a depth limit)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app.auth.scopes import Scope
from app.automations.triggers import MAX_CHAIN_DEPTH
from tests.api_client import Api
from tests.conftest import Backend, Tenant
from tests.events_fixtures import running_worker

RENDER_LATER = "{{actions.1.output.jobId}}"
WAIT = 30.0


async def _project(api: Api, slug: str) -> dict[str, Any]:
    project: dict[str, Any] = (await api.create("projects", {"slug": slug, "name": slug})).ok()
    return project


def _webhook(url: str = "http://127.0.0.1:9/hook", **extra: Any) -> dict[str, Any]:
    return {"type": "webhook", "url": url, **extra}


async def test_references_are_checked_when_saved(api: Api) -> None:
    project = await _project(api, "refs")
    refused = await api.create(
        "automations",
        {
            "name": "Forward",
            "trigger": {"type": "webhook"},
            "actions": [
                _webhook(body={"job": RENDER_LATER, "x": "{{trigger.body.__class__}}"}),
                _webhook(body={"first": "{{actions.0.output.statusCode.real}}"}),
                _webhook(body={"evil": "{{trigger.body.__class__.__mro__}}", "ok": "{{run.id}}"}),
            ],
        },
        parent=project["id"],
    )
    assert refused.error == "VALIDATION_FAILED"
    assert refused.fields == [("actions.0", "INVALID"), ("actions.1", "INVALID")]
    assert "action 1 does not run before this one" in refused.message
    assert (await api.list("automations", project_id=project["id"])).items == []


async def test_hostile_action_text_is_refused_or_saved_promptly(api: Api) -> None:
    project = await _project(api, "hostile")
    braces = "{{" * 30_000
    saved = await api.create(
        "automations",
        {"name": "Braces", "trigger": {"type": "webhook"}, "actions": [_webhook(body=braces)]},
        parent=project["id"],
    )
    assert saved.ok()["actions"][0]["body"] == braces
    deep: Any = "{{run.id}}"
    for _ in range(300):
        deep = {"a": deep}
    too_deep = await api.create(
        "automations",
        {"name": "Deep", "trigger": {"type": "webhook"}, "actions": [_webhook(body=deep)]},
        parent=project["id"],
    )
    assert too_deep.error == "VALIDATION_FAILED" and "nested" in too_deep.message
    assert too_deep.fields == [("actions.0", "TOO_LONG")]


async def test_schedules_that_never_fire_or_name_no_zone_are_refused(api: Api) -> None:
    project = await _project(api, "never")
    for trigger, field in (
        ({"type": "schedule", "cron": "0 0 30 2 *"}, "trigger.cron"),
        ({"type": "schedule", "cron": "0 9 * * *", "timezone": "x" * 300}, "trigger.timezone"),
        ({"type": "schedule", "cron": "0 9 * * *", "timezone": "Mars/Olympus"}, "trigger.timezone"),
    ):
        refused = await api.create(
            "automations",
            {"name": "Never", "trigger": trigger, "actions": [_webhook()]},
            parent=project["id"],
        )
        assert refused.error == "VALIDATION_FAILED", refused
        assert refused.fields == [(field, "INVALID")]


async def _asset_ready_render(api: Api, project_id: str, name: str, template_id: str) -> str:
    created = await api.create(
        "automations",
        {
            "name": name,
            "trigger": {"type": "asset_ready"},
            "actions": [
                {
                    "type": "render",
                    "template_id": template_id,
                    "input": {"clip": "{{trigger.assetId}}"},
                }
            ],
        },
        parent=project_id,
    )
    automation_id: str = created.ok()["id"]
    return automation_id


async def _studio(api: Api, slug: str) -> tuple[str, str]:
    project = await _project(api, slug)
    template = await api.create(
        "templates", {"name": "Grade", "style": {"look": "warm"}}, parent=project["id"]
    )
    return project["id"], template.ok()["id"]


async def _ready_asset(api: Api, project_id: str, name: str, **extra: Any) -> str:
    fields = {
        "name": name,
        "type": "video",
        "mime_type": "video/mp4",
        "url": f"https://cdn.example.com/{name}",
        "status": "ready",
        **extra,
    }
    asset_id: str = (await api.create("assets", fields, parent=project_id)).ok()["id"]
    return asset_id


async def _claim(api: Api, farm: str) -> dict[str, Any] | None:
    job: dict[str, Any] | None = (
        await api.action("jobs", "claim", fields={"kinds": ["render"]}, token=farm)
    ).ok()
    return job


async def _next_job(api: Api, farm: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while (job := await _claim(api, farm)) is None:
        assert time.monotonic() < deadline, "no render job was submitted"
        await asyncio.sleep(0.05)
    return job


async def _runs(api: Api, automation_id: str) -> list[dict[str, Any]]:
    return (await api.list("automation_runs", automation_id=automation_id, limit=100)).items


async def test_an_automation_is_not_started_by_what_it_rendered(
    api: Api, tenant: Tenant, backend: Backend
) -> None:
    project_id, template_id = await _studio(api, "self-loop")
    automation_id = await _asset_ready_render(api, project_id, "Grade", template_id)
    farm = await tenant.key(Scope.JOBS_EXECUTE, Scope.JOBS_READ, Scope.CONTENT_WRITE)
    async with running_worker(backend):
        clip = await _ready_asset(api, project_id, "take-1.mp4")
        job = await _next_job(api, farm)
        assert job["input"] == {"clip": clip} and job["automation_run_id"] is not None
        # The farm says where its output comes from when it registers it...
        rendered = await _ready_asset(api, project_id, "graded-1.mp4", job_id=job["id"])
        (
            await api.action(
                "jobs", "complete", job["id"], {"output_asset_id": rendered}, token=farm
            )
        ).ok()

        # ... or completes the job before its output becomes ready.
        second = await _ready_asset(api, project_id, "take-2.mp4")
        job = await _next_job(api, farm)
        output = (
            await api.create(
                "assets",
                {
                    "name": "graded-2.mp4",
                    "type": "video",
                    "mime_type": "video/mp4",
                    "url": "https://cdn.example.com/g2",
                },
                parent=project_id,
            )
        ).ok()
        (
            await api.action(
                "jobs", "complete", job["id"], {"output_asset_id": output["id"]}, token=farm
            )
        ).ok()
        linked = (await api.update("assets", output["id"], {"status": "ready"})).ok()
        assert linked["job_id"] == job["id"]

        runs = await _runs(api, automation_id)
        assert sorted(r["trigger"]["assetId"] for r in runs) == sorted([clip, second])
        assert {r["chain_depth"] for r in runs} == {0}
        assert await _claim(api, farm) is None

    # An asset the farm made for no automation still starts it; a job of another project
    # cannot be named.
    unrelated = await _ready_asset(api, project_id, "take-3.mp4")
    assert len(await _runs(api, automation_id)) == 3
    assert unrelated
    other_project, _ = await _studio(api, "self-loop-other")
    refused = await api.create(
        "assets",
        {
            "name": "x",
            "type": "video",
            "mime_type": "video/mp4",
            "url": "https://e.com/x",
            "job_id": job["id"],
        },
        parent=other_project,
    )
    assert refused.error == "VALIDATION_FAILED"
    assert refused.fields == [("job_id", "NOT_FOUND")]


async def test_automations_rendering_each_other_stop_at_the_chain_depth_limit(
    api: Api, tenant: Tenant, backend: Backend
) -> None:
    project_id, template_id = await _studio(api, "ping-pong")
    ping = await _asset_ready_render(api, project_id, "Ping", template_id)
    pong = await _asset_ready_render(api, project_id, "Pong", template_id)
    farm = await tenant.key(Scope.JOBS_EXECUTE, Scope.JOBS_READ, Scope.CONTENT_WRITE)
    rendered: dict[str, str] = {}
    async with running_worker(backend):
        await _ready_asset(api, project_id, "seed.mp4")
        deadline = time.monotonic() + WAIT
        while True:
            job = await _claim(api, farm)
            if job is not None:
                output = await _ready_asset(
                    api, project_id, f"out-{job['id']}.mp4", job_id=job["id"]
                )
                rendered[output] = job["automation_run_id"]
                done = await api.action(
                    "jobs", "complete", job["id"], {"output_asset_id": output}, token=farm
                )
                done.ok()
                continue
            runs = await _runs(api, ping) + await _runs(api, pong)
            if runs and all(r["status"] in ("succeeded", "failed") for r in runs):
                break
            assert time.monotonic() < deadline, [(r["id"], r["status"]) for r in runs]
            await asyncio.sleep(0.05)

    assert {r["status"] for r in runs} == {"succeeded"}
    depths = sorted(r["chain_depth"] for r in runs)
    assert depths == sorted([d for d in range(MAX_CHAIN_DEPTH + 1) for _ in (ping, pong)])
    by_id = {r["id"]: r for r in runs}
    for run in runs:
        source_run = rendered.get(run["trigger"]["assetId"])
        if source_run is None:
            assert run["chain_depth"] == 0
        else:
            assert by_id[source_run]["automation_id"] != run["automation_id"]
            assert run["chain_depth"] == by_id[source_run]["chain_depth"] + 1
