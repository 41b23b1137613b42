"""``reelhouse-bench``: throughput and latency of the API against a bare Starlette baseline.

One run: create a PostgreSQL database, migrate, seed an organisation, a key and projects,
start the API and the baseline with uvicorn in subprocesses on free ports, drive every
scenario with ``wrk`` for a bounded time, print one table (req/s, p50, p99, ratio to the
baseline), save it under ``bench/results/`` and drop the database. Ratios are only meaningful
within one run on one machine; absolute numbers are not compared across machines.

Scenarios are the ``SCENARIOS`` list: a new row (a webhook delivery, another route) is one more
``Scenario`` appended there; ``compare_with`` names an earlier row to report a second ratio
against (REST against GraphQL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.crypto import new_key
from bench import wrk
from bench.rest import TARGET_RATIO as REST_TARGET_RATIO

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SECRET_KEY = os.environ.get("REELHOUSE_SECRET_KEY") or new_key()
"""Shared by every process of one benchmark run, as a deployment's processes share theirs."""
ADMIN_URL = os.environ.get(
    "REELHOUSE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SEED_PROJECTS = 50
UNIQUE = "__UNIQUE__"

PROJECT_QUERY = """query($id: ID!) {
  project(id: $id) { id slug name status renderQuota createdAt updatedAt }
}"""

PROJECTS_QUERY = """{
  projects(first: 25) {
    edges { cursor node { id slug name description status settings metadata
                          renderQuota renderUsage version createdAt updatedAt } }
    pageInfo { hasNextPage endCursor }
  }
}"""
"""The nested-list document when the schema has projects only."""

CONTENT_QUERY = """{
  projects(first: 10) {
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
"""The nested-list document when content exists: 10 projects, each with its cast and its
scenes, their segments and the segments' characters (a constant number of SQL statements)."""

CONTENT_SHAPE = (3, 3, 3)
"""Characters per project, scenes per project, segments per scene (two characters each)."""

MUTATIONS_QUERY = '{ __type(name: "Mutation") { fields { name } } }'

CREATE_PROJECT = """mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id slug } userErrors { field code message } }
}"""


@dataclass
class Seed:
    """What the scenarios may refer to: the key, and ids created while seeding."""

    token: str
    project_ids: list[str] = field(default_factory=list)
    nested_query: str = PROJECTS_QUERY
    nested_label: str = "projects(first: 25), 13 fields each"


@dataclass(frozen=True)
class Scenario:
    name: str
    target: str
    """``raw`` (the baseline process) or ``api``."""
    build: Callable[[Seed], wrk.Request]
    compare_with: str | None = None
    """Name of an earlier scenario this row is also given as a ratio of."""
    target_ratio: float | None = None
    """The ratio to ``compare_with`` this row should reach (shown, never enforced)."""


def graphql(
    seed: Seed, query: str, variables: dict[str, Any] | None = None, *, unique: str | None = None
) -> wrk.Request:
    body = json.dumps({"query": query, "variables": variables or {}})
    return wrk.Request(
        method="POST",
        path="/graphql",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {seed.token}"},
        body=body,
        unique=unique,
    )


def rest(seed: Seed, path: str) -> wrk.Request:
    return wrk.Request(
        method="GET",
        path=path,
        headers={"Accept": "application/json", "Authorization": f"Bearer {seed.token}"},
    )


GRAPHQL_PROJECT = "GraphQL project(id), authenticated"

SCENARIOS: list[Scenario] = [
    Scenario(
        "raw Starlette JSON (baseline)",
        "raw",
        lambda seed: wrk.Request("GET", "/json", {"Accept": "application/json"}),
    ),
    Scenario(
        GRAPHQL_PROJECT,
        "api",
        lambda seed: graphql(seed, PROJECT_QUERY, {"id": seed.project_ids[0]}),
    ),
    Scenario(
        "REST GET /v1/projects/{id}",
        "api",
        lambda seed: rest(seed, f"/v1/projects/{seed.project_ids[0]}"),
        compare_with=GRAPHQL_PROJECT,
        target_ratio=REST_TARGET_RATIO,
    ),
    Scenario(
        "GraphQL nested list",
        "api",
        lambda seed: graphql(seed, seed.nested_query),
    ),
    Scenario(
        "GraphQL createProject mutation",
        "api",
        lambda seed: graphql(
            seed,
            CREATE_PROJECT,
            {"input": {"slug": f"b-{UNIQUE}", "name": "Bench", "settings": {"fps": 24}}},
            unique=UNIQUE,
        ),
    ),
]


@dataclass
class Row:
    name: str
    result: wrk.Result
    ratio: float | None
    """To the baseline (raw Starlette)."""
    compared_with: str | None = None
    compared_ratio: float | None = None
    target_ratio: float | None = None


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


async def create_tenant(database_url: str) -> str:
    """An organisation and an admin key whose rate limits never throttle the benchmark."""
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
                read_rate_limit=10_000_000,
                write_rate_limit=10_000_000,
            )
    finally:
        await db.dispose()
    return token


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


