"""Jobs through GraphQL: submit with variables and quota, cancel, and the render-farm cycle."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.principal import Principal
from app.auth.scopes import Scope
from resolvers.context import Context
from resolvers.demo import seed_jobs
from tests.conftest import Tenant, count_statements
from tests.jobs_fixtures import (
    CLAIM,
    JOB_FIELDS,
    SUBMIT,
    add_asset,
    claim,
    create_project,
    create_template,
    error_fields,
    event_types,
    events_of,
    read_job,
    submit,
    submit_ok,
)

CANCEL = f"""
mutation($id: ID!) {{
  cancelJob(input: {{id: $id}}) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

PROGRESS = f"""
mutation($input: ReportJobProgressInput!) {{
  reportJobProgress(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

COMPLETE = f"""
mutation($input: CompleteJobInput!) {{
  completeJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

FAIL = f"""
mutation($input: FailJobInput!) {{
  failJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}"""

JOBS = """
query($projectId: ID, $first: Int, $filter: JobFilter) {
  jobs(projectId: $projectId, first: $first, filter: $filter) {
    nodes { id status kind project { id slug } template { id name } }
  }
}"""


async def project_usage(tenant: Tenant, project_id: str) -> int:
    result = await tenant.gql(
        "query($id: ID!) { project(id: $id) { renderUsage } }", {"id": project_id}
    )
    usage: int = result.ok()["project"]["renderUsage"]
    return usage


async def job_ids(tenant: Tenant, **filter: Any) -> list[str]:
    result = await tenant.gql(JOBS, {"filter": filter or None})
    return [n["id"] for n in result.ok()["jobs"]["nodes"]]


async def farm(tenant: Tenant, **extra: Any) -> str:
    return await tenant.key(Scope.JOBS_EXECUTE, Scope.JOBS_READ, **extra)


async def running_job(tenant: Tenant, slug: str) -> tuple[dict[str, Any], str]:
    """A claimed render job in a fresh project, and the token of the key that claimed it."""
    project = await create_project(tenant, slug)
    job = await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    token = await farm(tenant, project_ids=[project["id"]])
    claimed = await claim(tenant, token, ["RENDER"])
    assert claimed["job"]["id"] == job["id"]
    return claimed["job"], token


async def test_submit_merges_defaults_and_resolves_the_style(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-merge")
    template = await create_template(tenant, project["id"])
    job = await submit_ok(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"title": "Night shift", "size": 18.5, "shadow": True},
        input={"prompt": "rain"},
        metadata={"ticket": "VFX-1"},
    )
    assert job["id"].startswith("job_") and job["status"] == "QUEUED"
    assert job["variables"] == {
        "title": "Night shift",
        "size": 18.5,
        "accent": "#ff8800",
        "shadow": True,
        "mood": "calm",
    }
    assert job["resolvedStyle"] == {
        "heading": "Night shift",
        "font": {"size": 18.5, "family": "Inter"},
        "palette": ["#ff8800", "#000"],
        "shadow": True,
        "caption": "Night shift (calm, 18.5px)",
    }
    assert job["input"] == {"prompt": "rain"} and job["metadata"] == {"ticket": "VFX-1"}
    assert job["progress"] == 0 and job["version"] == 1
    assert await events_of(tenant, job["id"]) == [("job.queued", 1)]

    read = (
        await tenant.gql(
            "query($id: ID!) { job(id: $id) { project { id } template { id } outputAsset { id } } "
            "node(id: $id) { id ... on Job { status } } }",
            {"id": job["id"]},
        )
    ).ok()
    assert read["job"] == {
        "project": {"id": project["id"]},
        "template": {"id": template["id"]},
        "outputAsset": None,
    }
    assert read["node"] == {"id": job["id"], "status": "QUEUED"}


BAD_VARIABLES = [
    ("wrong type", {"title": "x", "size": "big"}, "size", "INVALID"),
    ("boolean is not a number", {"title": "x", "size": True}, "size", "INVALID"),
    ("missing required", {"size": 3}, "title", "REQUIRED"),
    ("explicit null for required", {"title": None}, "title", "REQUIRED"),
    ("unknown variable", {"title": "x", "colour": "#fff"}, "colour", "UNKNOWN_VARIABLE"),
    ("select option not in options", {"title": "x", "mood": "angry"}, "mood", "INVALID"),
    ("color format", {"title": "x", "accent": "orange"}, "accent", "INVALID"),
    ("color with alpha", {"title": "x", "accent": "#ff880080"}, "accent", "INVALID"),
    ("boolean as string", {"title": "x", "shadow": "true"}, "shadow", "INVALID"),
    ("number out of range", {"title": "x", "size": 1e300}, "size", "OUT_OF_RANGE"),
    ("string too long", {"title": "x" * 10_001}, "title", "TOO_LONG"),
]


@pytest.mark.parametrize(
    ("variables", "key", "code"),
    [case[1:] for case in BAD_VARIABLES],
    ids=[case[0] for case in BAD_VARIABLES],
)
async def test_bad_variables_are_refused_and_change_nothing(
    tenant: Tenant, variables: dict[str, Any], key: str, code: str
) -> None:
    project = await create_project(tenant, "job-bad-vars", renderQuota=5)
    template = await create_template(tenant, project["id"])
    payload = await submit(
        tenant,
        projectId=project["id"],
        kind="RENDER",
        templateId=template["id"],
        variables=variables,
    )
    assert payload["job"] is None
    assert error_fields(payload) == [(["input", "variables", key], code)]
    assert await job_ids(tenant) == []
    assert await project_usage(tenant, project["id"]) == 0
    assert await event_types(tenant, "job.") == []


async def test_every_variable_problem_is_reported_at_once(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-all-errors")
    template = await create_template(tenant, project["id"])
    payload = await submit(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"size": "x", "accent": "red", "extra": 1},
    )
    assert sorted(error_fields(payload)) == sorted(
        [
            (["input", "variables", "extra"], "UNKNOWN_VARIABLE"),
            (["input", "variables", "title"], "REQUIRED"),
            (["input", "variables", "size"], "INVALID"),
            (["input", "variables", "accent"], "INVALID"),
        ]
    )


async def test_variables_need_a_template(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-no-template")
    payload = await submit(tenant, projectId=project["id"], kind="GENERATE", variables={"a": 1})
    assert error_fields(payload) == [(["input", "variables", "a"], "UNKNOWN_VARIABLE")]
    not_object = await submit(tenant, projectId=project["id"], kind="GENERATE", variables=[1])
    assert error_fields(not_object) == [(["input", "variables"], "INVALID")]
    flood = {f"k{i}": i for i in range(51)}
    too_many = await submit(tenant, projectId=project["id"], kind="GENERATE", variables=flood)
    assert error_fields(too_many) == [(["input", "variables"], "TOO_LONG")]
    plain = await submit_ok(tenant, projectId=project["id"], kind="GENERATE")
    assert plain["templateId"] is None and plain["resolvedStyle"] is None


async def test_absent_optional_variable_resolves_to_null_or_empty_text(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-optional")
    template = await create_template(
        tenant,
        project["id"],
        style={"subtitle": "{{sub}}", "line": "by {{sub}}", "count": "{{n}} shots"},
        variables=[{"key": "sub", "type": "STRING"}, {"key": "n", "type": "NUMBER"}],
    )
    job = await submit_ok(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"n": 3},
    )
    assert job["variables"] == {"sub": None, "n": 3}
    assert job["resolvedStyle"] == {"subtitle": None, "line": "by ", "count": "3 shots"}


async def test_resolved_style_size_is_bounded(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-blowup")
    template = await create_template(
        tenant,
        project["id"],
        style={"parts": ["{{t}}"] * 200},
        variables=[{"key": "t", "type": "STRING"}],
    )
    payload = await submit(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"t": "x" * 9_000},
    )
    assert error_fields(payload) == [(["input", "variables"], "TOO_LONG")]


async def test_template_of_another_project_or_org_is_not_found(
    tenant: Tenant, make_tenant: Any
) -> None:
    project = await create_project(tenant, "job-tpl-a")
    elsewhere = await create_project(tenant, "job-tpl-b")
    template = await create_template(tenant, elsewhere["id"])
    payload = await submit(
        tenant, projectId=project["id"], kind="GENERATE", templateId=template["id"]
    )
    assert error_fields(payload) == [(["input", "templateId"], "NOT_FOUND")]

    other = await make_tenant()
    other_project = await create_project(other, "job-tpl-other")
    payload = await submit(
        other, projectId=other_project["id"], kind="GENERATE", templateId=template["id"]
    )
    assert error_fields(payload) == [(["input", "templateId"], "NOT_FOUND")]
    payload = await submit(other, projectId=project["id"], kind="GENERATE")
    assert error_fields(payload) == [(["input", "projectId"], "NOT_FOUND")]

    limited = await tenant.key(Scope.JOBS_WRITE, project_ids=[elsewhere["id"]])
    payload = await submit(tenant, limited, projectId=project["id"], kind="GENERATE")
    assert error_fields(payload) == [(["input", "projectId"], "NOT_FOUND")]


async def test_render_quota_is_enforced_and_counted(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-quota", renderQuota=2)
    for _ in range(2):
        await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    over = await submit(tenant, projectId=project["id"], kind="RENDER")
    assert over["job"] is None
    assert error_fields(over) == [(["input", "projectId"], "QUOTA_EXCEEDED")]
    assert await project_usage(tenant, project["id"]) == 2
    await submit_ok(tenant, projectId=project["id"], kind="GENERATE")
    assert len(await job_ids(tenant, kind="RENDER")) == 2
    assert len(await job_ids(tenant)) == 3


async def test_concurrent_submits_never_overrun_the_quota(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-quota-race", renderQuota=3)
    for _ in range(2):
        await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    results = await asyncio.gather(
        *(submit(tenant, projectId=project["id"], kind="RENDER") for _ in range(5))
    )
    accepted = [r for r in results if r["job"] is not None]
    refused = [r for r in results if r["job"] is None]
    assert len(accepted) == 1
    assert all(error_fields(r) == [(["input", "projectId"], "QUOTA_EXCEEDED")] for r in refused)
    assert await project_usage(tenant, project["id"]) == 3
    assert len(await job_ids(tenant)) == 3


@pytest.mark.parametrize("status", ["SUSPENDED", "ARCHIVED"])
async def test_inactive_project_takes_no_jobs(tenant: Tenant, status: str) -> None:
    project = await create_project(tenant, "job-inactive")
    if status == "ARCHIVED":
        await tenant.gql(
            "mutation($id: ID!) { archiveProject(input: {id: $id}) { project { id } } }", project
        )
    else:
        await tenant.gql(
            "mutation($id: ID!) { updateProject(input: {id: $id, status: SUSPENDED}) "
            "{ project { id } } }",
            project,
        )
    payload = await submit(tenant, projectId=project["id"], kind="GENERATE")
    assert error_fields(payload) == [(["input", "projectId"], "INVALID_STATE")]
    assert await job_ids(tenant) == []


async def test_cancel_only_queued_or_running(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-cancel")
    job = await submit_ok(tenant, projectId=project["id"], kind="GENERATE")
    cancelled = (await tenant.gql(CANCEL, job)).ok()["cancelJob"]
    assert cancelled["job"]["status"] == "CANCELLED" and cancelled["job"]["finishedAt"]
    again = (await tenant.gql(CANCEL, job)).ok()["cancelJob"]
    assert again["job"] is None
    assert error_fields(again) == [(["input", "id"], "INVALID_STATE")]
    assert await events_of(tenant, job["id"]) == [("job.queued", 1), ("job.cancelled", 2)]


async def test_claim_race_gives_each_job_to_exactly_one_claimer(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-claim-race")
    queued = {
        (await submit_ok(tenant, projectId=project["id"], kind="RENDER"))["id"] for _ in range(3)
    }
    tokens = [await farm(tenant) for _ in range(7)]
    results = await asyncio.gather(*(claim(tenant, t, ["RENDER"]) for t in tokens))
    assert all(r["userErrors"] == [] for r in results)
    claimed = [r["job"] for r in results if r["job"] is not None]
    assert sorted(j["id"] for j in claimed) == sorted(queued)
    assert len(claimed) == 3 and sum(r["job"] is None for r in results) == 4
    claimers = {j["claimedBy"] for j in claimed}
    assert len(claimers) == 3 and all(c.startswith("key_") for c in claimers)
    for job in claimed:
        assert job["status"] == "RUNNING" and job["startedAt"] and job["version"] == 2
        assert await events_of(tenant, job["id"]) == [("job.queued", 1), ("job.started", 2)]
    assert await claim(tenant, tokens[0], ["RENDER"]) == {"job": None, "userErrors": []}


async def test_claim_takes_oldest_of_requested_kinds_in_visible_projects(
    tenant: Tenant, make_tenant: Any
) -> None:
    mine = await create_project(tenant, "job-claim-mine")
    hidden = await create_project(tenant, "job-claim-hidden")
    hidden_job = await submit_ok(tenant, projectId=hidden["id"], kind="RENDER")
    generate = await submit_ok(tenant, projectId=mine["id"], kind="GENERATE")
    first = await submit_ok(tenant, projectId=mine["id"], kind="RENDER")
    second = await submit_ok(tenant, projectId=mine["id"], kind="RENDER")

    other = await make_tenant()
    outsider = await other.key(Scope.JOBS_EXECUTE)
    assert (await claim(other, outsider, ["RENDER", "GENERATE"]))["job"] is None

    token = await farm(tenant, project_ids=[mine["id"]])
    assert (await claim(tenant, token, ["RENDER"]))["job"]["id"] == first["id"]
    assert (await claim(tenant, token, ["RENDER"]))["job"]["id"] == second["id"]
    assert (await claim(tenant, token, ["RENDER"]))["job"] is None
    assert (await claim(tenant, token, ["GENERATE"]))["job"]["id"] == generate["id"]
    refused = await claim(tenant, token, ["RENDER"], projectId=hidden["id"])
    assert error_fields(refused) == [(["input", "projectId"], "NOT_FOUND")]
    assert (await read_job(tenant, hidden_job["id"]))["status"] == "QUEUED"  # type: ignore[index]
    assert error_fields(await claim(tenant, token, [])) == [(["input", "kinds"], "REQUIRED")]


async def test_claim_skips_jobs_of_inactive_projects(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-claim-archived")
    job = await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    await tenant.gql(
        "mutation($id: ID!) { archiveProject(input: {id: $id}) { project { id } } }", project
    )
    token = await farm(tenant, project_ids=[project["id"]])
    assert (await claim(tenant, token, ["RENDER"]))["job"] is None
    assert (await read_job(tenant, job["id"]))["status"] == "QUEUED"  # type: ignore[index]


async def test_execute_scope_is_required_and_separate(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-scopes")
    job = await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    partner = await tenant.key(Scope.JOBS_WRITE, Scope.JOBS_READ)
    refused = await tenant.gql(CLAIM, {"input": {"kinds": ["RENDER"]}}, token=partner)
    assert refused.codes == ["UNAUTHORIZED_SCOPE"]
    executor = await tenant.key(Scope.JOBS_EXECUTE)
    submit_refused = await tenant.gql(
        SUBMIT, {"input": {"projectId": project["id"], "kind": "RENDER"}}, token=executor
    )
    assert submit_refused.codes == ["UNAUTHORIZED_SCOPE"]
    assert (await tenant.gql(JOBS, token=executor)).codes == ["UNAUTHORIZED_SCOPE"]
    assert (await read_job(tenant, job["id"]))["status"] == "QUEUED"  # type: ignore[index]


async def test_farm_reports_progress_and_completes(tenant: Tenant) -> None:
    job, token = await running_job(tenant, "job-cycle")
    asset_id = await add_asset(tenant, job["projectId"])

    async def progress(value: int, message: str | None = None, tok: str = token) -> Any:
        return await tenant.gql(
            PROGRESS, {"input": {"id": job["id"], "progress": value, "message": message}}, token=tok
        )

    first = (await progress(10, "frames 1-24")).ok()["reportJobProgress"]["job"]
    assert (first["progress"], first["progressMessage"], first["version"]) == (10, "frames 1-24", 3)
    same = (await progress(10, "frames 1-24")).ok()["reportJobProgress"]["job"]
    assert same["version"] == 3
    back = (await progress(5)).ok()["reportJobProgress"]
    assert error_fields(back) == [(["input", "progress"], "OUT_OF_RANGE")]
    over = (await progress(101)).ok()["reportJobProgress"]
    assert error_fields(over) == [(["input", "progress"], "OUT_OF_RANGE")]

    intruder = await farm(tenant)
    assert (await progress(50, tok=intruder)).codes == ["FORBIDDEN"]
    stolen = await tenant.gql(
        COMPLETE, {"input": {"id": job["id"], "outputAssetId": asset_id}}, token=intruder
    )
    assert stolen.codes == ["FORBIDDEN"]

    done = (
        await tenant.gql(
            COMPLETE, {"input": {"id": job["id"], "outputAssetId": asset_id}}, token=token
        )
    ).ok()["completeJob"]
    assert done["userErrors"] == []
    assert done["job"]["status"] == "SUCCEEDED" and done["job"]["progress"] == 100
    assert done["job"]["outputAssetId"] == asset_id and done["job"]["finishedAt"]
    assert await events_of(tenant, job["id"]) == [
        ("job.queued", 1),
        ("job.started", 2),
        ("job.progressed", 3),
        ("job.completed", 4),
    ]
    late = (await progress(100)).ok()["reportJobProgress"]
    assert error_fields(late) == [(["input", "id"], "INVALID_STATE")]


async def test_complete_needs_an_asset_of_the_same_project(
    tenant: Tenant, make_tenant: Any
) -> None:
    job, token = await running_job(tenant, "job-asset")
    elsewhere = await create_project(tenant, "job-asset-other")
    foreign_asset = await add_asset(tenant, elsewhere["id"])
    other = await make_tenant()
    other_asset = await add_asset(other, (await create_project(other, "job-asset-org"))["id"])
    for asset_id in (foreign_asset, other_asset, "ast_01ARZ3NDEKTSV4RRFFQ69G5FAV"):
        result = (
            await tenant.gql(
                COMPLETE, {"input": {"id": job["id"], "outputAssetId": asset_id}}, token=token
            )
        ).ok()["completeJob"]
        assert error_fields(result) == [(["input", "outputAssetId"], "NOT_FOUND")]
    assert (await read_job(tenant, job["id"]))["status"] == "RUNNING"  # type: ignore[index]


async def test_fail_records_the_error(tenant: Tenant) -> None:
    job, token = await running_job(tenant, "job-fail")
    blank = (await tenant.gql(FAIL, {"input": {"id": job["id"], "error": " "}}, token=token)).ok()
    assert error_fields(blank["failJob"]) == [(["input", "error"], "REQUIRED")]
    failed = (
        await tenant.gql(FAIL, {"input": {"id": job["id"], "error": "GPU lost"}}, token=token)
    ).ok()["failJob"]["job"]
    assert failed["status"] == "FAILED" and failed["error"] == "GPU lost"
    assert (await events_of(tenant, job["id"]))[-1] == ("job.failed", failed["version"])


async def test_cancelled_job_cannot_be_progressed_completed_or_failed(tenant: Tenant) -> None:
    job, token = await running_job(tenant, "job-cancelled")
    asset_id = await add_asset(tenant, job["projectId"])
    cancelled = (await tenant.gql(CANCEL, job)).ok()["cancelJob"]["job"]
    attempts = [
        (PROGRESS, {"id": job["id"], "progress": 50}, "reportJobProgress"),
        (COMPLETE, {"id": job["id"], "outputAssetId": asset_id}, "completeJob"),
        (FAIL, {"id": job["id"], "error": "late"}, "failJob"),
    ]
    for document, input, name in attempts:
        payload = (await tenant.gql(document, {"input": input}, token=token)).ok()[name]
        assert payload["job"] is None
        assert error_fields(payload) == [(["input", "id"], "INVALID_STATE")]
    assert await read_job(tenant, job["id"]) == cancelled
    assert await events_of(tenant, job["id"]) == [
        ("job.queued", 1),
        ("job.started", 2),
        ("job.cancelled", 3),
    ]


async def test_other_organisation_cannot_touch_jobs(tenant: Tenant, make_tenant: Any) -> None:
    job, _ = await running_job(tenant, "job-private")
    other = await make_tenant()
    read = (
        await other.gql("query($id: ID!) { job(id: $id) { id } node(id: $id) { id } }", job)
    ).ok()
    assert read == {"job": None, "node": None}
    assert (await other.gql(JOBS)).ok()["jobs"]["nodes"] == []
    cancel = (await other.gql(CANCEL, job)).ok()["cancelJob"]
    assert error_fields(cancel) == [(["input", "id"], "NOT_FOUND")]
    progress = (await other.gql(PROGRESS, {"input": {"id": job["id"], "progress": 90}})).ok()[
        "reportJobProgress"
    ]
    assert error_fields(progress) == [(["input", "id"], "NOT_FOUND")]
    assert (await read_job(tenant, job["id"]))["status"] == "RUNNING"  # type: ignore[index]


async def test_list_filters_and_constant_statements(tenant: Tenant, services: Any) -> None:
    project = await create_project(tenant, "job-list")
    template = await create_template(tenant, project["id"])
    for i in range(4):
        await submit_ok(
            tenant,
            projectId=project["id"],
            kind="GENERATE" if i % 2 else "RENDER",
            templateId=template["id"],
            variables={"title": f"T{i}"},
        )
    last = await submit_ok(
        tenant,
        projectId=project["id"],
        kind="GENERATE",
        templateId=template["id"],
        variables={"title": "Last"},
    )
    cancelled = await submit_ok(tenant, projectId=project["id"], kind="RENDER")
    await tenant.gql(CANCEL, cancelled)
    assert await job_ids(tenant, updatedAfter=last["updatedAt"]) == [cancelled["id"]]

    assert len(await job_ids(tenant, kind="GENERATE")) == 3
    assert await job_ids(tenant, status="CANCELLED") == [cancelled["id"]]
    assert len(await job_ids(tenant, templateId=template["id"])) == 5

    with count_statements(services) as statements:
        (await tenant.gql(JOBS, {"projectId": project["id"], "first": 2})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await tenant.gql(JOBS, {"projectId": project["id"], "first": 5})).ok()
    assert len(statements) == small
    nodes = page["jobs"]["nodes"]
    assert len(nodes) == 5
    assert {n["project"]["slug"] for n in nodes} == {"job-list"}
    assert sum(n["template"] is not None for n in nodes) == 4


async def test_demo_jobs_seed_through_the_resolvers(tenant: Tenant) -> None:
    project = await create_project(tenant, "job-demo")
    principal = Principal(
        key_id="key_demo", org_id=tenant.org_id, scopes=frozenset({Scope.ADMIN}), project_ids=None
    )
    services = tenant.services
    await seed_jobs(
        Context(db=services.db, settings=services.settings, principal=principal), project["id"]
    )
    result = (
        await tenant.gql(
            "query($id: ID) { jobs(projectId: $id, orderBy: {direction: ASC}) { nodes { "
            "kind status progress template { name } resolvedStyle } } }",
            {"id": project["id"]},
        )
    ).ok()
    generate, render = result["jobs"]["nodes"]
    assert (generate["kind"], generate["status"]) == ("GENERATE", "QUEUED")
    assert generate["resolvedStyle"]["text"] == "The Long Night"
    assert (render["kind"], render["status"], render["progress"]) == ("RENDER", "RUNNING", 40)
    assert render["template"] == {"name": "Title card"}


async def test_completed_job_exposes_its_output_asset(tenant: Any) -> None:
    """``Job.outputAsset`` resolves to the Asset type through the dataloader."""
    project = (
        await tenant.gql(
            'mutation { createProject(input: {slug: "out-asset", name: "Out"}) { project { id } } }'
        )
    ).ok()["createProject"]["project"]
    asset = (
        await tenant.gql(
            'mutation($p: ID!) { createAsset(input: {projectId: $p, name: "frame", type: IMAGE, '
            'mimeType: "image/png", status: READY}) { asset { id } userErrors { code } } }',
            {"p": project["id"]},
        )
    ).ok()["createAsset"]["asset"]
    job = (
        await tenant.gql(
            "mutation($p: ID!) { submitJob(input: {projectId: $p, kind: GENERATE}) { job { id } } }",
            {"p": project["id"]},
        )
    ).ok()["submitJob"]["job"]
    claimed = (
        await tenant.gql("mutation { claimJob(input: {kinds: [GENERATE]}) { job { id } } }")
    ).ok()["claimJob"]["job"]
    assert claimed == job
    done = (
        await tenant.gql(
            "mutation($j: ID!, $a: ID!) { completeJob(input: {id: $j, outputAssetId: $a}) { "
            "job { status outputAsset { id name mimeType } } userErrors { code } } }",
            {"j": job["id"], "a": asset["id"]},
        )
    ).ok()["completeJob"]
    assert done["userErrors"] == []
    assert done["job"]["outputAsset"] == {
        "id": asset["id"],
        "name": "frame",
        "mimeType": "image/png",
    }
