"""Webhook deliveries per second and event-to-subscriber latency, on PostgreSQL and Redis.

``python -m bench.webhooks`` creates a throwaway database and Redis prefix, then measures:

- **deliveries/s**: ``--events`` events are committed (one project change each) with one
  endpoint subscribed; then ``reelhouse worker`` processes (1, then 2) dispatch and deliver
  them, signed, to a local receiver (a bare uvicorn app in its own process answering 204).
  Timed from the workers' start to the last delivery recorded as succeeded. Each run gets
  fresh events; the ratio of the two runs shows how the work shares out.
- **event-to-subscriber latency**: the API (with its embedded dispatcher, Redis bus) serves a
  WebSocket subscriber; ``--samples`` changes are committed one at a time and the time from
  commit to the ``next`` message on the socket is recorded (p50, p99).

Absolute numbers depend on the machine and on what else runs on it; compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path

import asyncpg
import orjson
import uvicorn
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlmodel import col
from websockets.asyncio.client import connect as websocket_connect
from websockets.typing import Subprotocol

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.crypto import new_key
from app.demo import ensure_organization
from app.factory import Services, build_services, create_app
from app.migrate import upgrade_async
from app.models import DeliveryStatus, Project, WebhookDelivery
from app.settings import Settings
from app.types import Receive, Send
from app.types import Scope as AsgiScope
from bench.processes import cpu_seconds
from resolvers import projects, webhooks
from resolvers.context import Context
from resolvers.unit_of_work import unit_of_work
from resolvers.writes import load_for_update
from tests.backends import postgres_database, redis_namespace

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = 50


async def receiver_app(scope: AsgiScope, receive: Receive, send: Send) -> None:
    """The webhook receiver: reads the body and answers 204, nothing else."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@dataclass
class Result:
    events: int
    deliveries_per_second_1_worker: float
    deliveries_per_second_2_workers: float
    worker_cpu_ms_per_delivery_1_worker: float
    worker_cpu_ms_per_delivery_2_workers: float
    receiver_cpu_ms_per_delivery: float
    transactions_per_delivery_1_worker: float
    transactions_per_delivery_2_workers: float
    latency_samples: int
    latency_p50_ms: float
    latency_p99_ms: float
    load_average: float


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock


@contextlib.asynccontextmanager
async def receiver_process() -> AsyncIterator[tuple[str, int]]:
    sock = listening_socket()
    fd = sock.fileno()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "bench.webhooks:receiver_app",
        "--fd",
        str(fd),
        "--log-level",
        "warning",
        "--no-access-log",
        cwd=ROOT,
        pass_fds=(fd,),
    )
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook", process.pid
    finally:
        process.terminate()
        await process.wait()
        sock.close()


@contextlib.asynccontextmanager
async def environment() -> AsyncIterator[Settings]:
    async with postgres_database("bench") as url, redis_namespace() as (redis_url, prefix):
        await upgrade_async(url)
        yield Settings(
            database_url=url,
            redis_url=redis_url,
            redis_prefix=prefix,
            webhooks_allow_private_urls=True,
            events_poll_seconds=0.2,
            secret_key=SecretStr(new_key()),
        )


async def tenant_context(services: Services, settings: Settings) -> tuple[Context, str]:
    org, _ = await ensure_organization(services.db, "bench", "Bench")
    async with services.db.writing() as session:
        _, token = await issue_key(session, org_id=org.id, name="bench", scopes=[Scope.ADMIN])
    return Context(services.db, settings, await services.keys.authenticate(token)), token


async def change_projects(ctx: Context, project_ids: list[str], events: int) -> None:
    """``events`` committed changes, ten projects per transaction."""
    made = 0
    while made < events:
        chunk = project_ids[: min(10, events - made)]
        async with unit_of_work(ctx) as uow:
            for project_id in chunk:
                project = await load_for_update(uow, Project, project_id)
                project.description = f"change {made}"
                uow.changed(project)
        made += len(chunk)