def seed_content(base_url: str, seed: Seed) -> bool:
    """Characters, scenes and segments in every project, when the schema has them; the nested
    row then reads them. False (and nothing done) on a schema with projects only."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        mutations = {f["name"] for f in call(client, seed, MUTATIONS_QUERY)["__type"]["fields"]}
        if not {"createCharacter", "createScene", "createSegment"} <= mutations:
            return False
        characters, scenes, segments = CONTENT_SHAPE
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
    seed.nested_query = CONTENT_QUERY
    seed.nested_label = (
        f"projects(first: 10) with {characters} characters, {scenes} scenes x "
        f"{segments} segments x 2 characters each"
    )
    return True


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


@contextmanager
def server(
    name: str, app: str, env: dict[str, str], log_dir: Path, *, factory: bool = False
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
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx.get(base_url + "/health", timeout=1).status_code in (200, 404):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start within 60 s:\n{log.read_text()}")


def smoke(base_url: str, request: wrk.Request) -> None:
    """One request before measuring: a scenario that errors would measure the error path."""
    body = request.body
    if body is not None and request.unique:
        body = body.replace(request.unique, "smoke")
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
    header = (
        f"{'scenario':<40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs raw':>7} "
        f"{'vs row':>7} {'errors':>7}"
    )
    lines = [header, "-" * len(header)]
    notes: list[str] = []
    for row in rows:
        r = row.result
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "-"
        compared = "-"
        if row.compared_ratio is not None:
            compared = f"{row.compared_ratio:.2f}"
            note = f"vs row: {row.name} / {row.compared_with}"
            if row.target_ratio is not None:
                verdict = "met" if row.compared_ratio >= row.target_ratio else "NOT met"
                note += f" (target >= {row.target_ratio:g}: {verdict})"
            notes.append(note)
        errors = r.non_2xx + r.socket_errors
        lines.append(
            f"{row.name:<40} {r.per_second:>9.0f} {r.p50_us / 1000:>8.2f} "
            f"{r.p99_us / 1000:>8.2f} {ratio:>7} {compared:>7} {errors:>7}"
        )
    return "\n".join([*lines, *(["", *notes] if notes else [])])


def measure(
    wrk_path: str,
    base_url: str,
    request: wrk.Request,
    args: argparse.Namespace,
    work: Path,
    name: str,
) -> wrk.Result:
    """A short unmeasured warm-up (caches, connection pool), then the measured run."""
    runs = [("w", args.warmup), ("m", args.duration)] if args.warmup > 0 else [("m", args.duration)]
    result: wrk.Result | None = None
    for tag, seconds in runs:
        result = wrk.run(
            wrk_path,
            base_url,
            request,
            script_dir=work,
            name=name,
            run_tag=f"{tag}{name}-",
            duration=seconds,
            threads=args.threads,
            connections=args.connections,
        )
    assert result is not None
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reelhouse-bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=5, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up, unmeasured")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--nested-query", type=Path, help="GraphQL document for the nested row")
    parser.add_argument("--only", action="append", help="run scenarios whose name contains this")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    wrk_path = wrk.ensure_wrk()
    scenarios = [
        s for s in SCENARIOS if not args.only or any(o.lower() in s.name.lower() for o in args.only)
    ]
    environment = {
        **machine(),
        "postgresql": asyncio.run(postgres_version()),
        "load": "load average {:.2f} {:.2f} {:.2f} at start".format(*os.getloadavg()),
        "wrk": f"{args.threads} threads, {args.connections} connections, "
        f"{args.duration:g} s per scenario after {args.warmup:g} s warm-up",
    }
    from app.migrate import upgrade

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="reelhouse-bench-") as tmp, postgres_database() as url:
        work = Path(tmp)
        upgrade(url)
        seed = Seed(token=asyncio.run(create_tenant(url)))
        api_env = {
            "REELHOUSE_DATABASE_URL": url,
            "REELHOUSE_ENVIRONMENT": "production",
            "REELHOUSE_GRAPHIQL": "false",
        }
        with (
            server("api", "app.factory:create_app", api_env, work, factory=True) as api_url,
            server("raw", "bench.raw_app:app", {}, work) as raw_url,
        ):
            seed_through_api(api_url, seed)
            seed_content(api_url, seed)
            if args.nested_query:
                seed.nested_query = args.nested_query.read_text()
                seed.nested_label = str(args.nested_query)
            environment["nested"] = seed.nested_label
            targets = {"api": api_url, "raw": raw_url}
            baseline: float | None = None
            measured: dict[str, float] = {}
            for number, scenario in enumerate(scenarios):
                request = scenario.build(seed)
                base_url = targets[scenario.target]
                smoke(base_url, request)
                result = measure(wrk_path, base_url, request, args, work, f"s{number}")
                if scenario.target == "raw" and baseline is None:
                    baseline = result.per_second
                measured[scenario.name] = result.per_second
                ratio = result.per_second / baseline if baseline else None
                other = measured.get(scenario.compare_with or "")
                rows.append(
                    Row(
                        scenario.name,
                        result,
                        ratio,
                        compared_with=scenario.compare_with if other else None,
                        compared_ratio=result.per_second / other if other else None,
                        target_ratio=scenario.target_ratio,
                    )
                )
                print(f"  {scenario.name}: {result.per_second:.0f} req/s", file=sys.stderr)

    print()
    for key, value in environment.items():
        print(f"{key:>10}: {value}")
    print()
    print(table(rows))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "environment": environment,
        "rows": [
            {
                **asdict(r.result),
                "name": r.name,
                "per_second": r.result.per_second,
                "ratio": r.ratio,
                "compared_with": r.compared_with,
                "compared_ratio": r.compared_ratio,
                "target_ratio": r.target_ratio,
            }
            for r in rows
        ],
    }
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    return 0 if all(r.result.non_2xx + r.result.socket_errors == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
