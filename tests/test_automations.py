"""Automations over both transports: what saving checks (references, schedules), inbound
secret rotation, and the asset_ready loop guard."""

from __future__ import annotations

from typing import Any

from tests.api_client import Api

RENDER_LATER = "{{actions.1.output.jobId}}"


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
