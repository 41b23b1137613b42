"""OAuth clients over both transports and the CLI: secrets shown once, redirect URI rules,
no escalation, rotation and revocation reaching the tokens."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import orjson
import pytest

from app.auth.scopes import Scope
from app.cli import main as cli_main
from app.identity import opaque
from app.models import OAuthClient
from tests.api_client import Api
from tests.api_fixtures import alternating
from tests.conftest import Backend, Tenant
from tests.identity_fixtures import (
    REDIRECT_URI,
    Browser,
    Client,
    Live,
    add_client,
    add_user,
    authorization_code,
    bearer,
    oauth_client,
)
from tests.test_oauth_flows import VIEWER


async def _create(api: Api, token: str | None = None, **fields: Any) -> Any:
    fields.setdefault("name", "Partner app")
    fields.setdefault("client_type", "confidential")
    fields.setdefault("scopes", ["projects:read"])
    fields.setdefault("grant_types", ["authorization_code", "refresh_token"])
    fields.setdefault("redirect_uris", [REDIRECT_URI])
    return await api.create("oauth_clients", fields, token=token)


async def test_secret_is_shown_once_and_stored_hashed(api: Api) -> None:
    created = await _create(api, scopes=["read_only"])
    client = created.ok()
    created.on_rest(201, location=f"/v1/oauth_clients/{client['id']}")
    secret = client.pop("client_secret")
    assert client["id"].startswith("cli_") and secret.startswith("rhcs_")
    assert client["secret_last4"] == secret[-4:] and client["client_type"] == "confidential"
    assert "users:read" in client["scopes"] and "keys:write" not in client["scopes"]
    read = (await api.get("oauth_clients", client["id"])).ok()
    listed = (await api.list("oauth_clients")).ok()
    for body in (read, listed):
        assert secret not in orjson.dumps(body).decode()
    async with api.tenant.services.db.reading() as session:
        row = await session.get(OAuthClient, client["id"])
    assert row is not None and row.secret_hash == opaque.digest(secret)

    public = (await _create(api, client_type="public", grant_types=["authorization_code"])).ok()
    assert public["client_secret"] is None and public["secret_last4"] is None


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"redirect_uris": ["http://app.example/cb"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": ["https://app.example/cb#frag"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": ["/relative"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": ["javascript:alert(1)"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": ["https://user:pw@app.example/cb"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": ["https://app.example/cb; script-src *"]}, "redirect_uris", "INVALID"),
    ({"redirect_uris": []}, "redirect_uris", "REQUIRED"),
    ({"grant_types": ["password"]}, "grant_types", "INVALID"),
    ({"grant_types": ["refresh_token"]}, "grant_types", "INVALID"),
    ({"scopes": ["everything"]}, "scopes", "INVALID"),
    ({"access_token_lifetime": 10}, "access_token_lifetime", "OUT_OF_RANGE"),
    (
        {"client_type": "public", "grant_types": ["client_credentials"]},
        "grant_types",
        "INVALID",
    ),
]


@pytest.mark.parametrize(("transport", "extra", "field", "code"), alternating(BAD))
async def test_bad_registrations_are_refused(
    api: Api, extra: dict[str, Any], field: str, code: str
) -> None:
    refused = await _create(api, **extra)
    assert refused.on_rest(422).error == "VALIDATION_FAILED", refused
    assert (field, code) in refused.fields


async def test_native_and_loopback_redirect_uris_are_accepted(api: Api) -> None:
    uris = ["com.example.studio:/oauth/callback", "http://[::1]:8080/cb", "http://localhost/cb"]
    assert (await _create(api, redirect_uris=uris)).ok()["redirect_uris"] == uris


async def test_a_client_cannot_be_allowed_more_than_the_caller_holds(api: Api) -> None:
    weak = await api.tenant.key(Scope.KEYS_WRITE, Scope.KEYS_READ, Scope.PROJECTS_READ)
    refused = await _create(api, token=weak, scopes=["projects:write"])
    assert refused.on_rest(403).error == "FORBIDDEN"
    strong = (await _create(api, scopes=["admin"])).ok()
    for outcome in (
        await api.update("oauth_clients", strong["id"], {"name": "x"}, token=weak),
        await api.action("oauth_clients", "revoke", strong["id"], token=weak),
        await api.action("oauth_clients", "rotate_secret", strong["id"], token=weak),
    ):
        assert outcome.on_rest(403).error == "FORBIDDEN"


async def test_rotation_and_revocation_reach_the_token_endpoint_and_tokens(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    client = await add_client(tenant)
    rotated = await tenant.gql(
        "mutation($id: ID!) { rotateOauthClientSecret(input: {id: $id}) { clientSecret } }",
        {"id": client.id},
    )
    secret = rotated.ok()["rotateOauthClientSecret"]["clientSecret"]
    async with httpx.AsyncClient(base_url=live.url) as http:
        refused = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client.id, client.secret or ""),
        )
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    new = Client(client.id, secret, client.row)
    async with oauth_client(live, new) as oauth:
        machine = await oauth.fetch_token("/oauth/token", grant_type="client_credentials")
    user = await add_user(tenant)
    person = await authorization_code(live, browser, new, user)

    revoked = await tenant.gql(
        "mutation($id: ID!) { revokeOauthClient(input: {id: $id}) { oauthClient { revokedAt } } }",
        {"id": client.id},
    )
    assert revoked.ok()["revokeOauthClient"]["oauthClient"]["revokedAt"]
    started = time.monotonic()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=backend.app), base_url="http://testserver"
    ) as other:
        for token in (machine["access_token"], person["access_token"]):
            while True:
                here = await bearer(live, token, VIEWER)
                there = await other.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
                if here.status_code == there.status_code == 401:
                    break
                assert time.monotonic() - started < 1.0
                await asyncio.sleep(0.02)
    async with httpx.AsyncClient(base_url=live.url) as http:
        answer = await http.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": person["refresh_token"]},
            auth=(client.id, secret),
        )
    assert answer.json()["error"] == "invalid_client"


async def test_disabling_a_user_ends_their_tokens_everywhere(
    tenant: Tenant, live: Live, browser: Browser, backend: Backend
) -> None:
    user = await add_user(tenant)
    client = await add_client(tenant)
    token = await authorization_code(live, browser, client, user)
    disabled = await tenant.gql(
        "mutation($id: ID!) { disableUser(input: {id: $id}) { userErrors { code } } }",
        {"id": user.id},
    )
    assert disabled.ok()["disableUser"]["userErrors"] == []
    started = time.monotonic()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=backend.app), base_url="http://testserver"
    ) as other:
        while True:
            here = await bearer(live, token["access_token"], VIEWER)
            there = await other.get(
                "/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}
            )
            if here.status_code == there.status_code == 401:
                break
            assert time.monotonic() - started < 1.0
            await asyncio.sleep(0.02)
    enabled = await tenant.gql(
        "mutation($id: ID!) { enableUser(input: {id: $id}) { userErrors { code } } }",
        {"id": user.id},
    )
    assert enabled.ok()["enableUser"]["userErrors"] == []
    assert (await bearer(live, token["access_token"], VIEWER)).status_code == 401, (
        "enabling again does not revive tokens"
    )


async def test_cli_registers_lists_rotates_and_revokes_clients(
    tenant: Tenant, backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    create = [
        "clients", "create", "--org", tenant.slug, "--name", "Render farm",
        "--type", "confidential", "--scopes", "projects:read", "jobs:execute",
        "--grant-types", "client_credentials",
    ]  # fmt: skip
    assert await asyncio.to_thread(cli_main, create, backend.settings) == 0
    out = capsys.readouterr().out
    client_id = out.split("client id: ")[1].split()[0]
    assert "client secret (shown once" in out and "rhcs_" in out
    listed = ["clients", "list", "--org", tenant.slug]
    assert await asyncio.to_thread(cli_main, listed, backend.settings) == 0
    listing = capsys.readouterr().out
    assert client_id in listing and "rhcs_" not in listing
    rotate = ["clients", "rotate-secret", client_id]
    assert await asyncio.to_thread(cli_main, rotate, backend.settings) == 0
    assert "new client secret" in capsys.readouterr().out
    revoke = ["clients", "revoke", client_id]
    assert await asyncio.to_thread(cli_main, revoke, backend.settings) == 0
    assert "revoked" in capsys.readouterr().out
    bad = [*create[:-1], "password"]
    assert await asyncio.to_thread(cli_main, bad, backend.settings) == 2
    assert "grantTypes" in capsys.readouterr().err
