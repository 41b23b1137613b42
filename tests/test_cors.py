"""CORS: preflights answered without a key, allowed origins see every answer (errors too) and
the headers a client needs; other origins get nothing to read."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from app.http.cors import CorsConfigError, CorsMiddleware
from app.settings import Settings
from tests.conftest import CORS_ORIGIN, Tenant

PREFLIGHT = {
    "Origin": CORS_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
}


@pytest.mark.parametrize("path", ["/graphql", "/v1/projects", "/v1/jobs/job_x/cancel"])
async def test_preflight_needs_no_key(http: httpx.AsyncClient, path: str) -> None:
    response = await http.options(path, headers=PREFLIGHT)
    assert response.status_code == 204
    headers = response.headers
    assert headers["access-control-allow-origin"] == CORS_ORIGIN
    assert "vary" in headers and "Origin" in headers["vary"]
    allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "idempotency-key", "x-request-id", "content-type"} <= allowed
    methods = {m.strip() for m in headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE"} <= methods
    assert "access-control-allow-credentials" not in headers


async def test_preflight_from_another_origin_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.options(
        "/v1/projects", headers={**PREFLIGHT, "Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "access-control-allow-origin" not in response.headers


async def test_answers_and_errors_expose_headers(http: httpx.AsyncClient, tenant: Tenant) -> None:
    ok = await http.get(
        "/v1/projects", headers={"Origin": CORS_ORIGIN, "Authorization": f"Bearer {tenant.token}"}
    )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == CORS_ORIGIN
    exposed = {h.strip() for h in ok.headers["access-control-expose-headers"].split(",")}
    assert {
        "X-Request-Id",
        "Idempotent-Replayed",
        *("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"),
        *("X-RateLimit-Resource", "RateLimit", "RateLimit-Policy", "Retry-After"),
        *("ETag", "Location", "Deprecation", "Sunset", "Link"),
    } <= exposed
    refused = await http.get("/v1/projects", headers={"Origin": CORS_ORIGIN})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == CORS_ORIGIN
    other = await http.get(
        "/v1/projects",
        headers={"Origin": "https://evil.example", "Authorization": f"Bearer {tenant.token}"},
    )
    assert "access-control-allow-origin" not in other.headers
    plain = await http.get("/v1/projects", headers={"Authorization": f"Bearer {tenant.token}"})
    assert "access-control-allow-origin" not in plain.headers


def test_wildcard_with_credentials_is_refused() -> None:
    with pytest.raises(ValidationError, match="CORS"):
        Settings(cors_origins="*", cors_allow_credentials=True)  # type: ignore[arg-type]
    with pytest.raises(CorsConfigError):
        CorsMiddleware(lambda *_: None, ["*"], allow_credentials=True)  # type: ignore[arg-type,return-value]
    settings = Settings(cors_origins="https://a.example, https://b.example/")  # type: ignore[arg-type]
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


async def test_wildcard_origin_without_credentials() -> None:
    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    cors = CorsMiddleware(app, ["*"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cors), base_url="http://t"
    ) as client:
        response = await client.get("/", headers={"Origin": "https://any.example"})
        assert response.headers["access-control-allow-origin"] == "*"
