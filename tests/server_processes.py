"""``reelhouse serve`` as a real process a test can start, talk to and stop."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    process: asyncio.subprocess.Process
    url: str = ""
    log: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None


async def _drain(server: Server, started: asyncio.Future[str]) -> None:
    assert server.process.stderr is not None
    async for raw in server.process.stderr:
        line = raw.decode(errors="replace").rstrip()
        server.log.append(line)
        match = re.search(r"Uvicorn running on (http://\S+)", line)
        if match and not started.done():
            started.set_result(match.group(1))
    if not started.done():
        started.set_exception(RuntimeError("server exited:\n" + "\n".join(server.log[-30:])))


@asynccontextmanager
async def serve_process(env: dict[str, str]) -> AsyncIterator[Server]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    server = Server(process)
    started: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    server.reader = asyncio.create_task(_drain(server, started))
    try:
        server.url = await asyncio.wait_for(started, 30)
        yield server
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        await asyncio.gather(server.reader, return_exceptions=True)


async def until_ready(http: httpx.AsyncClient, server: Server) -> None:
    for _ in range(400):
        response = await http.get(f"{server.url}/ready")
        if response.status_code == 200:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{server.url} never ready: {response.text}\n" + "\n".join(server.log))
