"""What auditing costs, and that it loses nothing under a burst.

- ``audit_cost``: the project(id) row on the API as configured (auditing on) and on a second
  API process with ``REELHOUSE_AUDIT_ENABLED=false``, same data and machine, interleaved over
  the rounds; the ratio of their medians is the cost (goal: on at least 0.9 of off).
- ``audit_burst``: 10,000 authenticated reads as fast as 64 connections send them, then the
  audit records of exactly those request ids are counted (after one flush interval).
- ``sigkill_loss``: a server process SIGKILLed right after answering a burst of reads; the
  records missing are what a crash loses (at most one flush interval of reads).

``python -m bench.audit`` runs both on their own; ``reelhouse-bench`` runs them after its rows
(``--no-audit`` skips them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
from typing import Any

import httpx

from bench import wrk
from bench.harness import GRAPHQL_PROJECT, SCENARIOS, Servers, running, server, smoke
from bench.processes import backend_pids, cpu_by_pid, cpu_since, server_pids

BURST_CALLS = 10_000
BURST_CONNECTIONS = 64


def audit_cost(servers: Servers, args: argparse.Namespace, wrk_path: str) -> dict[str, Any]:
    """Requests per second, and CPU per request of the API process and of the database's
    backends (the audit rows' inserts are PostgreSQL's work): CPU per request does not depend
    on what else the machine runs, requests per second do."""
    request = next(s for s in SCENARIOS if s.name == GRAPHQL_PROJECT).build(servers.seed)
    rates: dict[str, list[float]] = {"on": [], "off": []}
    api_cpu: dict[str, list[float]] = {"on": [], "off": []}
    db_cpu: dict[str, list[float]] = {"on": [], "off": []}
    off_env = {**servers.api_env, "REELHOUSE_AUDIT_ENABLED": "false"}
    with server(
        "api-no-audit", "app.factory:create_app", off_env, servers.work, factory=True
    ) as off:
        urls = {"on": servers.urls["api"], "off": off}
        pids = {label: server_pids(url) for label, url in urls.items()}
        for round_number in range(args.rounds):
            for label, url in urls.items():
                smoke(url, request)
                wrk.run(
                    wrk_path,
                    url,
                    request,
                    script_dir=servers.work,
                    name=f"audit-{label}-r{round_number}",
                    run_tag="w",
                    duration=args.warmup,
                    threads=args.threads,
                    connections=args.connections,
                )
                backends = asyncio.run(backend_pids(servers.database_url))
                before_api, before_db = cpu_by_pid(pids[label]), cpu_by_pid(backends)
                result = wrk.run(
                    wrk_path,
                    url,
                    request,
                    script_dir=servers.work,
                    name=f"audit-{label}-r{round_number}",
                    run_tag="m",
                    duration=args.duration,
                    threads=args.threads,
                    connections=args.connections,
                )
                # The last batch of records is written within one flush interval.
                time.sleep(0.5)
                requests = max(result.requests, 1)
                api_cpu[label].append(cpu_since(before_api, pids[label]) * 1000 / requests)
                db_cpu[label].append(cpu_since(before_db, backends) * 1000 / requests)
                rates[label].append(result.per_second)
                print(
                    f"  audit {label}: {result.per_second:.0f} req/s, "
                    f"{api_cpu[label][-1]:.3f} ms API CPU/req, {db_cpu[label][-1]:.3f} ms DB",
                    file=sys.stderr,
                )
    median = statistics.median
    on, off_rate = median(rates["on"]), median(rates["off"])
    return {
        "row": GRAPHQL_PROJECT,
        "per_second_audited": on,
        "per_second_unaudited": off_rate,
        "ratio": on / off_rate,
        "api_cpu_ms_audited": median(api_cpu["on"]),
        "api_cpu_ms_unaudited": median(api_cpu["off"]),
        "db_cpu_ms_audited": median(db_cpu["on"]),
        "db_cpu_ms_unaudited": median(db_cpu["off"]),
        "runs": {"per_second": rates, "api_cpu_ms": api_cpu, "db_cpu_ms": db_cpu},
    }


async def _fire(url: str, token: str, calls: int) -> tuple[list[str], float]:
    """``calls`` authenticated GETs of ``url`` over 64 connections; their request ids and how
    long they took."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=BURST_CONNECTIONS)
    gate = asyncio.Semaphore(BURST_CONNECTIONS)
    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:

        async def one() -> str:
            async with gate:
                for attempt in range(3):
                    try:
                        response = await http.get(url, headers=headers)
                        break
                    except httpx.TransportError:
                        # A kept-alive connection the server closed meanwhile: no answer, so
                        # no request id to count; send again.
                        if attempt == 2:
                            raise
                response.raise_for_status()
                return response.headers["x-request-id"]

        request_ids = await asyncio.gather(*(one() for _ in range(calls)))
    return list(request_ids), time.perf_counter() - started


