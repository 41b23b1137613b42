"""Authenticating with a key: refusal before I/O, no timing oracle, IP allowlists, last use."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.auth import tokens
from app.auth.network import client_address, parse_address, parse_network
from app.auth.scopes import Scope
from app.auth.usage import UsageRecorder
from app.factory import Application, create_app
from tests.conftest import Backend, Tenant, count_statements
from tests.keys_fixtures import KEY, PROBE, create_key


def _flip_last(token: str) -> str:
    return token[:-1] + ("0" if token[-1] != "0" else "1")


async def _post(http: httpx.AsyncClient, token: str, **headers: str) -> httpx.Response:
    return await http.post(
        "/graphql", json={"query": PROBE}, headers={"Authorization": f"Bearer {token}", **headers}
    )


async def test_bad_checksum_is_refused_before_any_database_lookup(
    tenant: Tenant, services: Any
) -> None:
    real = (await create_key(tenant))["secret"]
    typo = _flip_last(real)
    assert not tokens.is_well_formed(typo)
    with count_statements(services, authentication=True) as statements:
        response = await _post(tenant.http, typo)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert statements == []

    body = real[len("rh_live_") : -tokens.CHECKSUM_LENGTH]
    unknown_body = body[::-1]
    unknown = f"rh_live_{unknown_body}{tokens.checksum(unknown_body)}"
    with count_statements(services, authentication=True) as statements:
        response = await _post(tenant.http, unknown)
    assert response.status_code == 401
    assert any("api_key_secrets" in s for s in statements), "the counter sees lookups"


async def test_unknown_key_and_wrong_secret_take_the_same_path(
    tenant: Tenant, services: Any
) -> None:
    """Both are one lookup by the whole token's hash: same statements, same answer."""
    real = (await create_key(tenant))["secret"]
    body = real[len("rh_live_") : -tokens.CHECKSUM_LENGTH]
    same_start = body[:16] + body[16:][::-1]
    unrelated = "Z" * 32
    answers = []
    for candidate in (same_start, unrelated):
        token = f"rh_live_{candidate}{tokens.checksum(candidate)}"
        with count_statements(services, authentication=True) as statements:
            response = await _post(tenant.http, token)
        error = response.json()["errors"][0]
        error["extensions"].pop("request_id")
        headers = {k: v for k, v in response.headers.items() if k != "x-request-id"}
        answers.append((response.status_code, error, headers, statements))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401 and answers[0][1]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", [], [], "203.0.113.7"),
        ("203.0.113.7", ["10.1.2.3"], [], "203.0.113.7"),
        ("203.0.113.7", ["10.1.2.3"], ["10.0.0.0/8"], "203.0.113.7"),
        ("10.0.0.1", ["198.51.100.9"], ["10.0.0.0/8"], "198.51.100.9"),
        ("10.0.0.1", ["10.1.2.3, 198.51.100.9"], ["10.0.0.0/8"], "198.51.100.9"),
        ("10.0.0.1", ["198.51.100.9, 10.0.0.2"], ["10.0.0.0/8"], "198.51.100.9"),
        ("10.0.0.1", ["1.1.1.1", "198.51.100.9, 10.0.0.2"], ["10.0.0.0/8"], "198.51.100.9"),
        ("10.0.0.1", ["10.0.0.3, 10.0.0.2"], ["10.0.0.0/8"], "10.0.0.3"),
        ("10.0.0.1", [], ["10.0.0.0/8"], "10.0.0.1"),
        ("10.0.0.1", ["garbage, 198.51.100.9"], ["10.0.0.0/8"], "198.51.100.9"),
        ("10.0.0.1", ["198.51.100.9, garbage"], ["10.0.0.0/8"], None),
        ("::1", ["2001:db8::5"], ["::1/128"], "2001:db8::5"),
        ("::1", ["[2001:db8::5]:443"], ["::1/128"], "2001:db8::5"),
        ("::ffff:10.0.0.1", ["198.51.100.9:1234"], ["10.0.0.0/8"], "198.51.100.9"),
        ("::ffff:203.0.113.7", [], [], "203.0.113.7"),
        (None, [], [], None),
        ("not-an-address", [], [], None),
    ],
)
def test_client_address(
    peer: str | None, forwarded: list[str], trusted: list[str], expected: str | None
) -> None:
    found = client_address(peer, forwarded, [parse_network(t) for t in trusted])
    assert found == (ipaddress.ip_address(expected) if expected else None)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("10.0.0.0/8", True),
        ("10.1.2.3", True),
        ("2001:db8::/32", True),
        ("::1", True),
        ("10.0.0.1/8", False),
        ("10.0.0.0/33", False),
        ("2001:db8::1/32", False),
        ("", False),
        ("example.com", False),
    ],
)
def test_parse_network(value: str, ok: bool) -> None:
    if ok:
        assert parse_network(value)
    else:
        with pytest.raises(ValueError, match=repr(value)):
            parse_network(value)
    assert parse_address("[::1]") == ipaddress.ip_address("::1")


