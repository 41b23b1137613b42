"""The committed contract (docs/schema.graphql, docs/openapi.json) matches what the server
runs, and no change to it breaks clients unless what it removes was deprecated first."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson

from app.contract import Snapshots, check, graphql_breaking_changes, openapi_breaking_changes
from rest_compat import public_documents
from schema import build_schema

ROOT = Path(__file__).resolve().parent.parent


def test_committed_snapshots_are_current() -> None:
    """When this fails: run `make snapshots`, review the diff, record it in CHANGELOG.md."""
    current = Snapshots.of(*public_documents(build_schema()))
    problems = check(Snapshots.read(ROOT), current)
    assert problems == [], "\n".join(problems)


def test_stale_and_missing_snapshots_say_what_to_run() -> None:
    current = Snapshots.of("type Query { a: Int }", {"openapi": "3.1.0", "paths": {}})
    assert "make snapshots" in check(None, current)[0]
    grown = Snapshots.of("type Query { a: Int b: Int }", {"openapi": "3.1.0", "paths": {}})
    (problem,) = check(current, grown)
    assert "docs/schema.graphql" in problem and "make snapshots" in problem


SDL = """
type Query {
  project(id: ID!): Project
  projects(first: Int, status: Status): [Project!]!
}
type Project { id: ID! name: String! legacy: String @deprecated(reason: "x") }
enum Status { ACTIVE ARCHIVED OLD @deprecated(reason: "y") }
input CreateProjectInput { name: String! }
type Mutation { createProject(input: CreateProjectInput!): Project }
"""


def test_graphql_removals_break_unless_deprecated_first() -> None:
    assert graphql_breaking_changes(SDL, SDL) == []
    without_deprecated = SDL.replace('legacy: String @deprecated(reason: "x")', "").replace(
        'OLD @deprecated(reason: "y")', ""
    )
    assert graphql_breaking_changes(SDL, without_deprecated) == []
    removed = graphql_breaking_changes(SDL, SDL.replace("name: String! legacy", "legacy"))
    assert removed == ["GraphQL: Field Project.name was removed."]
    enum = graphql_breaking_changes(SDL, SDL.replace("ACTIVE ARCHIVED", "ACTIVE"))
    assert len(enum) == 1 and "ARCHIVED" in enum[0]
    required = graphql_breaking_changes(
        SDL, SDL.replace("{ name: String! }", "{ name: String! slug: String! }")
    )
    assert len(required) == 1 and "slug" in required[0]
    optional = SDL.replace("{ name: String! }", "{ name: String! slug: String }")
    assert graphql_breaking_changes(SDL, optional) == []


def _openapi() -> dict[str, Any]:
    _sdl, document = public_documents(build_schema())
    return document


def test_openapi_removals_and_new_requirements_break() -> None:
    old = _openapi()
    assert openapi_breaking_changes(old, old) == []

    gone = copy.deepcopy(old)
    del gone["paths"]["/v1/assets/{id}/approve"]["post"]
    assert openapi_breaking_changes(old, gone) == [
        "REST: POST /v1/assets/{id}/approve: route removed"
    ]

    field = copy.deepcopy(old)
    del field["components"]["schemas"]["Project"]["properties"]["slug"]
    changes = openapi_breaking_changes(old, field)
    assert changes and all("field `slug` removed" in c for c in changes)

    enum = copy.deepcopy(old)
    for param in enum["paths"]["/v1/projects"]["get"]["parameters"]:
        if param["name"] == "status":
            param["schema"]["enum"].remove("archived")
    assert openapi_breaking_changes(old, enum) == [
        "REST: GET /v1/projects: enum values removed: archived"
    ]

    required = copy.deepcopy(old)
    body = required["paths"]["/v1/projects"]["post"]["requestBody"]["content"]
    body["application/json"]["schema"]["required"].append("description")
    assert openapi_breaking_changes(old, required) == [
        "REST: POST /v1/projects body: input `description` is now required"
    ]

    added = copy.deepcopy(old)
    added["components"]["schemas"]["Project"]["properties"]["extra"] = {"type": "string"}
    assert openapi_breaking_changes(old, added) == []


def test_openapi_removal_of_deprecated_things_is_allowed() -> None:
    old = _openapi()
    old["paths"]["/v1/assets/{id}/approve"]["post"]["deprecated"] = True
    old["components"]["schemas"]["Project"]["properties"]["slug"]["deprecated"] = True
    new = copy.deepcopy(old)
    del new["paths"]["/v1/assets/{id}/approve"]["post"]
    del new["components"]["schemas"]["Project"]["properties"]["slug"]
    assert openapi_breaking_changes(old, new) == []


def test_snapshot_text_is_stable() -> None:
    sdl, document = public_documents(build_schema())
    first = Snapshots.of(sdl, document)
    again = Snapshots.of(*public_documents(build_schema()))
    assert first == again
    assert orjson.loads(first.openapi) == document
