"""The exceptions to the route conventions, each with its reason.

Keys are ``Query.<field>`` / ``Mutation.<field>``. A root field that the rules in
``rest_compat.routes`` cannot place must appear in one of these maps, or
``tests/test_rest_routes.py`` fails naming it. ``ALIASES`` add routes to a field that keeps
its own: the same document runs behind each, so an alias is a second address, not a second
code path.
"""

from __future__ import annotations

from rest_compat.routes import Kind, Override

EXCLUSIONS: dict[str, str] = {
    "Query.node": (
        "Looks up any object by id across types; REST addresses every object at its own "
        "`/v1/<plural>/{id}` route instead."
    ),
}

OVERRIDES: dict[str, Override] = {
    # Works on any object kind, so it belongs to no one resource's path.
    "Mutation.updateMetadata": Override("PATCH", "/v1/metadata/{id}"),
    # Submitting a job creates it: REST clients expect 201 + Location at the collection.
    "Mutation.submitJob": Override("POST", "/v1/projects/{project_id}/jobs", Kind.CREATE),
    # Answers with the queued run (the payload's object), not the automation the path names.
    "Mutation.runAutomation": Override("POST", "/v1/automations/{id}/run"),
    # Who is calling: `/v1/me`, as REST APIs conventionally name it, rather than `/v1/viewer`.
    "Query.viewer": Override("GET", "/v1/me"),
    # "Telemetry" names no resource (events are listed as telemetryEvents); the contract's path.
    "Mutation.ingestTelemetry": Override("POST", "/v1/telemetry/events"),
    # Submitting a manifest creates one (a version) in a project, as submitting a job does.
    "Mutation.submitManifest": Override("POST", "/v1/projects/{project_id}/manifests", Kind.CREATE),
    # The contract's name for the trail (a log, not a collection of "audit records").
    "Query.auditLog": Override("GET", "/v1/audit_log", Kind.LIST),
}

ALIASES: dict[str, tuple[Override, ...]] = {
    # The Reinmaker contract's addresses for manifests (the project goes in the body, and
    # `{id}` also takes the caller's manifestId).
    "Mutation.submitManifest": (Override("POST", "/v1/content/manifests", Kind.CREATE),),
    "Query.manifest": (Override("GET", "/v1/content/manifests/{id}", Kind.GET),),
}
