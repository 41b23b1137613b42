"""Schemathesis against a real server's /v1/openapi.json: no 5xx, every response as documented.

A uvicorn process serves a migrated, seeded SQLite database on a port the OS picked (the
listening socket is handed to it, so there is no race for the port). A third of the cases
use the seeded objects' ids in the path, so requests reach real objects as well as missing ones. Examples are bounded to keep the run to seconds. (Schemathesis' own pytest
integration does not run under pytest 9, so each route is a parametrised Hypothesis test.)
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.database import Database
from app.demo import seed_demo
from app.migrate import upgrade_async
from app.settings import Settings
from tests.api_client import rest_api

ROOT = Path(__file__).resolve().parent.parent
MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


@dataclass
class Server:
    base_url: str
    token: str


def _prepare(database_url: str) -> str:
    """Migrates and seeds in a thread of its own (outside the tests' event loop)."""

    async def run() -> str:
        await upgrade_async(database_url)
        db = Database(database_url)
        try:
            settings = Settings(
                database_url=database_url,
                redis_url=None,
                demo_key_file=database_url.split(":///", 1)[1] + ".demo-key",
            )
            result = await seed_demo(db, settings)
        finally:
            await db.dispose()
        return result.token

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _wait_ready(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not become ready in 30 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite+aiosqlite:///{folder / 'fuzz.db'}"
    token = _prepare(database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELHOUSE_")}
    env.update(REELHOUSE_DATABASE_URL=database_url, REELHOUSE_ENVIRONMENT="test")
    # The fuzzer sends far more requests a minute, with and without a valid key, than a
    # partner may: the limits are tested in tests/test_traffic.py.
    env.update(
        REELHOUSE_RATE_LIMIT_READ_PER_MINUTE="1000000000",
        REELHOUSE_RATE_LIMIT_WRITE_PER_MINUTE="1000000000",
        REELHOUSE_RATE_LIMIT_ANONYMOUS_PER_MINUTE="1000000000",
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    command = [sys.executable, "-m", "uvicorn", "app.factory:create_app", "--factory"]
    command += ["--fd", str(listener.fileno()), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[listener.fileno()])
    listener.close()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base_url, process)
        yield Server(base_url, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _seeded_path_parameters(document: dict[str, Any], server: Server) -> dict[str, Any]:
    """For each route label, its path parameters filled with ids of seeded objects, if any:
    ``{id}`` and ``{<thing>_id}`` take the first item listed at the path before them."""
    headers = {"Authorization": f"Bearer {server.token}"}
    firsts: dict[str, str | None] = {}
    seeded: dict[str, Any] = {}
    for path, operations in document["paths"].items():
        segments = path.strip("/").split("/")
        values: dict[str, str | None] = {}
        for name in (s[1:-1] for s in segments if s.startswith("{")):
            collection = "/" + "/".join(segments[: segments.index(f"{{{name}}}")])
            if collection not in firsts:
                listed = httpx.get(f"{server.base_url}{collection}", headers=headers)
                data = listed.json().get("data") if listed.status_code == 200 else None
                firsts[collection] = data[0]["id"] if data else None
            if firsts[collection] is not None:
                values[name] = firsts[collection]
        for method in operations:
            seeded[f"{method.upper()} {path}"] = values or None
    return seeded


@pytest.fixture(scope="module")
def v1_schema(server: Server) -> tuple[Any, dict[str, Any]]:
    document = httpx.get(f"{server.base_url}/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=server.base_url)
    return schema, _seeded_path_parameters(document, server)


ROUTES = [f"{e.route.method} {e.route.path}" for e in rest_api().endpoints]


@pytest.mark.slow
@pytest.mark.parametrize("label", ROUTES)
def test_v1_matches_its_openapi_and_never_fails_with_5xx(
    label: str, v1_schema: tuple[Any, dict[str, Any]], server: Server
) -> None:
    schema, seeded = v1_schema
    operation = schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is missing from /v1/openapi.json"
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if seeded.get(label):
        fixed = seeded[label]
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
    headers = {"Authorization": f"Bearer {server.token}"}

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=10)

    check()
