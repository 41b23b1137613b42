"""Where the time of one request goes: the harness's scenarios run in process, one at a time.

``wrk`` says how many requests the server answers; this says what each costs the API process
on its own, without HTTP parsing, client or concurrency: CPU per request (user + system, so
time spent waiting for PostgreSQL is not counted; mean and median), of which garbage
collection, and the SQL statements it runs. Same database, seed and documents as ``bench.harness``; the app runs
inside its lifespan (uvicorn's), as in the server. ``--profile DIR`` also writes a cProfile of each
scenario (``DIR/<n>.prof`` and the top functions as ``DIR/<n>.txt``).

    .venv/bin/python -m bench.inprocess [--requests 200] [--only nested] [--profile /tmp/prof]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import event

from app.types import ASGIApp, Message
from bench import harness, wrk

UNAUDITED = "api-unaudited"
"""The API with ``audit_enabled=False``: only in process, to price auditing in the same run."""


@dataclass(frozen=True, slots=True)
class Cost:
    name: str
    cpu_ms: float
    """Mean CPU time of the process per request: collections that come every few requests
    count, as they do for throughput."""
    median_ms: float
    gc_ms: float
    """Mean time in the cyclic garbage collector per request."""
    statements: int
    """SQL statements one request runs (the fewest of five: a background task, such as the key
    poller, may run one meanwhile); pool pre-pings are not statements."""
    response_bytes: int


def asgi_call(app: ASGIApp, request: wrk.Request) -> Callable[[], Awaitable[bytes]]:
    """One request straight into the ASGI app; returns the body, raises on a non-2xx."""
    template = request.body or ""
    headers = [(k.lower().encode(), v.encode()) for k, v in request.headers.items()]
    counter = iter(range(10**9))
    path, _, query = request.path.partition("?")

    def unique() -> str:
        return f"inproc-{time.monotonic_ns()}-{next(counter)}"

    async def call() -> bytes:
        value = unique()
        body = template.replace(request.unique, value) if request.unique else template
        payload = body.encode()
        extra = (
            [(request.unique_header.lower().encode(), value.encode())]
            if request.unique_header
            else []
        )
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [*headers, *extra, (b"content-length", str(len(payload)).encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        inbox: list[Message] = [{"type": "http.request", "body": payload, "more_body": False}]
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            return inbox.pop() if inbox else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        if not 200 <= status < 300:
            answer = b"".join(chunks)[:300].decode(errors="replace")
            raise RuntimeError(f"{request.method} {request.path} answered {status}: {answer}")
        return b"".join(chunks)

    return call


async def statements_of(call: Callable[[], Awaitable[bytes]], db: Any | None) -> int:
    """The SQL statements one call runs through ``db`` (an API's ``Database``: its engines and
    the reads it sends straight to the driver): the fewest of five (a background task, such as
    the key poller, may run one meanwhile)."""
    if db is None:
        return 0
    seen: list[int] = []

    def count(*_args: Any) -> None:
        seen[-1] += 1

    engines = [engine.sync_engine for engine in db.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    db.statement_listeners.append(count)
    try:
        for _ in range(5):
            seen.append(0)
            await call()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
        db.statement_listeners.remove(count)
    return min(seen)


async def write_profile(
    call: Callable[[], Awaitable[bytes]], requests: int, path: Path, name: str
) -> None:
    """A cProfile of ``requests`` calls: ``<path>.prof``, and ``<path>.txt`` with the top
    functions by own time and by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        await call()
    profiler.disable()
    profiler.dump_stats(path.with_suffix(".prof"))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    path.with_suffix(".txt").write_text(f"{name}, {requests} requests\n{text.getvalue()}")


