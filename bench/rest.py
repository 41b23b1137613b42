"""REST overhead: ``GET /v1/projects/{id}`` against GraphQL ``project(id)`` in one run.

Both requests select the same fields and run through the same executor, so the ratio is the
cost of the REST mapping (routing, binding, reshaping). Requests go through the whole ASGI app
in-process (middleware, auth, database), with the transports interleaved round by round so
that drift of the machine hits both alike.

``rest_vs_graphql(app, token, project_id)`` is the row for a harness that has its own app;
``run()`` sets up a throwaway SQLite database and returns the rows; ``python -m bench.rest``
prints them.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from app.types import ASGIApp

TARGET_RATIO = 0.95


@dataclass(frozen=True)
class BenchRow:
    name: str
    requests_per_second: float
    baseline: str
    baseline_requests_per_second: float
    ratio: float
    target: float = TARGET_RATIO


async def _rate(
    send: Callable[[], Awaitable[httpx.Response]], requests: int, concurrency: int
) -> float:
    per_worker = max(1, requests // concurrency)

    async def worker() -> None:
        for _ in range(per_worker):
            response = await send()
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return per_worker * concurrency / (time.perf_counter() - started)


async def rest_vs_graphql(
    app: ASGIApp,
    token: str,
    project_id: str,
    *,
    requests: int = 2000,
    concurrency: int = 8,
    rounds: int = 5,
) -> BenchRow:
    """Median requests/second of each transport over ``rounds`` interleaved rounds."""
    from rest_compat import build_rest_api
    from schema import build_schema

    document = build_rest_api(build_schema()).endpoint("GET", "/v1/projects/{id}").document
    headers = {"Authorization": f"Bearer {token}"}
    graphql_body = {"query": document, "variables": {"id": project_id}}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        def rest() -> Awaitable[httpx.Response]:
            return client.get(f"/v1/projects/{project_id}", headers=headers)

        def graphql() -> Awaitable[httpx.Response]:
            return client.post("/graphql", json=graphql_body, headers=headers)

        for send in (rest, graphql):
            await _rate(send, concurrency * 10, concurrency)
        rest_rates: list[float] = []
        graphql_rates: list[float] = []
        for _ in range(rounds):
            graphql_rates.append(await _rate(graphql, requests // rounds, concurrency))
            rest_rates.append(await _rate(rest, requests // rounds, concurrency))
    rest_rps = statistics.median(rest_rates)
    graphql_rps = statistics.median(graphql_rates)
    return BenchRow(
        name="GET /v1/projects/{id}",
        requests_per_second=round(rest_rps, 1),
        baseline="GraphQL project(id)",
        baseline_requests_per_second=round(graphql_rps, 1),
        ratio=round(rest_rps / graphql_rps, 3),
    )


async def run(requests: int = 2000) -> list[BenchRow]:
    """Builds an app on a throwaway SQLite database with one project, and measures it."""
    from app.auth.issuing import issue_key
    from app.auth.scopes import Scope
    from app.demo import ensure_organization
    from app.factory import create_app
    from app.migrate import upgrade_async
    from app.settings import Settings

    with tempfile.TemporaryDirectory(prefix="reelhouse-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade_async(url)
        app = create_app(Settings(database_url=url, redis_url=None, environment="test"))
        try:
            org, _ = await ensure_organization(app.services.db, "bench", "Bench")
            async with app.services.db.writing() as session:
                _, token = await issue_key(
                    session, org_id=org.id, name="bench", scopes=(Scope.ADMIN,)
                )
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                created = await c.post(
                    "/v1/projects",
                    json={"slug": "bench", "name": "Bench", "settings": {"fps": 24}},
                    headers={"Authorization": f"Bearer {token}"},
                )
            project_id = created.json()["id"]
            return [await rest_vs_graphql(app, token, project_id, requests=requests)]
        finally:
            await app.services.db.dispose()


def rows_as_dicts(rows: list[BenchRow]) -> list[dict[str, Any]]:
    return [asdict(row) for row in rows]


def main() -> None:
    for row in asyncio.run(run()):
        verdict = "ok" if row.ratio >= row.target else "below target"
        print(
            f"{row.name}: {row.requests_per_second} req/s, {row.baseline}: "
            f"{row.baseline_requests_per_second} req/s, ratio {row.ratio} "
            f"(target ≥ {row.target}: {verdict})"
        )


if __name__ == "__main__":
    main()
