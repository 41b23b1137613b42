"""Every event type the server emits, with what it means and an example body: what a person
picks from when choosing an endpoint's events (the console's picker) and reads in the docs.

Types are ``<aggregate>.<verb>`` as ``app.outbox.record_event`` names them; the data of most is
the aggregate's snapshot after the change (``Versioned.snapshot``), so an example shows a few of
its fields. ``tests/test_event_catalogue.py`` checks it against what the demo data emits and
the aggregates that exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEST_EVENT_TYPE = "webhook.test"
EXAMPLE_TIME = "2026-01-31T12:00:00Z"


@dataclass(frozen=True, slots=True)
class EventType:
    type: str
    description: str
    data: dict[str, Any]

    @property
    def aggregate(self) -> str:
        return self.type.rsplit(".", 1)[0]

    def example(self) -> dict[str, Any]:
        """The webhook body (no payload document) of such an event."""
        aggregate_type = self.aggregate.split(".", 1)[0]
        aggregate_id = str(self.data.get("id", "agg_01HZX3Q0000000000000000000"))
        return {
            "id": "evt_01HZX3Q5V9J6M2W8K4T7Y1B0CD",
            "type": self.type,
            "version": 1,
            "aggregate_type": aggregate_type,
            "aggregate_id": aggregate_id,
            "sequence": 3,
            "project_id": self.data.get("project_id"),
            "occurred_at": EXAMPLE_TIME,
            "data": self.data,
        }


_PROJECT = {
    "id": "prj_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": "prj_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "slug": "spring-campaign",
    "name": "Spring campaign",
    "status": "active",
    "version": 3,
}
_CHARACTER = {
    "id": "chr_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "name": "Mara",
    "version": 2,
}
_SCENE = {
    "id": "scn_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "title": "Opening",
    "position": 1,
    "version": 2,
}
_SEGMENT = {
    "id": "seg_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "scene_id": _SCENE["id"],
    "position": 1,
    "character_ids": [_CHARACTER["id"]],
    "version": 2,
}
_ASSET = {
    "id": "ast_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "type": "image",
    "mime_type": "image/png",
    "status": "ready",
    "review_status": "approved",
    "version": 4,
}
_TEMPLATE = {
    "id": "tpl_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "name": "Poster",
    "version": 2,
}
_JOB = {
    "id": "job_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "kind": "render",
    "status": "succeeded",
    "progress": 100,
    "output_asset_id": _ASSET["id"],
    "version": 5,
}
_KEY = {
    "id": "key_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "name": "ShotGrid bridge",
    "prefix": "rh_live_",
    "scopes": ["projects:read"],
    "version": 2,
}
_CLIENT = {"id": "cli_01HZX3Q0A1B2C3D4E5F6G7H8J9", "name": "Render farm", "version": 2}
_USER = {
    "id": "usr_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "email": "ana@example.com",
    "role": "member",
    "version": 2,
}
_ENDPOINT = {
    "id": "whk_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "url": "https://bridge.example.com/reelhouse",
    "enabled": True,
    "event_types": ["job.*"],
    "version": 2,
}
_AUTOMATION = {"id": "aut_01HZX3Q0A1B2C3D4E5F6G7H8J9", "name": "Render on approval", "version": 2}
_RUN = {
    "id": "run_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "automation_id": _AUTOMATION["id"],
    "status": "succeeded",
    "version": 3,
}
_SCHEMA = {
    "id": "mfs_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "name": "delivery",
    "version": 1,
}
_MANIFEST = {
    "id": "mft_01HZX3Q0A1B2C3D4E5F6G7H8J9",
    "project_id": _PROJECT["id"],
    "valid": True,
    "errors": [],
}


def _crud(aggregate: str, noun: str, data: dict[str, Any], deleted: bool = True) -> list[EventType]:
    types = [
        EventType(f"{aggregate}.created", f"A {noun} was created.", data),
        EventType(f"{aggregate}.updated", f"A {noun} was changed.", data),
    ]
    if deleted:
        types.append(EventType(f"{aggregate}.deleted", f"A {noun} was deleted.", data))
    return types


CATALOGUE: tuple[EventType, ...] = (
    EventType(
        TEST_EVENT_TYPE,
        "Sent only by the Test button (sendTestWebhook), never by a change.",
        {"endpoint_id": _ENDPOINT["id"], "url": _ENDPOINT["url"]},
    ),
    *_crud("project", "project", _PROJECT, deleted=False),
    EventType(
        "project.archived", "A project was archived (deleting a project archives it).", _PROJECT
    ),
    EventType(
        "project.scenes_reordered",
        "The scenes of a project have a new order.",
        {**_PROJECT, "scene_ids": [_SCENE["id"]]},
    ),
    *_crud("character", "character", _CHARACTER),
    *_crud("scene", "scene", _SCENE),
    EventType(
        "scene.segments_reordered",
        "The segments of a scene have a new order.",
        {**_SCENE, "segment_ids": [_SEGMENT["id"]]},
    ),
    *_crud("segment", "segment", _SEGMENT),
    *_crud("asset", "asset", _ASSET),
    EventType("asset.processing", "An uploaded asset is being processed.", _ASSET),
    EventType("asset.ready", "An asset finished processing and can be used.", _ASSET),
    EventType("asset.failed", "An asset could not be processed.", _ASSET),
    EventType("asset.approved", "An asset was approved in review.", _ASSET),
    EventType("asset.rejected", "An asset was rejected in review (with a comment).", _ASSET),
    *_crud("template", "template", _TEMPLATE),
    EventType(
        "job.queued", "A job was submitted and waits for a worker.", {**_JOB, "status": "queued"}
    ),
    EventType("job.started", "A worker claimed the job.", {**_JOB, "status": "running"}),
    EventType(
        "job.progressed",
        "A worker reported progress.",
        {**_JOB, "status": "running", "progress": 40},
    ),
    EventType("job.completed", "A job succeeded; `output_asset_id` holds its result.", _JOB),
    EventType("job.failed", "A job failed; `error` says why.", {**_JOB, "status": "failed"}),
    EventType("job.cancelled", "A job was cancelled.", {**_JOB, "status": "cancelled"}),
    *_crud("api_key", "API key", _KEY, deleted=False),
    EventType("api_key.rotated", "An API key got a new secret.", _KEY),
    EventType("api_key.revoked", "An API key was revoked.", _KEY),
    *_crud("oauth_client", "OAuth client", _CLIENT, deleted=False),
    EventType("oauth_client.secret_rotated", "An OAuth client got a new secret.", _CLIENT),
    EventType("oauth_client.revoked", "An OAuth client was revoked.", _CLIENT),
    *_crud("user", "user", _USER, deleted=False),
    EventType("user.disabled", "A user was disabled.", _USER),
    EventType("user.enabled", "A user was enabled again.", _USER),
    *_crud("webhook_endpoint", "webhook endpoint", _ENDPOINT),
    EventType(
        "webhook_endpoint.secret_rotated", "An endpoint got a new signing secret.", _ENDPOINT
    ),
    EventType(
        "webhook_endpoint.disabled",
        "The server disabled an endpoint (410, or failing for days).",
        {**_ENDPOINT, "enabled": False},
    ),
    *_crud("automation", "automation", _AUTOMATION),
    EventType(
        "automation.inbound_secret_rotated",
        "An automation's inbound webhook secret was rotated.",
        _AUTOMATION,
    ),
    EventType(
        "automation.run.queued", "An automation run was triggered.", {**_RUN, "status": "queued"}
    ),
    EventType(
        "automation.run.started", "An automation run started a step.", {**_RUN, "status": "running"}
    ),
    EventType("automation.run.succeeded", "An automation run finished.", _RUN),
    EventType("automation.run.failed", "An automation run failed.", {**_RUN, "status": "failed"}),
    *_crud("manifest_schema", "manifest schema", _SCHEMA),
    EventType("manifest.validated", "A manifest passed validation.", _MANIFEST),
    EventType(
        "manifest.rejected",
        "A manifest failed validation; `errors` lists why.",
        {**_MANIFEST, "valid": False, "errors": [{"path": "/shots/0", "message": "missing"}]},
    ),
    EventType(
        "telemetry.flushed",
        "A batch of telemetry events was stored.",
        {"batch_id": "tlb_01HZX3Q0A1B2C3D4E5F6G7H8J9", "events": 120, "processed_at": EXAMPLE_TIME},
    ),
)

BY_TYPE: dict[str, EventType] = {entry.type: entry for entry in CATALOGUE}
if len(BY_TYPE) != len(CATALOGUE):
    raise RuntimeError("event catalogue lists a type twice")


def groups() -> list[tuple[str, list[EventType]]]:
    """The types an endpoint can choose, by aggregate in the catalogue's order (a picker's
    fieldsets); ``webhook.test`` is sent by the Test button whatever an endpoint chose."""
    found: dict[str, list[EventType]] = {}
    for entry in CATALOGUE:
        if entry.type == TEST_EVENT_TYPE:
            continue
        found.setdefault(entry.type.split(".", 1)[0], []).append(entry)
    return list(found.items())
