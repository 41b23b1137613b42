"""Telemetry ingestion on PostgreSQL: events per second from 500-event batches, and the p99
latency of one batch request.

``python -m bench.telemetry [--duration 20] [--connections 4]`` creates a throwaway
PostgreSQL database, starts the API (one uvicorn worker, its embedded event worker on, as
``reelhouse serve`` runs it) and drives it with ``wrk``: every request is a batch of 500
events (a type, a timestamp and ~150 bytes of properties each, no insert ids) to
``POST /v1/telemetry/events``, then the same batch through ``POST /graphql``. Events per
second are requests per second x 500; the stored row count is checked against what ``wrk``
saw answered.

Throughput depends on the machine and on what else runs on it (wrk, the API and PostgreSQL
share its cores, and so do other users). So the run also reads the CPU time the API process
and this database's PostgreSQL backends spent during each measured run (``/proc``), which
gives a figure that does not depend on the load: CPU milliseconds per batch, and the events
per second that the machine's cores would sustain if they did nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import asyncpg
import orjson

from app.clock import isoformat, utcnow
from app.migrate import upgrade
from bench import wrk
from bench.harness import create_tenant, machine, postgres_database, postgres_version, server
from bench.processes import backend_pids, cpu_seconds, server_pids

BATCH = 500
TARGET_EVENTS_PER_SECOND = 20_000

DOCUMENT = (
    "mutation Ingest($input: IngestTelemetryInput!) { ingestTelemetry(input: $input) "
    "{ batchId accepted duplicates refused { index field code message } "
    "userErrors { field code message } } }"
)


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    result: wrk.Result
    api_cpu: float
    """Seconds of CPU the API process used during the measured run."""
    database_cpu: float

    @property
    def events_per_second(self) -> float:
        return self.result.per_second * BATCH

    def cpu_ms_per_batch(self, seconds: float) -> float:
        return seconds * 1000 / max(1, self.result.requests)

    @property
    def capacity(self) -> float:
        """Events per second if every core did only this work."""
        per_batch = (self.api_cpu + self.database_cpu) / max(1, self.result.requests)
        return (os.cpu_count() or 1) / per_batch * BATCH if per_batch else 0.0


def events(*, rest: bool) -> list[dict[str, object]]:
    now = utcnow()
    occurred = "occurred_at" if rest else "occurredAt"
    return [
        {
            "type": ("level.started", "level.ended", "purchase", "frame.rendered")[i % 4],
            occurred: isoformat(now - timedelta(seconds=i)),
            "properties": {
                "player": f"p-{i % 97}",
                "level": i % 40,
                "build": "2026.11.3",
                "platform": "ps5",
                "duration_ms": 1234 + i,
                "tags": ["ranked", "eu-west"],
                "score": i * 10,
            },
        }
        for i in range(BATCH)
    ]


def requests(token: str, project_id: str) -> dict[str, wrk.Request]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rest_body = orjson.dumps({"project_id": project_id, "events": events(rest=True)})
    graphql_body = orjson.dumps(
        {
            "query": DOCUMENT,
            "variables": {"input": {"projectId": project_id, "events": events(rest=False)}},
        }
    )
    return {
        "REST POST /v1/telemetry/events": wrk.Request(
            "POST", "/v1/telemetry/events", headers, rest_body.decode()
        ),
        "GraphQL ingestTelemetry": wrk.Request("POST", "/graphql", headers, graphql_body.decode()),
    }


async def stored_events(url: str) -> int:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return int(await connection.fetchval("SELECT count(*) FROM telemetry_events"))
    finally:
        await connection.close()


def create_project(base_url: str, token: str) -> str:
    import httpx

    response = httpx.post(
        base_url + "/v1/projects",
        json={"slug": "telemetry-bench", "name": "Telemetry bench"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    project_id: str = response.json()["id"]
    return project_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.telemetry", description=__doc__)
    parser.add_argument("--duration", type=float, default=20, help="seconds per row")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    load = os.getloadavg()[0]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="reelhouse-bench-") as tmp, postgres_database() as url:
        work = Path(tmp)
        upgrade(url)
        _, token = asyncio.run(create_tenant(url))
        env = {
            "REELHOUSE_DATABASE_URL": url,
            "REELHOUSE_ENVIRONMENT": "production",
            "REELHOUSE_GRAPHIQL": "false",
        }
        with server("api", "app.factory:create_app", env, work, factory=True) as base_url:
            project_id = create_project(base_url, token)
            api = server_pids(base_url)
            answered = 0
            for number, (name, request) in enumerate(requests(token, project_id).items()):
                result = None
                for tag, seconds in (("w", args.warmup), ("m", args.duration)):
                    database = asyncio.run(backend_pids(url))
                    before = cpu_seconds(api), cpu_seconds(database)
                    result = wrk.run(
                        wrk_path,
                        base_url,
                        request,
                        script_dir=work,
                        name=f"t{number}",
                        run_tag=f"{tag}{number}-",
                        duration=seconds,
                        threads=args.threads,
                        connections=args.connections,
                    )
                    used = cpu_seconds(api) - before[0], cpu_seconds(database) - before[1]
                assert result is not None
                answered += (result.requests - result.non_2xx) * BATCH
                rows.append(Row(name, result, *used))
            stored = asyncio.run(stored_events(url))
        version = asyncio.run(postgres_version())
    print(f"machine: {machine()}, PostgreSQL {version}, load average at start {load:.2f}")
    print(
        f"{args.connections} connections, {BATCH}-event batches, {args.duration:g} s per row "
        f"after {args.warmup:g} s of warm-up"
    )
    print(
        "| transport | events/s | batches/s | p50 ms | p99 ms | errors | API CPU ms/batch "
        "| PostgreSQL CPU ms/batch | events/s on idle cores |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for row in rows:
        r = row.result
        errors = r.non_2xx + r.socket_errors
        failed = failed or errors > 0
        print(
            f"| {row.name} | {row.events_per_second:,.0f} | {r.per_second:.1f} | "
            f"{r.p50_us / 1000:.1f} | {r.p99_us / 1000:.1f} | {errors} | "
            f"{row.cpu_ms_per_batch(row.api_cpu):.1f} | "
            f"{row.cpu_ms_per_batch(row.database_cpu):.1f} | {row.capacity:,.0f} |"
        )
    print(f"stored {stored:,} events (warm-ups included); the measured runs saw {answered:,}")
    best = max(row.events_per_second for row in rows)
    verdict = "met" if best >= TARGET_EVENTS_PER_SECOND else "NOT met"
    print(f"target {TARGET_EVENTS_PER_SECOND:,} events/s measured: {verdict}")
    capacity = max(row.capacity for row in rows)
    verdict = "met" if capacity >= TARGET_EVENTS_PER_SECOND else "NOT met"
    print(f"target {TARGET_EVENTS_PER_SECOND:,} events/s on idle cores (by CPU time): {verdict}")
    return 1 if failed or stored < answered else 0


if __name__ == "__main__":
    raise SystemExit(main())
