"""A render farm runs with one ``jobs:execute`` key, end to end, as Renderowl's farm does:
claim, re-read its job, report progress, register the output asset, complete. The key sees the
jobs it claimed and registers outputs for them, and for nothing else."""

from __future__ import annotations

from typing import Any

from app.auth.scopes import Scope
from tests.api_client import Api
from tests.jobs_fixtures import claim, create_project, submit_ok

OUTPUT = {
    "name": "shot-010.mp4",
    "type": "video",
    "mime_type": "video/mp4",
    "url": "https://cdn.example.com/renders/shot-010.mp4",
    "sha256": "a" * 64,
    "size_bytes": 1048576,
    "status": "ready",
}


async def _register(api: Api, project_id: str, token: str, **extra: Any) -> Any:
    return await api.create("assets", {**OUTPUT, **extra}, parent=project_id, token=token)


async def test_a_farm_runs_a_render_with_one_key(api: Api) -> None:
    project = await create_project(api, "farm-run")
    first = await submit_ok(api, project["id"], kind="render", input={"frames": "1-48"})
    second = await submit_ok(api, project["id"], kind="render")
    farm = await api.tenant.key(Scope.JOBS_EXECUTE)

    assert (await api.list("jobs", token=farm)).ok() == []
    assert (await api.get("jobs", first["id"], token=farm)).on_rest(404).error == "NOT_FOUND"

    job = (await claim(api, farm, ["render"])).ok()
    assert job["id"] == first["id"] and job["input"] == {"frames": "1-48"}
    again = (await api.get("jobs", job["id"], token=farm)).ok()
    assert (again["status"], again["claimed_by"]) == ("running", job["claimed_by"])
    assert [j["id"] for j in (await api.list("jobs", token=farm)).ok()] == [job["id"]]
    assert (await api.get("jobs", second["id"], token=farm)).error == "NOT_FOUND"

    progressed = await api.action(
        "jobs", "report_progress", job["id"], {"progress": 60}, token=farm
    )
    assert progressed.ok()["progress"] == 60

    asset = (await _register(api, project["id"], farm, job_id=job["id"])).on_rest(201).ok()
    assert (asset["job_id"], asset["status"], asset["name"]) == (job["id"], "ready", "shot-010.mp4")

    done = await api.action(
        "jobs", "complete", job["id"], {"output_asset_id": asset["id"]}, token=farm
    )
    assert (done.ok()["status"], done.ok()["output_asset_id"]) == ("succeeded", asset["id"])
    seen = (await api.get("assets", asset["id"])).ok()
    assert seen["job_id"] == job["id"]
    late = await _register(api, project["id"], farm, job_id=job["id"])
    assert late.fields == [("job_id", "INVALID_STATE")]


async def test_a_farm_key_registers_outputs_only_for_its_own_running_jobs(api: Api) -> None:
    project = await create_project(api, "farm-limits")
    other_project = await create_project(api, "farm-limits-b")
    await submit_ok(api, project["id"], kind="render")
    await submit_ok(api, project["id"], kind="render")
    farm = await api.tenant.key(Scope.JOBS_EXECUTE)
    rival = await api.tenant.key(Scope.JOBS_EXECUTE)
    mine = (await claim(api, farm, ["render"])).ok()
    theirs = (await claim(api, rival, ["render"])).ok()

    without_job = await _register(api, project["id"], farm)
    assert without_job.on_rest(403).error == "UNAUTHORIZED_SCOPE"
    stolen = await _register(api, project["id"], farm, job_id=theirs["id"])
    assert stolen.on_rest(403).error == "FORBIDDEN"
    elsewhere = await _register(api, other_project["id"], farm, job_id=mine["id"])
    assert elsewhere.on_rest(422).fields == [("job_id", "NOT_FOUND")]
    unknown = await _register(api, project["id"], farm, job_id="job_01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert unknown.fields == [("job_id", "NOT_FOUND")]
    assert (await api.get("jobs", theirs["id"], token=farm)).error == "NOT_FOUND"
    assert (await api.list("assets", token=farm)).error == "UNAUTHORIZED_SCOPE"
    assert (await api.get("projects", project["id"], token=farm)).error == "UNAUTHORIZED_SCOPE"
    listed = await api.list("assets", project_id=project["id"])
    assert listed.ok() == []


async def test_content_write_keys_may_link_any_job_of_the_project(api: Api) -> None:
    project = await create_project(api, "farm-link")
    job = await submit_ok(api, project["id"], kind="generate")
    linked = (await _register(api, project["id"], api.token, job_id=job["id"])).ok()
    assert linked["job_id"] == job["id"]
    plain = (await _register(api, project["id"], api.token)).ok()
    assert plain["job_id"] is None
