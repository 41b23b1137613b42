"""What auditing costs, and that it loses nothing under a burst.

- ``audit_cost``: the project(id) row on the API as configured (auditing on) and on a second
  API process with ``REELHOUSE_AUDIT_ENABLED=false``, same data and machine, interleaved over
  the rounds; the ratio of their medians is the cost (goal: on at least 0.9 of off).
- ``audit_burst``: 10,000 authenticated reads as fast as 64 connections send them, then the
  audit records of exactly those request ids are counted (after one flush interval).

``python -m bench.audit`` runs both on their own; ``reelhouse-bench`` runs them after its rows
(``--no-audit`` skips them).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any

import httpx

from bench import wrk
from bench.harness import GRAPHQL_PROJECT, SCENARIOS, Servers, running, server, smoke

BURST_CALLS = 10_000
BURST_CONNECTIONS = 64


def audit_cost(servers: Servers, args: argparse.Namespace, wrk_path: str) -> dict[str, Any]:
    request = next(s for s in SCENARIOS if s.name == GRAPHQL_PROJECT).build(servers.seed)
    rates: dict[str, list[float]] = {"on": [], "off": []}
    off_env = {**servers.api_env, "REELHOUSE_AUDIT_ENABLED": "false"}
    with server(
        "api-no-audit", "app.factory:create_app", off_env, servers.work, factory=True
    ) as off:
        urls = {"on": servers.urls["api"], "off": off}
        for round_number in range(args.rounds):
            for label, url in urls.items():
                smoke(url, request)
                for tag, seconds in (("w", args.warmup), ("m", args.duration)):
                    result = wrk.run(
                        wrk_path,
                        url,
                        request,
                        script_dir=servers.work,
                        name=f"audit-{label}-r{round_number}",
                        run_tag=tag,
                        duration=seconds,
                        threads=args.threads,
                        connections=args.connections,
                    )
                rates[label].append(result.per_second)
    on, off_rate = statistics.median(rates["on"]), statistics.median(rates["off"])
    return {
        "row": GRAPHQL_PROJECT,
        "per_second_audited": on,
        "per_second_unaudited": off_rate,
        "ratio": on / off_rate,
        "runs": rates,
    }


async def _burst(servers: Servers, calls: int) -> dict[str, Any]:
    from sqlalchemy import func, select
    from sqlmodel import col

    from app.database import Database
    from app.models import AuditRecord

    url = f"{servers.urls['api']}/v1/projects/{servers.seed.project_ids[0]}"
    headers = {"Authorization": f"Bearer {servers.seed.token}"}
    limits = httpx.Limits(max_connections=BURST_CONNECTIONS)
    gate = asyncio.Semaphore(BURST_CONNECTIONS)
    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:

        async def one() -> str:
            async with gate:
                response = await http.get(url, headers=headers)
                response.raise_for_status()
                return response.headers["x-request-id"]

        request_ids = await asyncio.gather(*(one() for _ in range(calls)))
    seconds = time.perf_counter() - started
    db = Database(servers.database_url)
    recorded = 0
    try:
        deadline = time.monotonic() + 10
        while True:
            recorded = 0
            async with db.reading() as session:
                for start in range(0, calls, 1000):
                    chunk = request_ids[start : start + 1000]
                    query = select(func.count()).where(col(AuditRecord.request_id).in_(chunk))
                    recorded += int((await session.execute(query)).scalar_one())
            if recorded >= calls or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
    finally:
        await db.dispose()
    return {
        "calls": calls,
        "recorded": recorded,
        "lost": calls - recorded,
        "per_second": calls / seconds,
    }


def audit_burst(servers: Servers, calls: int = BURST_CALLS) -> dict[str, Any]:
    return asyncio.run(_burst(servers, calls))


def summary(cost: dict[str, Any], burst: dict[str, Any]) -> str:
    return (
        f"auditing ({cost['row']}): on {cost['per_second_audited']:.0f} req/s, off "
        f"{cost['per_second_unaudited']:.0f} req/s: {cost['ratio']:.2f}x (goal ≥ 0.90)\n"
        f"audit burst: {burst['calls']:,} calls at {burst['per_second']:.0f} req/s, "
        f"{burst['recorded']:,} records, {burst['lost']} lost"
    )


def main(argv: list[str] | None = None) -> int:
    from bench.harness import build_parser

    args = build_parser().parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    with running(args.nested_query) as servers:
        cost = audit_cost(servers, args, wrk_path)
        burst = audit_burst(servers)
    print(summary(cost, burst))
    return 0 if burst["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