def _client(app: Application, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _code(http: httpx.AsyncClient, token: str, **headers: str) -> tuple[int, str | None]:
    response = await _post(http, token, **headers)
    errors = response.json().get("errors")
    return response.status_code, errors[0]["extensions"]["code"] if errors else None


async def test_allowlist_refuses_addresses_outside_it(tenant: Tenant, backend: Backend) -> None:
    token = (
        await create_key(
            tenant, scopes=["projects:read"], allowedCidrs=["10.1.0.0/16", "2001:db8::/32"]
        )
    )["secret"]
    for address, expected in (
        ("10.1.2.3", (200, None)),
        ("2001:db8::42", (200, None)),
        ("::ffff:10.1.2.3", (200, None)),
        ("10.2.0.1", (403, "IP_NOT_ALLOWED")),
        ("2001:db9::1", (403, "IP_NOT_ALLOWED")),
        ("127.0.0.1", (403, "IP_NOT_ALLOWED")),
    ):
        async with _client(backend.app, address) as http:
            assert await _code(http, token) == expected, address
    async with _client(backend.app, "192.0.2.1") as http:
        spoofed = await _code(http, token, **{"X-Forwarded-For": "10.1.2.3"})
    assert spoofed == (403, "IP_NOT_ALLOWED"), "no trusted proxies: the header is ignored"
    unrestricted = await tenant.key(Scope.PROJECTS_READ)
    async with _client(backend.app, "192.0.2.1") as http:
        assert await _code(http, unrestricted) == (200, None)


@pytest_asyncio.fixture(loop_scope="session")
async def proxied_app(backend: Backend) -> AsyncIterator[Application]:
    """The same store behind a trusted proxy at 127.0.0.0/8 and fd00::/8."""
    settings = backend.settings.model_copy(update={"trusted_proxies": ["127.0.0.0/8", "fd00::/8"]})
    app = create_app(settings)
    yield app
    if app.services.redis is not None:
        await app.services.redis.aclose()
    await app.services.db.dispose()


async def test_allowlist_behind_trusted_proxies(tenant: Tenant, proxied_app: Application) -> None:
    token = (await create_key(tenant, scopes=["projects:read"], allowedCidrs=["10.1.0.0/16"]))[
        "secret"
    ]
    cases = [
        ("127.0.0.1", "10.1.2.3", (200, None)),
        ("fd00::1", "10.1.2.3", (200, None)),
        ("127.0.0.1", "10.1.2.3, 127.0.0.5", (200, None)),
        ("127.0.0.1", "10.9.9.9", (403, "IP_NOT_ALLOWED")),
        ("127.0.0.1", "10.1.2.3, 192.0.2.1", (403, "IP_NOT_ALLOWED")),
        ("127.0.0.1", "10.1.2.3, not-an-ip", (403, "IP_NOT_ALLOWED")),
        ("192.0.2.1", "10.1.2.3", (403, "IP_NOT_ALLOWED")),
        ("10.1.2.3", "192.0.2.1", (200, None)),
    ]
    for peer, forwarded, expected in cases:
        async with _client(proxied_app, peer) as http:
            got = await _code(http, token, **{"X-Forwarded-For": forwarded})
        assert got == expected, (peer, forwarded)


async def test_last_used_is_noted_in_memory_and_written_in_one_batch(
    tenant: Tenant, services: Any
) -> None:
    usage = UsageRecorder(services.db)
    keys = [await create_key(tenant) for _ in range(3)]
    for key in keys:
        for _ in range(3):
            usage.touch(key["apiKey"]["id"])
    assert usage.pending == 3
    with count_statements(services) as statements:
        assert await usage.flush() == 3
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE")]) == 1
    for key in keys:
        used = (await tenant.gql(KEY, {"id": key["apiKey"]["id"]})).ok()["apiKey"]
        assert used["lastUsedAt"] is not None
        assert used["version"] == 1, "being used is not a change of the key"
        usage.touch(key["apiKey"]["id"])
    assert usage.pending == 0, "at most once a minute per key"
    with count_statements(services) as statements:
        assert await usage.flush() == 0
    assert statements == []


async def test_requests_note_their_key_without_writing(tenant: Tenant, services: Any) -> None:
    key = await create_key(tenant)
    with count_statements(services) as statements:
        assert (await tenant.gql(PROBE, token=key["secret"])).status == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    await services.usage.flush()
    used = (await tenant.gql(KEY, {"id": key["apiKey"]["id"]})).ok()["apiKey"]
    assert used["lastUsedAt"] is not None


async def test_last_used_never_moves_backwards(tenant: Tenant, services: Any) -> None:
    key_id = (await create_key(tenant))["apiKey"]["id"]
    early, late = UsageRecorder(services.db), UsageRecorder(services.db)
    early.touch(key_id)
    late.touch(key_id)
    await late.flush()
    written = (await tenant.gql(KEY, {"id": key_id})).ok()["apiKey"]["lastUsedAt"]
    await early.flush()
    assert (await tenant.gql(KEY, {"id": key_id})).ok()["apiKey"]["lastUsedAt"] == written
