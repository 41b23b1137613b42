"""What each console page costs: issue #14 asks for every page under 50 ms on the demo data.

Seeds the demo organisation (``reelhouse seed-demo``'s ``seed_demo``) in a fresh PostgreSQL
database, signs in as the demo admin through ``/oauth/login``, then sends each console page
straight into the ASGI app (inside its lifespan, as in the server), one request at a time: the
median wall time and CPU time (user + system of this process) per request, the SQL statements
one request runs, and the page's size. Wall time includes waiting for PostgreSQL; CPU does not.
A page of one item (a key, an event, ...) shows the first one its list links to. Tests never
assert timings; this is where the target is checked. ``--profile DIR`` writes a cProfile of
each page (``DIR/<n>.prof`` and the top functions as ``DIR/<n>.txt``).

    .venv/bin/python -m bench.console [--requests 100] [--only audit] [--profile /tmp/prof]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from bench import harness, wrk
from bench.inprocess import asgi_call, statements_of, write_profile

TARGET_MS = 50.0

PAGES: tuple[tuple[str, str | None], ...] = (
    ("/console/", None),
    ("/console/keys", None),
    ("/console/keys/new", None),
    ("/console/keys/{}", r'href="/console/keys/(key_\w+)"'),
    ("/console/webhooks", None),
    ("/console/webhooks/new", None),
    ("/console/deliveries", None),
    ("/console/events", None),
    ("/console/events/{}", r'href="/console/events/(evt_\w+)"'),
    ("/console/audit", None),
    ("/console/audit/export.csv", None),
    ("/console/oauth-clients", None),
    ("/console/oauth-clients/new", None),
    ("/console/users", None),
    ("/console/users/{}", r'href="/console/users/(usr_\w+)"'),
)
"""Each page, and for a page of one item the pattern of its link on the list before it."""

DOWNLOADS = ("/console/audit/export.csv",)
"""Not pages: the filter's records, up to the export limit (500 by five GraphQL pages of 100),
so their time grows with the audit log, which this bench's own requests fill."""

LIFTED = {
    "REELHOUSE_DAILY_REQUEST_QUOTA": "1000000000",
    "REELHOUSE_RATE_LIMIT_READ_PER_MINUTE": "1000000000",
}
"""The bench's own ceilings (within GraphQL's 32-bit ``Int``, which the overview reads them as):
a signed-in person's default read budget is spent in a few hundred page views. Limits are still
computed and charged on every request."""

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True, slots=True)
class PageCost:
    path: str
    wall_ms: float
    """Median wall time per request."""
    cpu_ms: float
    """Median CPU time of the process per request."""
    statements: int
    """SQL statements one request runs (the fewest of five)."""
    response_bytes: int


async def sign_in(app: Any, email: str, password: str) -> str:
    """The session cookie of ``email``, signed in through the sign-in form."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://bench") as http:
        page = await http.get("/oauth/login")
        csrf = _CSRF.search(page.text)
        if csrf is None:
            raise RuntimeError(f"no sign-in form: {page.status_code} {page.text[:300]}")
        fields = {"csrf_token": csrf.group(1), "email": email, "password": password}
        signed_in = await http.post("/oauth/login", data=fields)
        if signed_in.status_code != 303:
            raise RuntimeError(f"sign-in answered {signed_in.status_code}: {signed_in.text[:300]}")
        return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


async def measure(
    path: str,
    call: Callable[[], Awaitable[bytes]],
    db: Any,
    requests: int,
    profile: Path | None,
    number: int,
) -> PageCost:
    body = b""
    for _ in range(5):
        body = await call()
    statements = await statements_of(call, db)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        await call()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    if profile is not None:
        await write_profile(call, requests, profile / str(number), path)
    return PageCost(
        path,
        statistics.median(wall) * 1000,
        statistics.median(cpu) * 1000,
        statements,
        len(body),
    )


async def run(args: argparse.Namespace, key_file: Path) -> list[PageCost]:
    from uvicorn import Config
    from uvicorn.lifespan.on import LifespanOn

    from app.demo import seed_demo
    from app.factory import create_app
    from app.settings import Settings

    settings = Settings(secret_key=SecretStr(harness.SECRET_KEY), demo_key_file=str(key_file))
    app = create_app(settings)
    lifespan = LifespanOn(Config(app, lifespan="on", log_level="warning"))
    await lifespan.startup()
    if lifespan.should_exit:
        raise RuntimeError("the app's lifespan failed to start")
    costs: list[PageCost] = []
    try:
        demo = await seed_demo(app.services.db, settings)
        cookie = await sign_in(app, demo.user_email, demo.user_password)
        shown: list[str] = []
        for number, (template, link) in enumerate(PAGES):
            path = template
            if link is not None:
                found = re.search(link, "".join(reversed(shown)))
                if found is None:
                    print(f"  {template}: no item listed, skipped", file=sys.stderr)
                    continue
                path = template.format(found.group(1))
            request = wrk.Request("GET", path, {"Cookie": cookie, "Host": "bench"})
            call = asgi_call(app, request)
            shown.append((await call()).decode())
            if args.only and not any(o in path for o in args.only):
                continue
            cost = await measure(path, call, app.services.db, args.requests, args.profile, number)
            costs.append(cost)
            print(f"  {path}: {cost.wall_ms:.1f} ms, {cost.cpu_ms:.1f} ms CPU", file=sys.stderr)
    finally:
        await lifespan.shutdown()
    return costs


def _verdict(cost: PageCost) -> str:
    if cost.path in DOWNLOADS:
        return "(a download)"
    return "yes" if cost.wall_ms < TARGET_MS else "**no**"


def table(costs: list[PageCost]) -> str:
    lines = [
        "| page | wall ms (median) | CPU ms (median) | SQL | bytes | < 50 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| `{c.path}` | {c.wall_ms:.1f} | {c.cpu_ms:.1f} | {c.statements} | "
        f"{c.response_bytes} | {_verdict(c)} |"
        for c in costs
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=__doc__)
    parser.add_argument("--requests", type=int, default=100, help="measured per page")
    parser.add_argument("--only", action="append", help="pages whose path contains this")
    parser.add_argument("--profile", type=Path, help="write a cProfile per page here")
    args = parser.parse_args(argv)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    from app.migrate import upgrade

    with (
        tempfile.TemporaryDirectory(prefix="reelhouse-console-") as tmp,
        harness.postgres_database() as url,
        harness.redis_prefix() as redis_env,
    ):
        upgrade(url)
        os.environ.update({**harness.api_environment(url), **redis_env, **LIFTED})
        load = os.getloadavg()[0]
        costs = asyncio.run(run(args, Path(tmp) / "demo-key"))
    print()
    print(f"load average at start: {load:.1f}, {args.requests} requests per page")
    print(table(costs))
    return 1 if any(_verdict(c) == "**no**" for c in costs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