async def succeeded(services: Services) -> int:
    async with services.db.reading() as session:
        count: int = (
            await session.execute(
                select(func.count()).where(col(WebhookDelivery.status) == DeliveryStatus.SUCCEEDED)
            )
        ).scalar_one()
    return count


@dataclass(frozen=True)
class Throughput:
    per_second: float
    worker_cpu_ms: float
    """CPU of the worker processes per delivery (dispatching included), from ``/proc``."""
    receiver_cpu_ms: float
    transactions: float
    """PostgreSQL transactions per delivery while the workers ran (``pg_stat_database``,
    read after they exited so that their statistics are flushed): does not depend on the
    machine's load."""


async def committed_transactions(url: str) -> int:
    """Transactions committed in the database so far (an autocommit statement is one)."""
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        count: int = await connection.fetchval(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
    finally:
        await connection.close()
    return count


async def deliveries_per_second(
    settings: Settings,
    services: Services,
    ctx: Context,
    project_ids: list[str],
    events: int,
    workers: int,
    receiver_pid: int,
    profile: Path | None = None,
) -> Throughput:
    before = await succeeded(services)
    await change_projects(ctx, project_ids, events)
    env = {
        **os.environ,
        "REELHOUSE_DATABASE_URL": settings.database_url,
        "REELHOUSE_REDIS_URL": settings.redis_url or "",
        "REELHOUSE_REDIS_PREFIX": settings.redis_prefix,
        "REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
        "REELHOUSE_SECRET_KEY": settings.secret_key.get_secret_value()
        if settings.secret_key
        else "",
    }
    await asyncio.sleep(1.1)
    transactions_before = await committed_transactions(settings.database_url)
    processes = []
    for _ in range(workers):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.cli",
            "worker",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
        )
        processes.append(process)
    recorder = None
    try:
        for process in processes:
            assert process.stdout is not None
            await asyncio.wait_for(process.stdout.readline(), 60)
        pids = [p.pid for p in processes]
        if profile is not None:
            recorder = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(pids[0]),
                "--output",
                str(profile),
                "--format",
                "flamegraph",
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        cpu_before = cpu_seconds(pids), cpu_seconds([receiver_pid])
        started = time.perf_counter()
        polls = 1
        while await succeeded(services) < before + events:
            polls += 1
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - started
        worker_cpu = cpu_seconds(pids) - cpu_before[0]
        receiver_cpu = cpu_seconds([receiver_pid]) - cpu_before[1]
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
        if recorder is not None:
            await recorder.wait()
    await asyncio.sleep(1.1)
    # This process's own polling statements are transactions too (one each, autocommit).
    transactions = await committed_transactions(settings.database_url) - transactions_before - polls
    return Throughput(
        events / elapsed,
        worker_cpu * 1000 / events,
        receiver_cpu * 1000 / events,
        transactions / events,
    )


