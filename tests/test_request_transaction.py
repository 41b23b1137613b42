"""The request transaction (``app.transaction``): a mutation request's writes, its hooks' records
and its answer settle together; a failed unit of work rolls back alone; nothing is held for
reads; signals wait for the commit."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.errors import ApiError, ErrorCode
from app.http.errors import send_json
from app.transaction import RequestTransactions, Response, current_transaction
from app.types import Receive, Scope, Send
from tests.conftest import Backend, Tenant

PROBE = "transaction_probe"

TWICE = """
mutation($slug: String!) {
  first: createProject(input: {slug: $slug, name: "One"}) { project { id } userErrors { code } }
  again: createProject(input: {slug: $slug, name: "Two"}) { project { id } userErrors { code } }
  other: createProject(input: {slug: "x-$SUFFIX", name: "Three"}) {
    project { id slug } userErrors { code }
  }
}"""


@pytest_asyncio.fixture(loop_scope="session")
async def db(backend: Backend) -> AsyncIterator[Database]:
    database: Database = backend.app.services.db
    async with database.writing() as session:
        await session.execute(
            text(f"CREATE TABLE IF NOT EXISTS {PROBE} (id VARCHAR(40) PRIMARY KEY, note TEXT)")
        )
    yield database


async def _notes(db: Database, run: str) -> list[str]:
    async with db.reading() as session:
        rows = await session.execute(
            text(f"SELECT note FROM {PROBE} WHERE id LIKE :run"), {"run": run + "%"}
        )
        return sorted(r[0] for r in rows)


async def _write(session: AsyncSession, row_id: str, note: str) -> None:
    await session.execute(
        text(f"INSERT INTO {PROBE} (id, note) VALUES (:id, :note)"), {"id": row_id, "note": note}
    )


Endpoint = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _call(db: Database, endpoint: Endpoint) -> httpx.Response:
    app = RequestTransactions(endpoint, db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.post("/v1/probe", json={})


async def test_document_mutations_share_one_transaction_and_fail_alone(tenant: Tenant) -> None:
    """The second mutation sees the first's uncommitted project (its slug is taken) and rolls
    back alone; the third commits with the first."""
    slug = f"tx-{secrets.token_hex(4)}"
    suffix = secrets.token_hex(4)
    result = await tenant.gql(TWICE.replace("$SUFFIX", suffix), {"slug": slug})
    data = result.ok()
    assert data["first"]["userErrors"] == [] and data["first"]["project"]["id"]
    assert data["again"]["project"] is None
    assert [e["code"] for e in data["again"]["userErrors"]] == ["TAKEN"]
    assert data["other"]["project"]["slug"] == f"x-{suffix}"
    listed = await tenant.gql("{ projects(first: 100) { nodes { slug name } } }")
    mine = {p["slug"]: p["name"] for p in listed.ok()["projects"]["nodes"]}
    assert mine[slug] == "One" and mine[f"x-{suffix}"] == "Three"


async def test_hooks_commit_with_the_writes_after_the_body_exists(db: Database) -> None:
    run = secrets.token_hex(6)
    seen: list[str] = []
    signalled: list[list[str]] = []

    async def listener(signal: str) -> None:
        signalled.append([signal, *await _notes(db, run)])

    def on_signal(signal: str) -> None:
        seen.append(signal)

    db.on_commit_signal(on_signal)

    async def hook(session: AsyncSession, response: Response) -> None:
        await _write(session, run + "-hook", response.body.decode())

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        transaction = current_transaction()
        assert transaction is not None
        async with db.writing() as session:
            await _write(session, run + "-work", "work")
        db.committed("outbox")
        await db.after_commit(lambda: listener("after"))
        assert seen == [] and signalled == []
        transaction.before_commit(hook)
        await send_json(send, 201, {"made": run})

    try:
        response = await _call(db, endpoint)
    finally:
        db._commit_listeners.remove(on_signal)
    assert response.status_code == 201 and response.json() == {"made": run}
    assert await _notes(db, run) == ["work", f'{{"made":"{run}"}}']
    assert "outbox" in seen
    assert signalled == [["after", "work", f'{{"made":"{run}"}}']]


@pytest.mark.parametrize("status", [500, 503, 504])
async def test_a_5xx_answer_commits_nothing(db: Database, status: int) -> None:
    run = secrets.token_hex(6)
    rolled_back: list[bool] = []

    async def hook(session: AsyncSession, response: Response) -> None:
        raise AssertionError("no hook runs for an answer that keeps nothing")

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        transaction = current_transaction()
        assert transaction is not None
        transaction.before_commit(hook)

        async def note() -> None:
            rolled_back.append(True)

        transaction.after_rollback(note)
        async with db.writing() as session:
            await _write(session, run + "-work", "work")
        await send_json(send, status, {"error": {"code": "X"}})

    response = await _call(db, endpoint)
    assert response.status_code == status
    assert await _notes(db, run) == [] and rolled_back == [True]


async def test_a_failing_hook_turns_the_answer_into_its_error(db: Database) -> None:
    run = secrets.token_hex(6)

    async def hook(session: AsyncSession, response: Response) -> None:
        await _write(session, run + "-hook", "hook")
        raise ApiError(ErrorCode.CONFLICT, "Refused at commit.")

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        transaction = current_transaction()
        assert transaction is not None
        transaction.before_commit(hook)
        async with db.writing() as session:
            await _write(session, run + "-work", "work")
        await send_json(send, 201, {"made": run})

    response = await _call(db, endpoint)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CONFLICT"
    assert await _notes(db, run) == []


async def test_an_endpoint_that_raises_keeps_nothing(db: Database) -> None:
    run = secrets.token_hex(6)

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        async with db.writing() as session:
            await _write(session, run + "-work", "work")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await _call(db, endpoint)
    assert await _notes(db, run) == []


async def test_a_unit_that_raises_rolls_back_alone(db: Database) -> None:
    run = secrets.token_hex(6)

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        async with db.writing() as session:
            await _write(session, run + "-a", "a")
        try:
            async with db.writing() as session:
                await _write(session, run + "-b", "b")
                raise LookupError(run)
        except LookupError:
            pass
        async with db.reading() as session:
            seen = (
                await session.execute(
                    text(f"SELECT count(*) FROM {PROBE} WHERE id LIKE :r"), {"r": run + "%"}
                )
            ).scalar_one()
        await send_json(send, 200, {"seen": seen})

    response = await _call(db, endpoint)
    assert response.json() == {"seen": 1}
    assert await _notes(db, run) == ["a"]


async def test_reads_hold_no_transaction_and_stream_through(db: Database) -> None:
    states: list[Any] = []

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        async with db.reading() as session:
            await session.execute(text("SELECT 1"))
        transaction = current_transaction()
        assert transaction is not None
        states.append(transaction.engaged)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        states.append(transaction.open)
        await send({"type": "http.response.body", "body": b"ok"})

    response = await _call(db, endpoint)
    assert response.content == b"ok"
    assert states == [False, False]
