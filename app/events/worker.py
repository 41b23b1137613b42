"""The dispatcher and the webhook sender as background tasks of one process: inside
``reelhouse serve`` (the embedded default) or as a ``reelhouse worker`` process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType
from typing import Protocol

from app.database import Database
from app.events.bus import EventBus
from app.events.dispatcher import Dispatcher
from app.events.sender import Renderer, Sender, event_payload
from app.settings import Settings
from app.telemetry.retention import TelemetryRetention

logger = logging.getLogger("reelhouse.events")


class PeriodicJob(Protocol):
    async def run(self) -> None: ...

    def stop(self) -> None: ...


class EventWorker:
    def __init__(
        self,
        db: Database,
        bus: EventBus,
        settings: Settings,
        *,
        render: Renderer = event_payload,
    ) -> None:
        self.bus = bus
        self.dispatcher = Dispatcher(
            db,
            bus,
            batch_size=settings.events_batch_size,
            poll_seconds=settings.events_poll_seconds,
        )
        self.sender = Sender(db, settings, bus=bus, render=render)
        self.periodic: list[PeriodicJob] = [
            TelemetryRetention(db, settings),
        ]
        """Housekeeping loops (``run()`` until ``stop()``); register one per line."""
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await self.bus.start()
        self._tasks = [
            asyncio.create_task(self.dispatcher.run(), name="reelhouse-dispatcher"),
            asyncio.create_task(self.sender.run(), name="reelhouse-sender"),
            *(
                asyncio.create_task(job.run(), name=f"reelhouse-{type(job).__name__}")
                for job in self.periodic
            ),
        ]
        for task in self._tasks:
            task.add_done_callback(_report_crash)

    async def stop(self, grace_seconds: float = 15.0) -> None:
        """Let the dispatcher finish its batch and the sender record what it sent, then
        cancel whatever still runs after ``grace_seconds``. Never raises."""
        self.dispatcher.stop()
        self.sender.stop()
        for job in self.periodic:
            job.stop()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        with contextlib.suppress(Exception):
            await self.sender.aclose()

    async def __aenter__(self) -> EventWorker:
        await self.start()
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.stop()


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("%s stopped", task.get_name(), exc_info=task.exception())