async def measure(
    name: str,
    call: Callable[[], Awaitable[bytes]],
    db: Any | None,
    requests: int,
    profile: Path | None,
    number: int,
) -> Cost:
    body = b""
    for _ in range(20):
        body = await call()
    statements = await statements_of(call, db)

    in_gc = 0.0
    started = 0.0

    def on_gc(phase: str, _info: dict[str, Any]) -> None:
        nonlocal in_gc, started
        if phase == "start":
            started = time.process_time()
        else:
            in_gc += time.process_time() - started

    gc.callbacks.append(on_gc)
    cpu: list[float] = []
    try:
        for _ in range(requests):
            before = time.process_time()
            await call()
            cpu.append(time.process_time() - before)
    finally:
        gc.callbacks.remove(on_gc)
    if profile is not None:
        await write_profile(call, requests, profile / str(number), name)
    return Cost(
        name,
        statistics.mean(cpu) * 1000,
        statistics.median(cpu) * 1000,
        in_gc / requests * 1000,
        statements,
        len(body),
    )


async def run(
    seed: harness.Seed, scenarios: list[harness.Scenario], args: argparse.Namespace
) -> list[Cost]:
    """The API (settings from the environment ``main`` set, as the harness's server has them),
    the raw ceiling and the bare Strawberry peer, each inside its own lifespan."""
    from uvicorn import Config
    from uvicorn.lifespan.on import LifespanOn

    from app.factory import create_app
    from app.settings import Settings
    from bench.raw_app import app as raw_app
    from bench.strawberry_app import app as peer_app

    secret = SecretStr(harness.SECRET_KEY)
    api = create_app(Settings(secret_key=secret))
    apps: dict[str, ASGIApp] = {
        "api": api,
        "api-unlimited": create_app(Settings(secret_key=secret, rate_limits=False)),
        UNAUDITED: create_app(Settings(secret_key=secret, audit_enabled=False)),
        "raw": raw_app,
        "peer": peer_app,
    }
    costs: list[Cost] = []
    lifespans = [LifespanOn(Config(a, lifespan="on", log_level="warning")) for a in apps.values()]
    for lifespan in lifespans:
        await lifespan.startup()
        if lifespan.should_exit:
            raise RuntimeError("an app's lifespan failed to start")
    try:
        for number, scenario in enumerate(scenarios):
            app = apps[scenario.target]
            call = asgi_call(app, scenario.build(seed))
            services = getattr(app, "services", None)
            db = services.db if services is not None else None
            cost = await measure(scenario.name, call, db, args.requests, args.profile, number)
            costs.append(cost)
            print(f"  {scenario.name}: {cost.cpu_ms:.2f} ms CPU", file=sys.stderr)
    finally:
        for lifespan in reversed(lifespans):
            await lifespan.shutdown()
    return costs


def table(costs: list[Cost]) -> str:
    header = f"{'scenario':<40} {'CPU ms':>7} {'median':>7} {'GC ms':>6} {'SQL':>4} {'bytes':>7}"
    lines = [header, "-" * len(header)]
    lines += [
        f"{c.name:<40} {c.cpu_ms:>7.3f} {c.median_ms:>7.3f} {c.gc_ms:>6.2f} "
        f"{c.statements:>4} {c.response_bytes:>7}"
        for c in costs
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="measured per scenario")
    parser.add_argument(
        "--only", action="append", help="scenarios whose name contains this (+ their references)"
    )
    parser.add_argument("--profile", type=Path, help="write a cProfile per scenario here")
    args = parser.parse_args(argv)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    scenarios = harness.selected(args.only)
    scenarios += [
        replace(s, name=f"{s.name}, auditing off", target=UNAUDITED)
        for s in scenarios
        if s.name == harness.GRAPHQL_PROJECT
    ]
    from app.migrate import upgrade

    with (
        tempfile.TemporaryDirectory(prefix="reelhouse-inproc-") as tmp,
        harness.postgres_database() as url,
        harness.redis_prefix() as redis_env,
    ):
        upgrade(url)
        org_id, token = asyncio.run(harness.create_tenant(url))
        seed = harness.Seed(org_id=org_id, token=token)
        api_env = {**harness.api_environment(url), **redis_env}
        with harness.server(
            "seed", "app.factory:create_app", api_env, Path(tmp), factory=True
        ) as base:
            harness.seed_through_api(base, seed)
            harness.seed_content(base, seed)
        os.environ.update(
            {**api_env, "REELHOUSE_BENCH_DATABASE_URL": url, "REELHOUSE_BENCH_ORG_ID": org_id}
        )
        costs = asyncio.run(run(seed, scenarios, args))
    print()
    print(table(costs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
