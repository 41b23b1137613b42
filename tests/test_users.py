"""Organisation members over both transports: create, list, change, disable; no escalation;
the last owner stays; the CLI."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import orjson
import pytest

from app.auth.scopes import Scope
from app.cli import main as cli_main
from app.identity.passwords import verify_password
from app.models import User
from tests.api_client import Api
from tests.api_fixtures import alternating
from tests.conftest import Backend, Tenant
from tests.keys_fixtures import events_of

PASSWORD = "a long enough password"


async def _create(api: Api, token: str | None = None, **fields: Any) -> Any:
    fields.setdefault("email", f"user.{os.urandom(4).hex()}@studio.example")
    fields.setdefault("name", "Ada")
    fields.setdefault("role", "member")
    fields.setdefault("password", PASSWORD)
    return await api.create("users", fields, token=token)


async def _stored(api: Api, user_id: str) -> User:
    async with api.tenant.services.db.reading() as session:
        user: User = await session.get(User, user_id)
    return user


async def test_create_list_and_read_never_show_the_password(api: Api) -> None:
    created = await _create(api, email="Ada.Lovelace@Studio.Example", role="admin")
    user = created.ok()
    created.on_rest(201, location=f"/v1/users/{user['id']}")
    assert user["id"].startswith("usr_") and user["email"] == "ada.lovelace@studio.example"
    assert user["role"] == "admin" and user["disabled"] is False and user["project_ids"] is None
    assert (await api.get("users", user["id"])).ok() == user
    listed = (await api.list("users")).ok()
    assert [u for u in listed if u["id"] == user["id"]] == [user]
    stored = await _stored(api, user["id"])
    assert stored.password_hash.startswith("$argon2id$")
    assert await verify_password(stored.password_hash, PASSWORD)
    events = await events_of(api.tenant.services, user["id"])
    for text in (orjson.dumps(listed).decode(), orjson.dumps([e.data for e in events]).decode()):
        assert PASSWORD not in text and "argon2" not in text
    assert [e.type for e in events] == ["user.created"]


BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    ({"email": "not-an-email"}, "email", "INVALID"),
    ({"password": "short"}, "password", "INVALID"),
    ({"password": "x" * 300}, "password", "INVALID"),
    ({"name": "   "}, "name", "REQUIRED"),
    ({"project_ids": []}, "project_ids", "INVALID"),
    ({"project_ids": ["prj_01J00000000000000000000000"]}, "project_ids", "NOT_FOUND"),
]


@pytest.mark.parametrize(("transport", "extra", "field", "code"), alternating(BAD_INPUT))
async def test_create_refuses_bad_input(
    api: Api, extra: dict[str, Any], field: str, code: str
) -> None:
    refused = await _create(api, **extra)
    assert refused.on_rest(422).error == "VALIDATION_FAILED"
    assert (field, code) in refused.fields


async def test_emails_are_unique_per_organisation_whatever_their_case(
    api: Api, make_api: Any
) -> None:
    email = f"dup.{os.urandom(3).hex()}@studio.example"
    (await _create(api, email=email)).ok()
    taken = await _create(api, email=email.upper())
    assert ("email", "TAKEN") in taken.fields
    other = await make_api()
    (await _create(other, email=email)).ok()


async def test_no_escalation_through_users(api: Api) -> None:
    admin_only = await api.tenant.key(*[s for s in Scope if s is not Scope.ADMIN])
    owner = await _create(api, role="owner", token=admin_only)
    assert owner.on_rest(403).error == "FORBIDDEN"
    weak = await api.tenant.key(Scope.USERS_WRITE, Scope.USERS_READ)
    admin = await _create(api, role="admin", token=weak)
    assert admin.on_rest(403).error == "FORBIDDEN"
    member = (await _create(api, role="member")).ok()
    promoted = await api.update("users", member["id"], {"role": "owner"}, token=admin_only)
    assert promoted.on_rest(403).error == "FORBIDDEN"
    assert (await api.update("users", member["id"], {"role": "admin"}, token=admin_only)).ok()[
        "role"
    ] == "admin"


async def test_the_last_owner_cannot_be_disabled_or_demoted(api: Api) -> None:
    owner = (await _create(api, role="owner")).ok()
    demoted = await api.update("users", owner["id"], {"role": "admin"})
    assert ("id", "INVALID_STATE") in demoted.fields
    disabled = await api.action("users", "disable", owner["id"])
    assert ("id", "INVALID_STATE") in disabled.fields
    second = (await _create(api, role="owner")).ok()
    assert (await api.action("users", "disable", owner["id"])).ok()["disabled"] is True
    assert (await api.action("users", "enable", owner["id"])).ok()["disabled"] is False
    assert second["role"] == "owner"


async def test_changing_the_password_ends_sessions_and_rehashes(api: Api) -> None:
    user = (await _create(api)).ok()
    before = (await _stored(api, user["id"])).password_hash
    changed = (await api.update("users", user["id"], {"password": "another long password"})).ok()
    assert changed["version"] == user["version"] + 1
    after = (await _stored(api, user["id"])).password_hash
    assert after != before and await verify_password(after, "another long password")


async def test_cli_creates_lists_and_disables_users(
    tenant: Tenant,
    backend: Backend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REELHOUSE_PASSWORD", PASSWORD)
    email = f"cli.{os.urandom(3).hex()}@studio.example"
    args = ["users", "create", "--org", tenant.slug, "--email", email, "--role", "member"]
    assert await asyncio.to_thread(cli_main, args, backend.settings) == 0
    user_id = capsys.readouterr().out.split("user id: ")[1].split()[0]
    assert (
        await asyncio.to_thread(cli_main, ["users", "list", "--org", tenant.slug], backend.settings)
        == 0
    )
    listing = capsys.readouterr().out
    assert email in listing and "member" in listing and PASSWORD not in listing
    assert await asyncio.to_thread(cli_main, ["users", "disable", user_id], backend.settings) == 0
    assert "disabled" in capsys.readouterr().out
    async with tenant.services.db.reading() as session:
        assert (await session.get(User, user_id)).disabled
    monkeypatch.delenv("REELHOUSE_PASSWORD")
    again = ["users", "create", "--org", tenant.slug, "--email", "x@y.example", "--role", "admin"]
    assert await asyncio.to_thread(cli_main, again, backend.settings) == 1
    assert "REELHOUSE_PASSWORD" in capsys.readouterr().err
