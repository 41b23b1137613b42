"""API key lifecycle through GraphQL: create, list, update, rotate, revoke, expiry, events."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import orjson
import pytest

from app.auth import tokens
from app.auth.scopes import FULL_ACCESS, READ_ONLY, Scope
from app.clock import isoformat, utcnow
from tests.conftest import Tenant
from tests.keys_fixtures import (
    CREATE_KEY,
    KEY,
    KEYS,
    REVOKE_KEY,
    ROTATE_KEY,
    UPDATE_KEY,
    create_key,
    events_of,
    parse_time,
    probe,
    set_key_columns,
    user_errors,
)


async def test_create_shows_the_secret_once_and_the_key_works(
    tenant: Tenant, services: Any
) -> None:
    expires = utcnow() + timedelta(days=30)
    payload = await create_key(
        tenant,
        name="render farm",
        description="nightly renders",
        scopes=["projects:read", "jobs:execute"],
        allowedCidrs=["127.0.0.0/8", "2001:db8::/32"],
        expiresAt=isoformat(expires),
        readRateLimit=600,
        writeRateLimit=60,
    )
    secret, key = payload["secret"], payload["apiKey"]
    assert secret.startswith("rh_live_") and tokens.is_well_formed(secret)
    assert key["id"].startswith("key_")
    assert key["prefix"] == "rh_live_" and key["last4"] == secret[-4:]
    assert key["scopes"] == ["jobs:execute", "projects:read"]
    assert key["allowedCidrs"] == ["127.0.0.0/8", "2001:db8::/32"]
    assert key["projectIds"] is None and key["testMode"] is False
    assert (key["readRateLimit"], key["writeRateLimit"]) == (600, 60)
    assert key["expiresAt"] == isoformat(expires) and key["status"] == "ACTIVE"
    assert key["description"] == "nightly renders" and key["version"] == 1

    assert (await probe(tenant, secret)).ok()["projects"]["nodes"] == []
    denied = await tenant.gql(KEYS, token=secret)
    assert denied.codes == ["UNAUTHORIZED_SCOPE"]

    listed = (await tenant.gql(KEYS)).ok()["apiKeys"]["nodes"]
    assert [k for k in listed if k["id"] == key["id"]] == [key]
    read = (await tenant.gql(KEY, {"id": key["id"]})).ok()["apiKey"]
    node = (
        await tenant.gql(
            "query($id: ID!) { node(id: $id) { id ... on ApiKey { last4 } } }", {"id": key["id"]}
        )
    ).ok()["node"]
    assert read == key and node == {"id": key["id"], "last4": key["last4"]}
    digest = tokens.hash_token(secret)
    for body in (listed, read):
        text = orjson.dumps(body).decode()
        assert secret not in text and digest not in text


@pytest.mark.parametrize(
    ("preset", "expected"), [("read_only", READ_ONLY), ("full_access", FULL_ACCESS)]
)
async def test_presets_expand_to_their_scopes(
    tenant: Tenant, preset: str, expected: frozenset[Scope]
) -> None:
    key = (await create_key(tenant, scopes=[preset]))["apiKey"]
    assert key["scopes"] == sorted(s.value for s in expected)
    assert "admin" not in key["scopes"]


async def test_test_mode_keys(tenant: Tenant) -> None:
    payload = await create_key(tenant, testMode=True)
    assert payload["secret"].startswith("rh_test_")
    assert payload["apiKey"]["prefix"] == "rh_test_" and payload["apiKey"]["testMode"] is True
    assert (await probe(tenant, payload["secret"])).status == 200
    only_test = (await tenant.gql(KEYS, {"filter": {"testMode": True}})).ok()["apiKeys"]
    assert [k["id"] for k in only_test["nodes"]] == [payload["apiKey"]["id"]]


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "n" * 101}, "name", "TOO_LONG"),
        ({"description": "d" * 1001}, "description", "TOO_LONG"),
        ({"scopes": []}, "scopes", "REQUIRED"),
        ({"scopes": ["projects:read", "root"]}, "scopes", "INVALID"),
        ({"scopes": ["projects:read"] * 65}, "scopes", "TOO_LONG"),
        ({"allowedCidrs": []}, "allowedCidrs", "INVALID"),
        ({"allowedCidrs": ["10.0.0.1/8"]}, "allowedCidrs", "INVALID"),
        ({"allowedCidrs": ["not-an-ip"]}, "allowedCidrs", "INVALID"),
        ({"allowedCidrs": ["10.0.0.0/33"]}, "allowedCidrs", "INVALID"),
        ({"allowedCidrs": [f"10.0.{i}.0/24" for i in range(51)]}, "allowedCidrs", "TOO_LONG"),
        ({"projectIds": []}, "projectIds", "INVALID"),
        ({"projectIds": ["prj_01ARZ3NDEKTSV4RRFFQ69G5FAV"]}, "projectIds", "NOT_FOUND"),
        ({"projectIds": ["not-an-id"]}, "projectIds", "NOT_FOUND"),
        ({"expiresAt": "2001-01-01T00:00:00Z"}, "expiresAt", "OUT_OF_RANGE"),
        ({"readRateLimit": 0}, "readRateLimit", "OUT_OF_RANGE"),
        ({"writeRateLimit": 1_000_001}, "writeRateLimit", "OUT_OF_RANGE"),
    ],
)
async def test_create_rejects_bad_input_and_creates_nothing(
    tenant: Tenant, extra: dict[str, Any], field: str, code: str
) -> None:
    before = (await tenant.gql(KEYS)).ok()["apiKeys"]["nodes"]
    result = await tenant.gql(
        CREATE_KEY, {"input": {"name": "k", "scopes": ["read_only"], **extra}}
    )
    assert (["input", field], code) in user_errors(result, "createApiKey")
    assert result.ok()["createApiKey"]["secret"] is None
    assert (await tenant.gql(KEYS)).ok()["apiKeys"]["nodes"] == before


@pytest.mark.parametrize(
    "input",
    [
        {"name": "k"},
        {"name": 5, "scopes": ["read_only"]},
        {"name": "k", "scopes": [1, {"a": 2}]},
        {"name": "k", "scopes": ["read_only"], "expiresAt": "tomorrow"},
        {"name": "k", "scopes": ["read_only"], "expiresAt": "2030-01-01T00:00:00"},
        {"name": "k", "scopes": ["read_only"], "readRateLimit": "many"},
        {"name": "k", "scopes": ["read_only"], "testMode": "yes"},
    ],
)
async def test_create_refuses_wrongly_typed_input(tenant: Tenant, input: dict[str, Any]) -> None:
    """The error code of bad variables is the GraphQL endpoint's business; here: refused,
    no secret, no key."""
    before = (await tenant.gql(KEYS)).ok()["apiKeys"]["nodes"]
    result = await tenant.gql(CREATE_KEY, {"input": input})
    assert result.errors and result.data is None
    assert (await tenant.gql(KEYS)).ok()["apiKeys"]["nodes"] == before


async def test_project_ids_of_another_organisation_are_not_found(
    tenant: Tenant, make_tenant: Any
) -> None:
    other = await make_tenant()
    theirs = (
        await other.gql(
            'mutation { createProject(input: {slug: "theirs", name: "T"}) { project { id } } }'
        )
    ).ok()["createProject"]["project"]["id"]
    result = await tenant.gql(
        CREATE_KEY, {"input": {"name": "k", "scopes": ["read_only"], "projectIds": [theirs]}}
    )
    assert user_errors(result, "createApiKey") == [(["input", "projectIds"], "NOT_FOUND")]


async def test_no_privilege_escalation(tenant: Tenant) -> None:
    manager = await tenant.key(Scope.KEYS_READ, Scope.KEYS_WRITE, Scope.PROJECTS_READ)
    for scopes in (["admin"], ["full_access"], ["projects:write"], ["keys:write", "audit:read"]):
        refused = await tenant.gql(
            CREATE_KEY, {"input": {"name": "up", "scopes": scopes}}, token=manager
        )
        assert refused.codes == ["FORBIDDEN"], scopes
        assert "does not hold" in refused.errors[0]["message"]
    allowed = await create_key(tenant, manager, scopes=["projects:read", "keys:read"])
    assert allowed["apiKey"]["scopes"] == ["keys:read", "projects:read"]

    mine = allowed["apiKey"]["id"]
    widened = await tenant.gql(
        UPDATE_KEY, {"input": {"id": mine, "scopes": ["projects:write"]}}, token=manager
    )
    assert widened.codes == ["FORBIDDEN"]

    stronger = await create_key(tenant, scopes=["projects:write", "keys:write"])
    for document, variables in (
        (ROTATE_KEY, {"input": {"id": stronger["apiKey"]["id"]}}),
        (REVOKE_KEY, {"id": stronger["apiKey"]["id"]}),
        (UPDATE_KEY, {"input": {"id": stronger["apiKey"]["id"], "name": "mine now"}}),
    ):
        result = await tenant.gql(document, variables, token=manager)
        assert result.codes == ["FORBIDDEN"] and "cannot manage" in result.errors[0]["message"]
    assert (await probe(tenant, stronger["secret"])).status == 200

    admin_grants_anything = await create_key(tenant, scopes=["admin"])
    assert admin_grants_anything["apiKey"]["scopes"] == ["admin"]


async def test_limited_keys_cannot_mint_less_limited_ones(tenant: Tenant) -> None:
    project = (
        await tenant.gql(
            'mutation { createProject(input: {slug: "lim", name: "L"}) { project { id } } }'
        )
    ).ok()["createProject"]["project"]["id"]
    soon = utcnow() + timedelta(days=1)
    by_project = await tenant.key(Scope.ADMIN, project_ids=[project])
    by_cidr = await tenant.key(Scope.ADMIN, allowed_cidrs=["127.0.0.0/8"])
    by_expiry = await tenant.key(Scope.ADMIN, expires_at=soon)
    later = isoformat(soon + timedelta(days=1))
    for token, input, ok_input in (
        (by_project, {}, {"projectIds": [project]}),
        (by_cidr, {"allowedCidrs": ["0.0.0.0/0"]}, {"allowedCidrs": ["127.0.0.1/32"]}),
        (by_cidr, {}, {"allowedCidrs": ["127.0.0.0/8"]}),
        (by_expiry, {"expiresAt": later}, {"expiresAt": isoformat(soon)}),
        (by_expiry, {}, {"expiresAt": isoformat(soon - timedelta(hours=1))}),
    ):
        refused = await tenant.gql(
            CREATE_KEY, {"input": {"name": "x", "scopes": ["read_only"], **input}}, token=token
        )
        assert refused.codes == ["FORBIDDEN"], input
        await create_key(tenant, token, **ok_input)


async def test_update_changes_fields_and_takes_effect_at_once(
    tenant: Tenant, services: Any
) -> None:
    payload = await create_key(tenant, scopes=["projects:read", "keys:read"])
    key, secret = payload["apiKey"], payload["secret"]
    assert (await probe(tenant, secret)).status == 200
    assert (await tenant.gql(KEYS, token=secret)).status == 200

    updated = (
        await tenant.gql(
            UPDATE_KEY,
            {
                "input": {
                    "id": key["id"],
                    "name": "renamed",
                    "scopes": ["keys:read"],
                    "allowedCidrs": ["127.0.0.1/32"],
                    "readRateLimit": 10,
                }
            },
        )
    ).ok()["updateApiKey"]
    assert updated["userErrors"] == []
    changed = updated["apiKey"]
    assert changed["name"] == "renamed" and changed["scopes"] == ["keys:read"]
    assert changed["allowedCidrs"] == ["127.0.0.1/32"] and changed["readRateLimit"] == 10
    assert changed["version"] == 2 and changed["description"] == key["description"]
    assert (await probe(tenant, secret)).codes == ["UNAUTHORIZED_SCOPE"]

    cleared = (
        await tenant.gql(
            UPDATE_KEY, {"input": {"id": key["id"], "allowedCidrs": None, "readRateLimit": None}}
        )
    ).ok()["updateApiKey"]["apiKey"]
    assert cleared["allowedCidrs"] is None and cleared["readRateLimit"] is None

    unchanged = (
        await tenant.gql(UPDATE_KEY, {"input": {"id": key["id"], "name": "renamed"}})
    ).ok()["updateApiKey"]["apiKey"]
    assert unchanged["version"] == cleared["version"]

    blank = await tenant.gql(UPDATE_KEY, {"input": {"id": key["id"], "name": "  "}})
    assert user_errors(blank, "updateApiKey") == [(["input", "name"], "REQUIRED")]
    nulls = await tenant.gql(UPDATE_KEY, {"input": {"id": key["id"], "name": None, "scopes": None}})
    assert sorted(user_errors(nulls, "updateApiKey")) == [
        (["input", "name"], "REQUIRED"),
        (["input", "scopes"], "REQUIRED"),
    ]
    types = [e.type for e in await events_of(services, key["id"])]
    assert types == ["api_key.created", "api_key.updated", "api_key.updated"]


async def test_rotation_keeps_identity_and_both_secrets_work_during_grace(
    tenant: Tenant, services: Any
) -> None:
    payload = await create_key(tenant, scopes=["projects:read"])
    key, old = payload["apiKey"], payload["secret"]
    assert (await probe(tenant, old)).status == 200
    before = utcnow()
    rotated = (
        await tenant.gql(ROTATE_KEY, {"input": {"id": key["id"], "gracePeriodSeconds": 3600}})
    ).ok()["rotateApiKey"]
    new = rotated["secret"]
    assert rotated["userErrors"] == [] and new != old and tokens.is_well_formed(new)
    assert rotated["apiKey"]["id"] == key["id"]
    assert rotated["apiKey"]["scopes"] == key["scopes"] and rotated["apiKey"]["last4"] == new[-4:]
    grace_end = parse_time(rotated["previousSecretExpiresAt"])
    assert before + timedelta(seconds=3600) <= grace_end <= utcnow() + timedelta(seconds=3600)
    assert (await probe(tenant, old)).status == 200
    assert (await probe(tenant, new)).status == 200

    again = (
        await tenant.gql(ROTATE_KEY, {"input": {"id": key["id"], "gracePeriodSeconds": 0}})
    ).ok()["rotateApiKey"]
    newest = again["secret"]
    for stale in (old, new):
        refused = await probe(tenant, stale)
        assert refused.status == 401 and refused.codes == ["API_KEY_EXPIRED"]
    assert (await probe(tenant, newest)).status == 200

    events = await events_of(services, key["id"])
    assert [e.type for e in events] == ["api_key.created", "api_key.rotated", "api_key.rotated"]
    text = orjson.dumps([e.data for e in events]).decode()
    for secret in (old, new, newest):
        assert secret not in text and tokens.hash_token(secret) not in text
    assert "secret_hash" not in text


async def test_rotation_default_grace_and_bounds(tenant: Tenant) -> None:
    payload = await create_key(tenant)
    key_id = payload["apiKey"]["id"]
    default = (await tenant.gql(ROTATE_KEY, {"input": {"id": key_id}})).ok()["rotateApiKey"]
    ends = parse_time(default["previousSecretExpiresAt"])
    assert utcnow() + timedelta(hours=23, minutes=59) < ends <= utcnow() + timedelta(hours=24)
    for grace in (-1, 604_801):
        result = await tenant.gql(
            ROTATE_KEY, {"input": {"id": key_id, "gracePeriodSeconds": grace}}
        )
        assert user_errors(result, "rotateApiKey") == [
            (["input", "gracePeriodSeconds"], "OUT_OF_RANGE")
        ]
        assert result.ok()["rotateApiKey"]["secret"] is None
    week = await tenant.gql(ROTATE_KEY, {"input": {"id": key_id, "gracePeriodSeconds": 604_800}})
    assert week.ok()["rotateApiKey"]["userErrors"] == []
    assert (await probe(tenant, payload["secret"])).status == 200


async def test_revocation_is_immediate_final_and_idempotent(tenant: Tenant, services: Any) -> None:
    payload = await create_key(tenant, scopes=["projects:read"])
    key, secret = payload["apiKey"], payload["secret"]
    assert (await probe(tenant, secret)).status == 200
    revoked = (await tenant.gql(REVOKE_KEY, {"id": key["id"]})).ok()["revokeApiKey"]["apiKey"]
    assert revoked["status"] == "REVOKED" and revoked["revokedAt"] is not None
    refused = await probe(tenant, secret)
    assert refused.status == 401 and refused.codes == ["API_KEY_REVOKED"]
    assert "invalid_token" in refused.headers["www-authenticate"]

    again = (await tenant.gql(REVOKE_KEY, {"id": key["id"]})).ok()["revokeApiKey"]["apiKey"]
    assert again["revokedAt"] == revoked["revokedAt"] and again["version"] == revoked["version"]
    for document, variables, field in (
        (ROTATE_KEY, {"input": {"id": key["id"]}}, "rotateApiKey"),
        (UPDATE_KEY, {"input": {"id": key["id"], "name": "back"}}, "updateApiKey"),
    ):
        result = await tenant.gql(document, variables)
        assert user_errors(result, field) == [(["input", "id"], "INVALID_STATE")]
    assert [e.type for e in await events_of(services, key["id"])] == [
        "api_key.created",
        "api_key.revoked",
    ]
    only_revoked = (await tenant.gql(KEYS, {"filter": {"status": "REVOKED"}})).ok()
    assert [k["id"] for k in only_revoked["apiKeys"]["nodes"]] == [key["id"]]


async def test_concurrent_revokes_record_one_event(tenant: Tenant, services: Any) -> None:
    payload = await create_key(tenant)
    key_id = payload["apiKey"]["id"]
    results = await asyncio.gather(*(tenant.gql(REVOKE_KEY, {"id": key_id}) for _ in range(4)))
    assert all(r.ok()["revokeApiKey"]["apiKey"]["status"] == "REVOKED" for r in results)
    assert [e.type for e in await events_of(services, key_id)] == [
        "api_key.created",
        "api_key.revoked",
    ]


async def test_concurrent_rotations_each_get_a_working_secret(tenant: Tenant) -> None:
    payload = await create_key(tenant)
    key_id = payload["apiKey"]["id"]
    results = await asyncio.gather(
        *(tenant.gql(ROTATE_KEY, {"input": {"id": key_id}}) for _ in range(3))
    )
    rotated = [r.ok()["rotateApiKey"] for r in results]
    assert sorted(r["apiKey"]["version"] for r in rotated) == [2, 3, 4]
    for secret in [payload["secret"], *(r["secret"] for r in rotated)]:
        assert (await probe(tenant, secret)).status == 200


async def test_expired_key_is_refused(tenant: Tenant, services: Any) -> None:
    payload = await create_key(tenant, expiresAt=isoformat(utcnow() + timedelta(days=1)))
    key_id, secret = payload["apiKey"]["id"], payload["secret"]
    assert (await probe(tenant, secret)).status == 200
    await set_key_columns(services.db, key_id, expires_at=utcnow() - timedelta(seconds=1))
    services.keys.forget(key_id)
    refused = await probe(tenant, secret)
    assert refused.status == 401 and refused.codes == ["API_KEY_EXPIRED"]
    listed = (await tenant.gql(KEYS, {"filter": {"status": "EXPIRED"}})).ok()["apiKeys"]
    assert [(k["id"], k["status"]) for k in listed["nodes"]] == [(key_id, "EXPIRED")]
    active = (await tenant.gql(KEYS, {"filter": {"status": "ACTIVE"}})).ok()["apiKeys"]
    assert key_id not in [k["id"] for k in active["nodes"]]


async def test_revoked_wins_over_expired(tenant: Tenant, services: Any) -> None:
    payload = await create_key(tenant)
    await tenant.gql(REVOKE_KEY, {"id": payload["apiKey"]["id"]})
    await set_key_columns(
        services.db, payload["apiKey"]["id"], expires_at=utcnow() - timedelta(seconds=1)
    )
    services.keys.forget()
    assert (await probe(tenant, payload["secret"])).codes == ["API_KEY_REVOKED"]


async def test_listing_pages_through_every_key(tenant: Tenant) -> None:
    created = {(await create_key(tenant, name=f"k{i}"))["apiKey"]["id"] for i in range(5)}
    seen: list[str] = []
    after = None
    for _ in range(10):
        page = (await tenant.gql(KEYS, {"first": 2, "after": after})).ok()["apiKeys"]
        seen += [k["id"] for k in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 6 and created < set(seen)


async def test_project_limited_key_sees_only_keys_within_its_projects(tenant: Tenant) -> None:
    ids = [
        (
            await tenant.gql(
                "mutation($s: String!) { createProject(input: {slug: $s, name: $s}) "
                "{ project { id } } }",
                {"s": slug},
            )
        ).ok()["createProject"]["project"]["id"]
        for slug in ("vis-a", "vis-b")
    ]
    a, b = ids
    limited = await tenant.key(Scope.KEYS_READ, Scope.KEYS_WRITE, project_ids=[a])
    in_a = (await create_key(tenant, projectIds=[a]))["apiKey"]["id"]
    in_b = (await create_key(tenant, projectIds=[b]))["apiKey"]["id"]
    in_both = (await create_key(tenant, projectIds=[a, b]))["apiKey"]["id"]
    everywhere = (await create_key(tenant))["apiKey"]["id"]

    listed = (await tenant.gql(KEYS, token=limited)).ok()["apiKeys"]["nodes"]
    visible = {k["id"] for k in listed}
    assert in_a in visible
    assert not visible & {in_b, in_both, everywhere}
    for hidden in (in_b, in_both, everywhere):
        read = await tenant.gql(
            "query($id: ID!) { apiKey(id: $id) { id } node(id: $id) { id } }",
            {"id": hidden},
            token=limited,
        )
        assert read.ok() == {"apiKey": None, "node": None}
        revoke = await tenant.gql(REVOKE_KEY, {"id": hidden}, token=limited)
        assert user_errors(revoke, "revokeApiKey") == [(["input", "id"], "NOT_FOUND")]

    refused = await tenant.gql(
        CREATE_KEY, {"input": {"name": "wide", "scopes": ["keys:read"]}}, token=limited
    )
    assert refused.codes == ["FORBIDDEN"]
    other_project = await tenant.gql(
        CREATE_KEY,
        {"input": {"name": "b", "scopes": ["keys:read"], "projectIds": [b]}},
        token=limited,
    )
    assert user_errors(other_project, "createApiKey") == [(["input", "projectIds"], "NOT_FOUND")]
    widened = await tenant.gql(
        UPDATE_KEY, {"input": {"id": in_a, "projectIds": None}}, token=limited
    )
    assert widened.codes == ["FORBIDDEN"]
    await create_key(tenant, limited, scopes=["keys:read"], projectIds=[a])


async def test_unknown_and_malformed_tokens(tenant: Tenant) -> None:
    real = (await create_key(tenant))["secret"]
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


@pytest.mark.parametrize("bad_input", [{"id": "key_01ARZ3NDEKTSV4RRFFQ69G5FAV"}, {"id": "x"}])
async def test_unknown_key_ids_are_not_found(tenant: Tenant, bad_input: dict[str, str]) -> None:
    assert (await tenant.gql(KEY, bad_input)).ok() == {"apiKey": None}
    for document, variables, field in (
        (ROTATE_KEY, {"input": bad_input}, "rotateApiKey"),
        (UPDATE_KEY, {"input": {**bad_input, "name": "n"}}, "updateApiKey"),
        (REVOKE_KEY, bad_input, "revokeApiKey"),
    ):
        result = await tenant.gql(document, variables)
        assert user_errors(result, field) == [(["input", "id"], "NOT_FOUND")]
