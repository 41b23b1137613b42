"""``app.redis.listen`` ends when its task is cancelled, even when redis-py turns the cancel
into a read that timed out (a cancel landing as ``get_message``'s timeout fires)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio.client import PubSub

from app.redis import listen
from tests.backends import redis_namespace


async def test_a_cancel_the_read_swallowed_still_ends_the_listener(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = PubSub.get_message
    swallowed = 0

    async def swallowing(self: PubSub, *args: Any, **kwargs: Any) -> Any:
        nonlocal swallowed
        try:
            return await original(self, *args, **kwargs)
        except asyncio.CancelledError:
            swallowed += 1
            return None

    async with redis_namespace() as (url, prefix):
        subscribed = asyncio.Event()

        def handle(message: dict[str, Any]) -> None:
            if message.get("type") == "subscribe":
                subscribed.set()

        monkeypatch.setattr(PubSub, "get_message", swallowing)
        task = asyncio.create_task(listen(url, [f"{prefix}changes"], f"{prefix}test", handle))
        await asyncio.wait_for(subscribed.wait(), 5)
        await asyncio.sleep(0.2)
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=3)
        if not done:
            monkeypatch.undo()
            task.cancel()
            await asyncio.wait({task}, timeout=3)
            pytest.fail("the listener kept running after its cancel was swallowed")
    assert task.cancelled()
    assert swallowed == 1
