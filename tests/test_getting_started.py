"""A fresh clone, followed as the README says, reaches a verified webhook with curl and with
each SDK, reading nothing outside the repository.

The clone is the repository's files copied to a new folder (modification times kept). It
shares only what installing made: ``.venv`` (``make install``) and the TypeScript SDK's
``node_modules`` (``make sdk-deps``), so ``make`` finds both up to date and installs nothing.
Every command of docs/getting-started.md then runs as written, in order, one shell per code
block; the one change is the port (``127.0.0.1:8000`` becomes a free one, also given as
``REELHOUSE_PORT``), so the walk can run next to anything else.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests import markdown
from tests.test_sdk_typescript import node_toolchain

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "getting-started.md"
DOCUMENTED = "127.0.0.1:8000"
INSTALLED = (".venv", "sdk/typescript/node_modules")
STAMPS = (".venv/.installed", "sdk/typescript/node_modules/.package-lock.json")
STEP_SECONDS = 240


def test_the_readme_quick_start_is_two_commands_and_leads_to_the_guide() -> None:
    text = README.read_text()
    quick_start = markdown.section(text, "## Quick start")
    assert markdown.code_blocks(quick_start, "sh") == ["make run\n", "make test\n"]
    assert "docs/getting-started.md" in markdown.links(text.split("## Quick start")[0])


def _clone(destination: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for name in INSTALLED:
        (destination / name).symlink_to(ROOT / name, target_is_directory=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serving(command: str, clone: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """The guide's server command in its own process group; yields its URL once ready."""
    url = f"http://127.0.0.1:{env['REELHOUSE_PORT']}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STEP_SECONDS
        while True:
            assert process.poll() is None, f"the server stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"never ready:\n{log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _run(script: str, clone: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n{script}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_SECONDS,
    )
    assert done.returncode == 0, f"{script}\nfailed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_fresh_clone_reaches_a_verified_webhook_with_curl_and_each_sdk(tmp_path: Path) -> None:
    node_toolchain()
    clone = tmp_path / "reelhouse"
    _clone(clone)
    for stamp in STAMPS:
        fresh = subprocess.run(["make", "-q", stamp], cwd=clone, capture_output=True)
        if fresh.returncode != 0:
            pytest.fail(f"{stamp} is stale: run `make install sdk-deps` first", pytrace=False)
    blocks = markdown.code_blocks(GUIDE.read_text(), "sh")
    for block in blocks:
        assert "pip install" not in block.split("#")[0], "the walk must not install anything"
    start, exports, *steps = blocks
    assert "make run" in start and "REELHOUSE_URL=" in exports

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REELHOUSE_", "CI"))}
    env["REELHOUSE_PORT"] = str(port)

    def local(text: str) -> str:
        return text.replace(DOCUMENTED, f"127.0.0.1:{port}")

    with _serving(local(start), clone, env, tmp_path / "server.log") as url:
        key_file = clone / ".reelhouse-demo-key"
        key = key_file.read_text().strip()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key.startswith("rh_live_") and key in (tmp_path / "server.log").read_text()
        graphiql = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"}).text
        assert key in graphiql, "GraphiQL opens with the demo key in its Headers tab"

        curl, python, typescript = (_run(local(exports + step), clone, env) for step in steps)

    assert '"slug":"aurora"' in curl.replace(" ", "") and '"data":[' in curl.replace(" ", "")
    assert re.search(r"verified webhook evt_\w+ project\.created prj_\w+", python), python
    assert re.search(r"verified webhook evt_\w+ project\.created", typescript), typescript