async def subscriber_latency(settings: Settings, token: str, samples: int) -> list[float]:
    app = create_app(settings)
    ctx = Context(app.services.db, settings, await app.services.keys.authenticate(token))
    project = await projects.create_project(ctx, {"slug": "latency", "name": "Latency"})
    sock = listening_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="websockets-sansio"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    latencies = []
    try:
        url = f"ws://127.0.0.1:{sock.getsockname()[1]}/graphql"
        async with websocket_connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(
                orjson.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                ).decode()
            )
            await ws.recv()
            query = 'subscription { events(types: ["project.updated"]) { id sequence } }'
            await ws.send(
                orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}).decode()
            )
            await ws.send(orjson.dumps({"type": "ping"}).decode())
            await ws.recv()
            for i in range(samples):
                await projects.update_project(ctx, project.id, {"name": f"L{i}"})
                committed = time.perf_counter()
                message = orjson.loads(await asyncio.wait_for(ws.recv(), 10))
                latencies.append((time.perf_counter() - committed) * 1000)
                assert message["type"] == "next", message
    finally:
        server.should_exit = True
        await serving
        sock.close()
        await app.services.bus.close()
        if app.services.redis is not None:
            await app.services.redis.aclose()
        await app.services.db.dispose()
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(events: int, samples: int, profile: Path | None = None) -> Result:
    load = os.getloadavg()[0]
    async with environment() as settings, receiver_process() as (receiver_url, receiver_pid):
        services = build_services(settings)
        try:
            ctx, token = await tenant_context(services, settings)
            await webhooks.create_endpoint(
                ctx, {"url": receiver_url, "event_types": ["project.updated"]}, lambda *_: []
            )
            project_ids = [
                (await projects.create_project(ctx, {"slug": f"bench-{i}", "name": "b"})).id
                for i in range(PROJECTS)
            ]
            one = await deliveries_per_second(
                settings, services, ctx, project_ids, events, 1, receiver_pid, profile
            )
            two = await deliveries_per_second(
                settings, services, ctx, project_ids, events, 2, receiver_pid
            )
            latencies = await subscriber_latency(settings, token, samples)
        finally:
            await services.bus.close()
            if services.redis is not None:
                await services.redis.aclose()
            await services.db.dispose()
    return Result(
        events=events,
        deliveries_per_second_1_worker=round(one.per_second, 1),
        deliveries_per_second_2_workers=round(two.per_second, 1),
        worker_cpu_ms_per_delivery_1_worker=round(one.worker_cpu_ms, 3),
        worker_cpu_ms_per_delivery_2_workers=round(two.worker_cpu_ms, 3),
        receiver_cpu_ms_per_delivery=round(one.receiver_cpu_ms, 3),
        transactions_per_delivery_1_worker=round(one.transactions, 2),
        transactions_per_delivery_2_workers=round(two.transactions, 2),
        latency_samples=samples,
        latency_p50_ms=round(statistics.median(latencies), 2),
        latency_p99_ms=round(percentile(latencies, 0.99), 2),
        load_average=round(load, 2),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.webhooks", description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--profile", type=Path, help="py-spy flame graph (SVG) of the 1-worker run")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.events, args.samples, args.profile))
    if args.json:
        print(json.dumps(asdict(result), indent=2))
        return 0
    print(f"load average at start: {result.load_average}")
    print("| measure | value |")
    print("|---|---:|")
    print(
        f"| deliveries/s, 1 worker ({result.events} events) | "
        f"{result.deliveries_per_second_1_worker} |"
    )
    print(
        f"| deliveries/s, 2 workers ({result.events} events) | "
        f"{result.deliveries_per_second_2_workers} |"
    )
    ratio = result.deliveries_per_second_2_workers / result.deliveries_per_second_1_worker
    print(f"| 2 workers vs 1 | {ratio:.2f}x |")
    one_core = 1000 / result.worker_cpu_ms_per_delivery_1_worker
    print(
        f"| worker CPU ms per delivery, 1 worker / 2 workers | "
        f"{result.worker_cpu_ms_per_delivery_1_worker} / "
        f"{result.worker_cpu_ms_per_delivery_2_workers} |"
    )
    print(f"| deliveries/s one worker's core would carry (by CPU) | {one_core:.0f} |")
    print(f"| receiver CPU ms per delivery | {result.receiver_cpu_ms_per_delivery} |")
    print(
        f"| PostgreSQL transactions per delivery, 1 worker / 2 workers | "
        f"{result.transactions_per_delivery_1_worker} / "
        f"{result.transactions_per_delivery_2_workers} |"
    )
    print(
        f"| event → subscriber p50 ms ({result.latency_samples} samples) | "
        f"{result.latency_p50_ms} |"
    )
    print(f"| event → subscriber p99 ms | {result.latency_p99_ms} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
