"""Runs an ASGI app's lifespan around a block, as uvicorn does around a server's life.

In-process tests need it so that the background tasks a real server starts (key-change
subscriber, usage flusher, event dispatcher) run in tests too. They run with ``IN_BACKGROUND``
set, so a test measuring its own requests (``count_statements``) can leave their work out.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from app.types import ASGIApp, Message

IN_BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar("in_background", default=False)
"""True in the lifespan task and every task it starts (they inherit its context)."""


@asynccontextmanager
async def lifespan(app: ASGIApp, wait: float = 10.0) -> AsyncIterator[None]:
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()

    async def receive() -> Message:
        return await inbox.get()

    async def send(message: Message) -> None:
        await outbox.put(message)

    scope: dict[str, Any] = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    background = contextvars.copy_context()
    background.run(IN_BACKGROUND.set, True)

    async def run() -> None:
        await app(scope, receive, send)

    task = asyncio.create_task(run(), context=background)

    async def step(kind: str) -> None:
        await inbox.put({"type": f"lifespan.{kind}"})
        reply = await asyncio.wait_for(outbox.get(), wait)
        if reply["type"] != f"lifespan.{kind}.complete":
            raise RuntimeError(f"lifespan {kind} failed: {reply.get('message', reply)}")

    await step("startup")
    try:
        yield
    finally:
        await step("shutdown")
        await asyncio.wait_for(task, wait)
