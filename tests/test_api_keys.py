"""API key lifecycle: create, list, update, rotate, revoke, expiry, events.

Tests taking ``api`` run once through ``/graphql`` and once through ``/v1`` (``/v1/api_keys``,
``.../rotate``, ``.../revoke``) with the same assertions (``tests/api_client.py``); a key made
over one transport is then used over the same one. ``test_graphql_...`` and ``test_rest_...``
are about what one transport alone has.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import orjson
import pytest

from app.auth import tokens
from app.auth.scopes import FULL_ACCESS, READ_ONLY, Scope
from app.clock import isoformat, utcnow
from tests.api_client import Api
from tests.api_fixtures import ONLY_GRAPHQL, ONLY_REST, MakeApi, alternating
from tests.conftest import Tenant
from tests.keys_fixtures import (
    CREATE_KEY,
    events_of,
    new_key,
    parse_time,
    probe_with,
    set_key_columns,
)


async def key_ids(api: Api, **params: Any) -> list[str]:
    return (await api.list("api_keys", limit=100, **params)).ids


async def test_create_shows_the_secret_once_and_the_key_works(api: Api) -> None:
    expires = utcnow() + timedelta(days=30)
    created = await api.create(
        "api_keys",
        {
            "name": "render farm",
            "description": "nightly renders",
            "scopes": ["projects:read", "jobs:execute"],
            "allowed_cidrs": ["127.0.0.0/8", "2001:db8::/32"],
            "expires_at": isoformat(expires),
            "read_rate_limit": 600,
            "write_rate_limit": 60,
        },
    )
    key = created.ok()
    created.on_rest(201, location=f"/v1/api_keys/{key['id']}")
    secret = key.pop("secret")
    assert secret.startswith("rh_live_") and tokens.is_well_formed(secret)
    assert key["id"].startswith("key_")
    assert key["prefix"] == "rh_live_" and key["last4"] == secret[-4:]
    assert key["scopes"] == ["jobs:execute", "projects:read"]
    assert key["allowed_cidrs"] == ["127.0.0.0/8", "2001:db8::/32"]
    assert key["project_ids"] is None and key["test_mode"] is False
    assert (key["read_rate_limit"], key["write_rate_limit"]) == (600, 60)
    assert key["expires_at"] == isoformat(expires) and key["status"] == "active"
    assert key["description"] == "nightly renders" and key["version"] == 1

    assert (await probe_with(api, secret)).ok() == []
    denied = await api.list("api_keys", token=secret)
    assert denied.on_rest(403).error == "UNAUTHORIZED_SCOPE"

    listed = (await api.list("api_keys")).ok()
    assert [k for k in listed if k["id"] == key["id"]] == [key]
    read = (await api.get("api_keys", key["id"])).ok()
    assert read == key
    digest = tokens.hash_token(secret)
    for body in (listed, read):
        text = orjson.dumps(body).decode()
        assert secret not in text and digest not in text


@ONLY_GRAPHQL
async def test_graphql_node_resolves_keys_the_caller_may_see(api: Api) -> None:
    project = (await api.create("projects", {"slug": "node-keys", "name": "N"})).ok()["id"]
    key, _ = await new_key(api)
    limited = await api.tenant.key(Scope.KEYS_READ, project_ids=[project])
    query = "query($id: ID!) { node(id: $id) { id ... on ApiKey { last4 } } }"
    read = await api.tenant.gql(query, {"id": key["id"]})
    assert read.ok()["node"] == {"id": key["id"], "last4": key["last4"]}
    hidden = await api.tenant.gql(query, {"id": key["id"]}, token=limited)
    assert hidden.ok() == {"node": None}


@pytest.mark.parametrize(
    ("transport", "preset", "expected"),
    alternating([("read_only", READ_ONLY), ("full_access", FULL_ACCESS)]),
)
async def test_presets_expand_to_their_scopes(
    api: Api, preset: str, expected: frozenset[Scope]
) -> None:
    key, _ = await new_key(api, scopes=[preset])
    assert key["scopes"] == sorted(s.value for s in expected)
    assert "admin" not in key["scopes"]


async def test_test_mode_keys(api: Api) -> None:
    key, secret = await new_key(api, test_mode=True)
    assert secret.startswith("rh_test_")
    assert key["prefix"] == "rh_test_" and key["test_mode"] is True
    (await probe_with(api, secret)).ok()
    assert await key_ids(api, test_mode=True) == [key["id"]]


BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    ({"name": ""}, "name", "REQUIRED"),
    ({"name": "n" * 101}, "name", "TOO_LONG"),
    ({"description": "d" * 1001}, "description", "TOO_LONG"),
    ({"scopes": []}, "scopes", "REQUIRED"),
    ({"scopes": ["projects:read", "root"]}, "scopes", "INVALID"),
    ({"scopes": ["projects:read"] * 65}, "scopes", "TOO_LONG"),
    ({"allowed_cidrs": []}, "allowed_cidrs", "INVALID"),
    ({"allowed_cidrs": ["10.0.0.1/8"]}, "allowed_cidrs", "INVALID"),
    ({"allowed_cidrs": ["not-an-ip"]}, "allowed_cidrs", "INVALID"),
    ({"allowed_cidrs": ["10.0.0.0/33"]}, "allowed_cidrs", "INVALID"),
    ({"allowed_cidrs": [f"10.0.{i}.0/24" for i in range(51)]}, "allowed_cidrs", "TOO_LONG"),
    ({"project_ids": []}, "project_ids", "INVALID"),
    ({"project_ids": ["prj_01ARZ3NDEKTSV4RRFFQ69G5FAV"]}, "project_ids", "NOT_FOUND"),
    ({"project_ids": ["not-an-id"]}, "project_ids", "NOT_FOUND"),
    ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at", "OUT_OF_RANGE"),
    ({"read_rate_limit": 0}, "read_rate_limit", "OUT_OF_RANGE"),
    ({"write_rate_limit": 1_000_001}, "write_rate_limit", "OUT_OF_RANGE"),
]


@pytest.mark.parametrize(("transport", "extra", "field", "code"), alternating(BAD_INPUT))
async def test_create_rejects_bad_input_and_creates_nothing(
    api: Api, extra: dict[str, Any], field: str, code: str
) -> None:
    before = await key_ids(api)
    refused = await api.create("api_keys", {"name": "k", "scopes": ["read_only"], **extra})
    assert refused.on_rest(422).error == "VALIDATION_FAILED" and refused.value is None
    assert (field, code) in refused.fields
    assert await key_ids(api) == before


WRONG_TYPES: list[tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]] = [
    ({"name": "k"}, {"name": "k"}, [("scopes", "REQUIRED")]),
    (
        {"name": 5, "scopes": ["read_only"]},
        {"name": 5, "scopes": ["read_only"]},
        [("name", "INVALID")],
    ),
    (
        {"name": "k", "scopes": [1, {"a": 2}]},
        {"name": "k", "scopes": [1, {"a": 2}]},
        [("scopes.0", "INVALID"), ("scopes.1", "INVALID")],
    ),
    (
        {"name": "k", "scopes": ["read_only"], "expiresAt": "tomorrow"},
        {"name": "k", "scopes": ["read_only"], "expires_at": "tomorrow"},
        [("expires_at", "INVALID")],
    ),
    (
        {"name": "k", "scopes": ["read_only"], "expiresAt": "2030-01-01T00:00:00"},
        {"name": "k", "scopes": ["read_only"], "expires_at": "2030-01-01T00:00:00"},
        [("expires_at", "INVALID")],
    ),
    (
        {"name": "k", "scopes": ["read_only"], "readRateLimit": "many"},
        {"name": "k", "scopes": ["read_only"], "read_rate_limit": "many"},
        [("read_rate_limit", "INVALID")],
    ),
    (
        {"name": "k", "scopes": ["read_only"], "testMode": "yes"},
        {"name": "k", "scopes": ["read_only"], "test_mode": "yes"},
        [("test_mode", "INVALID")],
    ),
]


@ONLY_GRAPHQL
async def test_graphql_create_refuses_wrongly_typed_input(api: Api) -> None:
    """The error code of bad variables is the GraphQL endpoint's business; here: refused,
    no secret, no key."""
    before = await key_ids(api)
    for graphql_input, _, _ in WRONG_TYPES:
        result = await api.tenant.gql(CREATE_KEY, {"input": graphql_input})
        assert result.errors and result.data is None, graphql_input
    assert await key_ids(api) == before


@ONLY_REST
async def test_rest_wrongly_typed_input_is_422_naming_every_field(api: Api) -> None:
    before = await key_ids(api)
    for _, body, expected in WRONG_TYPES:
        refused = await api.create("api_keys", body)
        assert refused.on_rest(422).fields == expected, body
    assert await key_ids(api) == before


async def test_project_ids_of_another_organisation_are_not_found(
    api: Api, make_api: MakeApi
) -> None:
    other = await make_api()
    theirs = (await other.create("projects", {"slug": "theirs", "name": "T"})).ok()["id"]
    refused = await api.create(
        "api_keys", {"name": "k", "scopes": ["read_only"], "project_ids": [theirs]}
    )
    assert refused.on_rest(422).fields == [("project_ids", "NOT_FOUND")]


async def test_no_privilege_escalation(api: Api) -> None:
    manager = await api.tenant.key(Scope.KEYS_READ, Scope.KEYS_WRITE, Scope.PROJECTS_READ)
    for scopes in (["admin"], ["full_access"], ["projects:write"], ["keys:write", "audit:read"]):
        refused = await api.create("api_keys", {"name": "up", "scopes": scopes}, token=manager)
        assert refused.on_rest(403).error == "FORBIDDEN", scopes
        assert "does not hold" in refused.message
    allowed, _ = await new_key(api, manager, scopes=["projects:read", "keys:read"])
    assert allowed["scopes"] == ["keys:read", "projects:read"]

    widened = await api.update(
        "api_keys", allowed["id"], {"scopes": ["projects:write"]}, token=manager
    )
    assert widened.on_rest(403).error == "FORBIDDEN"

    stronger, stronger_secret = await new_key(api, scopes=["projects:write", "keys:write"])
    for attempt in (
        api.action("api_keys", "rotate", stronger["id"], token=manager),
        api.action("api_keys", "revoke", stronger["id"], token=manager),
        api.update("api_keys", stronger["id"], {"name": "mine now"}, token=manager),
    ):
        result = await attempt
        assert result.error == "FORBIDDEN" and "cannot manage" in result.message
    still_valid = await probe_with(api, stronger_secret)
    assert still_valid.error == "UNAUTHORIZED_SCOPE", "authenticated: neither rotated nor revoked"

    admin_grants_anything, _ = await new_key(api, scopes=["admin"])
    assert admin_grants_anything["scopes"] == ["admin"]


async def test_limited_keys_cannot_mint_less_limited_ones(api: Api) -> None:
    project = (await api.create("projects", {"slug": "lim", "name": "L"})).ok()["id"]
    soon = utcnow() + timedelta(days=1)
    by_project = await api.tenant.key(Scope.ADMIN, project_ids=[project])
    by_cidr = await api.tenant.key(Scope.ADMIN, allowed_cidrs=["127.0.0.0/8"])
    by_expiry = await api.tenant.key(Scope.ADMIN, expires_at=soon)
    later = isoformat(soon + timedelta(days=1))
    for token, fields, ok_fields in (
        (by_project, {}, {"project_ids": [project]}),
        (by_cidr, {"allowed_cidrs": ["0.0.0.0/0"]}, {"allowed_cidrs": ["127.0.0.1/32"]}),
        (by_cidr, {}, {"allowed_cidrs": ["127.0.0.0/8"]}),
        (by_expiry, {"expires_at": later}, {"expires_at": isoformat(soon)}),
        (by_expiry, {}, {"expires_at": isoformat(soon - timedelta(hours=1))}),
    ):
        refused = await api.create(
            "api_keys", {"name": "x", "scopes": ["read_only"], **fields}, token=token
        )
        assert refused.on_rest(403).error == "FORBIDDEN", fields
        await new_key(api, token, **ok_fields)


async def test_update_changes_fields_and_takes_effect_at_once(api: Api, services: Any) -> None:
    key, secret = await new_key(api, scopes=["projects:read", "keys:read"])
    (await probe_with(api, secret)).ok()
    (await api.list("api_keys", token=secret)).ok()

    changed = (
        await api.update(
            "api_keys",
            key["id"],
            {
                "name": "renamed",
                "scopes": ["keys:read"],
                "allowed_cidrs": ["127.0.0.1/32"],
                "read_rate_limit": 10,
            },
        )
    ).ok()
    assert changed["name"] == "renamed" and changed["scopes"] == ["keys:read"]
    assert changed["allowed_cidrs"] == ["127.0.0.1/32"] and changed["read_rate_limit"] == 10
    assert changed["version"] == 2 and changed["description"] == key["description"]
    assert (await probe_with(api, secret)).on_rest(403).error == "UNAUTHORIZED_SCOPE"

    cleared = (
        await api.update("api_keys", key["id"], {"allowed_cidrs": None, "read_rate_limit": None})
    ).ok()
    assert cleared["allowed_cidrs"] is None and cleared["read_rate_limit"] is None

    unchanged = (await api.update("api_keys", key["id"], {"name": "renamed"})).ok()
    assert unchanged["version"] == cleared["version"]

    blank = await api.update("api_keys", key["id"], {"name": "  "})
    assert blank.on_rest(422).fields == [("name", "REQUIRED")]
    nulls = await api.update("api_keys", key["id"], {"name": None, "scopes": None})
    assert sorted(nulls.fields) == [("name", "REQUIRED"), ("scopes", "REQUIRED")]
    types = [e.type for e in await events_of(services, key["id"])]
    assert types == ["api_key.created", "api_key.updated", "api_key.updated"]


async def test_rotation_keeps_identity_and_both_secrets_work_during_grace(
    api: Api, services: Any
) -> None:
    key, old = await new_key(api, scopes=["projects:read"])
    (await probe_with(api, old)).ok()
    before = utcnow()
    rotating = await api.action("api_keys", "rotate", key["id"], {"grace_period_seconds": 3600})
    rotated = rotating.on_rest(200).ok()
    new = rotated["secret"]
    assert new != old and tokens.is_well_formed(new)
    assert rotated["id"] == key["id"]
    assert rotated["scopes"] == key["scopes"] and rotated["last4"] == new[-4:]
    grace_end = parse_time(rotated["previous_secret_expires_at"])
    assert before + timedelta(seconds=3600) <= grace_end <= utcnow() + timedelta(seconds=3600)
    (await probe_with(api, old)).ok()
    (await probe_with(api, new)).ok()

    again = (await api.action("api_keys", "rotate", key["id"], {"grace_period_seconds": 0})).ok()
    newest = again["secret"]
    for stale in (old, new):
        refused = await probe_with(api, stale)
        assert (refused.status, refused.error) == (401, "API_KEY_EXPIRED")
    (await probe_with(api, newest)).ok()

    events = await events_of(services, key["id"])
    assert [e.type for e in events] == ["api_key.created", "api_key.rotated", "api_key.rotated"]
    text = orjson.dumps([e.data for e in events]).decode()
    for secret in (old, new, newest):
        assert secret not in text and tokens.hash_token(secret) not in text
    assert "secret_hash" not in text


async def test_rotation_default_grace_and_bounds(api: Api) -> None:
    key, secret = await new_key(api)
    default = (await api.action("api_keys", "rotate", key["id"])).ok()
    ends = parse_time(default["previous_secret_expires_at"])
    assert utcnow() + timedelta(hours=23, minutes=59) < ends <= utcnow() + timedelta(hours=24)
    for grace in (-1, 604_801):
        refused = await api.action("api_keys", "rotate", key["id"], {"grace_period_seconds": grace})
        assert refused.on_rest(422).fields == [("grace_period_seconds", "OUT_OF_RANGE")]
        assert refused.value is None
    week = await api.action("api_keys", "rotate", key["id"], {"grace_period_seconds": 604_800})
    week.ok()
    (await probe_with(api, secret)).ok()


async def test_revocation_is_immediate_final_and_idempotent(api: Api, services: Any) -> None:
    key, secret = await new_key(api, scopes=["projects:read"])
    (await probe_with(api, secret)).ok()
    revoked = (await api.action("api_keys", "revoke", key["id"])).on_rest(200).ok()
    assert revoked["status"] == "revoked" and revoked["revoked_at"] is not None
    refused = await probe_with(api, secret)
    assert (refused.status, refused.error) == (401, "API_KEY_REVOKED")
    assert "invalid_token" in refused.headers["www-authenticate"]

    again = (await api.action("api_keys", "revoke", key["id"])).ok()
    assert again["revoked_at"] == revoked["revoked_at"] and again["version"] == revoked["version"]
    for attempt in (
        api.action("api_keys", "rotate", key["id"]),
        api.update("api_keys", key["id"], {"name": "back"}),
    ):
        assert (await attempt).on_rest(422).fields == [("id", "INVALID_STATE")]
    assert [e.type for e in await events_of(services, key["id"])] == [
        "api_key.created",
        "api_key.revoked",
    ]
    assert await key_ids(api, status="revoked") == [key["id"]]


async def test_concurrent_revokes_record_one_event(api: Api, services: Any) -> None:
    key, _ = await new_key(api)
    results = await asyncio.gather(*(api.action("api_keys", "revoke", key["id"]) for _ in range(4)))
    assert all(r.ok()["status"] == "revoked" for r in results)
    assert [e.type for e in await events_of(services, key["id"])] == [
        "api_key.created",
        "api_key.revoked",
    ]


async def test_concurrent_rotations_each_get_a_working_secret(api: Api) -> None:
    key, secret = await new_key(api)
    results = await asyncio.gather(*(api.action("api_keys", "rotate", key["id"]) for _ in range(3)))
    rotated = [r.ok() for r in results]
    assert sorted(r["version"] for r in rotated) == [2, 3, 4]
    for each in [secret, *(r["secret"] for r in rotated)]:
        (await probe_with(api, each)).ok()


async def test_expired_key_is_refused(api: Api, services: Any) -> None:
    key, secret = await new_key(api, expires_at=isoformat(utcnow() + timedelta(days=1)))
    (await probe_with(api, secret)).ok()
    await set_key_columns(services.db, key["id"], expires_at=utcnow() - timedelta(seconds=1))
    services.keys.forget(key["id"])
    refused = await probe_with(api, secret)
    assert (refused.status, refused.error) == (401, "API_KEY_EXPIRED")
    expired = (await api.list("api_keys", status="expired")).ok()
    assert [(k["id"], k["status"]) for k in expired] == [(key["id"], "expired")]
    assert key["id"] not in await key_ids(api, status="active")


@ONLY_REST
async def test_revoked_wins_over_expired(api: Api, services: Any) -> None:
    """About authentication, not the transport: one suffices."""
    key, secret = await new_key(api)
    (await api.action("api_keys", "revoke", key["id"])).ok()
    await set_key_columns(services.db, key["id"], expires_at=utcnow() - timedelta(seconds=1))
    services.keys.forget()
    assert (await probe_with(api, secret)).error == "API_KEY_REVOKED"


async def test_listing_pages_through_every_key(api: Api) -> None:
    created = {(await new_key(api, name=f"k{i}"))[0]["id"] for i in range(5)}
    seen: list[str] = []
    cursor: dict[str, str] = {}
    for _ in range(10):
        page = await api.list("api_keys", limit=2, **cursor)
        seen += page.ids
        if not page.has_more:
            assert page.next_cursor is None
            break
        cursor = {"cursor": page.next_cursor or ""}
    assert len(seen) == len(set(seen)) == 6 and created < set(seen)


async def test_project_limited_key_sees_only_keys_within_its_projects(api: Api) -> None:
    a, b = [
        (await api.create("projects", {"slug": slug, "name": slug})).ok()["id"]
        for slug in ("vis-a", "vis-b")
    ]
    limited = await api.tenant.key(Scope.KEYS_READ, Scope.KEYS_WRITE, project_ids=[a])
    in_a = (await new_key(api, project_ids=[a]))[0]["id"]
    in_b = (await new_key(api, project_ids=[b]))[0]["id"]
    in_both = (await new_key(api, project_ids=[a, b]))[0]["id"]
    everywhere = (await new_key(api))[0]["id"]

    visible = set(await key_ids(api, token=limited))
    assert in_a in visible
    assert not visible & {in_b, in_both, everywhere}
    for hidden in (in_b, in_both, everywhere):
        assert (await api.get("api_keys", hidden, token=limited)).on_rest(404).error == "NOT_FOUND"
        revoke = await api.action("api_keys", "revoke", hidden, token=limited)
        assert revoke.on_rest(404).error == "NOT_FOUND"

    wide = await api.create("api_keys", {"name": "wide", "scopes": ["keys:read"]}, token=limited)
    assert wide.on_rest(403).error == "FORBIDDEN"
    other_project = await api.create(
        "api_keys", {"name": "b", "scopes": ["keys:read"], "project_ids": [b]}, token=limited
    )
    assert other_project.on_rest(422).fields == [("project_ids", "NOT_FOUND")]
    widened = await api.update("api_keys", in_a, {"project_ids": None}, token=limited)
    assert widened.on_rest(403).error == "FORBIDDEN"
    await new_key(api, limited, scopes=["keys:read"], project_ids=[a])


async def test_unknown_and_malformed_tokens(tenant: Tenant) -> None:
    """Refused by the authentication in front of both transports, before any route."""
    real = (await new_key(Api(tenant.http, tenant.token, "graphql", tenant)))[1]
    body = real[len("rh_live_") : -tokens.CHECKSUM_LENGTH]
    other_body = body[:-1] + ("A" if body[-1] != "A" else "B")
    cases = [
        "",
        "rh_live_",
        "not-a-key",
        "rh_prod_" + body + tokens.checksum(body),
        real[:-1] + ("0" if real[-1] != "0" else "1"),
        "rh_live_" + other_body + tokens.checksum(other_body),
        real + "x",
        "rh_live_" + "é" * 32 + "abcdef",
    ]
    for token in cases:
        response = await tenant.http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={b"Authorization": f"Bearer {token}".encode("latin-1")},
        )
        assert response.status_code == 401, token
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for header in ("Basic abc", "Bearer", real):
        response = await tenant.http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": header}
        )
        assert response.status_code == 401
    rest = await tenant.http.get("/v1/projects", headers={"Authorization": f"Bearer {real}x"})
    assert rest.status_code == 401 and rest.json()["error"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("transport", "key_id"), alternating(["key_01ARZ3NDEKTSV4RRFFQ69G5FAV", "x"])
)
async def test_unknown_key_ids_are_not_found(api: Api, key_id: str) -> None:
    assert (await api.get("api_keys", key_id)).on_rest(404).error == "NOT_FOUND"
    for attempt in (
        api.action("api_keys", "rotate", key_id),
        api.update("api_keys", key_id, {"name": "n"}),
        api.action("api_keys", "revoke", key_id),
    ):
        assert (await attempt).on_rest(404).error == "NOT_FOUND"
