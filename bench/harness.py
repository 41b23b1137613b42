"""``reelhouse-bench``: each API row next to its raw ceiling and its bare Strawberry peer.

One run: create a PostgreSQL database, migrate, seed an organisation, a key and content,
start with uvicorn (one worker each, in subprocesses on free ports) the API, the raw ceiling
(``bench.raw_app``: Starlette + asyncpg + orjson) and the bare Strawberry peer
(``bench.strawberry_app``), drive every scenario with ``wrk`` for a bounded time, in rounds that
interleave all three, and report per row requests per second and the server process's CPU per
request (``/proc``), with each API row's ratio to its raw and peer rows; save it under
``bench/results/`` and drop the database. Ratios are only meaningful within one run on one
machine; absolute numbers are not compared across machines.

Scenarios are the ``SCENARIOS`` list: a new row is one more ``Scenario`` there; ``raw`` and
``peer`` name the reference rows doing the same work, ``compare_with`` an API row to report a
further ratio against (REST against GraphQL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import redis

from app.crypto import new_key
from app.settings import Settings
from bench import wrk
from bench.processes import backend_pids, cpu_by_pid, cpu_seconds, cpu_since, server_pids
from bench.rest import TARGET_RATIO as REST_TARGET_RATIO

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SECRET_KEY = os.environ.get("REELHOUSE_SECRET_KEY") or new_key()
"""Shared by every process of one benchmark run, as a deployment's processes share theirs."""
ADMIN_URL = os.environ.get(
    "REELHOUSE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("REELHOUSE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
"""Rate limits and the event fan-out run on Redis, as in production; empty: in process."""
SEED_PROJECTS = 50
START_SECONDS = 180
"""How long a server may take to answer after it is started (a loaded machine is slow)."""
UNIQUE = "__UNIQUE__"

PROJECT_QUERY = """query($id: ID!) {
  project(id: $id) { id slug name status renderQuota createdAt updatedAt }
}"""

CONTENT_QUERY = """{
  projects(first: 10, orderBy: {direction: ASC}) {
    nodes {
      id slug name
      characters { id name }
      scenes {
        id title position
        segments { id position text durationMs characters { id name } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""
"""The nested-list document: the 10 oldest projects (the write rows add new ones, without
content, meanwhile), each with its cast and its scenes, their segments and the segments'
characters (a constant number of SQL statements)."""

CONTENT_SHAPE = (3, 3, 3)
"""Characters per project, scenes per project, segments per scene (two characters each)."""

NESTED_LABEL = (
    f"projects(first: 10) with {CONTENT_SHAPE[0]} characters, {CONTENT_SHAPE[1]} scenes x "
    f"{CONTENT_SHAPE[2]} segments x 2 characters each"
)

CREATE_PROJECT = """mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id slug } userErrors { field code message } }
}"""

CREATE_VARIABLES = {"input": {"slug": f"b-{UNIQUE}", "name": "Bench", "settings": {"fps": 24}}}


@dataclass
class Seed:
    """What the scenarios may refer to: the organisation, its key, and ids created seeding."""

    org_id: str
    token: str
    project_ids: list[str] = field(default_factory=list)
    nested_query: str = CONTENT_QUERY


@dataclass(frozen=True)
class Scenario:
    name: str
    target: str
    """``api``, ``raw`` (the raw ceiling's process) or ``peer`` (the bare Strawberry one)."""
    build: Callable[[Seed], wrk.Request]
    raw: str | None = None
    """The raw-ceiling row doing the same work; this row is reported as a ratio of it."""
    peer: str | None = None
    """The bare-Strawberry row doing the same work."""
    compare_with: str | None = None
    """Name of an earlier API row this row is also given as a ratio of."""
    target_ratio: float | None = None
    """The ratio to ``compare_with`` this row should reach (shown, never enforced)."""


def graphql(
    seed: Seed,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    unique: str | None = None,
    token: bool = True,
) -> wrk.Request:
    body = json.dumps({"query": query, "variables": variables or {}})
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {seed.token}"
    return wrk.Request(method="POST", path="/graphql", headers=headers, body=body, unique=unique)


def rest(seed: Seed, path: str) -> wrk.Request:
    return wrk.Request(
        method="GET",
        path=path,
        headers={"Accept": "application/json", "Authorization": f"Bearer {seed.token}"},
    )


RAW_PROJECT = "raw ceiling: project by id"
PEER_PROJECT = "bare Strawberry: project(id)"
GRAPHQL_PROJECT = "GraphQL project(id), authenticated"
UNLIMITED_PROJECT = "GraphQL project(id), rate limits off"
RATE_LIMIT_TARGET_RATIO = 0.9
"""Rate limiting (one Redis Lua script per request: bucket and daily count) may cost the
authenticated project(id) read at most 10 % (issue #10)."""
RAW_NESTED = "raw ceiling: nested list"
PEER_NESTED = "bare Strawberry: nested list, DataLoaders"
RAW_CREATE = "raw ceiling: create project"
PEER_CREATE = "bare Strawberry: createProject"

SCENARIOS: list[Scenario] = [
    Scenario(
        "Starlette constant JSON (framework)",
        "raw",
        lambda seed: wrk.Request("GET", "/json", {"Accept": "application/json"}),
    ),
    Scenario(
        RAW_PROJECT,
        "raw",
        lambda seed: wrk.Request("GET", f"/projects/{seed.project_ids[0]}", {}),
    ),
    Scenario(
        PEER_PROJECT,
        "peer",
        lambda seed: graphql(seed, PROJECT_QUERY, {"id": seed.project_ids[0]}, token=False),
    ),
    Scenario(
        UNLIMITED_PROJECT,
        "api-unlimited",
        lambda seed: graphql(seed, PROJECT_QUERY, {"id": seed.project_ids[0]}),
        raw=RAW_PROJECT,
        peer=PEER_PROJECT,
    ),
    Scenario(
        GRAPHQL_PROJECT,
        "api",
        lambda seed: graphql(seed, PROJECT_QUERY, {"id": seed.project_ids[0]}),
        raw=RAW_PROJECT,
        peer=PEER_PROJECT,
        compare_with=UNLIMITED_PROJECT,
        target_ratio=RATE_LIMIT_TARGET_RATIO,
    ),
    Scenario(
        "REST GET /v1/projects/{id}",
        "api",
        lambda seed: rest(seed, f"/v1/projects/{seed.project_ids[0]}"),
        raw=RAW_PROJECT,
        peer=PEER_PROJECT,
        compare_with=GRAPHQL_PROJECT,
        target_ratio=REST_TARGET_RATIO,
    ),
    Scenario(RAW_NESTED, "raw", lambda seed: wrk.Request("GET", "/projects?first=10", {})),
    Scenario(PEER_NESTED, "peer", lambda seed: graphql(seed, CONTENT_QUERY, token=False)),
    Scenario(
        "GraphQL nested list",
        "api",
        lambda seed: graphql(seed, seed.nested_query),
        raw=RAW_NESTED,
        peer=PEER_NESTED,
    ),
    Scenario(
        RAW_CREATE,
        "raw",
        lambda seed: wrk.Request(
            "POST",
            "/projects",
            {"Content-Type": "application/json"},
            json.dumps(CREATE_VARIABLES["input"]),
            unique=UNIQUE,
        ),
    ),
    Scenario(
        PEER_CREATE,
        "peer",
        lambda seed: graphql(seed, CREATE_PROJECT, CREATE_VARIABLES, unique=UNIQUE, token=False),
    ),
    Scenario(
        "GraphQL createProject mutation",
        "api",
        lambda seed: graphql(seed, CREATE_PROJECT, CREATE_VARIABLES, unique=UNIQUE),
        raw=RAW_CREATE,
        peer=PEER_CREATE,
    ),
    Scenario(
        "GraphQL createProject mutation, Idempotency-Key",
        "api",
        lambda seed: replace(
            graphql(seed, CREATE_PROJECT, CREATE_VARIABLES, unique=UNIQUE),
            unique_header="Idempotency-Key",
        ),
        raw=RAW_CREATE,
        peer=PEER_CREATE,
    ),
]


@dataclass(frozen=True)
class Measured:
    """One measured ``wrk`` run of a scenario and the CPU its server spent meanwhile."""

    result: wrk.Result
    """The run under load."""
    cpu_requests: int
    """Requests of the one-connection run during which CPU time was read."""
    server_cpu: float
    """Seconds of CPU of the server process(es) during that run."""
    database_cpu: float
    """Seconds of CPU of the database's PostgreSQL backends during that run."""

    @property
    def cpu_ms(self) -> float:
        return self.server_cpu * 1000 / max(1, self.cpu_requests)

    @property
    def database_ms(self) -> float:
        return self.database_cpu * 1000 / max(1, self.cpu_requests)


@dataclass
class Row:
    """A scenario's runs (one per round) and its ratios (medians of the rounds' ratios)."""

    scenario: Scenario
    runs: list[Measured] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.scenario.name

    def median(self, value: Callable[[Measured], float]) -> float:
        return statistics.median(value(run) for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.result.non_2xx + r.result.socket_errors for r in self.runs)


def per_second(run: Measured) -> float:
    return run.result.per_second


def cpu_ms(run: Measured) -> float:
    return run.cpu_ms


def compute_ratios(rows: dict[str, Row]) -> None:
    """Per round: req/s as ours / reference, CPU as reference / ours (both: higher is
    better, 1.0 is parity); the row keeps each ratio's median over the rounds."""
    for row in rows.values():
        references = {
            "raw": row.scenario.raw,
            "peer": row.scenario.peer,
            "row": row.scenario.compare_with,
        }
        for label, name in references.items():
            other = rows.get(name or "")
            if other is None or not other.runs:
                continue
            pairs = list(zip(row.runs, other.runs, strict=False))
            row.ratios[f"rps/{label}"] = statistics.median(
                per_second(ours) / per_second(theirs) for ours, theirs in pairs
            )
            row.ratios[f"cpu/{label}"] = statistics.median(
                cpu_ms(theirs) / cpu_ms(ours) for ours, theirs in pairs if cpu_ms(ours)
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"reelhouse_bench_{secrets.token_hex(4)}"

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def redis_prefix() -> Iterator[dict[str, str]]:
    """The API's Redis settings for one run (a fresh key prefix, deleted afterwards), or none
    when ``REELHOUSE_BENCH_REDIS_URL`` is empty."""
    if not REDIS_URL:
        yield {}
        return
    prefix = f"reelhouse-bench-{secrets.token_hex(4)}:"
    try:
        yield {"REELHOUSE_REDIS_URL": REDIS_URL, "REELHOUSE_REDIS_PREFIX": prefix}
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


async def create_tenant(database_url: str) -> tuple[str, str]:
    """An organisation and an admin key whose rate limits never throttle the benchmark:
    (organisation id, token)."""
    from app.auth.issuing import issue_key
    from app.auth.scopes import Scope
    from app.database import Database
    from app.demo import ensure_organization

    db = Database(database_url)
    try:
        org, _ = await ensure_organization(db, "bench", "Bench Studio")
        async with db.writing() as session:
            _, token = await issue_key(
                session,
                org_id=org.id,
                name="bench",
                scopes=[Scope.ADMIN],
                read_rate_limit=1_000_000_000,
                write_rate_limit=1_000_000_000,
            )
    finally:
        await db.dispose()
    return org.id, token


def seed_through_api(base_url: str, seed: Seed) -> None:
    """Projects are created through the API itself, so they are what partners would create."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for number in range(SEED_PROJECTS):
            data = call(
                client,
                seed,
                CREATE_PROJECT,
                {"input": {"slug": f"seed-{number:03d}", "name": f"Seed {number}"}},
            )
            payload = data["createProject"]
            if payload["userErrors"]:
                raise RuntimeError(f"seeding failed: {payload['userErrors']}")
            seed.project_ids.append(payload["project"]["id"])


def seed_content(base_url: str, seed: Seed, shape: tuple[int, int, int] = CONTENT_SHAPE) -> None:
    """``shape``: characters, scenes and segments per scene (each naming 2 characters) in
    every project; the nested rows read them."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        characters, scenes, segments = shape
        for project_id in seed.project_ids:
            cast = [
                create(client, seed, "Character", {"projectId": project_id, "name": f"Char {n}"})
                for n in range(characters)
            ]
            for number in range(scenes):
                scene_id = create(
                    client, seed, "Scene", {"projectId": project_id, "title": f"Scene {number}"}
                )
                for line in range(segments):
                    create(
                        client,
                        seed,
                        "Segment",
                        {
                            "sceneId": scene_id,
                            "text": f"Line {line} of scene {number}.",
                            "durationMs": 2500,
                            "characterIds": [
                                cast[line % characters],
                                cast[(line + 1) % characters],
                            ],
                        },
                    )


def create(client: httpx.Client, seed: Seed, noun: str, values: dict[str, Any]) -> str:
    field = noun[0].lower() + noun[1:]
    document = (
        f"mutation($input: Create{noun}Input!) {{ create{noun}(input: $input) "
        f"{{ {field} {{ id }} userErrors {{ field code message }} }} }}"
    )
    payload = call(client, seed, document, {"input": values})[f"create{noun}"]
    if payload["userErrors"]:
        raise RuntimeError(f"seeding {noun} failed: {payload['userErrors']}")
    object_id: str = payload[field]["id"]
    return object_id


def call(
    client: httpx.Client, seed: Seed, query: str, variables: dict[str, Any] | None = None
) -> Any:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {seed.token}"},
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{response.status_code}: {body}")
    return body["data"]


COMPRESSION_DEFAULT: bool = Settings.model_fields["websocket_compression"].default
"""Whether the API offers WebSocket compression unless told (``reelhouse serve``'s default)."""


@contextmanager
def server(
    name: str,
    app: str,
    env: dict[str, str],
    log_dir: Path,
    *,
    factory: bool = False,
    workers: int = 1,
) -> Iterator[str]:
    """``uvicorn`` in a subprocess on a free port; yields its base URL once /health or the
    app's first route answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        # As `reelhouse serve` runs it (REELHOUSE_WEBSOCKET_COMPRESSION).
        "--ws-per-message-deflate",
        env.get("REELHOUSE_WEBSOCKET_COMPRESSION", str(COMPRESSION_DEFAULT).lower()),
    ]
    if factory:
        command.append("--factory")
    log = (log_dir / f"{name}.log").open("w")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "REELHOUSE_SECRET_KEY": SECRET_KEY, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base_url, log_dir / f"{name}.log")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


def _wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx.get(base_url + "/health", timeout=1).status_code in (200, 404):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start within {START_SECONDS} s:\n{log.read_text()}")


def smoke(base_url: str, request: wrk.Request) -> None:
    """One request before measuring: a scenario that errors would measure the error path."""
    body = request.body
    if body is not None and request.unique:
        body = body.replace(request.unique, f"smoke-{secrets.token_hex(4)}")
    response = httpx.request(
        request.method, base_url + request.path, headers=request.headers, content=body, timeout=30
    )
    payload = response.json()
    data = payload.get("data") if isinstance(payload, dict) else None
    failed = isinstance(payload, dict) and bool(payload.get("errors"))
    if isinstance(data, dict):
        failed |= any(isinstance(v, dict) and v.get("userErrors") for v in data.values())
    if response.status_code != 200 or failed:
        raise RuntimeError(f"scenario answers {response.status_code}: {response.text[:500]}")


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


async def postgres_version() -> str:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def table(rows: list[Row]) -> str:
    """Markdown: medians over the rounds; ``x raw``/``x peer`` are ratios to the reference
    rows (req/s: ours / theirs; CPU: theirs / ours), ``x row`` to ``compare_with``."""
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | CPU ms/req | PG ms/req | req/s x raw "
        "| req/s x peer | CPU x raw | CPU x peer | x row | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []

    def ratio(row: Row, key: str) -> str:
        value = row.ratios.get(key)
        return "-" if value is None else f"{value:.2f}"

    for row in rows:
        s = row.scenario
        lines.append(
            f"| {row.name} | {row.median(per_second):.0f} "
            f"| {row.median(lambda r: r.result.p50_us) / 1000:.2f} "
            f"| {row.median(lambda r: r.result.p99_us) / 1000:.2f} "
            f"| {row.median(cpu_ms):.3f} | {row.median(lambda r: r.database_ms):.3f} "
            f"| {ratio(row, 'rps/raw')} | {ratio(row, 'rps/peer')} "
            f"| {ratio(row, 'cpu/raw')} | {ratio(row, 'cpu/peer')} "
            f"| {ratio(row, 'cpu/row')} | {row.errors} |"
        )
        compared = row.ratios.get("cpu/row")
        if s.compare_with and compared is not None:
            note = (
                f"x row: {row.name} / {s.compare_with}, CPU per request "
                f"(req/s: {row.ratios['rps/row']:.2f})"
            )
            if s.target_ratio is not None:
                verdict = "met" if compared >= s.target_ratio else "NOT met"
                note += f"; target >= {s.target_ratio:g}: {verdict}"
            notes.append(note)
    return "\n".join([*lines, *(["", *notes] if notes else [])])


def wait_until_idle(pids: list[int], *, quiet: float = 0.2, limit: float = 5.0) -> None:
    """Until the server spends no CPU for ``quiet`` seconds: requests a previous ``wrk`` run
    left in flight would otherwise be counted against the next run."""
    deadline = time.monotonic() + limit
    last = cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_seconds(pids)
        if now == last:
            return
        last = now


def measure(
    wrk_path: str,
    base_url: str,
    request: wrk.Request,
    args: argparse.Namespace,
    work: Path,
    name: str,
    pids: list[int],
    database_url: str,
) -> Measured:
    """An unmeasured warm-up (caches, connection pool), the load run (req/s and latency with
    ``--connections``), then the CPU run: one keep-alive connection, while the server's and
    the database backends' CPU time is read. With one request in flight at a time, what is
    in flight when the run ends is negligible; under load it would not be, for slow rows."""

    def run(tag: str, seconds: float, threads: int, connections: int) -> wrk.Result:
        return wrk.run(
            wrk_path,
            base_url,
            request,
            script_dir=work,
            name=name,
            run_tag=f"{tag}{name}-",
            duration=seconds,
            threads=threads,
            connections=connections,
        )

    if args.warmup > 0:
        run("w", args.warmup, args.threads, args.connections)
    wait_until_idle(pids)
    loaded = run("m", args.duration, args.threads, args.connections)
    wait_until_idle(pids)
    backends = asyncio.run(backend_pids(database_url))
    before = cpu_seconds(pids), cpu_by_pid(backends)
    alone = run("c", args.cpu_duration, 1, 1)
    backends += asyncio.run(backend_pids(database_url))
    server_cpu = cpu_seconds(pids) - before[0]
    return Measured(loaded, alone.requests, server_cpu, cpu_since(before[1], backends))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reelhouse-bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=5, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up, unmeasured")
    parser.add_argument(
        "--cpu-duration", type=float, default=4, help="seconds of the one-connection CPU run"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of every row")
    parser.add_argument(
        "--scale-out",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run project(id) on `--workers 2` against 1 worker",
    )
    parser.add_argument(
        "--audit",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run project(id) with auditing off, and a 10,000-call burst (bench.audit)",
    )
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=100_000,
        help="API requests between the RSS readings (0: skip)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--nested-query", type=Path, help="GraphQL document for the nested row")
    parser.add_argument(
        "--only",
        action="append",
        help="run scenarios whose name contains this (with the raw and peer rows they name)",
    )
    return parser


def selected(only: list[str] | None) -> list[Scenario]:
    """The scenarios ``--only`` picks, plus the reference rows they are compared with."""
    if not only:
        return list(SCENARIOS)
    picked = {s.name for s in SCENARIOS if any(o.lower() in s.name.lower() for o in only)}
    for s in SCENARIOS:
        if s.name in picked:
            picked |= {n for n in (s.raw, s.peer, s.compare_with) if n}
    return [s for s in SCENARIOS if s.name in picked]


def api_environment(database_url: str) -> dict[str, str]:
    """How the API runs in the bench: production settings on the bench database, rate limits
    on (the bench key's own limits never throttle it). The nested row's document costs far
    more than a partner's per-request maximum and the bench makes millions of requests a day,
    so those two ceilings are lifted; they are still computed and counted on every request."""
    return {
        "REELHOUSE_DATABASE_URL": database_url,
        "REELHOUSE_ENVIRONMENT": "production",
        "REELHOUSE_GRAPHIQL": "false",
        "REELHOUSE_MAX_QUERY_COST": "1000000000",
        "REELHOUSE_DAILY_REQUEST_QUOTA": "1000000000000",
    }


@dataclass(frozen=True)
class Servers:
    """A seeded bench database and the three servers on it, for one run."""

    seed: Seed
    database_url: str
    work: Path
    urls: dict[str, str]
    """Base URL per target: ``api``, ``api-unlimited`` (the same, rate limits off), ``raw``,
    ``peer``."""
    pids: dict[str, list[int]]
    settings: str
    """The API's settings, as the report states them."""
    api_env: dict[str, str]


@contextmanager
def running(nested_query: Path | None = None) -> Iterator[Servers]:
    """Create, migrate and seed a database, start the API, the raw ceiling and the peer on it;
    stop them and drop everything afterwards."""
    from app.migrate import upgrade

    with (
        tempfile.TemporaryDirectory(prefix="reelhouse-bench-") as tmp,
        postgres_database() as url,
        redis_prefix() as redis_env,
    ):
        work = Path(tmp)
        upgrade(url)
        org_id, token = asyncio.run(create_tenant(url))
        seed = Seed(org_id=org_id, token=token)
        api_env = {**api_environment(url), **redis_env}
        settings = ", ".join(
            f"{k}={v}" for k, v in api_env.items() if k != "REELHOUSE_DATABASE_URL"
        )
        peer_env = {"REELHOUSE_BENCH_DATABASE_URL": url, "REELHOUSE_BENCH_ORG_ID": org_id}
        with server("api", "app.factory:create_app", api_env, work, factory=True) as api_url:
            seed_through_api(api_url, seed)
            seed_content(api_url, seed)
            if nested_query:
                seed.nested_query = nested_query.read_text()
            unlimited_env = {**api_env, "REELHOUSE_RATE_LIMITS": "false"}
            with (
                server("raw", "bench.raw_app:app", peer_env, work) as raw_url,
                server("peer", "bench.strawberry_app:app", peer_env, work) as peer_url,
                server(
                    "api-unlimited", "app.factory:create_app", unlimited_env, work, factory=True
                ) as unlimited_url,
            ):
                urls = {
                    "api": api_url,
                    "api-unlimited": unlimited_url,
                    "raw": raw_url,
                    "peer": peer_url,
                }
                pids = {target: server_pids(u) for target, u in urls.items()}
                yield Servers(seed, url, work, urls, pids, settings, api_env)


def scale_out(servers: Servers, args: argparse.Namespace, wrk_path: str) -> dict[str, Any]:
    """``reelhouse serve --workers 2`` against one worker on the same machine and data: the
    project(id) row under load on each, interleaved over the rounds."""
    request = next(s for s in SCENARIOS if s.name == GRAPHQL_PROJECT).build(servers.seed)
    rates: dict[int, list[float]] = {1: [], 2: []}
    with server(
        "api-2-workers",
        "app.factory:create_app",
        servers.api_env,
        servers.work,
        factory=True,
        workers=2,
    ) as two_url:
        time.sleep(2)
        urls = {1: servers.urls["api"], 2: two_url}
        for round_number in range(args.rounds):
            for workers, url in urls.items():
                smoke(url, request)
                for tag, seconds in (("w", args.warmup), ("m", args.duration)):
                    result = wrk.run(
                        wrk_path,
                        url,
                        request,
                        script_dir=servers.work,
                        name=f"x{workers}r{round_number}",
                        run_tag=tag,
                        duration=seconds,
                        threads=args.threads,
                        connections=args.connections,
                    )
                rates[workers].append(result.per_second)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    return {
        "row": GRAPHQL_PROJECT,
        "cores": os.cpu_count(),
        "per_second_1_worker": one,
        "per_second_2_workers": two,
        "ratio": statistics.median(b / a for a, b in zip(rates[1], rates[2], strict=True)),
        "runs": rates,
    }


def rss_kib(pid: int) -> dict[str, int]:
    """Resident set size now (``VmRSS``) and at its peak (``VmHWM``), in KiB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def memory(servers: Servers, args: argparse.Namespace, wrk_path: str) -> dict[str, Any]:
    """The API process's RSS before and after ``--memory-requests`` requests of the API rows
    in turn (a few seconds of each, repeated), and its peak (the nested list is the largest
    response the rows ask for)."""
    [pid] = servers.pids["api"][:1]
    before = rss_kib(pid)
    api_rows = [s for s in SCENARIOS if s.target == "api"]
    done = 0
    turn = 0
    while done < args.memory_requests:
        scenario = api_rows[turn % len(api_rows)]
        result = wrk.run(
            wrk_path,
            servers.urls["api"],
            scenario.build(servers.seed),
            script_dir=servers.work,
            name=f"mem{turn}",
            run_tag=f"mem{turn}-",
            duration=3,
            threads=args.threads,
            connections=args.connections,
        )
        done += result.requests
        turn += 1
    wait_until_idle([pid])
    after = rss_kib(pid)
    largest = largest_response(servers.urls["api"], servers.seed.token, servers.seed.project_ids)
    return {
        "requests": done,
        "rss_before_kib": before["VmRSS"],
        "rss_after_kib": after["VmRSS"],
        "growth": after["VmRSS"] / before["VmRSS"] - 1,
        "peak_kib": after["VmHWM"],
        "largest_response_bytes": largest,
        "peak_after_largest_kib": rss_kib(pid)["VmHWM"],
    }


LARGE_SETTINGS = {"notes": "x" * 60_000}
"""Just under the 64 KB a JSON input may hold (``app.json_bounds``)."""

LARGE_SELECTION = "projects(first: 50, orderBy: {direction: ASC}) { nodes { id settings } }"


def largest_response(base_url: str, token: str, project_ids: list[str]) -> int:
    """Send the largest answer the API allows (``REELHOUSE_MAX_RESPONSE_BYTES``, 10 MiB): give
    the oldest 50 projects ~60 KB of settings each, then ask for them under as many aliases as
    stay under the ceiling (~3 MB each), three times. The answer's size in bytes; the caller
    reads the process's peak RSS after it. Run last: it changes those projects."""
    headers = {"Authorization": f"Bearer {token}"}
    update = (
        "mutation($input: UpdateProjectInput!) { updateProject(input: $input) "
        "{ project { id } userErrors { code } } }"
    )
    largest = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        for project_id in project_ids[:50]:
            variables = {"input": {"id": project_id, "settings": LARGE_SETTINGS}}
            updated = client.post("/graphql", json={"query": update, "variables": variables})
            if updated.json().get("data", {}).get("updateProject", {}).get("project") is None:
                raise RuntimeError(f"could not enlarge a project's settings: {updated.text[:300]}")
        fitting = None
        for aliases in range(1, 21):
            query = "{" + " ".join(f"a{i}: {LARGE_SELECTION}" for i in range(aliases)) + "}"
            answer = client.post("/graphql", json={"query": query})
            if answer.status_code != 200 or "errors" in answer.json():
                break
            largest, fitting = len(answer.content), query
        for _ in range(3 if fitting else 0):
            client.post("/graphql", json={"query": fitting})
    return largest


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    scenarios = selected(args.only)
    environment = {
        **machine(),
        "postgresql": asyncio.run(postgres_version()),
        "load": "load average {:.2f} {:.2f} {:.2f} at start".format(*os.getloadavg()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "wrk": f"{args.threads} threads, {args.connections} connections, "
        f"{args.duration:g} s per scenario after {args.warmup:g} s warm-up, "
        f"{args.rounds} interleaved rounds (medians); CPU per request from a "
        f"{args.cpu_duration:g} s run on one connection",
        "nested": str(args.nested_query) if args.nested_query else NESTED_LABEL,
    }
    rows = {s.name: Row(s) for s in scenarios}
    with running(args.nested_query) as servers:
        environment["api"] = servers.settings
        for round_number in range(args.rounds):
            for number, scenario in enumerate(scenarios):
                request = scenario.build(servers.seed)
                base_url = servers.urls[scenario.target]
                smoke(base_url, request)
                measured = measure(
                    wrk_path,
                    base_url,
                    request,
                    args,
                    servers.work,
                    f"r{round_number}s{number}",
                    servers.pids[scenario.target],
                    servers.database_url,
                )
                rows[scenario.name].runs.append(measured)
                print(
                    f"  round {round_number + 1}: {scenario.name}: "
                    f"{measured.result.per_second:.0f} req/s, "
                    f"{measured.cpu_ms:.3f} ms CPU/req",
                    file=sys.stderr,
                )
        extra: dict[str, Any] = {}
        if args.scale_out:
            extra["scale_out"] = scale_out(servers, args, wrk_path)
            print(f"  scale-out: {extra['scale_out']}", file=sys.stderr)
        if args.audit:
            from bench.audit import audit_burst, audit_cost

            extra["audit_cost"] = audit_cost(servers, args, wrk_path)
            extra["audit_burst"] = audit_burst(servers)
            print(f"  audit: {extra['audit_cost']} {extra['audit_burst']}", file=sys.stderr)
        if args.memory_requests > 0:
            extra["memory"] = memory(servers, args, wrk_path)
            print(f"  memory: {extra['memory']}", file=sys.stderr)
    compute_ratios(rows)
    ordered = [rows[s.name] for s in scenarios]
    print()
    for key, value in environment.items():
        print(f"{key:>10}: {value}")
    print()
    print(table(ordered))
    if "scale_out" in extra:
        x = extra["scale_out"]
        print(
            f"\nscale-out ({x['row']}, {x['cores']} cores): 1 worker {x['per_second_1_worker']:.0f}"
            f" req/s, `--workers 2` {x['per_second_2_workers']:.0f} req/s: {x['ratio']:.2f}x"
        )
    if "audit_cost" in extra:
        from bench.audit import summary

        print(summary(extra["audit_cost"], extra["audit_burst"], None))
    if "memory" in extra:
        m = extra["memory"]
        print(
            f"memory: RSS {m['rss_before_kib'] / 1024:.0f} MiB before, "
            f"{m['rss_after_kib'] / 1024:.0f} MiB after {m['requests']:,} requests "
            f"({m['growth']:+.1%}); peak {m['peak_kib'] / 1024:.0f} MiB; "
            f"{m['peak_after_largest_kib'] / 1024:.0f} MiB after the largest allowed response "
            f"({m['largest_response_bytes'] / 1_048_576:.1f} MiB)"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "environment": environment,
        **extra,
        "rows": [
            {
                "name": row.name,
                "target": row.scenario.target,
                "raw": row.scenario.raw,
                "peer": row.scenario.peer,
                "compared_with": row.scenario.compare_with,
                "target_ratio": row.scenario.target_ratio,
                "per_second": row.median(per_second),
                "cpu_ms": row.median(cpu_ms),
                "database_ms": row.median(lambda r: r.database_ms),
                "ratios": row.ratios,
                "runs": [
                    {
                        **asdict(run.result),
                        "per_second": run.result.per_second,
                        "cpu_requests": run.cpu_requests,
                        "cpu_ms": run.cpu_ms,
                        "database_ms": run.database_ms,
                    }
                    for run in row.runs
                ],
            }
            for row in ordered
        ],
    }
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nsaved {path.relative_to(ROOT)}")
    return 0 if all(row.errors == 0 for row in ordered) else 1


if __name__ == "__main__":
    raise SystemExit(main())
