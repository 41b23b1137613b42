"""The TypeScript SDK (sdk/typescript) built with ``tsc`` and tested with Node's test runner
against this live server and its webhook sender. Without Node (or its packages) the test skips
locally and fails under ``CI=true``: `.ci/run` installs both."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from app.events.worker import EventWorker
from tests.backends import unavailable
from tests.conftest import Tenant

pytest_plugins = ["tests.events_fixtures"]

PACKAGE = Path(__file__).resolve().parent.parent / "sdk" / "typescript"


def node_toolchain() -> tuple[str, Path]:
    """``node`` and the package's installed ``tsc`` (``npm ci`` in sdk/typescript)."""
    node = shutil.which("node")
    tsc = PACKAGE / "node_modules" / ".bin" / "tsc"
    if node is None:
        unavailable("Node.js", FileNotFoundError("node is not on PATH"))
    if not tsc.exists():
        unavailable(
            "the TypeScript SDK's packages", FileNotFoundError(f"run `npm ci` in {PACKAGE}")
        )
    assert node is not None
    return node, tsc


async def _run(*command: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=PACKAGE,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    assert process.returncode is not None
    return process.returncode, output.decode()


_built: list[bool] = []


async def test_typescript_sdk_workflow_against_a_live_server(
    server: str, tenant: Tenant, worker: EventWorker
) -> None:
    node, tsc = node_toolchain()
    if not _built:
        code, output = await _run(str(tsc), "-p", "tsconfig.json")
        assert code == 0, f"tsc failed:\n{output}"
        _built.append(True)
    env = {**os.environ, "REELHOUSE_URL": server, "REELHOUSE_API_KEY": tenant.token}
    code, output = await _run(node, "--test", "--test-reporter=tap", "dist/test/", env=env)
    assert code == 0, output
    assert "# pass 4" in output and "# skipped 0" in output, output
