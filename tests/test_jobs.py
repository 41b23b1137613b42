"""Jobs: submit with variables and quota, cancel, and the render-farm cycle.

Tests taking ``api`` run once through ``/graphql`` and once through ``/v1`` with the same
assertions (``tests/api_client.py``); ``test_graphql_...`` ones are about what only GraphQL has
(``node``, relations). Submitting, claiming and reporting are REST actions
(``POST /v1/projects/{id}/jobs/submit``, ``/v1/jobs/claim``, ``/v1/jobs/{id}/complete``...).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.auth.principal import Principal
from app.auth.scopes import Scope
from resolvers.context import Context
from resolvers.demo import seed_jobs
from tests.api_client import Api, Outcome
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST, MakeApi, alternating
from tests.asset_fixtures import PLATE
from tests.conftest import count_statements
from tests.jobs_fixtures import (
    add_asset,
    claim,
    create_project,
    create_template,
    event_types,
    events_of,
    farm,
    read_job,
    submit,
    submit_ok,
)


async def project_usage(api: Api, project_id: str) -> int:
    usage: int = (await api.get("projects", project_id)).ok()["render_usage"]
    return usage


async def job_ids(api: Api, **params: Any) -> list[str]:
    return (await api.list("jobs", **params)).ids


async def running_job(api: Api, slug: str) -> tuple[dict[str, Any], str]:
    """A claimed render job in a fresh project, and the token of the key that claimed it."""
    project = await create_project(api, slug)
    job = await submit_ok(api, project["id"], kind="render")
    token = await farm(api, project_ids=[project["id"]])
    claimed = (await claim(api, token, ["render"])).ok()
    assert claimed["id"] == job["id"]
    return claimed, token


async def test_submit_merges_defaults_and_resolves_the_style(api: Api) -> None:
    project = await create_project(api, "job-merge")
    template = await create_template(api, project["id"])
    submitted = await submit(
        api,
        project["id"],
        kind="generate",
        template_id=template["id"],
        variables={"title": "Night shift", "size": 18.5, "shadow": True},
        input={"prompt": "rain"},
        metadata={"ticket": "VFX-1"},
    )
    job = submitted.on_rest(201).ok()
    assert job["id"].startswith("job_") and job["status"] == "queued"
    if api.transport == "rest":
        assert submitted.headers["location"] == f"/v1/jobs/{job['id']}"
    assert (job["project_id"], job["template_id"], job["output_asset_id"]) == (
        project["id"],
        template["id"],
        None,
    )
    assert job["variables"] == {
        "title": "Night shift",
        "size": 18.5,
        "accent": "#ff8800",
        "shadow": True,
        "mood": "calm",
    }
    assert job["resolved_style"] == {
        "heading": "Night shift",
        "font": {"size": 18.5, "family": "Inter"},
        "palette": ["#ff8800", "#000"],
        "shadow": True,
        "caption": "Night shift (calm, 18.5px)",
    }
    assert job["input"] == {"prompt": "rain"} and job["metadata"] == {"ticket": "VFX-1"}
    assert job["progress"] == 0 and job["version"] == 1
    assert await read_job(api, job["id"]) == job
    assert await events_of(api.tenant, job["id"]) == [("job.queued", 1)]


@ONLY_GRAPHQL
async def test_graphql_node_and_relations(api: Api, make_api: MakeApi) -> None:
    project = await create_project(api, "job-node")
    template = await create_template(api, project["id"])
    job = await submit_ok(
        api, project["id"], kind="generate", template_id=template["id"], variables={"title": "T"}
    )
    read = (
        await api.tenant.gql(
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
    other = await make_api()
    hidden = await other.tenant.gql("query($id: ID!) { node(id: $id) { id } }", {"id": job["id"]})
    assert hidden.ok() == {"node": None}


BAD_VARIABLES = [
    ("wrong type", {"title": "x", "size": "big"}, "size", "INVALID"),
    ("boolean is not a number", {"title": "x", "size": True}, "size", "INVALID"),
    ("missing required", {"size": 3}, "title", "REQUIRED"),
    ("explicit null for required", {"title": None}, "title", "REQUIRED"),
    ("unknown variable", {"title": "x", "colour": "#fff"}, "colour", "UNKNOWN_VARIABLE"),
    ("unknown camelCase variable", {"title": "x", "fontSize": 3}, "fontSize", "UNKNOWN_VARIABLE"),
    ("select option not in options", {"title": "x", "mood": "angry"}, "mood", "INVALID"),
    ("color format", {"title": "x", "accent": "orange"}, "accent", "INVALID"),
    ("color with alpha", {"title": "x", "accent": "#ff880080"}, "accent", "INVALID"),
    ("boolean as string", {"title": "x", "shadow": "true"}, "shadow", "INVALID"),
    ("number out of range", {"title": "x", "size": 1e300}, "size", "OUT_OF_RANGE"),
    ("string too long", {"title": "x" * 10_001}, "title", "TOO_LONG"),
]


@pytest.mark.parametrize(
    ("transport", "variables", "key", "code"),
    alternating([case[1:] for case in BAD_VARIABLES], ids=[case[0] for case in BAD_VARIABLES]),
)
async def test_bad_variables_are_refused_and_change_nothing(
    api: Api, variables: dict[str, Any], key: str, code: str
) -> None:
    project = await create_project(api, "job-bad-vars", render_quota=5)
    template = await create_template(api, project["id"])
    refused = await submit(
        api, project["id"], kind="render", template_id=template["id"], variables=variables
    )
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert refused.fields == [(f"variables.{key}", code)]
    assert await job_ids(api) == []
    assert await project_usage(api, project["id"]) == 0
    assert await event_types(api.tenant, "job.") == []


@ONLY_REST
async def test_rest_wrong_types_are_422_naming_the_field(api: Api) -> None:
    """REST's own checks of a body before any GraphQL runs."""
    project = await create_project(api, "job-rest-types")
    job = await submit_ok(api, project["id"], kind="render")
    farm_key = await farm(api)
    attempts = [
        (submit(api, project["id"], kind="paint"), [("kind", "INVALID")]),
        (submit(api, project["id"]), [("kind", "REQUIRED")]),
        (
            submit(api, project["id"], kind="render", template_id=["tpl_x"]),
            [("template_id", "INVALID")],
        ),
        (
            api.action("jobs", "claim", fields={"kinds": "render"}, token=farm_key),
            [("kinds", "INVALID")],
        ),
        (claim(api, farm_key, ["paint"]), [("kinds.0", "INVALID")]),
        (
            api.action("jobs", "report_progress", job["id"], {"progress": "10"}, token=farm_key),
            [("progress", "INVALID")],
        ),
        (api.action("jobs", "cancel", job["id"], {"reason": "x"}), [("reason", "UNKNOWN_FIELD")]),
    ]
    for attempt, expected in attempts:
        refused = await attempt
        assert refused.on_rest(422).fields == expected, expected
    assert await job_ids(api) == [job["id"]]
    assert (await read_job(api, job["id"]))["status"] == "queued"


