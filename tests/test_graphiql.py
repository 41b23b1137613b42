"""GraphiQL works before a key: the schema comes from a public static document, not an
introspection call; subscriptions use the same WebSocket; the demo key is pre-filled on the
embedded default, for this machine's browsers only, and ``seed-demo`` keeps it across runs."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import httpx
from graphql import build_client_schema, build_schema, get_introspection_query

from app.database import Database
from app.demo import read_demo_key, seed_demo
from app.http.graphiql import GraphiQLPage, page_html
from app.migrate import upgrade_async
from app.settings import Settings

BROWSER = {"Accept": "text/html"}


async def test_schema_downloads_need_no_key_and_agree(http: httpx.AsyncClient) -> None:
    sdl = await http.get("/graphql/schema.graphql")
    assert sdl.status_code == 200
    assert sdl.headers["content-type"].startswith("text/plain")
    assert sdl.headers["cache-control"].startswith("public, max-age=")
    introspection = await http.get("/graphql/schema.json")
    assert introspection.status_code == 200
    from_sdl = build_schema(sdl.text)
    from_json = build_client_schema(introspection.json())
    assert set(from_sdl.type_map) == set(from_json.type_map)
    assert "projects" in from_json.query_type.fields  # type: ignore[union-attr]
    assert from_json.subscription_type is not None
    again = await http.get(
        "/graphql/schema.graphql", headers={"If-None-Match": sdl.headers["etag"]}
    )
    assert again.status_code == 304


async def test_the_page_loads_the_static_schema_and_speaks_websocket(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/graphql", headers=BROWSER)
    assert page.status_code == 200
    html = page.text
    assert 'fetch("/graphql/schema.json")' in html and "schema: introspection" in html
    assert "graphqlWs.createClient" in html and "connectionParams: headers" in html
    assert "/static/graphiql/graphql-ws.min.js" in html
    asset = await http.get("/static/graphiql/graphql-ws.min.js")
    assert asset.status_code == 200 and b"graphqlWs" in asset.content
    assert get_introspection_query() not in html
    assert "&lt;your API key&gt;" in html or "\\u003cyour API key>" in html
    assert page.headers["cache-control"] == "private, no-cache"


def _scope(host: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "path": "/graphql",
        "headers": headers,
        "client": (host, 1),
    }


async def _render(
    page: GraphiQLPage, host: str, headers: list[tuple[bytes, bytes]] | None = None
) -> str:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await page(_scope(host, headers or []), receive, send)
    return bytes(sent[1]["body"]).decode()


async def test_demo_key_is_prefilled_for_local_browsers_only() -> None:
    page = GraphiQLPage("rh_live_demo")
    assert '"Bearer " + "rh_live_demo"' in await _render(page, "127.0.0.1")
    assert '"Bearer " + "rh_live_demo"' in await _render(page, "::1")
    remote = await _render(page, "203.0.113.9")
    assert "rh_live_demo" not in remote
    assert remote == page_html(None)
    proxied = await _render(page, "127.0.0.1", [(b"x-forwarded-for", b"203.0.113.9")])
    assert "rh_live_demo" not in proxied


async def test_seed_demo_keeps_its_key_in_an_owner_only_file(tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    settings = Settings(
        database_url=database_url, redis_url=None, demo_key_file=str(tmp_path / "demo-key")
    )
    await upgrade_async(database_url)
    db = Database(database_url)
    try:
        first = await seed_demo(db, settings)
        saved = tmp_path / "demo-key"
        assert saved.read_text().strip() == first.token
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        second = await seed_demo(db, settings)
        assert (second.token, second.key_id, second.created) == (first.token, first.key_id, False)
        assert read_demo_key(settings) == first.token
        assert read_demo_key(settings.model_copy(update={"environment": "production"})) is None

        os.chmod(saved, 0o644)
        assert read_demo_key(settings) is None, "a key others can read is not used"
        shared = await seed_demo(db, settings)
        assert shared.token != first.token and shared.key_id == first.key_id
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600

        saved.write_text("rh_live_not_a_real_key\n")
        replaced = await seed_demo(db, settings)
        assert replaced.token not in (first.token, shared.token)
        assert saved.read_text().strip() == replaced.token
        assert (await seed_demo(db, settings)).token == replaced.token
    finally:
        await db.dispose()