async def _recorded(database_url: str, request_ids: list[str], wait: float) -> int:
    """How many of ``request_ids`` have their record, waiting up to ``wait`` seconds for the
    count to stop growing."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from app.database import Database
    from app.models import AuditRecord

    db = Database(database_url)
    deadline = time.monotonic() + wait
    recorded = 0
    try:
        while True:
            recorded = 0
            async with db.reading() as session:
                for start in range(0, len(request_ids), 1000):
                    chunk = request_ids[start : start + 1000]
                    query = select(func.count()).where(col(AuditRecord.request_id).in_(chunk))
                    recorded += int((await session.execute(query)).scalar_one())
            if recorded >= len(request_ids) or time.monotonic() > deadline:
                return recorded
            await asyncio.sleep(0.2)
    finally:
        await db.dispose()


def _project_url(servers: Servers, base_url: str) -> str:
    return f"{base_url}/v1/projects/{servers.seed.project_ids[0]}"


def audit_burst(servers: Servers, calls: int = BURST_CALLS) -> dict[str, Any]:
    url = _project_url(servers, servers.urls["api"])
    request_ids, seconds = asyncio.run(_fire(url, servers.seed.token, calls))
    recorded = asyncio.run(_recorded(servers.database_url, request_ids, wait=10))
    return {
        "calls": calls,
        "recorded": recorded,
        "lost": calls - recorded,
        "per_second": calls / seconds,
    }


def sigkill_loss(servers: Servers, calls: int = 3000) -> dict[str, Any]:
    """What a SIGKILL right after the last answer costs: a server process (the bench
    settings, so flush interval 0.2 s) answers ``calls`` reads, is killed at once, and the
    records that made it to the store are counted."""
    with server(
        "api-sigkill", "app.factory:create_app", servers.api_env, servers.work, factory=True
    ) as url:
        pids = server_pids(url)
        request_ids, seconds = asyncio.run(
            _fire(_project_url(servers, url), servers.seed.token, calls)
        )
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
    recorded = asyncio.run(_recorded(servers.database_url, request_ids, wait=1))
    return {
        "calls": calls,
        "recorded": recorded,
        "lost": calls - recorded,
        "per_second": calls / seconds,
        "lost_seconds_of_traffic": (calls - recorded) / (calls / seconds),
    }


def summary(cost: dict[str, Any], burst: dict[str, Any], kill: dict[str, Any] | None) -> str:
    on_cpu = cost["api_cpu_ms_audited"] + cost["db_cpu_ms_audited"]
    off_cpu = cost["api_cpu_ms_unaudited"] + cost["db_cpu_ms_unaudited"]
    lines = [
        f"auditing ({cost['row']}): on {cost['per_second_audited']:.0f} req/s, off "
        f"{cost['per_second_unaudited']:.0f} req/s: {cost['ratio']:.2f}x (goal ≥ 0.90)",
        f"  CPU per request, API + database: on {cost['api_cpu_ms_audited']:.3f} + "
        f"{cost['db_cpu_ms_audited']:.3f} ms, off {cost['api_cpu_ms_unaudited']:.3f} + "
        f"{cost['db_cpu_ms_unaudited']:.3f} ms: {off_cpu / on_cpu:.2f}x",
        f"audit burst: {burst['calls']:,} calls at {burst['per_second']:.0f} req/s, "
        f"{burst['recorded']:,} records, {burst['lost']} lost",
    ]
    if kill is not None:
        lines.append(
            f"SIGKILL after {kill['calls']:,} reads at {kill['per_second']:.0f} req/s: "
            f"{kill['lost']} records lost ({kill['lost_seconds_of_traffic']:.2f} s of traffic)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench.harness import build_parser

    args = build_parser().parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    with running(args.nested_query) as servers:
        cost = audit_cost(servers, args, wrk_path)
        burst = audit_burst(servers)
        kill = sigkill_loss(servers)
    print(summary(cost, burst, kill))
    return 0 if burst["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