async def test_variable_keys_are_named_as_the_template_spells_them(api: Api) -> None:
    """Template variable keys are the partner's data, not schema fields: REST must not
    snake_case them in error fields (``variables.fontSize``, not ``variables.font_size``)."""
    project = await create_project(api, "job-var-case")
    template = await create_template(
        api,
        project["id"],
        style={"size": "{{fontSize}}"},
        variables=[{"key": "fontSize", "type": "number", "required": True}],
    )
    refused = await submit(
        api, project["id"], kind="generate", template_id=template["id"], variables={}
    )
    assert refused.fields == [("variables.fontSize", "REQUIRED")]
    assert refused.message == "Invalid request: `variables.fontSize` is required."
    job = await submit_ok(
        api, project["id"], kind="generate", template_id=template["id"], variables={"fontSize": 9}
    )
    assert job["resolved_style"] == {"size": 9}


@ONLY_REST
async def test_every_variable_problem_is_reported_at_once(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project = await create_project(api, "job-all-errors")
    template = await create_template(api, project["id"])
    refused = await submit(
        api,
        project["id"],
        kind="generate",
        template_id=template["id"],
        variables={"size": "x", "accent": "red", "extra": 1},
    )
    assert sorted(refused.fields) == [
        ("variables.accent", "INVALID"),
        ("variables.extra", "UNKNOWN_VARIABLE"),
        ("variables.size", "INVALID"),
        ("variables.title", "REQUIRED"),
    ]


async def test_variables_need_a_template(api: Api) -> None:
    project = await create_project(api, "job-no-template")
    refused = await submit(api, project["id"], kind="generate", variables={"a": 1})
    assert refused.on_rest(422).fields == [("variables.a", "UNKNOWN_VARIABLE")]
    not_object = await submit(api, project["id"], kind="generate", variables=[1])
    assert not_object.fields == [("variables", "INVALID")]
    flood = {f"k{i}": i for i in range(51)}
    too_many = await submit(api, project["id"], kind="generate", variables=flood)
    assert too_many.fields == [("variables", "TOO_LONG")]
    plain = await submit_ok(api, project["id"], kind="generate")
    assert plain["template_id"] is None and plain["resolved_style"] is None


@ONLY_REST
async def test_absent_optional_variable_resolves_to_null_or_empty_text(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project = await create_project(api, "job-optional")
    template = await create_template(
        api,
        project["id"],
        style={"subtitle": "{{sub}}", "line": "by {{sub}}", "count": "{{n}} shots"},
        variables=[{"key": "sub", "type": "string"}, {"key": "n", "type": "number"}],
    )
    job = await submit_ok(
        api, project["id"], kind="generate", template_id=template["id"], variables={"n": 3}
    )
    assert job["variables"] == {"sub": None, "n": 3}
    assert job["resolved_style"] == {"subtitle": None, "line": "by ", "count": "3 shots"}


@ONLY_REST
async def test_resolved_style_size_is_bounded(api: Api) -> None:
    """A resolver rule: one transport proves it."""
    project = await create_project(api, "job-blowup")
    template = await create_template(
        api,
        project["id"],
        style={"parts": ["{{t}}"] * 200},
        variables=[{"key": "t", "type": "string"}],
    )
    refused = await submit(
        api,
        project["id"],
        kind="generate",
        template_id=template["id"],
        variables={"t": "x" * 9_000},
    )
    assert refused.fields == [("variables", "TOO_LONG")]


async def test_template_of_another_project_or_org_is_not_found(api: Api, make_api: MakeApi) -> None:
    project = await create_project(api, "job-tpl-a")
    elsewhere = await create_project(api, "job-tpl-b")
    template = await create_template(api, elsewhere["id"])
    refused = await submit(api, project["id"], kind="generate", template_id=template["id"])
    assert refused.on_rest(422).fields == [("template_id", "NOT_FOUND")]

    other = await make_api()
    other_project = await create_project(other, "job-tpl-other")
    refused = await submit(other, other_project["id"], kind="generate", template_id=template["id"])
    assert refused.fields == [("template_id", "NOT_FOUND")]
    hidden = await submit(other, project["id"], kind="generate")
    assert hidden.on_rest(404).error == "NOT_FOUND"

    limited = await api.tenant.key(Scope.JOBS_WRITE, project_ids=[elsewhere["id"]])
    outside = await submit(api, project["id"], kind="generate", token=limited)
    assert outside.on_rest(404).error == "NOT_FOUND"


async def test_render_quota_is_enforced_and_counted(api: Api) -> None:
    project = await create_project(api, "job-quota", render_quota=2)
    for _ in range(2):
        await submit_ok(api, project["id"], kind="render")
    over = await submit(api, project["id"], kind="render")
    assert over.on_rest(429).fields == [("project_id", "QUOTA_EXCEEDED")]
    assert over.error == "QUOTA_EXCEEDED" and "retry-after" not in over.headers
    assert await project_usage(api, project["id"]) == 2
    await submit_ok(api, project["id"], kind="generate")
    assert len(await job_ids(api, kind="render")) == 2
    assert len(await job_ids(api)) == 3


async def test_concurrent_submits_never_overrun_the_quota(api: Api) -> None:
    project = await create_project(api, "job-quota-race", render_quota=3)
    for _ in range(2):
        await submit_ok(api, project["id"], kind="render")
    results = await asyncio.gather(*(submit(api, project["id"], kind="render") for _ in range(5)))
    accepted = [r for r in results if r.error is None]
    refused = [r for r in results if r.error is not None]
    assert len(accepted) == 1
    assert all(r.fields == [("project_id", "QUOTA_EXCEEDED")] for r in refused)
    assert await project_usage(api, project["id"]) == 3
    assert len(await job_ids(api)) == 3


@pytest.mark.parametrize(("transport", "status"), alternating(["suspended", "archived"]))
async def test_inactive_project_takes_no_jobs(api: Api, status: str) -> None:
    project = await create_project(api, "job-inactive")
    if status == "archived":
        (await api.delete("projects", project["id"])).ok()
    else:
        (await api.update("projects", project["id"], {"status": status})).ok()
    refused = await submit(api, project["id"], kind="generate")
    assert refused.on_rest(422).fields == [("project_id", "INVALID_STATE")]
    assert await job_ids(api) == []


async def test_cancel_only_queued_or_running(api: Api) -> None:
    project = await create_project(api, "job-cancel")
    job = await submit_ok(api, project["id"], kind="generate")
    cancelled = (await api.action("jobs", "cancel", job["id"])).on_rest(200).ok()
    assert cancelled["status"] == "cancelled" and cancelled["finished_at"]
    again = await api.action("jobs", "cancel", job["id"])
    assert again.on_rest(422).fields == [("id", "INVALID_STATE")]
    assert await events_of(api.tenant, job["id"]) == [("job.queued", 1), ("job.cancelled", 2)]


async def test_claim_race_gives_each_job_to_exactly_one_claimer(api: Api) -> None:
    project = await create_project(api, "job-claim-race")
    queued = {(await submit_ok(api, project["id"], kind="render"))["id"] for _ in range(3)}
    tokens = [await farm(api) for _ in range(7)]
    results = await asyncio.gather(*(claim(api, t, ["render"]) for t in tokens))
    claimed = [r.ok() for r in results if r.ok() is not None]
    assert sorted(j["id"] for j in claimed) == sorted(queued)
    assert len(claimed) == 3 and sum(r.value is None for r in results) == 4
    claimers = {j["claimed_by"] for j in claimed}
    assert len(claimers) == 3 and all(c.startswith("key_") for c in claimers)
    for job in claimed:
        assert job["status"] == "running" and job["started_at"] and job["version"] == 2
        assert await events_of(api.tenant, job["id"]) == [("job.queued", 1), ("job.started", 2)]
    nothing = await claim(api, tokens[0], ["render"])
    assert nothing.on_rest(204).ok() is None


async def test_claim_takes_oldest_of_requested_kinds_in_visible_projects(
    api: Api, make_api: MakeApi
) -> None:
    mine = await create_project(api, "job-claim-mine")
    hidden = await create_project(api, "job-claim-hidden")
    hidden_job = await submit_ok(api, hidden["id"], kind="render")
    generate = await submit_ok(api, mine["id"], kind="generate")
    first = await submit_ok(api, mine["id"], kind="render")
    second = await submit_ok(api, mine["id"], kind="render")

    other = await make_api()
    outsider = await other.tenant.key(Scope.JOBS_EXECUTE)
    assert (await claim(other, outsider, ["render", "generate"])).ok() is None

    token = await farm(api, project_ids=[mine["id"]])

    async def claimed(outcome: Outcome) -> str | None:
        job = outcome.ok()
        return None if job is None else str(job["id"])

    assert await claimed(await claim(api, token, ["render"])) == first["id"]
    assert await claimed(await claim(api, token, ["render"])) == second["id"]
    assert await claimed(await claim(api, token, ["render"])) is None
    assert await claimed(await claim(api, token, ["generate"])) == generate["id"]
    refused = await claim(api, token, ["render"], project_id=hidden["id"])
    assert refused.on_rest(422).fields == [("project_id", "NOT_FOUND")]
    assert (await read_job(api, hidden_job["id"]))["status"] == "queued"
    assert (await claim(api, token, [])).fields == [("kinds", "REQUIRED")]


async def test_claim_skips_jobs_of_inactive_projects(api: Api) -> None:
    project = await create_project(api, "job-claim-archived")
    job = await submit_ok(api, project["id"], kind="render")
    (await api.delete("projects", project["id"])).ok()
    token = await farm(api, project_ids=[project["id"]])
    assert (await claim(api, token, ["render"])).ok() is None
    assert (await read_job(api, job["id"]))["status"] == "queued"


async def test_execute_scope_is_required_and_separate(api: Api) -> None:
    project = await create_project(api, "job-scopes")
    job = await submit_ok(api, project["id"], kind="render")
    partner = await api.tenant.key(Scope.JOBS_WRITE, Scope.JOBS_READ)
    refused = await claim(api, partner, ["render"])
    assert refused.on_rest(403).error == "UNAUTHORIZED_SCOPE"
    executor = await api.tenant.key(Scope.JOBS_EXECUTE)
    submit_refused = await submit(api, project["id"], kind="render", token=executor)
    assert submit_refused.error == "UNAUTHORIZED_SCOPE"
    assert (await api.list("jobs", token=executor)).ok() == []
    writer = await api.tenant.key(Scope.JOBS_WRITE)
    assert (await api.list("jobs", token=writer)).error == "UNAUTHORIZED_SCOPE"
    assert (await read_job(api, job["id"]))["status"] == "queued"


async def test_farm_reports_progress_and_completes(api: Api) -> None:
    job, token = await running_job(api, "job-cycle")
    asset_id = await add_asset(api.tenant, job["project_id"])

    async def progress(value: int, message: str | None = None, tok: str = token) -> Outcome:
        fields = {"progress": value, "message": message}
        return await api.action("jobs", "report_progress", job["id"], fields, token=tok)

    first = (await progress(10, "frames 1-24")).ok()
    assert (first["progress"], first["progress_message"], first["version"]) == (
        10,
        "frames 1-24",
        3,
    )
    assert (await progress(10, "frames 1-24")).ok()["version"] == 3
    assert (await progress(5)).on_rest(422).fields == [("progress", "OUT_OF_RANGE")]
    assert (await progress(101)).fields == [("progress", "OUT_OF_RANGE")]

    intruder = await farm(api)
    assert (await progress(50, tok=intruder)).on_rest(403).error == "FORBIDDEN"
    stolen = await api.action(
        "jobs", "complete", job["id"], {"output_asset_id": asset_id}, token=intruder
    )
    assert stolen.error == "FORBIDDEN"

    done = (
        await api.action("jobs", "complete", job["id"], {"output_asset_id": asset_id}, token=token)
    ).ok()
    assert done["status"] == "succeeded" and done["progress"] == 100
    assert done["output_asset_id"] == asset_id and done["finished_at"]
    assert await events_of(api.tenant, job["id"]) == [
        ("job.queued", 1),
        ("job.started", 2),
        ("job.progressed", 3),
        ("job.completed", 4),
    ]
    assert (await progress(100)).fields == [("id", "INVALID_STATE")]


async def test_complete_needs_an_asset_of_the_same_project(api: Api, make_api: MakeApi) -> None:
    job, token = await running_job(api, "job-asset")
    elsewhere = await create_project(api, "job-asset-other")
    foreign_asset = await add_asset(api.tenant, elsewhere["id"])
    other = await make_api()
    other_asset = await add_asset(
        other.tenant, (await create_project(other, "job-asset-org"))["id"]
    )
    for asset_id in (foreign_asset, other_asset, "ast_01ARZ3NDEKTSV4RRFFQ69G5FAV"):
        refused = await api.action(
            "jobs", "complete", job["id"], {"output_asset_id": asset_id}, token=token
        )
        assert refused.on_rest(422).fields == [("output_asset_id", "NOT_FOUND")]
    assert (await read_job(api, job["id"]))["status"] == "running"


async def test_fail_records_the_error(api: Api) -> None:
    job, token = await running_job(api, "job-fail")
    blank = await api.action("jobs", "fail", job["id"], {"error": " "}, token=token)
    assert blank.on_rest(422).fields == [("error", "REQUIRED")]
    failed = (await api.action("jobs", "fail", job["id"], {"error": "GPU lost"}, token=token)).ok()
    assert failed["status"] == "failed" and failed["error"] == "GPU lost"
    assert (await events_of(api.tenant, job["id"]))[-1] == ("job.failed", failed["version"])


async def test_cancelled_job_cannot_be_progressed_completed_or_failed(api: Api) -> None:
    job, token = await running_job(api, "job-cancelled")
    asset_id = await add_asset(api.tenant, job["project_id"])
    cancelled = (await api.action("jobs", "cancel", job["id"])).ok()
    for verb, fields in (
        ("report_progress", {"progress": 50}),
        ("complete", {"output_asset_id": asset_id}),
        ("fail", {"error": "late"}),
    ):
        refused = await api.action("jobs", verb, job["id"], fields, token=token)
        assert refused.on_rest(422).fields == [("id", "INVALID_STATE")], verb
    assert await read_job(api, job["id"]) == cancelled
    assert await events_of(api.tenant, job["id"]) == [
        ("job.queued", 1),
        ("job.started", 2),
        ("job.cancelled", 3),
    ]


async def test_other_organisation_cannot_touch_jobs(api: Api, make_api: MakeApi) -> None:
    job, _ = await running_job(api, "job-private")
    other = await make_api()
    assert (await other.get("jobs", job["id"])).on_rest(404).error == "NOT_FOUND"
    assert await job_ids(other) == []
    assert (await other.action("jobs", "cancel", job["id"])).on_rest(404).error == "NOT_FOUND"
    progress = await other.action("jobs", "report_progress", job["id"], {"progress": 90})
    assert progress.on_rest(404).error == "NOT_FOUND"
    assert (await read_job(api, job["id"]))["status"] == "running"


async def test_list_filters_and_constant_statements(api: Api, services: Any) -> None:
    project = await create_project(api, "job-list")
    template = await create_template(api, project["id"])
    for i in range(4):
        await submit_ok(
            api,
            project["id"],
            kind="generate" if i % 2 else "render",
            template_id=template["id"],
            variables={"title": f"T{i}"},
        )
    last = await submit_ok(
        api, project["id"], kind="generate", template_id=template["id"], variables={"title": "L"}
    )
    cancelled = await submit_ok(api, project["id"], kind="render")
    (await api.action("jobs", "cancel", cancelled["id"])).ok()
    assert await job_ids(api, updated_after=last["updated_at"]) == [cancelled["id"]]

    assert len(await job_ids(api, kind="generate")) == 3
    assert await job_ids(api, status="cancelled") == [cancelled["id"]]
    assert len(await job_ids(api, template_id=template["id"])) == 5

    with count_statements(services) as statements:
        (await api.list("jobs", project_id=project["id"], limit=2)).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await api.list("jobs", project_id=project["id"], limit=5)).ok()
    assert len(statements) == small
    assert len(page) == 5
    assert {j["project_id"] for j in page} == {project["id"]}
    assert sum(j["template_id"] is not None for j in page) == 4


@ONLY_GRAPHQL
async def test_graphql_job_relations_cost_constant_statements(api: Api, services: Any) -> None:
    project = await create_project(api, "job-list-relations")
    template = await create_template(api, project["id"])
    for _ in range(5):
        await submit_ok(
            api,
            project["id"],
            kind="generate",
            template_id=template["id"],
            variables={"title": "T"},
        )
    query = (
        "query($first: Int) { jobs(first: $first) { nodes { project { slug } "
        "template { name } } } }"
    )
    with count_statements(services) as statements:
        (await api.tenant.gql(query, {"first": 2})).ok()
    small = len(statements)
    with count_statements(services) as statements:
        page = (await api.tenant.gql(query, {"first": 5})).ok()
    assert len(statements) == small
    assert (
        page["jobs"]["nodes"]
        == [{"project": {"slug": "job-list-relations"}, "template": {"name": "Lower third"}}] * 5
    )


@ONLY_REST
async def test_demo_jobs_seed_through_the_resolvers(api: Api) -> None:
    """About the seed, not the transport: one suffices."""
    project = await create_project(api, "job-demo")
    principal = Principal(
        credential_id="key_demo",
        org_id=api.tenant.org_id,
        scopes=frozenset({Scope.ADMIN}),
        project_ids=None,
    )
    services = api.tenant.services
    await seed_jobs(
        Context(db=services.db, settings=services.settings, principal=principal), project["id"]
    )
    generate, render = (await api.list("jobs", project_id=project["id"], sort="created_at")).ok()
    assert (generate["kind"], generate["status"]) == ("generate", "queued")
    assert generate["resolved_style"]["text"] == "The Long Night"
    assert (render["kind"], render["status"], render["progress"]) == ("render", "running", 40)
    template = (await api.get("templates", render["template_id"])).ok()
    assert template["name"] == "Title card"


@ONLY_GRAPHQL
async def test_graphql_output_asset_resolves_through_the_dataloader(api: Api) -> None:
    """``Job.outputAsset`` is the Asset type."""
    project = await create_project(api, "out-asset-node")
    asset = (
        await api.create(
            "assets", {**PLATE, "name": "frame", "status": "ready"}, parent=project["id"]
        )
    ).ok()
    job = await submit_ok(api, project["id"], kind="generate")
    (await claim(api, api.token, ["generate"])).ok()
    (await api.action("jobs", "complete", job["id"], {"output_asset_id": asset["id"]})).ok()
    read = await api.tenant.gql(
        "query($id: ID!) { job(id: $id) { status outputAsset { id name mimeType } } }",
        {"id": job["id"]},
    )
    assert read.ok()["job"] == {
        "status": "SUCCEEDED",
        "outputAsset": {"id": asset["id"], "name": "frame", "mimeType": "image/png"},
    }
