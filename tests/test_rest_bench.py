"""The REST benchmark row still runs (its numbers are for bench/, never asserted here)."""

from __future__ import annotations

from bench.rest import rest_vs_graphql
from tests.conftest import Backend, Tenant


async def test_bench_row_measures_both_transports(backend: Backend, tenant: Tenant) -> None:
    created = await tenant.http.post(
        "/v1/projects",
        json={"slug": "bench-row", "name": "Bench"},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    row = await rest_vs_graphql(
        backend.app, tenant.token, created.json()["id"], requests=8, concurrency=2, rounds=1
    )
    assert row.name == "GET /v1/projects/{id}" and row.baseline == "GraphQL project(id)"
    assert row.requests_per_second > 0 and row.baseline_requests_per_second > 0
